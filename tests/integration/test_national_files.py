"""National files in their own layouts (issue 19): the ESR staff extract and the GMC Connect list of doctors go
through the shared pipeline (dry run, confirm, worker); a file named differently gets a clear error and changes
nothing, until the trust writes its own headings on the layout's page."""

from __future__ import annotations

import datetime as dt

import pytest

from medlead.accounts.models import Role
from medlead.core.audit import AuditEvent
from medlead.core.layouts import layouts, translate
from medlead.imports.models import ImportBatch
from medlead.organisation.models import Grade, ImportLayout, Person, StaffKind, Trust
from medlead.revalidation.models import Connection
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user
from tests.integration.test_import_pipeline import upload

pytestmark = pytest.mark.django_db

# An ESR-style extract: more columns than medlead reads, a nurse medlead leaves out, a blank line.
ESR = (
    "Employee Number,Assignment Number,Last Name,First Name,Staff Group,Job Role,Position Title,Area of Work,"
    "Organisation,Registration Number,Work Email Address,Assignment Category,FTE,Pay Scale\n"
    "E1001,E1001-1,Okafor,Ngozi,Medical and Dental,Consultant,Consultant cardiologist,Cardiology,Medicine,"
    "7123456,ngozi.okafor@nhs.net,Permanent,1,YC72\n"
    "E1002,E1002-1,Patel,Ravi,Nursing and Midwifery Registered,Staff Nurse,Staff nurse,Cardiology,Medicine,"
    ",ravi.patel@nhs.net,Permanent,1,XN05\n"
    "\n"
    "E1003,E1003-1,Evans,Siân,Medical and Dental,Specialty Registrar,Registrar in cardiology,Cardiology,Medicine,"
    "7234567,sian.evans@nhs.net,Fixed Term Temp,0.8,MN37\n"
)


@pytest.fixture
def cardiology(trust: Trust):
    from tests.factories import DivisionFactory, SpecialtyFactory

    medicine = DivisionFactory(trust=trust, name="Medicine")
    return SpecialtyFactory(trust=trust, division=medicine, name="Cardiology")


def test_an_esr_extract_imports_its_doctors_and_leaves_other_staff_out(
    trust: Trust, cardiology, django_capture_on_commit_callbacks
) -> None:
    client = client_for(make_user((Role.MEDICAL_STAFFING, trust)))

    response = client.post(f"/t/{trust.code}/import/people/", {"layout": "esr_staff", "file": upload("esr.csv", ESR)})
    batch = ImportBatch.objects.get()
    page = client.get(response["Location"]).content.decode()

    assert batch.summary["errors"] == [] and batch.summary["creates"] == 2
    assert "1 row of other staff groups left out" in page
    assert Person.objects.filter(trust=trust).count() == 0  # a dry run
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/t/{trust.code}/import/{batch.pk}/confirm/")
    people = {p.staff_number: p for p in Person.objects.filter(trust=trust)}
    assert set(people) == {"E1001", "E1003"}
    assert (people["E1001"].grade, people["E1001"].kind, people["E1001"].gmc_number) == (
        Grade.CONSULTANT,
        StaffKind.DOCTOR,
        "7123456",
    )
    assert people["E1003"].grade == Grade.SPECIALTY_REGISTRAR
    assert people["E1003"].contract == "fixed_term"
    assert people["E1003"].first_name == "Siân"
    assert people["E1003"].specialty == cardiology


def test_an_extract_with_other_headings_says_which_and_changes_nothing_until_the_trust_maps_them(
    trust: Trust, cardiology
) -> None:
    lead = make_user((Role.MEDICAL_STAFFING, trust))
    client = client_for(lead)
    renamed = ESR.replace("Last Name", "Surname", 1)

    client.post(f"/t/{trust.code}/import/people/", {"layout": "esr_staff", "file": upload("a.csv", renamed)})
    refused = ImportBatch.objects.get()

    assert refused.status == "invalid"
    assert refused.summary["errors"][0]["reason"].startswith(
        "row 1, column 'Last Name': the ESR staff extract layout reads this column, and the file does not have it"
    )
    assert Person.objects.filter(trust=trust).count() == 0

    saved = client.post(f"/t/{trust.code}/import/layouts/esr_staff/", {"last_name": "Surname"})
    client.post(f"/t/{trust.code}/import/people/", {"layout": "esr_staff", "file": upload("b.csv", renamed)})

    assert saved.status_code == 302
    assert ImportLayout.objects.get(trust=trust, code="esr_staff").headings == {"last_name": "Surname"}
    assert ImportBatch.objects.latest("pk").summary["creates"] == 2
    assert AuditEvent.objects.filter(model="organisation.importlayout", action="create", actor_id=lead.pk).exists()


def test_a_row_error_names_the_row_of_the_national_file(trust: Trust, cardiology) -> None:
    client = client_for(make_user((Role.MEDICAL_STAFFING, trust)))
    broken = ESR.replace("7234567", "72345", 1)  # line 5 of the file: a GMC number of five digits

    client.post(f"/t/{trust.code}/import/people/", {"layout": "esr_staff", "file": upload("c.csv", broken)})
    errors = ImportBatch.objects.get().summary["errors"]

    assert [(e["line"], e["column"]) for e in errors] == [(5, "Registration Number")]  # as the file names it


def test_the_gmc_connect_list_sets_connections_and_submission_dates(
    trust: Trust, django_capture_on_commit_callbacks
) -> None:
    ro = make_user((Role.RESPONSIBLE_OFFICER, trust))
    doctor = PersonFactory(trust=trust, gmc_number="7345678", grade=Grade.CONSULTANT)
    text = (
        "GMC Reference Number,Forename,Surname,Submission Due Date,Connection Date,Designated Body\n"
        "7345678,Amara,Nwosu,31/03/2028,01/04/2023,Test Trust\n"
    )
    client = client_for(ro)

    client.post(f"/t/{trust.code}/import/connections/", {"layout": "gmc_connect", "file": upload("gmc.csv", text)})
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/t/{trust.code}/import/{batch.pk}/confirm/")

    connection = Connection.objects.get(person=doctor)
    assert (connection.submission_date, connection.connected_on) == (dt.date(2028, 3, 31), dt.date(2023, 4, 1))


def test_only_those_who_run_the_import_see_or_change_its_layout(trust: Trust) -> None:
    doctor = client_for(make_user((Role.DOCTOR, trust)))
    lead = client_for(make_user((Role.MEDICAL_STAFFING, trust)))

    assert doctor.get(f"/t/{trust.code}/import/layouts/esr_staff/").status_code == 403
    assert doctor.post(f"/t/{trust.code}/import/layouts/esr_staff/", {"last_name": "X"}).status_code == 403
    assert lead.get(f"/t/{trust.code}/import/layouts/nonsense/").status_code == 404
    page = lead.get(f"/t/{trust.code}/import/layouts/gmc_connect/").content.decode()
    assert 'value="Forename + Surname"' in page
    assert not ImportLayout.objects.exists()


def test_a_layout_for_another_kind_is_refused_on_the_form(trust: Trust) -> None:
    client = client_for(make_user((Role.MEDICAL_STAFFING, trust)))

    page = client.post(f"/t/{trust.code}/import/posts/", {"layout": "esr_staff", "file": upload("d.csv", ESR)})

    assert "The ESR staff extract holds people, not posts." in page.content.decode()
    assert not ImportBatch.objects.exists()


def test_translation_keeps_line_numbers_and_joins_columns() -> None:
    gmc = layouts()["gmc_connect"]
    text = "GMC Reference Number,Forename,Surname,Submission Due Date\n\n7345678,Amara,Nwosu,31/03/2028\n"

    done = translate(
        gmc, "gmc.csv", text.encode(), ("gmc_number", "submission_date", "connected_on", "name"), ("gmc_number",)
    )

    assert done.errors == []
    assert done.content.decode().splitlines() == [
        "gmc_number,submission_date,connected_on,name",
        "",
        "7345678,31/03/2028,,Amara Nwosu",
    ]
