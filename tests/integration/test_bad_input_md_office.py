"""Bad input to the actions of the medical director's office (concerns, rota, governance, fit and proper, awards):
an id that is not a number, an id from another record, a choice that is not offered, a number that is not finite.
Each answers a form error or a 400, never a server error, and changes nothing; a good post still works."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from medlead.accounts.models import Role, User
from medlead.awards import services as awards
from medlead.awards.models import Application
from medlead.concerns import services as concerns
from medlead.concerns.models import Case, CaseRole, Measure
from medlead.fitproper import services as fitproper
from medlead.fitproper.models import Assessment, Kind
from medlead.governance import services as governance
from medlead.governance.models import Action, Meeting, Metric, MetricValue
from medlead.organisation.models import BoardMember, Grade, Person, Trust
from medlead.rota import services as rota
from medlead.rota.models import ExceptionReport, RosterAbsence, RosterRequest, Rota, RotaMember
from tests.conftest import client_for
from tests.factories import HoldingFactory, PersonFactory, PostFactory, make_user, post_type

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)
NOT_AN_ID = ["abc", "", "-1", "1.5", "99999999999999999999", "NaN"]
NOT_FINITE = ["NaN", "nan", "inf", "-Infinity", "1e999999", "1e308"]


def refused(response: Any) -> None:
    """A form error (the page again, with the error summary) or a 400; never a server error or a redirect."""
    assert response.status_code in (200, 400), response.status_code
    if response.status_code == 200:
        assert "nhsuk-error-summary" in response.content.decode()


# ------------------------------------------------------------------------------------------------- concerns


@pytest.fixture
def md(trust: Trust) -> User:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    HoldingFactory(post=PostFactory(trust=trust, post_type=post_type("medical_director")), person=person)
    return make_user((Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), person=person)


def open_case(md: User, trust: Trust) -> Case:
    assert md.person is not None
    return concerns.case_open(
        actor=md,
        doctor=PersonFactory(trust=trust, grade=Grade.CONSULTANT),
        raised_by="Chief pharmacist",
        raised_on=dt.date(2026, 11, 2),
        categories=["capability"],
        source="incident",
        summary="Two incidents.",
        case_manager=md.person,
        today=TODAY,
    )


def test_a_case_refuses_ids_that_are_not_its_own_and_choices_it_does_not_offer(trust: Trust, md: User) -> None:
    case, other = open_case(md, trust), open_case(md, trust)
    start = TODAY - dt.timedelta(days=2)
    measure = concerns.measure_add(actor=md, case=case, kind="immediate", starts_on=start, review_by=TODAY)
    elsewhere = concerns.measure_add(actor=md, case=other, kind="immediate", starts_on=start, review_by=TODAY)
    role = concerns.role_appoint(actor=md, case=case, person=PersonFactory(trust=trust), role="hr_lead", today=TODAY)
    manager = case.roles.get(role="case_manager")
    client = client_for(md)
    url = f"/t/{trust.code}/concerns/{case.pk}/"
    # a measure is reviewed at its own address: another case's measure is not found there
    assert client.post(f"{url}measures/{elsewhere.pk}/review/", {"outcome": "lifted"}).status_code == 404
    assert client.post(f"{url}measures/{elsewhere.pk}/review/confirm/", {"outcome": "lifted"}).status_code == 404
    for bad in NOT_AN_ID:
        refused(client.post(f"{url}measures/{measure.pk}/review/", {"outcome": bad}))
        refused(client.post(f"{url}measures/{measure.pk}/review/confirm/", {"outcome": "changed", "kind": bad}))
    refused(client.post(f"{url}measures/{measure.pk}/review/", {"outcome": "abc"}))
    for bad in [*NOT_AN_ID, str(manager.pk)]:
        refused(client.post(f"{url}health-access/", {"role": bad, "allowed": "yes"}))
    refused(client.post(f"{url}health-access/", {"role": role.pk, "allowed": "abc"}))
    for bad in NOT_AN_ID:
        refused(client.post(f"{url}people/", {"person": bad, "role": "hr_lead"}))
        refused(client.post(f"{url}hand-over/", {"person": bad}))
    refused(client.post(f"{url}people/", {"person": role.person.gmc_number, "role": "abc"}))
    refused(client.post(f"{url}measures/", {"kind": "abc", "starts_on": "2026-11-30", "review_by": "2026-12-05"}))
    refused(client.post(f"{url}decision/", {"decision": "abc", "decision_reasons": "x", "decided_on": "2026-11-30"}))
    assert Measure.objects.filter(reviewed_on__isnull=False).count() == 0
    assert Measure.objects.count() == 2 and CaseRole.objects.filter(case=case).count() == 2
    assert not CaseRole.objects.get(pk=role.pk).health_access and Case.objects.get(pk=case.pk).decision == ""
    # a page is read, never posted to; the good posts still work
    assert client.post(url, {"action": "close"}).status_code == 405
    assert client.post(f"{url}measures/{measure.pk}/review/confirm/", {"outcome": "lifted"}).status_code == 302
    assert Measure.objects.get(pk=measure.pk).review_outcome == "lifted"
    assert client.post(f"{url}health-access/", {"role": role.pk, "allowed": "yes"}).status_code == 302
    assert CaseRole.objects.get(pk=role.pk).health_access
    assert client.get(f"{url}close/").status_code == 405


def test_a_refused_action_shows_the_case_again_with_what_was_typed(trust: Trust, md: User) -> None:
    case = open_case(md, trust)
    url = f"/t/{trust.code}/concerns/{case.pk}/"
    page = client_for(md).post(
        f"{url}measures/", {"kind": "immediate", "starts_on": "2026-11-20", "review_by": "2026-12-30", "details": "X"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "can last at most 14 days" in text and 'value="30"' in text and "Case " in text
    assert not Measure.objects.exists()


# ------------------------------------------------------------------------------------------------- rota


@pytest.fixture
def trainee(trust: Trust) -> Person:
    return PersonFactory(trust=trust, grade=Grade.SPECIALTY_REGISTRAR, gmc_number="1111111")


def test_an_exception_report_refuses_numbers_that_are_not_finite(trust: Trust, trainee: Person) -> None:
    supervisor = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    es = make_user((Role.DOCTOR, trust), person=supervisor)
    guardian = make_user((Role.GUARDIAN, trust))
    report = ExceptionReport.objects.create(
        trust=trust,
        doctor=trainee,
        supervisor=supervisor,
        occurred_on=dt.date(2026, 1, 20),
        kind="hours",
        extra_minutes=90,
        description="x",
        rules_version="v12",
        route="supervisor",
    )
    url = f"/t/{trust.code}/exception-reports/{report.pk}/"
    for bad in NOT_FINITE[:-1]:
        refused(client_for(es).post(f"{url}outcome/", {"outcome": "toil", "toil_hours": bad, "toil_by": "2026-01-30"}))
        refused(client_for(guardian).post(f"{url}fine/", {"fine_category": "rest_11h", "fine_hours": bad}))
        refused(client_for(guardian).post(f"{url}fine/", {"fine_category": "information_breach", "fine_amount": bad}))
    refused(client_for(es).post(f"{url}outcome/", {"outcome": "abc"}))
    refused(client_for(guardian).post(f"{url}fine/", {"fine_category": "abc", "fine_amount": "10"}))
    report.refresh_from_db()
    assert report.outcome == "" and report.fine_category == "" and report.fine_amount is None
    ok = client_for(es).post(f"{url}outcome/", {"outcome": "toil", "toil_hours": "1.5", "toil_by": "2026-01-30"})
    assert ok.status_code == 302
    assert ExceptionReport.objects.get(pk=report.pk).toil_hours == Decimal("1.5")


def test_rota_generation_refuses_ids_and_numbers_it_cannot_use(trust: Trust, trainee: Person) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    r = Rota.objects.create(trust=trust, name="Acute medicine")
    RotaMember.objects.create(trust=trust, rota=r, person=trainee)
    outsider = PersonFactory(trust=trust, grade=Grade.CORE_TRAINEE)
    url = f"/t/{trust.code}/rotas/{r.pk}/generate/"
    client = client_for(hr)
    monday = "2027-01-04"
    assert client.post(f"{url}absences/", {"person": trainee.pk}).status_code == 404  # no plan yet
    for bad in [*NOT_FINITE, "abc"]:
        plan = {"starts_on": monday, "weeks": bad, "template": "ward_day_long_night", "time_limit": "60"}
        refused(client.post(f"{url}plan/", plan))
    plan = {"starts_on": monday, "weeks": "2", "template": "ward_day_long_night", "time_limit": "30"}
    assert client.post(f"{url}plan/", plan).status_code == 302
    for bad in [*NOT_AN_ID, str(outsider.pk)]:
        absence = {"person": bad, "starts_on": monday, "ends_on": monday, "reason": "annual"}
        refused(client.post(f"{url}absences/", absence))
        refused(client.post(f"{url}requests/", {"person": bad, "on": monday, "wants": "off", "weight": "3"}))
    for bad in NOT_FINITE:
        refused(client.post(f"{url}requests/", {"person": trainee.pk, "on": monday, "wants": "off", "weight": bad}))
        refused(client.post(f"{url}again/", {"locked_weeks": bad}))
    refused(client.post(f"{url}needs/N/", {"N-needed": "1, 1, NaN, 1, 1, 1, 1"}))
    assert client.post(f"{url}needs/nothing/", {"nothing-needed": "1, 1, 1, 1, 1, 1, 1"}).status_code == 404
    assert not RosterAbsence.objects.exists() and not RosterRequest.objects.exists()
    good = {"person": trainee.pk, "starts_on": monday, "ends_on": monday, "reason": "annual"}
    assert client.post(f"{url}absences/", good).status_code == 302
    assert RosterAbsence.objects.count() == 1
    assert client.post(url, {"action": "generate"}).status_code == 405


def test_addresses_with_values_a_page_cannot_read_answer_400(trust: Trust, trainee: Person) -> None:
    hr = make_user((Role.MEDICAL_STAFFING, trust), (Role.GUARDIAN, trust))
    r = rota.rota_create(actor=hr, trust=trust, name="Nights")
    client = client_for(hr)
    for url in (
        f"/t/{trust.code}/rotas/{r.pk}/?week=abc",
        f"/t/{trust.code}/rotas/{r.pk}/?week=0001-01-01",
        f"/t/{trust.code}/rotas/{r.pk}/duties/new/?day=31/02/2026",
        f"/t/{trust.code}/exception-reports/?waiting=abc",
        f"/t/{trust.code}/exception-reports/?page=1e999999",
        f"/t/{trust.code}/guardian-report/?quarter=2026-Q9",
        f"/t/{trust.code}/guardian-report/pdf/?quarter=abc",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "medlead cannot read" in response.content.decode()
    assert client.get(f"/t/{trust.code}/rotas/{r.pk}/?week=2026-01-07").status_code == 200
    assert client.get(f"/t/{trust.code}/exception-reports/?waiting=me&page=2").status_code == 200


# ------------------------------------------------------------------------------------------------- governance


def test_the_boards_forms_refuse_numbers_that_are_not_finite_and_decisions_from_elsewhere(trust: Trust) -> None:
    md = make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust, grade=Grade.CONSULTANT))
    metric = governance.metric_create(
        actor=md, trust=trust, code="shmi", name="SHMI", definition="x", direction="down", section="quality_safety"
    )
    meeting = governance.meeting_create(actor=md, trust=trust, body="trust_board", on=TODAY)
    other = governance.meeting_create(actor=md, trust=trust, body="trust_board", on=TODAY + dt.timedelta(days=30))
    decision = governance.decision_add(actor=md, meeting=other, text="Elsewhere.")
    client = client_for(md)
    for bad in NOT_FINITE[:-1]:
        refused(client.post(f"/t/{trust.code}/board/metrics/shmi/value/", {"on": "2026-11-01", "value": bad}))
        new = {"name": "X", "code": "x", "definition": "x", "section": "quality_safety", "target": bad}
        refused(client.post(f"/t/{trust.code}/board/metrics/new/", {**new, "direction": "up", "frequency": "monthly"}))
    assert not MetricValue.objects.exists() and Metric.objects.count() == 1
    for bad in [*NOT_AN_ID, str(decision.pk)]:
        expected = 200 if bad == "" else 400  # no decision is an action of the meeting's own
        assert client.get(f"/t/{trust.code}/board/meetings/{meeting.pk}/action/?decision={bad}").status_code == expected
    for query in ("mine=abc", "closed=2", "mine=1e999999"):
        assert client.get(f"/t/{trust.code}/board/actions/?{query}").status_code == 400
    assert client.get(f"/t/{trust.code}/board/compare/?across=abc").status_code == 400
    assert not Action.objects.exists()
    ok = client.post(f"/t/{trust.code}/board/metrics/shmi/value/", {"on": "2026-11-01", "value": "1.02"})
    assert ok.status_code == 302 and MetricValue.objects.get(metric=metric).value == 1.02
    # the largest numbers a float holds are finite, and the charts still draw
    for day, value in (("2026-10-01", "1e308"), ("2026-09-01", "-1e308")):
        client.post(f"/t/{trust.code}/board/metrics/shmi/value/", {"on": day, "value": value})
    assert client.get(f"/t/{trust.code}/board/metrics/shmi/").status_code < 500
    assert client.get(f"/t/{trust.code}/board/").status_code < 500
    assert Meeting.objects.count() == 2


# ------------------------------------------------------------------------------------------------- fit and proper


def test_an_assessment_refuses_checks_and_decisions_it_does_not_offer(trust: Trust) -> None:
    cosec = make_user((Role.COMPANY_SECRETARY, trust), person=PersonFactory(trust=trust, kind="manager", grade=""))
    person = PersonFactory(trust=trust, kind="manager", grade="")
    member = BoardMember.objects.create(trust=trust, role="non_executive", person=person, start=dt.date(2024, 1, 15))
    member_user = make_user((Role.NON_EXECUTIVE, trust), person=person)
    a = fitproper.assessment_open(actor=cosec, member=member, kind=Kind.ANNUAL, year=2026, due_on=TODAY)
    url = f"/t/{trust.code}/fit-and-proper/assessments/{a.pk}/"
    check = {"check-done_on": "2026-11-30", "check-outcome": "satisfactory", "check-evidence": "Seen."}
    for bad in ("abc", "self_attestation", ""):
        refused(client_for(cosec).post(f"{url}checks/", {**check, "check-code": bad}))
    refused(
        client_for(cosec).post(f"{url}checks/", {**check, "check-code": "disqualified_directors", "check-outcome": "x"})
    )
    refused(client_for(member_user).post(f"{url}attestation/", {"attest-note": "x"}))  # not confirmed
    assert not a.checks.exists() and Assessment.objects.get(pk=a.pk).attested_on is None
    ok = client_for(cosec).post(f"{url}checks/", {**check, "check-code": "disqualified_directors"})
    assert ok.status_code == 302 and a.checks.count() == 1
    assert client_for(member_user).post(f"{url}attestation/", {"attest-confirm": "on"}).status_code == 302
    assert Assessment.objects.get(pk=a.pk).attested_on is not None
    assert client_for(cosec).post(url, {"action": "check"}).status_code == 405


# ------------------------------------------------------------------------------------------------- awards


def test_an_application_refuses_outcomes_it_does_not_offer(trust: Trust) -> None:
    md = make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust, grade=Grade.CONSULTANT))
    doctor = make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust, grade=Grade.CONSULTANT))
    assert doctor.person is not None
    app = awards.start(actor=doctor, person=doctor.person, round_year=2027, level="N1")
    url = f"/t/{trust.code}/awards/{app.pk}/"
    domains = {code: f"My work in {name.lower()}." for code, name in awards.domain_names().items()}
    refused(client_for(doctor).post(f"{url}submit/", {}))  # every domain is needed
    assert Application.objects.get(pk=app.pk).status == "draft"
    assert client_for(doctor).post(f"{url}submit/confirm/", domains).status_code == 302
    checks = {f"check_{q['code']}": q["answers"][-1] for q in awards.questions(trust, 2027)}
    refused(client_for(md).post(f"{url}verification/", {**checks, "check_truthful": "on"}))  # yes or no only
    refused(client_for(md).post(f"{url}verification/confirm/", {**checks, "check_truthful": "on"}))
    assert client_for(md).post(f"{url}verification/confirm/", {**checks, "statement": "A leader."}).status_code == 302
    for bad in ("abc", "N9", "1e999999"):
        refused(client_for(md).post(f"{url}outcome/", {"level_awarded": bad}))
    assert Application.objects.get(pk=app.pk).level_awarded == ""
    assert client_for(md).post(url, {"action": "outcome"}).status_code == 405
