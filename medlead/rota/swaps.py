"""Shift swaps and give-aways between resident doctors on one rota (issue 32, ADR 0025): reads and writes.

A doctor offers one of their future shifts to a named colleague or to anyone eligible, as a give-away or in return
for one of the colleague's shifts; the colleague accepts; the rota engine checks both doctors' rotas with the swap
applied (the same engine and rules as the rota's own check: ``selectors.rota_rules``, ``engine.check``), and a swap
that would break a rule is refused with the rule named; the rota coordinator approves, or the trust's setting
(``shift_swaps.yaml``, ``automatic_approval``) approves at once a swap that breaks no rule and keeps every shift
covered. On approval the shifts change hands (audited), the rota is checked again and both doctors are told.

An offer whose shift has started or changed since it was made lapses: every write checks the shifts' times and
doctors against those kept on the offer, so no stale swap is approved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from medlead.accounts.models import Role, User
from medlead.core import dates, notify
from medlead.core import services as core
from medlead.core.actors import SystemActor
from medlead.core.policy import Perm, can, person_id, require
from medlead.core.sources import cite
from medlead.organisation.models import Grade, Person
from medlead.rota import engine, selectors
from medlead.rota.models import Duty, DutyKind, RosterPlan, RotaMember, ShiftSwap, SwapStatus
from medlead.rota.permissions import swap_eligible
from medlead.rota.services import rota_check
from medlead.rulebook.selectors import value_for

SETTINGS_FILE = "shift_swaps.yaml"
AUTOMATIC_APPROVAL = "automatic_approval"
# A swap in return for a colleague's shift offers their shifts this close to the offered one (keeps the list short).
IN_RETURN_WITHIN = dt.timedelta(days=14)
LIVE = (SwapStatus.OFFERED, SwapStatus.ACCEPTED)

# Each rule of the rota rule sets named in plain words, from its own values (data/rota_rules/).
RULE_TITLES: dict[str, str] = {
    "max_avg_weekly_hours": "no more than {limit_hours:g} hours' work a week on average",
    "max_hours_in_168": "no more than {limit_hours:g} hours' work in any 168 consecutive hours",
    "max_shift_length": "no shift longer than {limit_hours:g} hours",
    "min_rest_between_shifts": "at least {min_hours:g} hours' rest between shifts",
    "max_consecutive_shifts": "no more than {limit} shifts in a row",
    "rest_after_consecutive_shifts": "{min_hours:g} hours' rest after the most shifts allowed in a row",
    "max_consecutive_long_shifts": "no more than {limit} long shifts in a row",
    "rest_after_long_shifts": "{min_hours:g} hours' rest after the most long shifts allowed in a row",
    "max_consecutive_nights": "no more than {limit} night shifts in a row",
    "rest_after_nights": "{min_hours:g} hours' rest after night shifts",
    "max_consecutive_long_evenings": "no more than {limit} long evening shifts in a row",
    "rest_after_long_evenings": "{min_hours:g} hours' rest after the most long evening shifts allowed in a row",
    "max_weekend_frequency": "no more than 1 weekend in {max_fraction[1]}",
    "max_on_call_length": "no on-call period longer than {limit_hours:g} hours",
    "max_on_calls_in_7_days": "no more than {limit} on-call periods in any 7 consecutive days",
    "consecutive_on_calls": "no on-call periods on consecutive days except Friday to Sunday",
    "max_shift_after_on_call": "no shift longer than {limit_hours:g} hours after an on-call period",
    "non_resident_rest_total": "{min_hours:g} hours' rest in every {per_hours:g} hours of non-resident on-call",
    "non_resident_rest_continuous": "{min_hours:g} hours' continuous rest overnight during non-resident on-call",
}


def rule_title(rules: engine.RuleSet, rule: str) -> str:
    """A rule in plain words with the values the rota is judged by ("no more than 72 hours' work in any 168
    consecutive hours")."""
    try:
        return RULE_TITLES[rule].format(**rules.rules[rule])
    except (KeyError, IndexError, ValueError, TypeError):
        return rule.replace("_", " ")


# ------------------------------------------------------------------------------------------- eligibility


@dataclass(frozen=True)
class Eligibility:
    grades: list[str]
    words: str  # what eligibility means for this shift, in plain words


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment)


def shift_eligibility(duty: Duty) -> Eligibility:
    """Who may take ``duty``: a colleague on the same rota of the grade the rota's shift pattern asks for on this
    shift, where its plan names grades; else of the same grade as the doctor whose shift it is."""
    plan = RosterPlan.objects.filter(rota_id=duty.rota_id).only("shifts").first()
    start = _local(duty.start)
    length = (duty.end - duty.start).total_seconds() / 3600
    for shift in plan.shifts if plan else []:
        try:
            same = shift.get("start") == f"{start:%H:%M}" and abs(float(shift.get("hours", 0)) - length) < 0.01
        except (TypeError, ValueError):
            same = False
        if same and shift.get("grades"):
            grades = [str(g) for g in shift["grades"]]
            named = ", ".join(str(Grade(g).label) if g in Grade.values else g for g in grades)
            return Eligibility(
                grades,
                f"doctors on this rota of a grade its shift pattern asks for on the {shift['name']} shift: {named}",
            )
    grade = duty.person.grade
    if not grade:
        return Eligibility([], "any doctor on this rota")
    return Eligibility([grade], f"doctors on this rota of the same grade as you: {Grade(grade).label}")


def eligible_colleagues(duty: Duty, grades: Iterable[str]) -> QuerySet[Person]:
    wanted = list(grades)
    people = Person.objects.filter(rota_memberships__rota_id=duty.rota_id).exclude(pk=duty.person_id)
    if wanted:
        people = people.filter(grade__in=wanted)
    return people.order_by("last_name", "first_name")


# ------------------------------------------------------------------------------------------- the rule check


@dataclass(frozen=True)
class Finding:
    doctor: str
    rule: str
    title: str  # the rule in plain words
    message: str
    source: str  # its sources as people read them
    start: dt.datetime
    end: dt.datetime


@dataclass
class SwapCheck:
    """The rota engine's verdict on a swap: the breaches it would add to either doctor's rota, and any shift it
    would leave uncovered."""

    rules_name: str
    breaches: list[Finding] = field(default_factory=list)
    cover: list[str] = field(default_factory=list)

    @property
    def breaks_no_rule(self) -> bool:
        return not self.breaches

    @property
    def keeps_cover(self) -> bool:
        return not self.cover

    @property
    def clean(self) -> bool:
        return self.breaks_no_rule and self.keeps_cover

    def problems(self) -> list[str]:
        """Why the swap cannot go ahead, one sentence each: the rule named with its source, or the cover lost."""
        out = [f"{f.doctor} would break the rule: {f.title}. {f.message} Source: {f.source}." for f in self.breaches]
        return out + self.cover


def _moves(swap: ShiftSwap, taker: Person) -> dict[int, int]:
    moves = {swap.duty_id: taker.pk} if swap.duty_id else {}
    if swap.in_return_id:
        moves[swap.in_return_id] = swap.offered_by_id
    return moves


def check_swap(swap: ShiftSwap, taker: Person) -> SwapCheck:
    """Check both doctors' rotas with the swap applied, by the rules that judge the rota (those of its own check):
    the breaches for either doctor the rota does not already have, and any shift left uncovered (a doctor due at two
    places at once, or a shift given to a doctor of a grade it does not allow)."""
    rota = swap.rota
    rules = selectors.rota_rules(rota=rota)
    doctors = {str(swap.offered_by_id): swap.offered_by, str(taker.pk): taker}

    def found(moves: Mapping[int, int]) -> list[engine.Breach]:
        report = engine.check(engine.Rota.from_duties(selectors.rota_duties(rota=rota, moves=moves)), rules)
        return [b for b in report.breaches if b.doctor in doctors]

    before = {(b.doctor, b.rule, b.start, b.end) for b in found({})}
    result = SwapCheck(rules.name)
    for b in found(_moves(swap, taker)):
        if (b.doctor, b.rule, b.start, b.end) in before:
            continue
        result.breaches.append(
            Finding(
                doctors[b.doctor].display_name,
                b.rule,
                rule_title(rules, b.rule),
                b.message,
                cite(rules.source(b.rule)),
                b.start,
                b.end,
            )
        )
    result.cover = _cover_lost(swap, taker)
    return result


def _cover_lost(swap: ShiftSwap, taker: Person) -> list[str]:
    out = []
    given = [(swap.duty_start, swap.duty_end, taker, swap.in_return_id)]
    if swap.is_swap and swap.in_return_start and swap.in_return_end:
        given.append((swap.in_return_start, swap.in_return_end, swap.offered_by, swap.duty_id))
    for start, end, person, leaving in given:
        overlapping = Duty.objects.filter(person=person, start__lt=end, end__gt=start).exclude(
            kind=DutyKind.ON_CALL_WORK
        )
        clash = (overlapping.exclude(pk=leaving) if leaving else overlapping).exists()
        if clash:
            out.append(
                f"{person.display_name} already works at {_local(start):%H:%M} on {_local(start):%A %-d %B}: one of "
                "the two shifts would be left uncovered."
            )
    if swap.is_swap and swap.in_return:
        allowed = shift_eligibility(swap.in_return).grades
        if allowed and swap.offered_by.grade not in allowed:
            out.append(f"{swap.offered_by.display_name} is not of a grade that may work the shift asked in return.")
    return out


# ------------------------------------------------------------------------------------------- reads


def _swaps(trust_id: int) -> QuerySet[ShiftSwap]:
    return ShiftSwap.objects.filter(trust_id=trust_id).select_related(
        "rota", "offered_by", "to", "taken_by", "duty", "in_return", "trust"
    )


def swaps_for_doctor(person: Person) -> list[ShiftSwap]:
    """The doctor's shift swaps for My rota: those they are party to (live ones, and any decided in the last four
    weeks), then the open offers on their rotas they could take. Three queries, whatever the numbers."""
    since = dates.now() - dt.timedelta(weeks=4)
    mine = Q(offered_by=person) | Q(to=person) | Q(taken_by=person)
    party = list(
        _swaps(person.trust_id)
        .filter(mine)
        .filter(Q(status__in=LIVE) | Q(updated_at__gte=since))
        .order_by("duty_start")
    )
    rotas = RotaMember.objects.filter(person=person).values("rota_id")
    open_offers = [
        s
        for s in _swaps(person.trust_id)
        .filter(status=SwapStatus.OFFERED, to__isnull=True, rota_id__in=rotas, duty_start__gt=dates.now())
        .exclude(offered_by=person)
        .order_by("duty_start")
        if not s.grades or person.grade in s.grades
    ]
    return party + [s for s in open_offers if s not in party]


def offers_to_answer(person: Person) -> QuerySet[ShiftSwap]:
    """Offers made to this doctor by name, still waiting for their answer, the oldest first."""
    return (
        _swaps(person.trust_id)
        .filter(to=person, status=SwapStatus.OFFERED, duty_start__gt=dates.now())
        .order_by("created_at", "pk")
    )


def waiting_for_approval(actor: Any, trust: Any) -> QuerySet[ShiftSwap]:
    """The accepted swaps waiting for ``actor`` as rota coordinator, the longest waiting first (none they are party
    to: nobody approves their own swap)."""
    if not can(actor, Perm.MANAGE_ROTAS, trust):
        return ShiftSwap.objects.none()
    waiting = _swaps(trust.pk).filter(status=SwapStatus.ACCEPTED).order_by("accepted_at", "pk")
    pid = person_id(actor)
    return waiting.exclude(Q(offered_by_id=pid) | Q(taken_by_id=pid)) if pid is not None else waiting


def offerable_duties(person: Person) -> list[Duty]:
    """The doctor's shifts to come that they may offer: not started, and not already on a live offer."""
    taken = ShiftSwap.objects.filter(trust_id=person.trust_id, status__in=LIVE)
    busy = set(taken.values_list("duty_id", flat=True)) | set(taken.values_list("in_return_id", flat=True))
    duties = (
        Duty.objects.filter(person=person, start__gt=dates.now())
        .exclude(kind=DutyKind.ON_CALL_WORK)
        .select_related("rota")
        .order_by("start")
    )
    return [d for d in duties if d.pk not in busy]


def in_return_choices(duty: Duty, colleague: Person | None = None) -> QuerySet[Duty]:
    """The colleagues' shifts a doctor may ask for in return: on the same rota, not started, within two weeks of the
    offered shift, and not already on a live offer."""
    taken = ShiftSwap.objects.filter(trust_id=duty.trust_id, status__in=LIVE)
    qs = (
        Duty.objects.filter(
            rota_id=duty.rota_id,
            start__gt=dates.now(),
            start__gte=duty.start - IN_RETURN_WITHIN,
            start__lte=duty.start + IN_RETURN_WITHIN,
        )
        .exclude(person_id=duty.person_id)
        .exclude(kind=DutyKind.ON_CALL_WORK)
        .exclude(pk__in=taken.values("duty_id"))
        .exclude(pk__in=taken.exclude(in_return__isnull=True).values("in_return_id"))
        .select_related("person")
        .order_by("start", "person__last_name")
    )
    return qs.filter(person=colleague) if colleague is not None else qs


def lapse_reason(swap: ShiftSwap) -> str:
    """Why a live offer can no longer go ahead (a shift started, changed or changed hands since), or ""."""
    if not swap.live:
        return ""
    now = dates.now()
    duty = swap.duty
    if duty is None or (duty.person_id, duty.start, duty.end) != (swap.offered_by_id, swap.duty_start, swap.duty_end):
        return "The offered shift has changed since the offer was made, so the offer has lapsed."
    if swap.duty_start <= now:
        return "The offered shift has started, so the offer has lapsed."
    if swap.is_swap:
        back = swap.in_return
        owner = swap.to_id
        if back is None or (back.person_id, back.start, back.end) != (owner, swap.in_return_start, swap.in_return_end):
            return "The shift asked in return has changed since the offer was made, so the offer has lapsed."
        if back.start <= now:
            return "The shift asked in return has started, so the offer has lapsed."
    return ""


def automatic_approval(trust: Any) -> bool:
    """Whether the trust approves at once a swap that breaks no rule and keeps cover (its setting; off unless it says
    otherwise)."""
    return value_for(trust, SETTINGS_FILE, AUTOMATIC_APPROVAL, dates.today()).value is True


def describe_shift(start: dt.datetime, end: dt.datetime) -> str:
    s, e = _local(start), _local(end)
    return f"{s:%A %-d %B %Y}, {s:%H:%M} to {e:%H:%M}"


# ------------------------------------------------------------------------------------------- writes


def _coordinators(trust_id: int) -> list[str]:
    return list(
        User.objects.filter(
            role_assignments__role=Role.MEDICAL_STAFFING, role_assignments__trust_id=trust_id, is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _url_words(swap: ShiftSwap) -> str:
    return f"the shift of {describe_shift(swap.duty_start, swap.duty_end)} on {swap.rota.name}"


@transaction.atomic
def swap_offer(*, actor: Any, duty: Duty, to: Person | None = None, in_return: Duty | None = None) -> ShiftSwap:
    """A doctor offers one of their future shifts: to ``to`` (a colleague on the same rota of a grade that may work
    it) or to anyone eligible; with ``in_return``, as a swap for one of that colleague's shifts. A named swap that
    would break a rule or leave a shift uncovered is refused with the rule named."""
    duty = Duty.objects.select_for_update().select_related("rota", "person").get(pk=duty.pk)
    require(actor, Perm.OFFER_SWAP, duty)
    if ShiftSwap.objects.filter(Q(duty=duty) | Q(in_return=duty), status__in=LIVE).exists():
        raise ValidationError("This shift is already on an offer that is waiting; withdraw that one first.")
    eligibility = shift_eligibility(duty)
    if in_return is not None and to is None:
        raise ValidationError({"in_return": "Choose the colleague whose shift you ask for in return."})
    if to is not None and not eligible_colleagues(duty, eligibility.grades).filter(pk=to.pk).exists():
        raise ValidationError({"to": f"Choose a colleague who may take this shift: {eligibility.words}."})
    if in_return is not None and not in_return_choices(duty, to).filter(pk=in_return.pk).exists():
        raise ValidationError({"in_return": "Choose one of their shifts to come, within two weeks of yours."})
    swap = ShiftSwap(
        trust_id=duty.trust_id,
        rota=duty.rota,
        offered_by=duty.person,
        duty=duty,
        duty_start=duty.start,
        duty_end=duty.end,
        to=to,
        in_return=in_return,
        in_return_start=in_return.start if in_return else None,
        in_return_end=in_return.end if in_return else None,
        grades=eligibility.grades,
    )
    if to is not None:
        result = check_swap(swap, to)
        if not result.clean:
            raise ValidationError(["This swap cannot be offered.", *result.problems()])
    swap = core.create(actor=actor, obj=swap)
    who = [to] if to is not None else list(eligible_colleagues(duty, eligibility.grades))
    notify.email_people(
        who,
        subject="A shift offered to you" if to else "A shift on your rota is offered to anyone who can take it",
        body=f"{duty.person.display_name} offers {_url_words(swap)}"
        + (f", in return for your shift of {describe_shift(in_return.start, in_return.end)}" if in_return else "")
        + ". Answer in medlead, under Shift swaps.",
    )
    return swap


def _lapse_if_stale(swap: ShiftSwap) -> None:
    """Mark a live offer whose shifts started or changed as lapsed (kept, whatever happens next), and refuse."""
    why = lapse_reason(swap)
    if why:
        with transaction.atomic():
            core.update(
                actor=SystemActor("a shift swap lapsed"),
                obj=swap,
                data={"status": SwapStatus.LAPSED, "reason": why[:500], "version": swap.version + 1},
            )
        raise ValidationError(why)


def _locked(swap: ShiftSwap) -> ShiftSwap:
    return (
        ShiftSwap.objects.select_for_update(of=("self",))
        .select_related("rota", "offered_by", "to", "taken_by", "duty", "in_return", "trust")
        .get(pk=swap.pk)
    )


def _stale_version(swap: ShiftSwap, version: int | None) -> None:
    if version is not None and version != swap.version:
        raise ValidationError("This swap changed while you were looking at it. Look at it again before you decide.")


def swap_withdraw(*, actor: Any, swap: ShiftSwap) -> ShiftSwap:
    with transaction.atomic():
        swap = _locked(swap)
        require(actor, Perm.WITHDRAW_SWAP, swap)
        core.update(actor=actor, obj=swap, data={"status": SwapStatus.WITHDRAWN, "version": swap.version + 1})
        if swap.to is not None:
            notify.email_people(
                [swap.to], subject="A shift offer was withdrawn", body=f"The offer of {_url_words(swap)} was withdrawn."
            )
    return swap


def swap_decline(*, actor: Any, swap: ShiftSwap) -> ShiftSwap:
    """The named colleague declines (an open offer is simply left for another colleague)."""
    with transaction.atomic():
        swap = _locked(swap)
        require(actor, Perm.ANSWER_SWAP, swap)
        if swap.open_offer:
            raise ValidationError("An offer to anyone is not declined: leave it for another colleague.")
        core.update(actor=actor, obj=swap, data={"status": SwapStatus.DECLINED, "version": swap.version + 1})
        notify.email_people(
            [swap.offered_by],
            subject="Your shift offer was declined",
            body=f"{swap.to.display_name if swap.to else 'Your colleague'} declined your offer of {_url_words(swap)}.",
        )
    return swap


def swap_accept(*, actor: Any, swap: ShiftSwap, version: int | None = None) -> ShiftSwap:
    """The colleague accepts (for an open offer, the first eligible colleague to accept takes it). The rota engine
    checks both doctors' rotas with the swap applied: a swap that would break a rule or leave a shift uncovered is
    refused with the rule named. Then the rota coordinator approves it, or the trust's setting does at once."""
    swap = _locked_read(swap)
    require(actor, Perm.ANSWER_SWAP, swap)
    _lapse_if_stale(swap)
    with transaction.atomic():
        swap = _locked(swap)
        require(actor, Perm.ANSWER_SWAP, swap)  # a colleague may have taken an open offer meanwhile
        _stale_version(swap, version)
        taker = swap.to or getattr(actor, "person", None)
        if taker is None or (swap.open_offer and not swap_eligible(taker, swap)):
            raise ValidationError("Only a colleague on the rota who may work this shift can take it.")
        result = check_swap(swap, taker)
        if not result.clean:
            raise ValidationError(["This swap cannot go ahead.", *result.problems()])
        core.update(
            actor=actor,
            obj=swap,
            data={
                "status": SwapStatus.ACCEPTED,
                "taken_by": taker,
                "accepted_at": dates.now(),
                "version": swap.version + 1,
            },
        )
        if automatic_approval(swap.trust):
            _apply(SystemActor("the trust approves rule-clean swaps automatically"), swap, automatic=True)
            return swap
        notify.email_people(
            [swap.offered_by],
            subject="Your shift offer was accepted",
            body=f"{taker.display_name} accepted {_url_words(swap)}. The rota coordinator approves the swap next.",
        )
        notify.email(
            _coordinators(swap.trust_id),
            subject="A shift swap is waiting for your approval",
            body=f"{swap.offered_by.display_name} and {taker.display_name} have agreed to swap "
            f"{_url_words(swap)}; it breaks no rule of the rota. Approve it in medlead.",
        )
    return swap


def _locked_read(swap: ShiftSwap) -> ShiftSwap:
    return ShiftSwap.objects.select_related("rota", "offered_by", "to", "taken_by", "duty", "in_return", "trust").get(
        pk=swap.pk
    )


def swap_approve(*, actor: Any, swap: ShiftSwap, version: int | None = None) -> ShiftSwap:
    """The rota coordinator approves an accepted swap: checked again (the rota may have changed since), then the
    shifts change hands, the rota is checked again and both doctors are told."""
    swap = _locked_read(swap)
    require(actor, Perm.APPROVE_SWAP, swap)
    _lapse_if_stale(swap)
    with transaction.atomic():
        swap = _locked(swap)
        require(actor, Perm.APPROVE_SWAP, swap)
        _stale_version(swap, version)
        assert swap.taken_by is not None
        result = check_swap(swap, swap.taken_by)
        if not result.clean:
            raise ValidationError(["This swap cannot be approved.", *result.problems()])
        _apply(actor, swap, automatic=False)
    return swap


def _apply(actor: Any, swap: ShiftSwap, *, automatic: bool) -> None:
    """The shifts change hands (each change audited), the rota is checked again, and both doctors are told."""
    taker = swap.taken_by
    assert taker is not None and swap.duty is not None
    core.update(actor=actor, obj=swap.duty, data={"person": taker}, note=f"shift swap {swap.pk}")
    if swap.in_return is not None:
        core.update(actor=actor, obj=swap.in_return, data={"person": swap.offered_by}, note=f"shift swap {swap.pk}")
    decider = "the trust's automatic approval" if automatic else getattr(actor, "get_full_name", lambda: "")()
    core.update(
        actor=actor,
        obj=swap,
        data={
            "status": SwapStatus.APPROVED,
            "decided_at": dates.now(),
            "decided_by": (decider or str(actor))[:200],
            "automatic": automatic,
            "version": swap.version + 1,
        },
    )
    rota_check(rota=swap.rota)
    body = f"The swap of {_url_words(swap)} is approved: {taker.display_name} now works it"
    if swap.is_swap and swap.in_return_start and swap.in_return_end:
        body += f", and {swap.offered_by.display_name} works {describe_shift(swap.in_return_start, swap.in_return_end)}"
    notify.email_people(
        [swap.offered_by, taker],
        subject="Shift swap approved",
        body=body + ". Your rota and calendar show the change.",
    )


def swap_refuse(*, actor: Any, swap: ShiftSwap, reason: str, version: int | None = None) -> ShiftSwap:
    """The rota coordinator refuses an accepted swap, with the reason both doctors are told."""
    with transaction.atomic():
        swap = _locked(swap)
        require(actor, Perm.APPROVE_SWAP, swap)
        _stale_version(swap, version)
        if not reason.strip():
            raise ValidationError({"reason": "Say why the swap is refused: both doctors are told."})
        core.update(
            actor=actor,
            obj=swap,
            data={
                "status": SwapStatus.REFUSED,
                "reason": reason.strip()[:500],
                "decided_at": dates.now(),
                "decided_by": (getattr(actor, "get_full_name", lambda: "")() or str(actor))[:200],
                "version": swap.version + 1,
            },
        )
        notify.email_people(
            [swap.offered_by, swap.taken_by],
            subject="Shift swap refused",
            body=f"The rota coordinator refused the swap of {_url_words(swap)}: {reason.strip()}",
        )
    return swap
