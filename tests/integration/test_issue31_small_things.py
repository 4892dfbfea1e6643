"""Issue 31's "small things that add up", each as the user meets it: job planning, the rota plan, imports and the
structure health page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from medlead.accounts.models import Role
from medlead.core.actors import SystemActor
from medlead.imports.models import ImportBatch
from medlead.jobplans import services as jobplans
from medlead.jobplans.models import JobPlan
from medlead.jobplans.selectors import current_year
from medlead.organisation.models import Division, Grade, Person, Specialty, Trust
from medlead.rota import services as rota_services
from medlead.rota.models import RosterPlan, Rota, RotaMember
from tests.conftest import client_for, text_of
from tests.factories import (
    DivisionFactory,
    HoldingFactory,
    PersonFactory,
    PostFactory,
    SpecialtyFactory,
    make_clinical_director,
    make_user,
    post_type,
)
from tests.integration.test_import_pipeline import upload

SYSTEM = SystemActor("test set-up")

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------------------------- job planning


def test_an_activity_named_after_its_category_does_not_repeat_it(trust: Trust) -> None:
    consultant = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=SpecialtyFactory(trust=trust))
    plan = jobplans.plan_create(actor=SYSTEM, person=consultant, year=2026)
    for title, category, start, location in (
        ("Supporting professional activities", "spa", 9, ""),
        ("Outpatient clinic", "dcc", 13, "Main site"),
    ):
        jobplans.activity_add(
            actor=SYSTEM,
            plan=plan,
            version=JobPlan.objects.get(pk=plan.pk).version,
            category=category,
            title=title,
            frequency="weekly",
            weekday=0,
            start=dt.time(start),
            end=dt.time(start + 4),
            location=location,
        )
    cd = make_clinical_director(trust, consultant.specialty)
    page = text_of(client_for(cd).get(f"/t/{trust.code}/job-plans/{plan.pk}/").content.decode())
    assert "Supporting professional activities (Supporting professional activities)" not in page
    assert "09:00–13:00 Supporting professional activities: 1 PA" in page
    assert "13:00–17:00 Outpatient clinic (Direct clinical care, Main site): 1 PA" in page


# ------------------------------------------------------------------------------------------- rotas


def test_the_rota_plan_asks_how_long_to_search_in_minutes_and_keeps_seconds(trust: Trust) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    rota = Rota.objects.create(trust=trust, name="Acute medicine")
    RotaMember.objects.create(trust=trust, rota=rota, person=PersonFactory(trust=trust, grade=Grade.CORE_TRAINEE))
    url = f"/t/{trust.code}/rotas/{rota.pk}/generate/"
    client = client_for(hr)
    page = text_of(client.get(url).content.decode())
    assert "Time limit in seconds" not in page
    assert "How long to search for a better rota" in page
    for words in ("30 seconds", "1 minute", "5 minutes", "30 minutes", "1 hour"):
        assert words in page
    plan = {"starts_on": "2027-01-04", "weeks": "2", "template": "ward_day_long_night", "time_limit": "300"}
    assert client.post(f"{url}plan/", plan).status_code == 302
    assert RosterPlan.objects.get(rota=rota).time_limit == 300  # 5 minutes, kept in seconds
    refused = client.post(f"{url}plan/", plan | {"time_limit": "7"})  # not one of the times offered
    assert refused.status_code == 200 and RosterPlan.objects.get(rota=rota).time_limit == 300


def test_a_rota_with_no_duties_says_so_instead_of_compliant(trust: Trust) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    empty = rota_services.rota_create(actor=hr, trust=trust, name="Empty rota")
    worked = rota_services.rota_create(actor=hr, trust=trust, name="Worked rota")
    doctor = PersonFactory(trust=trust, grade=Grade.CORE_TRAINEE)
    RotaMember.objects.create(trust=trust, rota=worked, person=doctor)
    start = dt.datetime(2027, 1, 4, 9, tzinfo=dt.UTC)
    rota_services.duty_add(actor=hr, rota=worked, person=doctor, start=start, end=start + dt.timedelta(hours=8))
    client = client_for(hr)
    listing = text_of(client.get(f"/t/{trust.code}/rotas/").content.decode())
    assert "Empty rota" in listing and "Worked rota" in listing
    assert re.search(r"Empty rota .*?No shifts yet", listing)
    assert listing.count("Compliant") == 1  # the rota with a duty and no breach only
    page = text_of(client.get(f"/t/{trust.code}/rotas/{empty.pk}/").content.decode())
    assert "no shifts yet" in page and "compliant" not in page
    assert "compliant" in text_of(client.get(f"/t/{trust.code}/rotas/{worked.pk}/").content.decode())


# ------------------------------------------------------------------------------------------- imports

PEOPLE_HEADER = (
    "staff_number,gmc_number,grade,first_name,last_name,specialty,division,create_specialty,create_division\n"
)


@pytest.fixture
def cardiology(trust: Trust) -> Specialty:
    return SpecialtyFactory(trust=trust, division=DivisionFactory(trust=trust, name="Medicine"), name="Cardiology")


def test_a_typo_in_an_imported_specialty_is_a_row_error_with_the_nearest_name(
    trust: Trust, cardiology: Specialty
) -> None:
    client = client_for(make_user((Role.MEDICAL_STAFFING, trust)))
    typo = PEOPLE_HEADER + "E1,1234567,consultant,Ada,Lovelace,Cardiolgy,Medicine,,\n"
    response = client.post(f"/t/{trust.code}/import/people/", {"file": upload("typo.csv", typo)})
    page = text_of(client.get(response["Location"]).content.decode())
    assert "Row 2, column 'specialty': No specialty called 'Cardiolgy' — did you mean 'Cardiology'?" in page
    assert ImportBatch.objects.get().status == "invalid"
    # a division typed wrong when a row asks for a new specialty is the same kind of error
    new_in_typo = PEOPLE_HEADER + "E1,1234567,consultant,Ada,Lovelace,Cardiac surgery,Medcine,yes,\n"
    client.post(f"/t/{trust.code}/import/people/", {"file": upload("typo2.csv", new_in_typo)})
    errors = ImportBatch.objects.latest("pk").summary["errors"]
    assert errors[0]["column"] == "division"
    assert errors[0]["reason"].startswith("No division called 'Medcine' — did you mean 'Medicine'?")
    assert set(Specialty.objects.filter(trust=trust).values_list("name", flat=True)) == {"Cardiology"}
    assert set(Division.objects.filter(trust=trust).values_list("name", flat=True)) == {"Medicine"}


def test_a_row_that_asks_for_a_new_specialty_adds_it(
    trust: Trust, cardiology: Specialty, django_capture_on_commit_callbacks
) -> None:
    client = client_for(make_user((Role.MEDICAL_STAFFING, trust)))
    asked = (
        PEOPLE_HEADER + "E1,1234567,consultant,Ada,Lovelace,Cardiac surgery,Medicine,yes,\n"
        # the same new specialty, asked for on the row above
        "E2,2345678,consultant,Alan,Turing,Cardiac surgery,Medicine,,\n"
        "E3,3456789,consultant,Grace,Hopper,Neonatology,Children's services,yes,yes\n"
    )
    response = client.post(f"/t/{trust.code}/import/people/", {"file": upload("new.csv", asked)})
    batch = ImportBatch.objects.get()
    assert batch.summary["errors"] == []
    page = text_of(client.get(response["Location"]).content.decode())
    assert "Specialty Cardiac surgery in Medicine" in page and "Division Children's services" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/t/{trust.code}/import/{batch.pk}/confirm/")
    assert Person.objects.get(staff_number="E2").specialty.name == "Cardiac surgery"  # type: ignore[union-attr]
    assert Specialty.objects.get(trust=trust, name="Neonatology").division.name == "Children's services"


def test_the_esr_layout_page_shows_each_default_heading(trust: Trust) -> None:
    client = client_for(make_user((Role.MEDICAL_STAFFING, trust)))
    client.post(f"/t/{trust.code}/import/layouts/esr_staff/", {"gmc_number": "GMC Number"})  # the trust's own
    page = text_of(client.get(f"/t/{trust.code}/import/layouts/esr_staff/").content.decode())
    # every field's hint names medlead's default heading, from data/import_layouts.yaml
    for default in ("Employee Number", "First Name", "Last Name", "Registration Number", "Area of Work", "Staff Group"):
        assert f"medlead's default: {default}." in page
    assert 'value="GMC Number"' in client.get(f"/t/{trust.code}/import/layouts/esr_staff/").content.decode()


ESR = (
    "Employee Number,Last Name,First Name,Staff Group,Job Role,Area of Work,Organisation,Registration Number\n"
    "E1001,Okafor,Ngozi,Medical and Dental,Consultant,Cardiolgy,Medicine,7123456\n"
    "E1003,Evans,Siân,Medical and Dental,Specialty Registrar,Cardiology,Medicine,72345\n"
)


def test_an_esr_file_s_errors_name_its_own_columns_and_upload_another_keeps_the_layout(
    trust: Trust, cardiology: Specialty
) -> None:
    client = client_for(make_user((Role.MEDICAL_STAFFING, trust)))
    response = client.post(f"/t/{trust.code}/import/people/", {"layout": "esr_staff", "file": upload("e.csv", ESR)})
    batch = ImportBatch.objects.get()
    assert [(e["line"], e["column"]) for e in batch.summary["errors"]] == [
        (2, "Area of Work"),
        (3, "Registration Number"),
    ]
    html = client.get(response["Location"]).content.decode()
    assert "Row 2, column 'Area of Work': No specialty called 'Cardiolgy' — did you mean 'Cardiology'?" in text_of(html)
    again = re.search(r'href="([^"]+)">Upload another file', html)
    assert again is not None and again.group(1) == f"/t/{trust.code}/import/people/?layout=esr_staff"
    upload_page = client.get(again.group(1)).content.decode()
    assert re.search(r'<option value="esr_staff"\s+selected', upload_page)
    # an address naming no layout of this kind asks as usual
    plain = client.get(f"/t/{trust.code}/import/people/?layout=gmc_connect").content.decode()
    assert plain.count("selected") == client.get(f"/t/{trust.code}/import/people/").content.decode().count("selected")


def test_time_off_for_an_august_event_explains_the_rule_and_offers_payment(trust: Trust) -> None:
    """Time off in lieu is set within 4 weeks of the event (PL1): for an event on 4 August 2025, by 1 September
    2025. Once that has passed the page says so and offers the outcome that still pays for the hours."""
    trainee = PersonFactory(trust=trust, grade=Grade.CORE_TRAINEE)
    supervisor = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    es = make_user((Role.DOCTOR, trust), person=supervisor)
    report = rota_services.report_submit(
        actor=SYSTEM,
        doctor=trainee,
        supervisor=supervisor,
        occurred_on=dt.date(2025, 8, 4),
        kind="hours",
        extra_minutes=90,
        description="Stayed to hand over.",
    )
    url = f"/t/{trust.code}/exception-reports/{report.pk}/"
    client = client_for(es)
    page = text_of(client.get(url).content.decode())
    assert "for this event on 4 August 2025, by 1 September 2025" in page
    refused = client.post(f"{url}outcome/", {"outcome": "toil", "toil_hours": "1.5", "toil_by": "2025-10-01"})
    words = text_of(refused.content.decode())
    assert "That date has passed, so time off in lieu can no longer be set: agree payment for the extra hours" in words
    report.refresh_from_db()
    assert report.outcome == ""
    assert client.post(f"{url}outcome/", {"outcome": "payment"}).status_code == 302  # the way on
    report.refresh_from_db()
    assert report.outcome == "payment"


# ------------------------------------------------------------------------------------------- structure


def test_structure_health_says_what_the_md_post_allocates_and_what_the_holder_s_plan_gives(
    trust: Trust, md_user
) -> None:
    """Hand-made: the medical director post allocates 4 sessions; its holder's job plan this year gives the role 5
    (five mornings of 4 hours, a PA each)."""
    md = PostFactory(
        trust=trust, post_type=post_type("medical_director"), title="Medical director", pas_allocated=Decimal("4")
    )
    holder = PersonFactory(trust=trust, grade=Grade.CONSULTANT, first_name="Alice", last_name="Shaw")
    HoldingFactory(post=md, person=holder)
    plan = jobplans.plan_create(actor=SYSTEM, person=holder, year=current_year())
    for day in range(5):
        jobplans.activity_add(
            actor=SYSTEM,
            plan=plan,
            version=JobPlan.objects.get(pk=plan.pk).version,
            category="anr",
            title="Medical director",
            post=md,
            frequency="weekly",
            weekday=day,
            start=dt.time(9),
            end=dt.time(13),
        )
    page = text_of(client_for(md_user).get(f"/t/{trust.code}/structure/health/").content.decode())
    assert "Medical director: the post allocates 4 sessions a week" in page
    assert f"The post allocates 4; {holder.display_name}'s job plan gives it 5." in page
