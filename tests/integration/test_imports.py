"""Imports: a dry run changes nothing, errors name row, column and reason, and the real run is all-or-nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from medlead.core.audit import AuditEvent
from medlead.core.imports import ImportFailed
from medlead.imports.models import ImportBatch
from medlead.organisation.imports import PEOPLE as PEOPLE_IMPORT
from medlead.organisation.models import Division, Person, Specialty, Trust
from medlead.structure.imports import POSTS
from medlead.structure.models import Holding, Post
from tests.conftest import client_for
from tests.factories import PersonFactory, PostFactory, SpecialtyFactory, post_type

pytestmark = pytest.mark.django_db

# the first row asks to add the specialty and its division, which the trust does not have yet
PEOPLE = (
    "staff_number,first_name,last_name,gmc_number,grade,specialty,division,ltft_fraction,create_specialty,"
    "create_division\n"
    "E1,Ada,Lovelace,1234567,consultant,Cardiology,Medicine,0.8,yes,yes\n"
    "E2,Alan,Turing,2345678,specialty_registrar,Cardiology,Medicine,,,\n"
)


def test_dry_run_describes_changes_and_changes_nothing(trust: Trust) -> None:
    plan = PEOPLE_IMPORT.plan(trust=trust, filename="p.csv", content=PEOPLE.encode())
    assert plan.ok, plan.errors
    assert len([c for c in plan.creates if c.startswith("Row")]) == 2
    assert "Division Medicine" in plan.creates
    assert not Person.objects.exists() and not Division.objects.exists()


def test_apply_creates_people_structure_and_audit(trust: Trust, md_user) -> None:
    PEOPLE_IMPORT.apply(trust=trust, filename="p.csv", content=PEOPLE.encode(), actor=md_user)
    ada = Person.objects.get(gmc_number="1234567")
    assert ada.trust == trust and str(ada.ltft_fraction) == "0.80"
    assert ada.specialty is not None and ada.specialty.division.name == "Medicine"
    assert AuditEvent.objects.filter(model="organisation.person", action="create", note="import").count() == 2


def test_second_import_updates_matched_people_only_where_changed(trust: Trust, md_user) -> None:
    PEOPLE_IMPORT.apply(trust=trust, filename="p.csv", content=PEOPLE.encode(), actor=md_user)
    changed = PEOPLE.replace("Alan,Turing", "Alan,Turing-Smith")
    plan = PEOPLE_IMPORT.plan(trust=trust, filename="p.csv", content=changed.encode())
    assert plan.unchanged == 1 and len(plan.updates) == 1 and "last_name" in plan.updates[0]
    PEOPLE_IMPORT.apply(trust=trust, filename="p.csv", content=changed.encode(), actor=md_user)
    assert Person.objects.get(staff_number="E2").last_name == "Turing-Smith"
    assert Person.objects.count() == 2


def test_a_matched_row_that_changes_a_value_is_checked_like_a_new_one(trust: Trust, md_user) -> None:
    """A row that says what is stored is unchanged; one that changes a person's email to something that is not one
    is that row's error, as for a new person."""
    PEOPLE_IMPORT.apply(trust=trust, filename="p.csv", content=PEOPLE.encode(), actor=md_user)
    header = "staff_number,first_name,last_name,gmc_number,grade,email\n"
    same = header + "E2,Alan,Turing,2345678,specialty_registrar,\n"
    plan = PEOPLE_IMPORT.plan(trust=trust, filename="p.csv", content=same.encode())
    assert plan.ok and plan.unchanged == 1 and not plan.updates
    bad = header + "E2,Alan,Turing,2345678,specialty_registrar,not an address\n"
    plan = PEOPLE_IMPORT.plan(trust=trust, filename="p.csv", content=bad.encode())
    assert [(e.line, e.column) for e in plan.errors] == [(2, "email")] and not plan.updates


def test_every_bad_row_is_reported_and_nothing_is_saved(trust: Trust, md_user) -> None:
    bad = PEOPLE + (
        "E3,Grace,,12345,consultant,,,\n"  # no last name, short GMC number
        "E1,Dup,Licate,3456789,wizard,,,\n"  # repeated staff number, unknown grade
        "E5,Mary,Seacole,4567890,consultant,Unknown Specialty,,abc\n"
    )
    plan = PEOPLE_IMPORT.plan(trust=trust, filename="p.csv", content=bad.encode())
    found = {(e.line, e.column) for e in plan.errors}
    assert (4, "last_name") in found
    assert (4, "gmc_number") in found
    assert (5, "staff_number") in found and (5, "grade") in found
    assert (6, "specialty") in found and (6, "ltft_fraction") in found
    assert any("7 digits" in e.reason for e in plan.errors if e.column == "gmc_number")
    grade = next(e.reason for e in plan.errors if e.column == "grade")
    assert "'wizard' is not a grade medlead knows" in grade and "Consultant" in grade
    assert "specialty_registrar" not in grade
    with pytest.raises(ImportFailed):
        PEOPLE_IMPORT.apply(trust=trust, filename="p.csv", content=bad.encode(), actor=md_user)
    assert not Person.objects.exists() and not Specialty.objects.exists()


def test_missing_and_unknown_columns_are_named(trust: Trust) -> None:
    plan = PEOPLE_IMPORT.plan(trust=trust, filename="p.csv", content=b"first_name,surname\nA,B\n")
    assert {(e.line, e.column) for e in plan.errors} == {(1, "last_name"), (1, "surname")}


def test_posts_import_with_job_share_reporting_lines_and_xlsx(trust: Trust, md_user) -> None:
    a, b = PersonFactory(trust=trust, gmc_number="1111111"), PersonFactory(trust=trust, gmc_number="2222222")
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(
        ["code", "title", "post_type", "pas_allocated", "has_job_description", "reports_to", "holder", "holder_start"]
    )
    ws.append(["CD1", "Clinical director, surgery", "clinical_director", 2, "yes", "MD", "1111111", "2025-04-01"])
    ws.append(["CD1", "Clinical director, surgery", "clinical_director", 2, "yes", "MD", "2222222", "2025-04-01"])
    ws.append(["MD", "Medical director", "Medical director / chief medical officer", 6, "yes", "", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    POSTS.apply(trust=trust, filename="posts.xlsx", content=buf.getvalue(), actor=md_user)
    cd = Post.objects.get(trust=trust, code="CD1")
    assert cd.reports_to == Post.objects.get(trust=trust, code="MD")
    assert set(Holding.objects.filter(post=cd).values_list("person", flat=True)) == {a.pk, b.pk}


def test_posts_import_errors_name_the_row(trust: Trust, md_user) -> None:
    content = (
        b"code,title,post_type,reports_to,holder,holder_start,pas_allocated\n"
        b"CD1,CD,clinical_director,NOPE,9999999,2025-04-01,2\n"
        b"CD2,CD two,dean,,,,lots\n"
    )
    plan = POSTS.plan(trust=trust, filename="p.csv", content=content)
    found = {(e.line, e.column) for e in plan.errors}
    assert {(2, "holder"), (3, "post_type"), (3, "pas_allocated")} <= found
    assert not Post.objects.exists()


def test_posts_import_refuses_a_reporting_loop_and_rolls_back(trust: Trust, md_user) -> None:
    existing = PostFactory(trust=trust, code="A", post_type=post_type("clinical_lead"))
    content = b"code,title,post_type,reports_to\nB,Bee,clinical_lead,A\nA,Ay,clinical_lead,B\n"
    with pytest.raises(ImportFailed) as failed:
        POSTS.apply(trust=trust, filename="p.csv", content=content, actor=md_user)
    assert any(e.column == "reports_to" and "loop" in e.reason for e in failed.value.plan.errors)
    assert not Post.objects.filter(code="B").exists()
    existing.refresh_from_db()
    assert existing.title != "Ay"


def test_upload_then_confirm_through_the_pages(trust: Trust, django_capture_on_commit_callbacks) -> None:
    from medlead.accounts.models import Role
    from tests.factories import make_user

    hr = make_user((Role.MEDICAL_STAFFING, trust))
    client = client_for(hr)
    SpecialtyFactory(trust=trust, name="Cardiology")
    upload = io.BytesIO(
        b"first_name,last_name,gmc_number,grade,specialty\nAda,Lovelace,1234567,consultant,Cardiology\n"
    )
    upload.name = "people.csv"
    response = client.post(f"/t/{trust.code}/import/people/", {"file": upload})
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/t/{trust.code}/import/{batch.pk}/"
    assert "Row 2: add Dr Ada Lovelace" in client.get(response["Location"]).content.decode()
    assert not Person.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response["Location"] + "confirm/")
    # a second confirm (a double click) does nothing
    client.post(response["Location"] + "confirm/")
    batch.refresh_from_db()
    assert batch.status == "applied"
    assert Person.objects.get().last_name == "Lovelace"


def test_doctor_cannot_import(doctor_user, trust: Trust) -> None:
    assert client_for(doctor_user).get(f"/t/{trust.code}/import/").status_code == 403
