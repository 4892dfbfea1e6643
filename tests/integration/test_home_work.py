"""Each person's trust page starts with what needs them, from the same rules as the module pages, in a fixed number
of queries whatever the size of the trust (issue 14, first part)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medlead.accounts.models import Role, RoleAssignment
from medlead.home.presenters import board_picture, work_for
from medlead.jobplans.models import JobPlan
from medlead.organisation.models import Grade, Trust
from medlead.rota.models import ExceptionReport
from tests.conftest import client_for
from tests.factories import PersonFactory, SpecialtyFactory, make_clinical_director, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)


def plans(trust: Trust, specialty, n: int, state: str = "agreed") -> None:
    for _ in range(n):
        person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=specialty)
        JobPlan.objects.create(trust=trust, person=person, year=2026, state=state)


def test_a_clinical_director_is_told_of_the_plans_in_their_specialty_waiting_for_them(trust: Trust) -> None:
    cardiology, respiratory = SpecialtyFactory(trust=trust), SpecialtyFactory(trust=trust)
    cd = make_clinical_director(trust, cardiology)
    plans(trust, cardiology, 2)
    plans(trust, respiratory, 3)  # not theirs
    plans(trust, cardiology, 1, state="discussion")  # not yet agreed
    work = work_for(cd, trust, today=TODAY)
    texts = {t.text: t.count for t in work}
    assert texts.get("job plans agreed by the doctor, waiting for your signature") == 2
    page = client_for(cd).get(f"/t/{trust.code}/").content.decode()
    assert "What needs you" in page and "2 job plans agreed by the doctor, waiting for your signature" in page
    assert "/job-plans/waiting/?state=agreed&amp;year=2026" in page
    # the link opens the list of exactly those plans
    listing = client_for(cd).get(f"/t/{trust.code}/job-plans/waiting/?state=agreed&year=2026").content.decode()
    assert listing.count('<tr class="nhsuk-table__row">') == 2


def test_medical_workforce_is_told_of_version_13_reports_and_a_doctor_of_nothing(trust: Trust) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    trainee = PersonFactory(trust=trust, grade=Grade.CORE_TRAINEE)
    ExceptionReport.objects.create(
        trust=trust,
        doctor=trainee,
        occurred_on=dt.date(2026, 11, 20),
        kind="hours",
        extra_minutes=60,
        description="x",
        rules_version="v13",
        route="medical_workforce",
        preferred="pay",
    )
    # (the national values awaiting the trust's confirmation are medical workforce's too: test_rulebook.py)
    assert [
        (t.text, t.count, t.urgent) for t in work_for(hr, trust, today=TODAY) if "national value" not in t.text
    ] == [("exception reports waiting for you to agree an outcome", 1, True)]
    # the list of one report waiting opens that report
    waiting = client_for(hr).get(f"/t/{trust.code}/exception-reports/?waiting=me")
    assert waiting.status_code == 302
    assert waiting["Location"] == f"/t/{trust.code}/exception-reports/{ExceptionReport.objects.get().pk}/"
    nobody = make_user((Role.NON_EXECUTIVE, trust))
    assert work_for(nobody, trust, today=TODAY) == []
    assert "Nothing needs you today." in client_for(nobody).get(f"/t/{trust.code}/").content.decode()


def test_the_list_costs_the_same_queries_for_a_small_and_a_large_trust(trust: Trust) -> None:
    cardiology = SpecialtyFactory(trust=trust)
    md = make_user((Role.MEDICAL_DIRECTOR, trust), (Role.RESPONSIBLE_OFFICER, trust), (Role.GUARDIAN, trust))
    cd = make_clinical_director(trust, cardiology)
    for user in (md, cd):
        work_for(user, trust, today=TODAY)  # roles and area are read once per request, then cached on the user
    counts = []
    for extra in (1, 25):
        plans(trust, cardiology, extra)
        plans(trust, cardiology, extra, state="signed_cd")
        for user in (md, cd):
            with CaptureQueriesContext(connection) as q:
                work_for(user, trust, today=TODAY)
            counts.append(len(q))
    assert counts[:2] == counts[2:], counts


def test_a_board_member_finds_the_board_reports_they_may_read_and_no_dead_ends(trust: Trust) -> None:
    ned = make_user((Role.NON_EXECUTIVE, trust))
    client = client_for(ned)
    page = client.get(f"/t/{trust.code}/").content.decode()
    for link in ("/structure/health/", "/revalidation/report/", "/guardian-report/"):
        assert f"/t/{trust.code}{link}" in page, link
        assert client.get(f"/t/{trust.code}{link}").status_code == 200, link
    for dead_end in ("/job-plans/", "/development/", "/leadership/", "/people/"):
        assert f'href="/t/{trust.code}{dead_end}"' not in page, dead_end


def test_the_board_sees_aggregates_only_in_fixed_queries(trust: Trust) -> None:
    cardiology = SpecialtyFactory(trust=trust)
    ned = make_user((Role.NON_EXECUTIVE, trust))
    plans(trust, cardiology, 3, state="signed")
    plans(trust, cardiology, 1, state="draft")
    figures = {f.label: f for f in board_picture(ned, trust, today=TODAY)}
    assert figures["Job plans signed off, 2026/27"].value == "3 of 4"
    assert figures["Job plans signed off, 2026/27"].url == ""  # the board sees the count, not the plans
    assert figures["Appraisal rate, 2026/27 so far"].url.endswith("/revalidation/report/")
    page = client_for(ned).get(f"/t/{trust.code}/").content.decode()
    assert "The board's picture" in page and "3 of 4" in page
    doctor = make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust))
    assert board_picture(doctor, trust, today=TODAY) == []
    assert "The board's picture" not in client_for(doctor).get(f"/t/{trust.code}/").content.decode()
    counts = []
    for extra in (1, 30):
        plans(trust, cardiology, extra, state="signed")
        with CaptureQueriesContext(connection) as q:
            board_picture(ned, trust, today=TODAY)
        counts.append(len(q))
    assert counts[0] == counts[1], counts


def test_someone_who_signs_at_two_stages_sees_both_in_one_list(trust: Trust) -> None:
    cardiology = SpecialtyFactory(trust=trust)
    both = make_clinical_director(trust, cardiology)
    RoleAssignment.objects.create(user=both, role=Role.MEDICAL_DIRECTOR, trust=trust)
    plans(trust, cardiology, 2, state="agreed")
    plans(trust, cardiology, 3, state="signed_cd")
    page = client_for(both).get(f"/t/{trust.code}/job-plans/?waiting=me&year=2026").content.decode()
    assert "5 plans waiting for you." in page


def test_the_board_picture_reads_concerns_in_fixed_queries_however_many_cases_are_under_investigation(
    trust: Trust,
) -> None:
    from medlead.concerns.models import Case, Investigation

    ned = make_user((Role.NON_EXECUTIVE, trust))

    def cases(n: int) -> None:
        for _ in range(n):
            case = Case.objects.create(
                trust=trust,
                doctor=PersonFactory(trust=trust, grade=Grade.CONSULTANT),
                raised_by="A colleague",
                raised_on=dt.date(2026, 10, 1),
                categories=["conduct"],
                source="colleague",
                summary="x",
            )
            Investigation.objects.create(
                trust=trust,
                case=case,
                terms_of_reference="x",
                started_on=dt.date(2026, 10, 10),
                report_due=dt.date(2026, 12, 10),
            )

    board_picture(ned, trust, today=TODAY)  # the roles are read once, then cached on the user
    counts, shown = [], []
    for extra in (3, 9):
        cases(extra)
        with CaptureQueriesContext(connection) as q:
            figures = {f.label: f for f in board_picture(ned, trust, today=TODAY)}
        counts.append(len(q))
        shown.append(figures["Concerns about practice (MHPS)"].detail)
    assert counts[0] == counts[1], counts
    # hand-counted: every open case has an investigation, so each is at that stage
    assert shown[0].startswith("Under investigation: 3.") and shown[1].startswith("Under investigation: 12."), shown
