"""Uploaded spreadsheets come back safe: a CSV with its formulas neutralised, a workbook exactly as uploaded but
only as a download whose link says so (issue 29, "Smaller")."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from medlead.accounts.models import Role
from medlead.leadership import services
from medlead.leadership.models import Framework
from medlead.organisation.models import Grade, Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db

EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def workbook() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/xl/workbook.xml" ContentType="{EXCEL_MAIN}"/></Types>',
        )
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


def upload(trust: Trust, tmp_path: Any, settings: Any, name: str, content: bytes) -> tuple[Any, str, str]:
    """A doctor's self-assessment with one evidence file: (their client, the assessment page, the file's address)."""
    settings.MEDIA_ROOT = tmp_path
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    user = make_user((Role.DOCTOR, trust), person=person)
    hlm = Framework.objects.get(code="hlm", trust=None)
    a = services.assessment_start(actor=user, person=person, framework=hlm)
    item = hlm.items.all()[0]
    client = client_for(user)
    page = f"/t/{trust.code}/leadership/self-assessments/{a.pk}/"
    client.post(page, {f"level-{item.pk}": "2", f"file-{item.pk}": SimpleUploadedFile(name, content)})
    rating = a.ratings.get(item=item)
    assert rating.file, "the upload was accepted"
    return client, page, f"{page}files/{rating.pk}/"


def test_a_csv_comes_back_with_its_formulas_neutralised(trust: Trust, tmp_path: Any, settings: Any) -> None:
    csv_in = 'Shift,Hours\nNights,=HYPERLINK("http://evil.example")\n" =1+2",12\n\uff1dSUM(A1),-3\n'
    client, page, url = upload(trust, tmp_path, settings, "hours.csv", csv_in.encode())
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="hours.csv"'
    assert response.content.decode().splitlines() == [
        "Shift,Hours",
        'Nights,"\'=HYPERLINK(""http://evil.example"")"',
        "' =1+2,12",
        "'\uff1dSUM(A1),'-3",
    ]
    assert "downloads as a CSV file; anything in it that looked like a formula is shown as text" in (
        client.get(page).content.decode()
    )


def test_a_workbook_comes_back_as_uploaded_as_a_download_that_says_so(
    trust: Trust, tmp_path: Any, settings: Any
) -> None:
    uploaded = workbook()  # made once: a zip records the second it was written
    client, page, url = upload(trust, tmp_path, settings, "budget.xlsx", uploaded)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="budget.xlsx"'
    assert b"".join(response.streaming_content) == uploaded
    assert "downloads as a spreadsheet, exactly as it was uploaded: formulas in it may run when you open it" in (
        client.get(page).content.decode()
    )
