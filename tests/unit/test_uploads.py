"""Evidence uploads: an allow-list checked by content, not name, and a size limit."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from medlead.core.uploads import validate_evidence


def docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("reflection.pdf", b"%PDF-1.7\n..."),
        ("certificate.png", b"\x89PNG\r\n\x1a\n...."),
        ("photo.jpg", b"\xff\xd8\xff\xe0...."),
        ("notes.txt", b"Reflection on the course: what I learned."),
        ("feedback.docx", docx()),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...."),
    ],
)
def test_allowed_evidence_is_accepted(name: str, content: bytes) -> None:
    validate_evidence(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("page.html", b"<!DOCTYPE html><script>alert(1)</script>", "is not a PDF"),
        ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "is not a PDF"),
        ("evidence.pdf", b"<html><body>not a pdf</body></html>", "is not a PDF"),
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00", "is not a PDF"),
        ("archive.zip", b"PK\x03\x04" + b"\x00" * 40, "is not a PDF"),
        ("renamed.txt", b"%PDF-1.7\n...", "does not match its content"),
    ],
)
def test_other_files_are_refused_by_content(name: str, content: bytes, why: str) -> None:
    with pytest.raises(ValidationError, match=why):
        validate_evidence(SimpleUploadedFile(name, content))


@override_settings(MEDLEAD_EVIDENCE_MAX_BYTES=1024)
def test_a_file_over_the_limit_is_refused() -> None:
    with pytest.raises(ValidationError, match="the limit is"):
        validate_evidence(SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * 2000))
