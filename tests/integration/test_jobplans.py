"""Job planning in the app: workflow, concurrency, checks on the page, import, dashboard and export."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from medlead.accounts.models import Role
from medlead.core import dates
from medlead.core.actors import SystemActor
from medlead.core.audit import AuditEvent
from medlead.jobplans import services
from medlead.jobplans.models import Activity, JobPlan
from medlead.organisation.models import Grade, Person, Specialty, Trust
from medlead.structure.models import Holding
from tests.conftest import client_for
from tests.factories import (
    HoldingFactory,
    PersonFactory,
    PostFactory,
    SpecialtyFactory,
    make_clinical_director,
    make_user,
    post_type,
)

# The system, acting for the tests where no person does (set-up, workers).
SYSTEM = SystemActor("test set-up")

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(trust: Trust) -> Person:
    return PersonFactory(
        trust=trust,
        grade=Grade.CONSULTANT,
        email="c@example.org",
        specialty=SpecialtyFactory(trust=trust, name="Cardiology"),
    )


def week(plan: JobPlan, actor: Any = SYSTEM, spa: int = 2) -> None:
    for i in range(10):
        day, half = divmod(i, 2)
        services.activity_add(
            actor=actor,
            plan=plan,
            version=JobPlan.objects.get(pk=plan.pk).version,
            category="spa" if i < spa else "dcc",
            title=f"Session {i}",
            frequency="weekly",
            weekday=day,
            start=dt.time(9 if half == 0 else 13),
            end=dt.time(13 if half == 0 else 17),
        )


def test_workflow_from_draft_to_signed_off(trust: Trust, consultant: Person) -> None:
    doctor = make_user((Role.DOCTOR, trust), person=consultant)
    cd = make_clinical_director(trust, consultant.specialty)
    md = make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust))
    plan = services.plan_create(actor=cd, person=consultant, year=2026)
    week(plan, cd)
    plan.refresh_from_db()
    assert plan.pas_total == Decimal("10.00") and plan.pas_spa == Decimal("2.00")

    def move(user, to: str) -> int:
        p = JobPlan.objects.get(pk=plan.pk)
        return (
            client_for(user)
            .post(f"/t/{trust.code}/job-plans/{p.pk}/transition/", {"to": to, "version": p.version})
            .status_code
        )

    def sign(user) -> int:
        p = JobPlan.objects.get(pk=plan.pk)
        url = f"/t/{trust.code}/job-plans/{p.pk}/sign/confirm/"
        return client_for(user).post(url, {"version": p.version}).status_code

    assert move(doctor, "discussion") == 302
    assert sign(cd) == 403  # refused: not agreed yet, so not waiting for a signature
    assert move(cd, "signed_cd") == 302  # a signature is never one click: sent to its check page, nothing changed
    assert JobPlan.objects.get(pk=plan.pk).state == "discussion"
    assert move(cd, "agreed") == 403  # only the doctor agrees their own plan
    assert move(doctor, "agreed") == 302
    assert sign(doctor) == 403  # a doctor never signs their own plan
    assert sign(cd) == 302
    assert sign(md) == 302
    plan.refresh_from_db()
    assert plan.state == "signed" and plan.cd_signed_by == cd and plan.md_signed_by == md
    notes = set(AuditEvent.objects.filter(model="jobplans.jobplan", action="update").values_list("note", flat=True))
    assert {"job plan: discussion", "job plan: agreed", "job plan: signed_cd", "job plan: signed"} <= notes
    # the signed plan as a document that leaves the building: trust, doctor and GMC number, period, the whole plan,
    # and who agreed and signed when
    from tests.pdf_text import pdf_text

    text = pdf_text(client_for(md).get(f"/t/{trust.code}/job-plans/{plan.pk}/pdf/").content)
    today = dates.today().strftime("%-d %B %Y")
    assert cd.person is not None and md.person is not None
    for expected in (
        trust.name,
        f"GMC {consultant.gmc_number}",
        "1 April 2026 to 31 March 2027",
        "Direct clinical care",
        "On-call",
        "Objectives",
        "Agreement and sign-off",
        f"Clinical director {cd.person.display_name} {today}",
        f"Medical director (sign-off) {md.person.display_name} {today}",
        f"Doctor (agreed) {consultant.display_name} {today}",
        "Page 1 of",
    ):
        assert expected in text, expected
    with pytest.raises(ValidationError):
        services.activity_add(
            actor=md,
            plan=plan,
            version=plan.version,
            category="dcc",
            title="Late",
            frequency="weekly",
            weekday=5,
            start=dt.time(9),
            end=dt.time(13),
        )


def test_a_stale_edit_is_refused_and_loses_nothing(trust: Trust, consultant: Person) -> None:
    plan = services.plan_create(actor=SYSTEM, person=consultant, year=2026)
    opened_by_both = plan.version
    services.plan_update(actor=SYSTEM, plan=plan, version=opened_by_both, objectives="Reduce waiting times")
    with pytest.raises(ValidationError, match="Someone else changed this job plan"):
        services.plan_update(actor=SYSTEM, plan=plan, version=opened_by_both, objectives="Something else")
    assert JobPlan.objects.get(pk=plan.pk).objectives == "Reduce waiting times"


def test_stale_form_on_the_page_shows_the_conflict(trust: Trust, consultant: Person) -> None:
    cd = make_clinical_director(trust, consultant.specialty)
    plan = services.plan_create(actor=SYSTEM, person=consultant, year=2026)
    services.plan_update(actor=SYSTEM, plan=plan, version=plan.version, objectives="First")
    response = client_for(cd).post(
        f"/t/{trust.code}/job-plans/{plan.pk}/edit/",
        {
            "version": 1,
            "contracted_pas": "10",
            "objectives": "Second",
            "resources": "",
            "intends_to_return": "on",
        },
    )
    assert "Someone else changed this job plan" in response.content.decode()
    assert JobPlan.objects.get(pk=plan.pk).objectives == "First"


def test_plan_page_shows_checks_and_management_time(trust: Trust, consultant: Person) -> None:
    post = PostFactory(
        trust=trust,
        post_type=post_type("clinical_director"),
        title="Clinical director, cardiology",
        pas_allocated=Decimal("2"),
    )
    HoldingFactory(post=post, person=consultant)
    cd = make_clinical_director(trust, consultant.specialty)
    plan = services.plan_create(actor=SYSTEM, person=consultant, year=2026)
    week(plan, spa=1)
    html = client_for(cd).get(f"/t/{trust.code}/job-plans/{plan.pk}/").content.decode()
    assert "below the threshold of 1.5 for the consultant contract 2003" in html
    assert "Clinical director, cardiology: the plan has 0.00 PAs for it, the post allocates 2.00" in html
    pdf = client_for(cd).get(f"/t/{trust.code}/job-plans/{plan.pk}/pdf/")
    assert pdf.content.startswith(b"%PDF")


def test_activity_form_explains_bad_input(trust: Trust, consultant: Person) -> None:
    cd = make_clinical_director(trust, consultant.specialty)
    plan = services.plan_create(actor=SYSTEM, person=consultant, year=2026)
    response = client_for(cd).post(
        f"/t/{trust.code}/job-plans/{plan.pk}/activities/new/",
        {
            "version": plan.version,
            "category": "dcc",
            "title": "Clinic",
            "frequency": "weekly",
            "every_n_weeks": "1",
        },
    )
    assert "A timetabled activity needs a day, a start and an end." in response.content.decode()
    assert not Activity.objects.exists()


def test_doctor_sees_only_their_own_plan(trust: Trust, consultant: Person) -> None:
    other = services.plan_create(actor=SYSTEM, person=PersonFactory(trust=trust), year=2026)
    mine = services.plan_create(actor=SYSTEM, person=consultant, year=2026)
    doctor = make_user((Role.DOCTOR, trust), person=consultant)
    client = client_for(doctor)
    assert client.get(f"/t/{trust.code}/job-plans/{mine.pk}/").status_code == 200
    assert client.get(f"/t/{trust.code}/job-plans/{other.pk}/").status_code == 403
    assert client.get(f"/t/{trust.code}/job-plans/").status_code == 302  # to their own plan
    assert client.get(f"/t/{trust.code}/job-plans/export.csv").status_code == 403


def test_next_year_starts_as_a_copy(trust: Trust, consultant: Person) -> None:
    plan = services.plan_create(actor=SYSTEM, person=consultant, year=2026)
    week(plan)
    new = services.plan_copy_next_year(actor=SYSTEM, plan=plan)
    assert (
        new.year == 2027 and new.state == "draft" and new.activities.count() == 10 and new.pas_total == Decimal("10.00")
    )


def test_import_is_all_or_nothing_and_names_rows(trust: Trust, consultant: Person) -> None:
    good = (
        "doctor,year,category,title,frequency,weekday,start,end,annual_hours\n"
        f"{consultant.gmc_number},2026,dcc,Clinic,weekly,monday,09:00,13:00,\n"
        f"{consultant.gmc_number},2026,spa,Audit,annualised,,,,84\n"
    )
    bad = (
        good
        + f"{consultant.gmc_number},2026,dcc,Clinic,weekly,funday,09:00,,\n"
        + "9999999,2026,dcc,Clinic,weekly,monday,09:00,13:00,\n"
    )
    count, errors = services.plans_import(actor=SYSTEM, trust=trust, filename="p.csv", content=bad.encode())
    assert count == 0
    assert "row 4, column 'weekday': 'funday' is not a day of the week" in errors
    assert "row 5, column 'doctor': no doctor with GMC or staff number '9999999'" in errors
    assert not JobPlan.objects.exists()
    count, errors = services.plans_import(actor=SYSTEM, trust=trust, filename="p.csv", content=good.encode())
    assert (count, errors) == (2, [])
    plan = JobPlan.objects.get()
    assert plan.pas_dcc == Decimal("1.00") and plan.pas_spa == Decimal("0.50")


def test_dashboard_and_export(trust: Trust, consultant: Person) -> None:
    plan = services.plan_create(actor=SYSTEM, person=consultant, year=2026)
    week(plan)
    JobPlan.objects.filter(pk=plan.pk).update(state="signed")
    services.plan_create(actor=SYSTEM, person=PersonFactory(trust=trust, specialty=consultant.specialty), year=2026)
    md = make_user((Role.MEDICAL_DIRECTOR, trust))
    client = client_for(md)
    html = client.get(f"/t/{trust.code}/job-plans/?year=2026").content.decode()
    assert "1 of 2 job plans signed off (50%)" in html
    assert "Cardiology" in html and "<svg" in html
    csv_text = client.get(f"/t/{trust.code}/job-plans/export.csv?year=2026").content.decode()
    assert consultant.gmc_number in csv_text and "Signed off" in csv_text
    xlsx = client.get(f"/t/{trust.code}/job-plans/export.xlsx?year=2026")
    assert xlsx.content[:2] == b"PK"


def test_cd_cannot_sign_their_own_plan(trust: Trust, consultant: Person) -> None:
    HoldingFactory(
        post=PostFactory(trust=trust, post_type=post_type("clinical_director"), specialty=consultant.specialty),
        person=consultant,
    )
    user = make_user((Role.CLINICAL_DIRECTOR, trust), person=consultant)
    plan = services.plan_create(actor=SYSTEM, person=consultant, year=2026)
    JobPlan.objects.filter(pk=plan.pk).update(state="agreed")
    plan.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.transition(actor=user, plan=plan, to="signed_cd", version=plan.version)


def test_changing_premium_time_recomputes_stored_pas(trust: Trust, consultant: Person) -> None:
    from medlead.jobplans.models import JobPlanPolicy
    from medlead.jobplans.tasks import recompute_trust_plans

    plan = services.plan_create(actor=SYSTEM, person=consultant, year=2026)
    services.activity_add(
        actor=SYSTEM,
        plan=plan,
        version=plan.version,
        category="dcc",
        title="Evening list",
        frequency="weekly",
        weekday=1,
        start=dt.time(19),
        end=dt.time(22),
    )
    plan.refresh_from_db()
    assert plan.pas_dcc == Decimal("1.00")  # 3 h of premium time
    JobPlanPolicy.objects.create(trust=trust, premium_after=dt.time(22))
    assert recompute_trust_plans(trust.pk) == 1
    plan.refresh_from_db()
    assert plan.pas_dcc == Decimal("0.75")  # now 3 ordinary hours


def test_clinical_director_acts_only_in_the_specialties_their_post_covers(trust: Trust, consultant: Person) -> None:
    """A clinical director of respiratory medicine cannot sign, edit or open a cardiologist's plan; the
    cardiology clinical director can (issue 11: scope follows the structure)."""
    respiratory = SpecialtyFactory(trust=trust, name="Respiratory medicine")
    outside = make_clinical_director(trust, respiratory)
    inside = make_clinical_director(trust, consultant.specialty)
    plan = services.plan_create(actor=SYSTEM, person=consultant, year=2026)
    week(plan)
    JobPlan.objects.filter(pk=plan.pk).update(state="agreed")
    plan.refresh_from_db()
    url = f"/t/{trust.code}/job-plans/{plan.pk}/"
    assert client_for(outside).get(url).status_code == 403
    assert "sign plans in their own specialties only" not in client_for(inside).get(url).content.decode()
    with pytest.raises(PermissionDenied, match="a clinical director signs plans in their own specialties only"):
        services.transition(actor=outside, plan=plan, to="signed_cd", version=plan.version)
    response = client_for(outside).post(f"{url}sign/confirm/", {"version": plan.version})
    assert response.status_code == 403
    assert JobPlan.objects.get(pk=plan.pk).state == "agreed"
    services.transition(actor=inside, plan=plan, to="signed_cd", version=plan.version)
    assert JobPlan.objects.get(pk=plan.pk).state == "signed_cd"


def test_a_clinical_director_whose_post_has_ended_no_longer_acts_in_its_specialty(
    trust: Trust, consultant: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Their area is the posts they hold on the day they act: read again each day, not on the first day it is
    asked (the facts query is built once and given each day's date)."""
    cd = make_clinical_director(trust, consultant.specialty)
    today = dates.today()
    assert Holding.objects.filter(person__user=cd).update(end=today) == 1
    plan = services.plan_create(actor=SYSTEM, person=consultant, year=2026)
    url = f"/t/{trust.code}/job-plans/{plan.pk}/"
    assert client_for(cd).get(url).status_code == 200  # the post's last day
    monkeypatch.setattr(dates, "today", lambda: today + dt.timedelta(days=1))
    assert client_for(cd).get(url).status_code == 403


def test_a_cd_whose_post_names_only_a_division_covers_its_specialties(trust: Trust, consultant: Person) -> None:
    from tests.factories import DivisionFactory

    division = DivisionFactory(trust=trust)
    Specialty.objects.filter(pk=consultant.specialty_id).update(division=division)
    person = PersonFactory(trust=trust)
    HoldingFactory(
        post=PostFactory(trust=trust, post_type=post_type("clinical_director"), division=division), person=person
    )
    cd = make_user((Role.CLINICAL_DIRECTOR, trust), person=person)
    plan = services.plan_create(actor=SYSTEM, person=consultant, year=2026)
    assert client_for(cd).get(f"/t/{trust.code}/job-plans/{plan.pk}/").status_code == 200


def test_signing_a_plan_takes_a_fixed_small_number_of_queries(
    trust: Trust, consultant: Person, django_assert_max_num_queries
) -> None:
    """The confirmed signature as clinical director (it was 22 queries before the first fix; 22 again since the
    signature reads the plan's checks to refuse a plan that cannot be signed, issue 31; 23 since those checks read
    the values the trust has confirmed, issue 30). The count does not depend on the plan's size."""
    cd = make_clinical_director(trust, consultant.specialty)
    plan = services.plan_create(actor=SYSTEM, person=consultant, year=2026)
    week(plan)
    JobPlan.objects.filter(pk=plan.pk).update(state="agreed")
    plan = JobPlan.objects.get(pk=plan.pk)
    client = client_for(cd)
    client.get(f"/t/{trust.code}/")  # the session and the user are loaded once, as in a real browser
    with django_assert_max_num_queries(23):
        response = client.post(f"/t/{trust.code}/job-plans/{plan.pk}/sign/confirm/", {"version": plan.version})
    assert response.status_code == 302
    assert JobPlan.objects.get(pk=plan.pk).state == "signed_cd"


def test_job_plans_are_for_consultants_and_sas_doctors_and_management_time_for_posts_held(
    trust: Trust, consultant: Person
) -> None:
    trainee = PersonFactory(trust=trust, grade=Grade.SPECIALTY_REGISTRAR)
    with pytest.raises(ValidationError, match="not a consultant or SAS doctor"):
        services.plan_create(actor=SYSTEM, person=trainee, year=2026)
    plan = services.plan_create(actor=SYSTEM, person=consultant, year=2026)
    someone_elses = PostFactory(trust=trust, post_type=post_type("clinical_director"), title="CD, surgery")
    with pytest.raises(ValidationError, match="Choose a management post that"):
        services.activity_add(
            actor=SYSTEM,
            plan=plan,
            version=plan.version,
            category="anr",
            title="Clinical director",
            post=someone_elses,
            frequency="annualised",
            annual_hours=Decimal("84"),
        )
    HoldingFactory(post=someone_elses, person=consultant, start=dt.date(2024, 4, 1))
    services.activity_add(
        actor=SYSTEM,
        plan=plan,
        version=plan.version,
        category="anr",
        title="Clinical director",
        post=someone_elses,
        frequency="annualised",
        annual_hours=Decimal("84"),
    )
    assert plan.activities.filter(post=someone_elses).exists()


def test_public_holidays_of_the_job_plan_year_come_from_dated_data(trust: Trust) -> None:
    from medlead.jobplans.selectors import policy_for

    # 2026/27 (GOV.UK): Fri 3 Apr, Mon 6 Apr, Mon 4 May, Mon 25 May, Mon 31 Aug, Fri 25 Dec, Mon 28 Dec 2026,
    # Fri 1 Jan, Fri 26 Mar, Mon 29 Mar 2027
    assert policy_for(trust, year=2026).holidays_by_weekday == (6, 0, 0, 0, 4, 0, 0)


def test_specialty_doctors_and_specialists_are_judged_by_the_2021_contracts(trust: Trust, consultant: Person) -> None:
    from medlead.jobplans.selectors import plan_view

    sas = PersonFactory(trust=trust, grade=Grade.SPECIALTY_DOCTOR, specialty=consultant.specialty)
    plans = {p.grade: services._create(actor=SYSTEM, person=p, year=2026) for p in (consultant, sas)}
    for person in (consultant, sas):
        plan = plans[person.grade]
        # Monday 19:00-21:00: premium time under the consultant contract 2003, ordinary under the 2021 contracts
        # (NOT VERIFIED default: premium from 21:00); and 1 SPA, the 2021 contracts' threshold but not the trust's 1.5
        for title, category, start, end in (("Evening clinic", "dcc", 19, 21), ("SPA", "spa", 9, 13)):
            services.activity_add(
                actor=SYSTEM,
                plan=plan,
                version=JobPlan.objects.get(pk=plan.pk).version,
                category=category,
                title=title,
                frequency="weekly",
                weekday=0,
                start=dt.time(start),
                end=dt.time(end),
            )
    consultant_view = plan_view(plan=JobPlan.objects.get(pk=plans[Grade.CONSULTANT].pk))
    sas_view = plan_view(plan=JobPlan.objects.get(pk=plans[Grade.SPECIALTY_DOCTOR].pk))
    assert consultant_view["summary"].by_category["dcc"] == Decimal("0.67")  # 2 h / 3
    assert sas_view["summary"].by_category["dcc"] == Decimal("0.50")  # 2 h / 4
    assert any(f.check == "spa_below_threshold" for f in consultant_view["findings"])
    assert not any(f.check == "spa_below_threshold" for f in sas_view["findings"])
    assert "2021" in sas_view["policy"].contract


def test_the_list_of_plans_pages_through_every_plan(trust: Trust) -> None:
    specialty = SpecialtyFactory(trust=trust)
    for n in range(60):
        person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=specialty, last_name=f"Doctor{n:03d}")
        JobPlan.objects.create(trust=trust, person=person, year=2026)
    md = client_for(make_user((Role.MEDICAL_DIRECTOR, trust)))
    first = md.get(f"/t/{trust.code}/job-plans/?year=2026").content.decode()
    assert "60 plans." in first and "Page 1 of 2" in first and "Doctor000" in first and "Doctor055" not in first
    second = md.get(f"/t/{trust.code}/job-plans/?year=2026&page=2").content.decode()
    assert "Doctor055" in second and "Doctor000" not in second


def test_the_dashboard_counts_each_division_from_its_specialties_with_no_division_last(trust: Trust) -> None:
    from medlead.jobplans.selectors import dashboard
    from tests.factories import DivisionFactory, PersonFactory, SpecialtyFactory

    medicine, surgery = DivisionFactory(trust=trust, name="Medicine"), DivisionFactory(trust=trust, name="Surgery")
    cardiology = SpecialtyFactory(trust=trust, division=medicine, name="Cardiology")
    respiratory = SpecialtyFactory(trust=trust, division=medicine, name="Respiratory medicine")
    urology = SpecialtyFactory(trust=trust, division=surgery, name="Urology")
    # (specialty, state) for each plan of 2026; one plan of 2025 that must not count
    for specialty, state in [
        (cardiology, "signed"),
        (cardiology, "draft"),
        (respiratory, "signed"),
        (urology, "agreed"),
        (None, "signed"),
    ]:
        person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=specialty)
        JobPlan.objects.create(trust=trust, person=person, year=2026, state=state)
    JobPlan.objects.create(trust=trust, person=PersonFactory(trust=trust, specialty=urology), year=2025, state="signed")
    rows = [
        (r["person__specialty__division__name"], r["total"], r["signed"])
        for r in dashboard(trust=trust, year=2026)["by_division"]
    ]
    assert rows == [("Medicine", 3, 2), ("Surgery", 1, 0), (None, 1, 1)]
