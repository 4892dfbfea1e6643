"""Evidence files people upload (self-assessments, the experience log, a case's evidence): an allow-list of types,
checked by the file's content throughout, not its name or its first bytes, and two size limits: the file
(``MEDLEAD_EVIDENCE_MAX_BYTES``) and, for the zip-based formats, what it expands to
(``MEDLEAD_UPLOAD_MAX_EXPANDED_BYTES``).

Allowed: PDF, images (PNG, JPEG, GIF), Office documents (Word, Excel, PowerPoint, old and new; OpenDocument) and
plain text (TXT, CSV). Refused: anything else, including HTML, SVG and programs, whatever they are called; and a
file that is one type at its start and another further on (a polyglot: ``%PDF-`` followed by a web page):

- a PDF must open as a PDF (pypdf reads its page tree) and hold no web page markup outside its streams;
- an image must decode, as the type its name says, within a pixel limit;
- a Word, Excel or PowerPoint file (.docx, .xlsx, .pptx) must be a zip whose ``[Content_Types].xml`` names that
  document's main part, and the part must be there; an OpenDocument file's ``mimetype`` must say its type;
- a zip whose parts add up to more than the expanded limit, or are compressed more tightly than any real document
  (a zip bomb), is refused: sizes are read from the zip's directory and then counted while reading every part
  through a capped stream, because a zip's directory can lie; nothing is extracted to disk;
- text must be UTF-8 throughout, with no NUL and no web page markup anywhere.

The old binary Office formats (.doc, .xls, .ppt) are checked by their signature only (no parser of OLE2 files is
among medlead's dependencies). Files are served back only as attachments with ``X-Content-Type-Options: nosniff``
and ``Cache-Control: no-store`` (``serve``); a CSV is served with its formulas neutralised, as every export is."""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
import zlib
from typing import IO, Any
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from PIL import Image
from pypdf import PdfReader

from medlead.core.exports import safe_cell

EXTENSIONS = {
    "pdf": (".pdf",),
    "image": (".png", ".jpg", ".jpeg", ".gif"),
    "office": (".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt", ".odt", ".ods", ".odp"),
    "text": (".txt", ".csv"),
}
KINDS = EXTENSIONS  # the name other modules know
ALLOWED_WORDS = "a PDF, an image (PNG, JPEG or GIF), an Office or OpenDocument file, or plain text"

# What each name must be, in words, and what its content must show.
NAMED = {
    ".pdf": "a PDF",
    ".png": "a PNG image",
    ".jpg": "a JPEG image",
    ".jpeg": "a JPEG image",
    ".gif": "a GIF image",
    ".docx": "a Word document",
    ".xlsx": "an Excel workbook",
    ".pptx": "a PowerPoint presentation",
    ".odt": "an OpenDocument text",
    ".ods": "an OpenDocument spreadsheet",
    ".odp": "an OpenDocument presentation",
    ".txt": "plain text",
    ".csv": "a CSV file (plain text)",
}
IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF"}
OOXML_MAIN = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
OPENDOCUMENT = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
    ".odp": b"application/vnd.oasis.opendocument.presentation",
}
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"

# A real document compresses well, but not a hundredfold over megabytes; a zip bomb does (200 MB of zeros: 1000:1).
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024  # small files may compress tightly without harm
MAX_MEMBERS = 10_000
MAX_PIXELS = 50_000_000
CHUNK = 64 * 1024
# Web page markup that has no business in a PDF outside its streams, or in an image or a text file.
MARKUP = re.compile(rb"<\s*(?:html|script|svg|iframe|body|object|embed)\b|<!doctype\s+html", re.IGNORECASE)
PDF_STREAM = re.compile(rb"\bstream\r?\n.*?\bendstream\b", re.DOTALL)

log = logging.getLogger(__name__)


def sniff(head: bytes) -> str:
    """The family of types the first bytes announce (text unless something else: checked as text after)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")):
        return "image"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # legacy Office (OLE2)
        return "office"
    if head.startswith(b"PK\x03\x04"):
        return "office"
    return "text"


def _read_all(upload: Any) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return bytes(data)


def validate_evidence(upload: Any) -> None:
    """Refuse a file that is too large, that expands too far, or whose content is not, throughout, an allowed type
    that matches its name."""
    if not upload or getattr(upload, "_committed", False):
        return  # nothing, or a file already stored (checked when it was uploaded)
    limit = settings.MEDLEAD_EVIDENCE_MAX_BYTES
    size = getattr(upload, "size", 0) or 0
    if size > limit:
        raise ValidationError(f"The file is {size / 2**20:.1f} MB; the limit is {limit / 2**20:.0f} MB.")
    name = (getattr(upload, "name", "") or "").lower().rsplit("/", 1)[-1]
    data = _read_all(upload)
    family = sniff(data[:16])
    zipped = data.startswith(b"PK\x03\x04")
    if (family == "text" and not _is_text(data)) or (zipped and not name.endswith((*OOXML_MAIN, *OPENDOCUMENT))):
        raise ValidationError(f"This file is not {ALLOWED_WORDS}. Save it as one of these and upload it again.")
    if not name.endswith(EXTENSIONS[family]):
        raise ValidationError(
            f"The file's name ('{name}') does not match its content ({family}). "
            f"Use one of: {', '.join(EXTENSIONS[family])}."
        )
    extension = "." + name.rsplit(".", 1)[-1]
    check_content(data, extension)


def check_content(data: bytes, extension: str) -> None:
    """Refuse ``data`` unless it is, throughout, what a file ending in ``extension`` must be."""
    words = NAMED.get(extension, "a file of this type")
    not_it = f"This file is not {words}: it could not be read as one. Save it again as {words} and upload that."
    if extension == ".pdf":
        _check_pdf(data, not_it)
    elif extension in IMAGE_FORMATS:
        _check_image(data, IMAGE_FORMATS[extension], not_it)
    elif extension in OOXML_MAIN or extension in OPENDOCUMENT:
        _check_zip_document(data, extension, not_it)
    elif extension in (".txt", ".csv") and not _is_text(data):
        raise ValidationError(not_it)
    # .doc, .xls, .ppt: the OLE2 signature sniffed above is all medlead can check


def _is_text(data: bytes) -> bool:
    """UTF-8 throughout, no NUL, and no web page markup anywhere (not only at the start)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "\x00" not in text and not text.lstrip("\ufeff \t\r\n").startswith("<") and not MARKUP.search(data)


def _check_pdf(data: bytes, not_it: str) -> None:
    try:
        pages = len(PdfReader(io.BytesIO(data)).pages)
    except Exception as exc:  # pypdf raises many kinds of error on a malformed file; each means "not a PDF"
        log.info("an uploaded PDF did not parse: %s", type(exc).__name__)
        raise ValidationError(not_it) from None
    if pages < 1:
        raise ValidationError(not_it)
    if MARKUP.search(PDF_STREAM.sub(b"stream endstream", data)):
        raise ValidationError(
            "This file is not only a PDF: it also holds a web page. Save it again as a PDF (print it to PDF) and "
            "upload that."
        )


def _check_image(data: bytes, expected: str, not_it: str) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != expected or image.width * image.height > MAX_PIXELS:
                raise ValidationError(not_it)
            image.load()  # decode every pixel
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds of error on a malformed image; each means "not this image"
        raise ValidationError(not_it) from None
    if MARKUP.search(data):
        raise ValidationError(not_it)


def _check_zip_document(data: bytes, extension: str, not_it: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive_size(archive, compressed=len(data))
            if extension in OOXML_MAIN:
                _check_ooxml(archive, OOXML_MAIN[extension], not_it)
            else:
                with archive.open("mimetype") as part:
                    if part.read(100).strip() != OPENDOCUMENT[extension]:
                        raise ValidationError(not_it)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, EOFError, OSError, zlib.error):
        raise ValidationError(not_it) from None


def check_archive_size(archive: zipfile.ZipFile, *, compressed: int) -> None:
    """Refuse a zip that expands past ``MEDLEAD_UPLOAD_MAX_EXPANDED_BYTES`` or far more tightly than documents do:
    first by the sizes its directory declares, then by counting what every part really expands to, read through
    a capped stream (a directory can lie)."""
    limit = settings.MEDLEAD_UPLOAD_MAX_EXPANDED_BYTES
    too_big = ValidationError(
        f"This file expands to more than {limit / 2**20:.0f} MB when opened, or is compressed far more tightly than "
        "a real document, so it cannot be accepted. Save a smaller copy and upload that."
    )
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise too_big
    declared = sum(info.file_size for info in infos)
    if _too_big(declared, compressed, limit):
        raise too_big
    expanded = 0
    for info in infos:
        with archive.open(info) as part:
            while chunk := part.read(CHUNK):
                expanded += len(chunk)
                if _too_big(expanded, compressed, limit):
                    raise too_big


def _too_big(expanded: int, compressed: int, limit: int) -> bool:
    return expanded > limit or (expanded > RATIO_FROM_BYTES and expanded > MAX_RATIO * max(compressed, 1))


def _check_ooxml(archive: zipfile.ZipFile, main_type: str, not_it: str) -> None:
    with archive.open("[Content_Types].xml") as part:
        xml = part.read(1024 * 1024 + 1)
    if len(xml) > 1024 * 1024 or b"<!DOCTYPE" in xml.upper() or b"<!ENTITY" in xml.upper():
        raise ValidationError(not_it)
    try:
        root = ElementTree.fromstring(xml)  # noqa: S314 (no DTD or entity, checked above; a megabyte at most)
    except ElementTree.ParseError:
        raise ValidationError(not_it) from None
    parts = {
        (el.get("PartName") or "").lstrip("/")
        for el in root.iter(f"{CONTENT_TYPES_NS}Override")
        if el.get("ContentType") == main_type
    }
    names = set(archive.namelist())
    if not parts or not parts <= names:
        raise ValidationError(not_it)


# ------------------------------------------------------------------------------------------------ serving


def served_name(name: str) -> str:
    return (name or "evidence").rsplit("/", 1)[-1]


def is_spreadsheet(name: str) -> bool:
    """A spreadsheet other than CSV: served exactly as uploaded, as a download whose link says so."""
    return served_name(name).lower().endswith((".xlsx", ".xls", ".ods"))


def download_note(name: str) -> str:
    """What a link to an evidence file says about the download, in plain words (empty for most files)."""
    if served_name(name).lower().endswith(".csv"):
        return "downloads as a CSV file; anything in it that looked like a formula is shown as text"
    if is_spreadsheet(name):
        return "downloads as a spreadsheet, exactly as it was uploaded: formulas in it may run when you open it"
    return ""


def serve(stored: Any) -> HttpResponseBase:
    """An evidence file as an attachment (``nosniff``, ``no-store`` come from the middleware and FileResponse). A
    CSV is served with its formulas neutralised, cell by cell as every export is, so that opening it runs nothing;
    a workbook (XLSX, XLS, ODS) is served as uploaded: rewriting it would lose what it holds, so its link says that
    it is a spreadsheet from the person who uploaded it (``templates/macros/evidence.jinja``)."""
    name = served_name(stored.name)
    if name.lower().endswith(".csv"):
        with stored.open("rb") as f:
            text = f.read().decode("utf-8-sig", errors="replace")
        out = io.StringIO()
        writer = csv.writer(out)
        for row in csv.reader(io.StringIO(text)):
            writer.writerow([safe_cell(cell) for cell in row])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
        response["X-Content-Type-Options"] = "nosniff"
        return response
    file: IO[bytes] = stored.open("rb")
    return FileResponse(file, as_attachment=True, filename=name)
