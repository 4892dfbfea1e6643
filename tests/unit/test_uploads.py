"""Evidence uploads: an allow-list checked by content throughout (not the name, not only the first bytes), a size
limit, an expanded-size limit for zip-based documents (zip bombs), and polyglots refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from medlead.core.uploads import download_note, validate_evidence
from tests.factories import pdf_bytes

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def content_types(part: str, main_type: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{part}" ContentType="{main_type}"/>'
        "</Types>"
    )


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    """The shape of a Word document: content types naming the main part, and the part."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types("word/document.xml", WORD_MAIN))
        z.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buf.getvalue()


def xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types("xl/workbook.xml", EXCEL_MAIN))
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


def odt() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def image(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (4, 3), "white").save(buf, fmt)
    return buf.getvalue()


def check(name: str, content: bytes) -> None:
    validate_evidence(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("reflection.pdf", pdf_bytes()),
        ("certificate.png", image("PNG")),
        ("photo.jpg", image("JPEG")),
        ("badge.gif", image("GIF")),
        ("notes.txt", b"Reflection on the course: what I learned."),
        ("rota.csv", "Name,Hours\nDr Zo\u00eb Adams,48\n".encode()),
        ("feedback.docx", docx()),
        ("budget.xlsx", xlsx()),
        ("essay.odt", odt()),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...."),
    ],
)
def test_allowed_evidence_is_accepted(name: str, content: bytes) -> None:
    check(name, content)


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("page.html", b"<!DOCTYPE html><script>alert(1)</script>", "is not a PDF, an image"),
        ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "is not a PDF, an"),
        ("evidence.pdf", b"<html><body>not a pdf</body></html>", "is not a PDF, an image"),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00", "is not a PDF, an image"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 40, "is not a PDF, an image"),
        ("renamed.txt", pdf_bytes(), "does not match its content"),
    ],
)
def test_other_files_are_refused_by_content(name: str, content: bytes, why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        check(name, content)


@override_settings(MEDLEAD_EVIDENCE_MAX_BYTES=1024)
def test_a_file_over_the_limit_is_refused() -> None:
    with pytest.raises(ValidationError, match="the limit is"):
        check("big.pdf", b"%PDF-1.7\n" + b"0" * 2000)


# ----------------------------------------------------------------------------------------------- polyglots


def test_a_pdf_header_followed_by_a_web_page_is_not_a_pdf() -> None:
    with pytest.raises(ValidationError) as refused:
        check("report.pdf", b"%PDF-1.7\n<html><body><script>alert(document.cookie)</script></body></html>\n")
    assert refused.value.messages == [
        "This file is not a PDF: it could not be read as one. Save it again as a PDF and upload that."
    ]


def test_a_real_pdf_with_a_web_page_appended_is_refused() -> None:
    with pytest.raises(ValidationError, match="This file is not only a PDF: it also holds a web page"):
        check("report.pdf", pdf_bytes() + b"\n<html><script>alert(1)</script></html>\n")


def test_a_pdf_that_is_only_a_header_is_refused() -> None:
    with pytest.raises(ValidationError, match="This file is not a PDF"):
        check("report.pdf", b"%PDF-1.7\n...")


def test_an_image_must_decode_as_the_type_its_name_says() -> None:
    with pytest.raises(ValidationError, match="This file is not a PNG image"):
        check("certificate.png", b"\x89PNG\r\n\x1a\n" + b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError, match="This file is not a PNG image"):
        check("certificate.png", image("JPEG"))  # a JPEG renamed passes the sniff's family, not the decoder
    with pytest.raises(ValidationError, match="This file is not a GIF image"):
        check("badge.gif", image("GIF") + b"<script>alert(1)</script>")


def test_text_is_checked_throughout_not_only_at_its_start() -> None:
    with pytest.raises(ValidationError, match="is not a PDF, an image"):
        check("notes.txt", b"Reflection. " * 1000 + b"<script>alert(1)</script>")
    with pytest.raises(ValidationError, match="is not a PDF, an image"):
        check("notes.csv", b"Name,Hours\n" * 1000 + b"\xff\xfe not UTF-8")


def test_an_office_file_must_have_the_content_types_of_what_its_name_says() -> None:
    with pytest.raises(ValidationError, match="This file is not an Excel workbook"):
        check("budget.xlsx", docx())  # a Word document called a workbook
    no_main = io.BytesIO()
    with zipfile.ZipFile(no_main, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ValidationError, match="This file is not a Word document"):
        check("feedback.docx", no_main.getvalue())
    missing_part = io.BytesIO()
    with zipfile.ZipFile(missing_part, "w") as z:
        z.writestr("[Content_Types].xml", content_types("word/document.xml", WORD_MAIN))
    with pytest.raises(ValidationError, match="This file is not a Word document"):
        check("feedback.docx", missing_part.getvalue())
    entities = io.BytesIO()
    with zipfile.ZipFile(entities, "w") as z:
        z.writestr("[Content_Types].xml", '<!DOCTYPE t [<!ENTITY a "aaaa">]><Types/>')
        z.writestr("word/document.xml", "<w:document/>")
    with pytest.raises(ValidationError, match="This file is not a Word document"):
        check("feedback.docx", entities.getvalue())
    with pytest.raises(ValidationError, match="This file is not an OpenDocument spreadsheet"):
        check("sheet.ods", odt())


# ----------------------------------------------------------------------------------------------- zip bombs


def test_a_docx_zip_bomb_is_refused() -> None:
    """200 MB of zeros in a docx-shaped zip of about 200 KB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", content_types("word/document.xml", WORD_MAIN))
        z.writestr("word/document.xml", "<w:document/>")
        with z.open("word/media/padding.bin", "w", force_zip64=True) as part:
            zeros = b"\x00" * (1024 * 1024)
            for _ in range(200):
                part.write(zeros)
    bomb = buf.getvalue()
    assert len(bomb) < 300 * 1024
    with pytest.raises(ValidationError) as refused:
        check("feedback.docx", bomb)
    assert refused.value.messages == [
        "This file expands to more than 50 MB when opened, or is compressed far more tightly than a real document, "
        "so it cannot be accepted. Save a smaller copy and upload that."
    ]


def lying_zip(real: bytes, declared: int) -> bytes:
    """A zip whose directory says each part is ``declared`` bytes long, whatever it holds."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types("word/document.xml", WORD_MAIN))
        z.writestr("word/document.xml", real)
    data = bytearray(buf.getvalue())
    # rewrite the uncompressed size of word/document.xml in its local header and in the central directory
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        info = z.getinfo("word/document.xml")
    local = info.header_offset
    data[local + 22 : local + 26] = declared.to_bytes(4, "little")
    central = data.find(b"word/document.xml", data.find(b"PK\x01\x02")) - 46
    data[central + 24 : central + 28] = declared.to_bytes(4, "little")
    return bytes(data)


@override_settings(MEDLEAD_UPLOAD_MAX_EXPANDED_BYTES=2 * 1024 * 1024)
def test_sizes_are_counted_while_reading_because_a_zip_directory_can_lie() -> None:
    """The directory says 100 bytes; the part expands to 3 MB of varied text (no tight ratio): the capped read
    counts what really comes out and refuses it (or the zip reader finds the lie): never accepted."""
    text = "".join(f"<w:p>Paragraph {i} of a long reflection.</w:p>" for i in range(80_000)).encode()
    assert len(text) > 3 * 1024 * 1024
    with pytest.raises(ValidationError):
        check("feedback.docx", lying_zip(text, 100))


@override_settings(MEDLEAD_UPLOAD_MAX_EXPANDED_BYTES=1024 * 1024)
def test_the_expanded_limit_is_a_setting() -> None:
    check("feedback.docx", docx({"word/media/a.bin": b"x" * 1000}))
    with pytest.raises(ValidationError, match="more than 1 MB"):
        check("feedback.docx", docx({"word/media/a.bin": bytes(range(256)) * 5000}))


def test_links_say_how_spreadsheets_download() -> None:
    assert download_note("evidence/2026/05/hours.csv") == (
        "downloads as a CSV file; anything in it that looked like a formula is shown as text"
    )
    assert download_note("evidence/2026/05/budget.xlsx") == (
        "downloads as a spreadsheet, exactly as it was uploaded: formulas in it may run when you open it"
    )
    assert download_note("evidence/2026/05/report.pdf") == ""
