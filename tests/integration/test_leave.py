"""Leave for resident doctors (issue 32): a doctor's request (notice, days), the coordinator's view of its effect on
cover and of the rota's rule check with the leave applied, against a hand-made rota with the answers written by
hand; approval removing the doctor's duties; a generated rota keeping approved leave; who may see what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from medlead.accounts.models import Role
from medlead.core import dates
from medlead.core.audit import AuditEvent
from medlead.leave import selectors, services
from medlead.leave.models import LeaveRecord, LeaveRequest, LeaveStatus
from medlead.organisation.models import Grade, Person, Trust
from medlead.rota import generation
from medlead.rota.models import Duty, PlanStatus, RosterPlan, Rota, RotaMember
from medlead.rota.services import rota_check
from tests.conftest import client_for
from tests.factories import PersonFactory, TrustFactory, make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 7)  # a Monday
TZ = timezone.get_current_timezone()


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dates, "today", lambda: TODAY)


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hh, mm)), TZ)


def duty(rota: Rota, person: Person, start: dt.datetime, hours: int) -> Duty:
    return Duty.objects.create(
        trust=rota.trust, rota=rota, person=person, start=start, end=start + dt.timedelta(hours=hours)
    )


MON = dt.date(2027, 1, 11)
TUE, FRI_AFTER = MON + dt.timedelta(1), MON + dt.timedelta(4)
FRI_BEFORE = MON - dt.timedelta(3)


@pytest.fixture
def ward(trust: Trust) -> dict[str, Any]:
    """A hand-made rota. A (who asks for Monday and Tuesday off) works Friday 8 January 08:00-17:00, a 14-hour
    long day on Monday 08:00-22:00 (longer than the 13 hours the rules allow), Tuesday night 20:00-08:00 and Friday
    15 January 08:00-17:00 (48 hours after the night). B works the same long day on Monday (the same breach) and
    Tuesday 09:00-18:00 (11 hours' rest after it); C Tuesday 09:00-18:00. The rota's plan says a long day (08:00,
    14 hours) needs 2 doctors on weekdays."""
    rota = Rota.objects.create(trust=trust, name="Acute medicine")
    a, b, c = (
        PersonFactory(trust=trust, grade=Grade.SPECIALTY_REGISTRAR, last_name=n, email=f"{n.lower()}@example.org")
        for n in ("Ash", "Birch", "Cedar")
    )
    for p in (a, b, c):
        RotaMember.objects.create(trust=trust, rota=rota, person=p)
    duty(rota, a, at(FRI_BEFORE, 8), 9)
    duty(rota, a, at(MON, 8), 14)
    duty(rota, a, at(TUE, 20), 12)
    duty(rota, a, at(FRI_AFTER, 8), 9)
    duty(rota, b, at(MON, 8), 14)
    duty(rota, b, at(TUE, 9), 9)
    duty(rota, c, at(TUE, 9), 9)
    RosterPlan.objects.create(
        trust=trust,
        rota=rota,
        starts_on=MON,
        weeks=1,
        template="ward_day_long_night",
        shifts=[{"code": "LD", "name": "Long day", "start": "08:00", "hours": 14, "needed": [2, 2, 2, 2, 2, 1, 1]}],
    )
    rota_check(rota=rota)
    a_user = make_user((Role.DOCTOR, trust), person=a)
    b_user = make_user((Role.DOCTOR, trust), person=b)
    hr = make_user((Role.MEDICAL_STAFFING, trust), email="rota@example.org")
    return {"rota": rota, "a": a, "b": b, "c": c, "a_user": a_user, "b_user": b_user, "hr": hr}


def ask(
    w: dict[str, Any], first: dt.date = MON, last: dt.date = TUE, kind: str = "annual", reason: str = ""
) -> LeaveRequest:
    return services.submit(
        actor=w["a_user"], person=w["a"], rota=w["rota"], kind=kind, first_day=first, last_day=last, reason=reason
    )


def test_a_request_counts_its_days_and_says_when_notice_is_short(ward: dict[str, Any]) -> None:
    short = ask(ward)  # Monday 11 January, 35 days after Monday 7 December: under six weeks
    assert (short.days, short.short_notice, short.status) == (2, True, LeaveStatus.WAITING)
    services.withdraw(actor=ward["a_user"], request=short)
    given = ask(ward, dt.date(2027, 1, 18), dt.date(2027, 1, 24))  # 42 days ahead: six weeks; a week = 5 days
    assert (given.days, given.short_notice) == (5, False)
    with pytest.raises(ValidationError, match="already have leave"):
        ask(ward, dt.date(2027, 1, 20), dt.date(2027, 1, 20))
    with pytest.raises(ValidationError, match="Say what the life event is"):
        ask(ward, dt.date(2027, 3, 1), dt.date(2027, 3, 1), kind="life_event")
    with pytest.raises(ValidationError, match="today or later"):
        ask(ward, dt.date(2026, 12, 1), dt.date(2026, 12, 1))


def test_the_coordinator_sees_the_effect_on_cover_day_by_day(ward: dict[str, Any]) -> None:
    leave = ask(ward)
    lines = selectors.cover_effect(leave)
    got = [
        (line.row.start, line.shift, line.row.others, line.row.needed, line.row.short, line.row.uncovered)
        for line in lines
    ]
    # by hand: Monday's long day has B besides A and needs 2 (1 short); Tuesday's night has nobody else and the plan
    # names no such shift (need unknown: left with nobody). The two Fridays are outside the leave.
    assert got == [
        (dt.datetime(2027, 1, 11, 8), "Long day", 1, 2, 1, True),
        (dt.datetime(2027, 1, 12, 20), "", 0, None, None, True),
    ]


def test_the_rule_check_with_the_leave_applied(ward: dict[str, Any]) -> None:
    check = selectors.rule_check(ask(ward))
    # by hand: now A's and B's 14-hour days break the 13-hour limit; without A's Monday and Tuesday only B's does.
    # A's average: 9 + 14 + 12 + 9 = 44 hours over the 2 weeks from Monday 4 January = 22.0; with the leave,
    # 9 + 9 = 18 hours = 9.0.
    assert (check.breaches_now, check.breaches_with_leave, check.resolved, check.new) == (2, 1, 1, [])
    assert (check.average_now, check.average_with_leave, check.duties_removed) == (22.0, 9.0, 2)


def test_approval_removes_the_doctors_duties_in_those_days_and_tells_them(
    ward: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        leave = ask(ward)
    assert [m.to for m in mail.outbox] == [["rota@example.org"]]  # the coordinator, once, with the link
    assert f"/t/{ward['rota'].trust.code}/leave/{leave.pk}/" in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(actor=ward["hr"], request=leave, approve=True)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED and leave.decided_by == ward["hr"]
    left = sorted(timezone.localtime(d.start).date() for d in Duty.objects.filter(rota=ward["rota"], person=ward["a"]))
    assert left == [FRI_BEFORE, FRI_AFTER]
    assert AuditEvent.objects.filter(action="delete", model="rota.duty").count() == 2
    assert ward["rota"].breaches.filter(person=ward["a"], warning=False).count() == 0
    assert ward["rota"].breaches.filter(person=ward["b"], warning=False).count() == 1
    assert [(m.to, m.subject) for m in mail.outbox] == [(["ash@example.org"], "Your leave request was approved")]


def test_life_event_leave_with_notice_cannot_be_refused(ward: dict[str, Any]) -> None:
    leave = ask(ward, dt.date(2027, 2, 1), dt.date(2027, 2, 1), kind="life_event", reason="My sister's wedding")
    assert services.guaranteed(leave)
    with pytest.raises(ValidationError, match="cannot be refused"):
        services.decide(actor=ward["hr"], request=leave, approve=False, reason="Busy week")
    page = client_for(ward["hr"]).get(f"/t/{ward['rota'].trust.code}/leave/{leave.pk}/").content.decode()
    assert 'value="approve"' in page and 'value="refuse"' not in page  # not offered


def test_a_refusal_needs_a_reason_and_a_doctor_may_ask_to_cancel_approved_leave(ward: dict[str, Any]) -> None:
    leave = ask(ward)
    with pytest.raises(ValidationError, match="Give the reason"):
        services.decide(actor=ward["hr"], request=leave, approve=False)
    services.decide(actor=ward["hr"], request=leave, approve=True)
    services.ask_cancel(actor=ward["a_user"], request=leave, reason="Plans changed")
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.CANCEL_ASKED
    services.decide(actor=ward["hr"], request=leave, approve=True)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.CANCELLED


def test_the_decision_is_checked_then_confirmed_and_nothing_is_saved_before(ward: dict[str, Any]) -> None:
    leave = ask(ward)
    hr, code = client_for(ward["hr"]), ward["rota"].trust.code
    page = hr.get(f"/t/{code}/leave/{leave.pk}/").content.decode()
    assert "Effect on cover" in page and "Short by 1" in page and "Nobody else" in page
    assert "with the leave applied" in page
    check = hr.post(f"/t/{code}/leave/{leave.pk}/decide/check/", {"decision": "approve", "reason": ""})
    text = check.content.decode()
    assert "Check your answers before you decide this leave request" in text
    assert "removes the doctor&#39;s 2 duties" in text or "removes the doctor's 2 duties" in text
    assert Duty.objects.filter(rota=ward["rota"], person=ward["a"]).count() == 4  # nothing saved yet
    done = hr.post(f"/t/{code}/leave/{leave.pk}/decide/", {"decision": "approve", "reason": ""})
    assert done.status_code == 302 and done["Location"].endswith(f"/leave/{leave.pk}/decided/")
    assert Duty.objects.filter(rota=ward["rota"], person=ward["a"]).count() == 2
    assert "What happens next" in hr.get(done["Location"]).content.decode()


def test_a_doctor_requests_leave_through_check_your_answers(ward: dict[str, Any]) -> None:
    doctor, code = client_for(ward["a_user"]), ward["rota"].trust.code
    answers = {
        "rota": ward["rota"].pk,
        "kind": "annual",
        "first_day": "2027-01-18",
        "last_day": "2027-01-19",
        "reason": "",
    }
    check = doctor.post(f"/t/{code}/leave/new/", answers).content.decode()
    assert "Check your answers before you send your leave request" in check and "At least 6 weeks" in check
    assert not LeaveRequest.objects.exists()
    done = doctor.post(f"/t/{code}/leave/new/confirm/", answers)
    leave = LeaveRequest.objects.get()
    assert done["Location"].endswith(f"/leave/{leave.pk}/sent/")
    assert "What happens next" in doctor.get(done["Location"]).content.decode()
    mine = doctor.get(f"/t/{code}/leave/").content.decode()
    assert "Waiting for a decision" in mine and "has not recorded" in mine  # no service recorded yet


def test_the_page_shows_remaining_entitlement_once_the_service_is_recorded(ward: dict[str, Any]) -> None:
    services.record_save(
        actor=ward["hr"], person=ward["a"], nhs_service_from=dt.date(2020, 8, 5), appointed_on=dt.date(2025, 8, 6)
    )
    services.decide(actor=ward["hr"], request=ask(ward), approve=True)  # Monday and Tuesday: 2 days
    allowance = selectors.allowance(ward["a"], TODAY)
    assert allowance.entitlement is not None and allowance.missing == []
    # six years' service: 32 days, 2 approved -> 30 remaining (leave year 6 August 2026 to 5 August 2027)
    assert (allowance.entitlement.annual, allowance.entitlement.remaining) == (Decimal(32), Decimal(30))
    page = client_for(ward["a_user"]).get(f"/t/{ward['rota'].trust.code}/leave/").content.decode()
    assert "30 days" in page and "6 August 2026 to 5 August 2027" in page
    assert LeaveRecord.objects.get(person=ward["a"]).nhs_service_from == dt.date(2020, 8, 5)


def test_a_doctor_sees_only_their_own_leave_and_another_trusts_coordinator_nothing(ward: dict[str, Any]) -> None:
    leave = ask(ward)
    code = ward["rota"].trust.code
    url = f"/t/{code}/leave/{leave.pk}/"
    other_trust = TrustFactory()
    other_hr = make_user((Role.MEDICAL_STAFFING, other_trust))
    guardian = make_user((Role.GUARDIAN, ward["rota"].trust))
    assert client_for(ward["a_user"]).get(url).status_code == 200
    assert client_for(ward["hr"]).get(url).status_code == 200
    assert client_for(ward["b_user"]).get(url).status_code == 404  # another doctor: as if it did not exist
    assert client_for(guardian).get(url).status_code == 404
    assert client_for(other_hr).get(url).status_code == 404
    assert client_for(other_hr).get(f"/t/{other_trust.code}/leave/{leave.pk}/").status_code == 404
    assert client_for(ward["b_user"]).post(f"{url}withdraw/", {}).status_code == 404
    assert client_for(ward["a_user"]).post(f"{url}decide/", {"decision": "approve"}).status_code == 403  # own


def test_the_coordinators_task_lands_on_the_waiting_requests_oldest_first(
    ward: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    later = ask(ward, dt.date(2027, 2, 1), dt.date(2027, 2, 2))
    older = ask(ward)
    LeaveRequest.objects.filter(pk=older.pk).update(created_at=at(TODAY - dt.timedelta(days=3), 9))
    hr = client_for(ward["hr"])
    home = hr.get(f"/t/{ward['rota'].trust.code}/").content.decode()
    assert "2 leave requests waiting for your decision" in home
    with django_assert_max_num_queries(20):
        page = hr.get(f"/t/{ward['rota'].trust.code}/leave/waiting/").content.decode()
    assert page.index("11 Jan") < page.index("1 Feb")  # the one waiting 3 days first
    assert "3 days" in page and later.pk


def test_a_generated_rota_leaves_the_doctor_off_on_approved_leave(
    trust: Trust, django_capture_on_commit_callbacks: Any
) -> None:
    rota = Rota.objects.create(trust=trust, name="Generated ward")
    people = [PersonFactory(trust=trust, grade=Grade.CORE_TRAINEE, last_name=f"Doctor{i}") for i in range(10)]
    for p in people:
        RotaMember.objects.create(trust=trust, rota=rota, person=p)
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    doctor = make_user((Role.DOCTOR, trust), person=people[0])
    monday = dt.date(2027, 1, 4)
    plan = generation.plan_save(
        actor=hr, rota=rota, starts_on=monday, weeks=2, template="ward_day_long_night", time_limit=30
    )
    leave = services.submit(
        actor=doctor,
        person=people[0],
        rota=rota,
        kind="annual",
        first_day=monday + dt.timedelta(1),
        last_day=monday + dt.timedelta(3),
    )
    services.decide(actor=hr, request=leave, approve=True)
    problem, _ = generation.problem_for(plan)
    assert {1, 2, 3} <= next(d for d in problem.doctors if d.id == str(people[0].pk)).unavailable
    with django_capture_on_commit_callbacks(execute=True):
        generation.generate_request(actor=hr, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DONE
    days_worked = {timezone.localtime(d.start).date() for d in Duty.objects.filter(rota=rota, person=people[0])}
    assert not days_worked & {monday + dt.timedelta(i) for i in (1, 2, 3)}
    assert Duty.objects.filter(rota=rota).exclude(person=people[0]).exists()
