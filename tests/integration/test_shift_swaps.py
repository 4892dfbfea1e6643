"""Shift swaps and give-aways (issue 32, ADR 0025), on a hand-made rota whose expected breach is worked by hand.

The rota (registrars A, B and C; D a core trainee; all on "Medical registrars"), from a Monday three weeks ahead:

- B works Monday to Saturday 08:00-18:00 (6 x 10 h = 60 h) and the next Thursday 08:00-18:00.
- A works Sunday 08:00-21:00 (13 h) and the next Wednesday 08:00-18:00.
- C works the next Tuesday and Friday 08:00-18:00; D works the next Friday 08:00-18:00 only.

A offers the Sunday. Given to B, the 168 hours from Monday 08:00 hold 60 + 13 = 73 hours: more than the 72-hour
limit of the 2016 terms (as amended in 2019), so the swap is refused with that rule named. No other rule is touched:
7 shifts in a row is the limit, not over it; 14 hours' rest before Sunday; one weekend in the two weeks; 83 hours'
rest before the next Thursday. Given to C, it breaks nothing (one weekend in C's two weeks), even in return for
C's Tuesday; had C no Friday, C's only week would be a weekend worked: more than 1 in 2.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from medlead.accounts.models import Role
from medlead.core import dates
from medlead.core.audit import AuditEvent
from medlead.core.policy import Forbidden
from medlead.organisation.models import Grade, Trust
from medlead.rota import swaps
from medlead.rota.models import Duty, Rota, RotaMember, ShiftSwap, SwapStatus
from medlead.rota.services import rota_check
from medlead.rulebook import services as rulebook
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db

RULE_72 = "no more than 72 hours' work in any 168 consecutive hours"


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def world(trust: Trust) -> dict[str, Any]:
    today = dates.today()
    monday = today + dt.timedelta(days=21 - today.weekday())
    rota = Rota.objects.create(trust=trust, name="Medical registrars")
    people = {
        name: PersonFactory(trust=trust, grade=grade, email=f"{name}@example.org", last_name=name.upper())
        for name, grade in [
            ("a", Grade.SPECIALTY_REGISTRAR),
            ("b", Grade.SPECIALTY_REGISTRAR),
            ("c", Grade.SPECIALTY_REGISTRAR),
            ("d", Grade.CORE_TRAINEE),
        ]
    }
    outsider = PersonFactory(trust=trust, grade=Grade.SPECIALTY_REGISTRAR)
    for p in people.values():
        RotaMember.objects.create(trust=trust, rota=rota, person=p)

    def duty(who: str, day: dt.date, start: int, end: int) -> Duty:
        return Duty.objects.create(trust=trust, rota=rota, person=people[who], start=_at(day, start), end=_at(day, end))

    for i in range(6):
        duty("b", monday + dt.timedelta(days=i), 8, 18)
    duty("b", monday + dt.timedelta(days=10), 8, 18)
    sunday = duty("a", monday + dt.timedelta(days=6), 8, 21)
    duty("a", monday + dt.timedelta(days=9), 8, 18)
    c_tuesday = duty("c", monday + dt.timedelta(days=8), 8, 18)
    duty("c", monday + dt.timedelta(days=11), 8, 18)
    duty("d", monday + dt.timedelta(days=11), 8, 18)
    rota_check(rota=rota)
    users = {name: make_user((Role.DOCTOR, trust), username=f"doc-{name}", person=p) for name, p in people.items()}
    users["outsider"] = make_user((Role.DOCTOR, trust), username="doc-outsider", person=outsider)
    users["hr"] = make_user((Role.MEDICAL_STAFFING, trust), username="hr-test")
    return {"rota": rota, "people": people, "users": users, "sunday": sunday, "c_tuesday": c_tuesday}


def test_the_72_hour_rule_refuses_the_swap_and_names_it(world: dict[str, Any]) -> None:
    a, b = world["users"]["a"], world["people"]["b"]
    trial = ShiftSwap(
        trust=world["rota"].trust,
        rota=world["rota"],
        offered_by=world["people"]["a"],
        duty=world["sunday"],
        duty_start=world["sunday"].start,
        duty_end=world["sunday"].end,
        to=b,
    )
    result = swaps.check_swap(trial, b)
    assert [(f.doctor, f.rule) for f in result.breaches] == [(b.display_name, "max_hours_in_168")]
    assert result.breaches[0].title == RULE_72
    assert "73 h worked within 168 consecutive hours; the limit is 72 h." in result.breaches[0].message
    assert result.breaches[0].source and "NHS Employers" in result.breaches[0].source

    with pytest.raises(ValidationError) as refused:
        swaps.swap_offer(actor=a, duty=world["sunday"], to=b)
    assert any(RULE_72 in m for m in refused.value.messages)
    assert not ShiftSwap.objects.exists()

    # on the page: the form again, with the rule named, and nothing saved
    page = client_for(a).post(
        f"/t/{world['rota'].trust.code}/swaps/offer/{world['sunday'].pk}/", {"to": b.pk, "kind": "give"}
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "This swap cannot be offered." in text and "no more than 72 hours&#39; work" in text
    assert not ShiftSwap.objects.exists()


def test_eligibility_same_rota_and_grade(world: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    people, users = world["people"], world["users"]
    eligibility = swaps.shift_eligibility(world["sunday"])
    assert eligibility.grades == [Grade.SPECIALTY_REGISTRAR]
    assert "same grade as you" in eligibility.words
    assert set(swaps.eligible_colleagues(world["sunday"], eligibility.grades)) == {people["b"], people["c"]}
    with pytest.raises(ValidationError):  # a core trainee may not take a registrar's shift
        swaps.swap_offer(actor=users["a"], duty=world["sunday"], to=people["d"])
    with django_capture_on_commit_callbacks(execute=True):
        swap = swaps.swap_offer(actor=users["a"], duty=world["sunday"])  # to anyone who may take it
    offered_to = sorted(address for m in mail.outbox for address in m.to)
    assert offered_to == ["b@example.org", "c@example.org"]
    assert swap in swaps.swaps_for_doctor(people["c"])
    assert swap not in swaps.swaps_for_doctor(people["d"])
    code = world["rota"].trust.code
    assert client_for(users["c"]).get(f"/t/{code}/swaps/{swap.pk}/").status_code == 200
    for name in ("d", "outsider"):  # another grade; not on the rota
        assert client_for(users[name]).get(f"/t/{code}/swaps/{swap.pk}/").status_code == 404
    with pytest.raises(Forbidden):
        swaps.swap_accept(actor=users["d"], swap=swap)
    # the first colleague who accepts takes it, once the engine has checked their rota: B cannot (72 hours)
    with pytest.raises(ValidationError) as refused:
        swaps.swap_accept(actor=users["b"], swap=swap)
    assert any(RULE_72 in m for m in refused.value.messages)
    swaps.swap_accept(actor=users["c"], swap=swap)
    swap.refresh_from_db()
    assert swap.status == SwapStatus.ACCEPTED and swap.taken_by == people["c"]
    with pytest.raises(Forbidden):  # taken: nobody else may answer it
        swaps.swap_accept(actor=users["b"], swap=swap)


def test_approval_moves_the_shifts_checks_the_rota_again_and_tells_both(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    people, users = world["people"], world["users"]
    swap = swaps.swap_offer(actor=users["a"], duty=world["sunday"], to=people["c"], in_return=world["c_tuesday"])
    with pytest.raises(Forbidden):  # the coordinator approves only what a colleague accepted
        swaps.swap_approve(actor=users["hr"], swap=swap)
    swaps.swap_accept(actor=users["c"], swap=swap)
    swap.refresh_from_db()
    assert swap.status == SwapStatus.ACCEPTED  # automatic approval is off by default
    assert list(swaps.waiting_for_approval(users["hr"], world["rota"].trust)) == [swap]
    checked = Rota.objects.get(pk=world["rota"].pk).checked_at
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        swaps.swap_approve(actor=users["hr"], swap=swap, version=swap.version)
    assert Duty.objects.get(pk=world["sunday"].pk).person == people["c"]
    assert Duty.objects.get(pk=world["c_tuesday"].pk).person == people["a"]
    swap.refresh_from_db()
    assert swap.status == SwapStatus.APPROVED and not swap.automatic
    rota = Rota.objects.get(pk=world["rota"].pk)
    assert rota.checked_at is not None and checked is not None and rota.checked_at > checked
    told = sorted(address for m in mail.outbox for address in m.to)
    assert told == ["a@example.org", "c@example.org"]
    moved = AuditEvent.objects.get(model="rota.duty", object_pk=str(world["sunday"].pk), action="update")
    assert moved.changes["person_id"] == [people["a"].pk, people["c"].pk]


def test_automatic_approval_when_the_trust_allows_it(world: dict[str, Any]) -> None:
    trust = world["rota"].trust
    rulebook.confirm(
        actor=make_user((Role.MEDICAL_DIRECTOR, trust), username="md-auto"),
        trust=trust,
        file="shift_swaps.yaml",
        key="automatic_approval",
        value=True,
        applies_from=dt.date(2026, 1, 1),
        document_title="Local agreement on rotas",
        document_date=dt.date(2026, 1, 1),
    )
    swap = swaps.swap_offer(actor=world["users"]["a"], duty=world["sunday"], to=world["people"]["c"])
    swaps.swap_accept(actor=world["users"]["c"], swap=swap)
    swap.refresh_from_db()
    assert swap.status == SwapStatus.APPROVED and swap.automatic
    assert Duty.objects.get(pk=world["sunday"].pk).person == world["people"]["c"]


def test_a_stale_offer_lapses_and_is_never_approved(world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    users = world["users"]
    swap = swaps.swap_offer(actor=users["a"], duty=world["sunday"], to=world["people"]["c"])
    swaps.swap_accept(actor=users["c"], swap=swap)
    # the coordinator moves the Sunday shift meanwhile
    Duty.objects.filter(pk=world["sunday"].pk).update(start=world["sunday"].start + dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:
        swaps.swap_approve(actor=users["hr"], swap=swap)
    assert "changed since the offer was made" in refused.value.messages[0]
    swap.refresh_from_db()
    assert swap.status == SwapStatus.LAPSED
    assert Duty.objects.get(pk=world["sunday"].pk).person == world["people"]["a"]

    # an offer whose shift has started lapses too
    other = swaps.swap_offer(actor=users["a"], duty=Duty.objects.get(pk=world["sunday"].pk), to=world["people"]["c"])
    monkeypatch.setattr(dates, "now", lambda: other.duty_start + dt.timedelta(minutes=5))
    with pytest.raises(ValidationError):
        swaps.swap_accept(actor=users["c"], swap=other)
    other.refresh_from_db()
    assert other.status == SwapStatus.LAPSED


def test_withdraw_only_before_acceptance_and_a_stale_version_is_refused(world: dict[str, Any]) -> None:
    users = world["users"]
    swap = swaps.swap_offer(actor=users["a"], duty=world["sunday"], to=world["people"]["c"])
    with pytest.raises(ValidationError):
        swaps.swap_accept(actor=users["c"], swap=swap, version=swap.version + 1)
    swaps.swap_withdraw(actor=users["a"], swap=swap)
    assert ShiftSwap.objects.get(pk=swap.pk).status == SwapStatus.WITHDRAWN
    again = swaps.swap_offer(actor=users["a"], duty=world["sunday"], to=world["people"]["c"])
    swaps.swap_accept(actor=users["c"], swap=again)
    with pytest.raises(Forbidden):
        swaps.swap_withdraw(actor=users["a"], swap=again)


def test_the_pages_from_offer_to_approval(world: dict[str, Any], django_assert_max_num_queries: Any) -> None:
    users, code = world["users"], world["rota"].trust.code
    a = client_for(users["a"])
    with django_assert_max_num_queries(40):
        listing = a.get(f"/t/{code}/swaps/")
    assert listing.status_code == 200 and f"/swaps/offer/{world['sunday'].pk}/" in listing.content.decode()
    form = {"to": world["people"]["c"].pk, "kind": "give"}
    check = a.post(f"/t/{code}/swaps/offer/{world['sunday'].pk}/", form)
    assert "Check your answers before you offer this shift" in check.content.decode()
    assert not ShiftSwap.objects.exists()
    done = a.post(f"/t/{code}/swaps/offer/{world['sunday'].pk}/confirm/", form, follow=True)
    assert "Shift offered" in done.content.decode()
    swap = ShiftSwap.objects.get()
    c = client_for(users["c"])
    page = c.get(f"/t/{code}/swaps/{swap.pk}/").content.decode()
    assert "Breaks no rule" in page and "Accept the shift" in page
    assert "Check your answers" in c.post(f"/t/{code}/swaps/{swap.pk}/accept/check/", {"version": 1}).content.decode()
    c.post(f"/t/{code}/swaps/{swap.pk}/accept/", {"version": 1})
    swap.refresh_from_db()
    assert swap.status == SwapStatus.ACCEPTED
    hr = client_for(users["hr"])
    waiting = hr.get(f"/t/{code}/swaps/?waiting=approval")  # one waiting: the task's link opens it
    assert waiting.status_code == 302 and waiting["Location"].endswith(f"/swaps/{swap.pk}/")
    hr.post(f"/t/{code}/swaps/{swap.pk}/approve/check/", {"version": swap.version})
    done = hr.post(f"/t/{code}/swaps/{swap.pk}/approve/", {"version": swap.version}, follow=True)
    assert "Swap approved" in done.content.decode()
    assert Duty.objects.get(pk=world["sunday"].pk).person == world["people"]["c"]
