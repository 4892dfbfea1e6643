"""Evidence files doctors upload (with self-assessments and the experience log): an allow-list of types,
checked by the file's content, not its name, and a size limit (``MEDLEAD_EVIDENCE_MAX_BYTES``).

Allowed: PDF, images (PNG, JPEG, GIF), Office documents (Word, Excel, PowerPoint, old and new; OpenDocument) and
plain text. Refused: anything else, including HTML, SVG and programs, whatever they are called. Files are served
back only as attachments with ``X-Content-Type-Options: nosniff`` and ``Cache-Control: no-store``."""

from __future__ import annotations

import zipfile
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError

KINDS = {
    "pdf": (".pdf",),
    "image": (".png", ".jpg", ".jpeg", ".gif"),
    "office": (".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt", ".odt", ".ods", ".odp"),
    "text": (".txt", ".csv"),
}
ALLOWED_WORDS = "a PDF, an image (PNG, JPEG or GIF), an Office or OpenDocument file, or plain text"


def sniff(head: bytes, upload: Any) -> str | None:
    """What the content is, from its first bytes (and, for a zip, its parts); None if not an allowed type."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")):
        return "image"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # legacy Office (OLE2)
        return "office"
    if head.startswith(b"PK\x03\x04"):
        try:
            upload.seek(0)
            names = set(zipfile.ZipFile(upload).namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names or "mimetype" in names:  # OOXML or OpenDocument
            return "office"
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lowered = text.lstrip().lower()
    if "\x00" in text or lowered.startswith(("<", "<!doctype")) or "<script" in lowered or "<svg" in lowered:
        return None
    return "text"


def validate_evidence(upload: Any) -> None:
    """Refuse a file that is too large, or whose content is not an allowed type (or does not match its name)."""
    if not upload:
        return
    limit = settings.MEDLEAD_EVIDENCE_MAX_BYTES
    size = getattr(upload, "size", 0) or 0
    if size > limit:
        raise ValidationError(f"The file is {size / 2**20:.1f} MB; the limit is {limit / 2**20:.0f} MB.")
    name = (getattr(upload, "name", "") or "").lower()
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    kind = sniff(head, upload)
    if kind is None:
        raise ValidationError(f"This file is not {ALLOWED_WORDS}. Save it as one of these and upload it again.")
    if not name.endswith(KINDS[kind]):
        raise ValidationError(
            f"The file's name ('{name.rsplit('/', 1)[-1]}') does not match its content ({kind}). "
            f"Use one of: {', '.join(KINDS[kind])}."
        )
