"""Services for generating a rota (issue 18): the plan (period, shifts needed, leave, requests), the request to
generate it (run on the task queue with a time limit, progress and a stop), and writing the result into the rota's
duties, which the compliance engine then checks as it checks any rota.

The model and the search are pure (``rota/roster/nhs.py``); this module only turns records into that problem and
the answer back into records."""

from __future__ import annotations

import datetime as dt
import threading
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Max
from django.utils import timezone

from medlead.core import audit as auditor
from medlead.core import dates, heartbeat, notify
from medlead.core import services as core
from medlead.core.actors import SystemActor
from medlead.core.policy import Perm, require
from medlead.core.reference_data import read
from medlead.organisation.models import Person
from medlead.rota import selectors
from medlead.rota.fair import Waiting, next_job
from medlead.rota.hooks import APPROVED_LEAVE
from medlead.rota.models import (
    Duty,
    PlanStatus,
    RosterAbsence,
    RosterPlan,
    RosterRequest,
    Rota,
    RotaMember,
)
from medlead.rota.publication import duties_changed, duty_keys
from medlead.rota.roster import Progress
from medlead.rota.roster.nhs import Ask, Doctor, Problem, ShiftType, duties, fairness, generate
from medlead.rota.services import rota_check
from medlead.rota.tasks import generate_next

PROGRESS_EVERY = 1.0  # seconds between progress writes


@cache
def templates() -> dict[str, dict[str, Any]]:
    return {t["code"]: t for t in read("roster_templates.yaml")["templates"]}


def _shifts_from(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "code": s["code"],
            "name": s["name"],
            "start": s["start"],
            "hours": float(s["hours"]),
            "needed": list(s["needed"]),
            "grades": list(s.get("grades", [])),
        }
        for s in template["shifts"]
    ]


@transaction.atomic
def shift_set(*, actor: Any, plan: RosterPlan, code: str, needed: list[int], grades: list[str]) -> RosterPlan:
    """How many doctors a shift needs each day (Monday to Sunday) and which grades may fill it (none: any)."""
    plan = RosterPlan.objects.select_for_update().get(pk=plan.pk)
    require(actor, Perm.MANAGE_ROTAS, plan)
    if selectors.generating(plan):
        raise ValidationError("The rota is being generated: wait for it, or stop it, before changing the plan.")
    if len(needed) != 7 or any(n < 0 or n > 50 for n in needed):
        raise ValidationError({"needed": "Give seven numbers, Monday to Sunday, each from 0 to 50."})
    shifts = [dict(s) for s in plan.shifts]
    match = next((s for s in shifts if s["code"] == code), None)
    if match is None:
        raise ValidationError({"code": "There is no such shift in the plan."})
    match["needed"], match["grades"] = list(needed), list(grades)
    return core.update(actor=actor, obj=plan, data={"shifts": shifts})


@transaction.atomic
def plan_save(
    *, actor: Any, rota: Rota, starts_on: dt.date, weeks: int, template: str, time_limit: int = 60
) -> RosterPlan:
    """Set the rota's plan up, or change its period, shifts or time limit while it is not being generated."""
    require(actor, Perm.MANAGE_ROTAS, rota)
    if starts_on.weekday() != 0:
        raise ValidationError({"starts_on": "A generated rota starts on a Monday."})
    if template not in templates():
        raise ValidationError({"template": "Choose one of the shift patterns."})
    if not RotaMember.objects.filter(rota=rota).exists():
        raise ValidationError("Add the rota's doctors first: a rota is generated for its members.")
    plan = RosterPlan.objects.select_for_update().filter(rota=rota).first()
    data = {"starts_on": starts_on, "weeks": weeks, "template": template, "time_limit": time_limit}
    if plan is None:
        shifts = _shifts_from(templates()[template])
        return core.create(actor=actor, obj=RosterPlan(trust_id=rota.trust_id, rota=rota, shifts=shifts, **data))
    if selectors.generating(plan):
        raise ValidationError("The rota is being generated: wait for it, or stop it, before changing the plan.")
    if template != plan.template:
        data["shifts"] = _shifts_from(templates()[template])
    return core.update(actor=actor, obj=plan, data=data)


def _member(plan: RosterPlan, person: Person) -> None:
    if not RotaMember.objects.filter(rota_id=plan.rota_id, person=person).exists():
        raise ValidationError({"person": f"{person} is not on this rota."})


def _in_period(plan: RosterPlan, day: dt.date, field: str) -> None:
    last = plan.day(plan.weeks * 7 - 1)
    if not plan.starts_on <= day <= last:
        raise ValidationError({field: f"Choose a date from {plan.starts_on:%d %B %Y} to {last:%d %B %Y}."})


@transaction.atomic
def absence_add(
    *, actor: Any, plan: RosterPlan, person: Person, starts_on: dt.date, ends_on: dt.date, reason: str
) -> RosterAbsence:
    require(actor, Perm.MANAGE_ROTAS, plan)
    _member(plan, person)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "The last day cannot be before the first."})
    if ends_on < plan.starts_on or starts_on > plan.day(plan.weeks * 7 - 1):
        raise ValidationError({"starts_on": "The absence falls outside the rota's period."})
    return core.create(
        actor=actor,
        obj=RosterAbsence(
            trust_id=plan.trust_id, plan=plan, person=person, starts_on=starts_on, ends_on=ends_on, reason=reason
        ),
    )


@transaction.atomic
def request_add(
    *, actor: Any, plan: RosterPlan, person: Person, on: dt.date, shift: str, wants: str, weight: int
) -> RosterRequest:
    require(actor, Perm.MANAGE_ROTAS, plan)
    _member(plan, person)
    _in_period(plan, on, "on")
    codes = {s["code"] for s in plan.shifts}
    if shift and shift not in codes:
        raise ValidationError({"shift": "Choose one of the plan's shifts, or the whole day."})
    if wants == "work" and not shift:
        raise ValidationError({"shift": "Say which shift the doctor asks to work."})
    return core.create(
        actor=actor,
        obj=RosterRequest(
            trust_id=plan.trust_id, plan=plan, person=person, on=on, shift=shift, wants=wants, weight=weight
        ),
    )


def problem_for(plan: RosterPlan) -> tuple[Problem, dict[str, Person]]:
    """The plan as the pure model's problem; doctors are keyed by their person id as text."""
    members = list(RotaMember.objects.filter(rota_id=plan.rota_id).select_related("person").order_by("person_id"))
    people = {str(m.person_id): m.person for m in members}
    unavailable: dict[str, set[int]] = {pid: set() for pid in people}
    last = plan.day(plan.weeks * 7 - 1)
    spans = [(a.person_id, a.starts_on, a.ends_on) for a in RosterAbsence.objects.filter(plan=plan)]
    spans += APPROVED_LEAVE(plan.rota, plan.starts_on, last)  # approved leave: a fixed absence (issue 32)
    for pid, first, until in spans:
        for i in range((until - first).days + 1):
            index = (first - plan.starts_on).days + i
            if 0 <= index < plan.weeks * 7 and str(pid) in unavailable:
                unavailable[str(pid)].add(index)
    everyone = frozenset(p.grade for p in people.values())
    doctors = [
        Doctor(pid, p.display_name, p.grade, float(p.ltft_fraction or 1), frozenset(unavailable[pid]))
        for pid, p in people.items()
    ]
    shifts = [
        ShiftType(
            s["code"],
            s["name"],
            int(s["start"][:2]) * 60 + int(s["start"][3:5]),
            round(float(s["hours"]) * 60),
            tuple(int(n) for n in s["needed"]),
            frozenset(s.get("grades") or everyone),  # no grades named: any doctor on the rota
        )
        for s in plan.shifts
    ]
    asks = [
        Ask(str(r.person_id), (r.on - plan.starts_on).days, r.shift or None, r.wants == "work", r.weight)
        for r in RosterRequest.objects.filter(plan=plan)
    ]
    rules = selectors.trust_rules(plan.rota.trust, plan.rota.rules_id(plan.starts_on), plan.starts_on)
    return Problem(plan.starts_on, plan.weeks, shifts, doctors, rules, asks), people


@transaction.atomic
def generate_request(*, actor: Any, plan: RosterPlan, locked_weeks: int = 0) -> RosterPlan:
    """Queue the plan for generation (once: a second click while it waits or runs does nothing). With
    ``locked_weeks``, the first weeks of the last result stay as they are and the rest changes as little as it can.
    Impossible plans are refused at once, with the reason."""
    plan = RosterPlan.objects.select_for_update().get(pk=plan.pk)
    require(actor, Perm.MANAGE_ROTAS, plan)
    if selectors.generating(plan):
        return plan
    if locked_weeks and not plan.result.get("assignment"):
        raise ValidationError("There is no generated rota yet to keep weeks of.")
    if not 0 <= locked_weeks < plan.weeks:
        raise ValidationError({"locked_weeks": f"Keep between 0 and {plan.weeks - 1} weeks."})
    problem, _ = problem_for(plan)
    problems = problem.problems()
    if problems:
        raise ValidationError(problems)
    plan = core.update(
        actor=actor,
        obj=plan,
        data={"status": PlanStatus.QUEUED, "locked_weeks": locked_weeks, "stop_requested": False, "progress": {}},
    )
    heartbeat.clear(plan)  # a run that stopped beat for it: this one starts from no beat

    # a wake-up for the generation queue's workers, who take the next plan in per-trust turn (``take_next``), not
    # necessarily this one
    notify.after_commit(generate_next)
    return plan


def stop(*, actor: Any, plan: RosterPlan) -> None:
    """Ask a running generation to stop; it keeps the best rota found so far."""
    require(actor, Perm.MANAGE_ROTAS, plan)
    RosterPlan.objects.filter(pk=plan.pk, status__in=[PlanStatus.QUEUED, PlanStatus.SOLVING]).update(
        stop_requested=True
    )


def _claim(plan_id: int) -> bool:
    """Take a queued plan for this worker: once only, whichever worker asks first."""
    return bool(
        RosterPlan.objects.filter(pk=plan_id, status=PlanStatus.QUEUED).update(
            status=PlanStatus.SOLVING, started_at=dates.now()
        )
    )


def take_next() -> int | None:
    """Claim the plan whose turn it is (``rota.fair``: the trust served least recently, at most
    ``MEDLEAD_GENERATION_PER_TRUST`` running for any trust), or None when nothing may start now."""
    while True:
        waiting = [
            Waiting(pk, trust_id, queued_at)
            for pk, trust_id, queued_at in RosterPlan.objects.filter(status=PlanStatus.QUEUED).values_list(
                "pk", "trust_id", "updated_at"
            )
        ]
        if not waiting:
            return None
        running: dict[int, int] = {}
        for plan in RosterPlan.objects.filter(status=PlanStatus.SOLVING).only("pk", "trust_id", "status", "updated_at"):
            if not selectors.generation_stopped(plan):  # a dead worker's plan holds no place
                running[plan.trust_id] = running.get(plan.trust_id, 0) + 1
        trusts = {w.trust for w in waiting}
        last_served = dict(
            RosterPlan.objects.filter(trust_id__in=trusts)
            .values("trust_id")
            .annotate(last=Max("started_at"))
            .values_list("trust_id", "last")
        )
        job = next_job(
            waiting, running=running, last_served=last_served, per_trust=settings.MEDLEAD_GENERATION_PER_TRUST
        )
        if job is None:
            return None
        if _claim(job.id):
            return job.id
        # another worker took it first: look again


def drain() -> int:
    """The generation queue's task: generate plans in per-trust turn until none may start; how many it generated.
    Each request queues one wake-up; a wake-up that finds nothing to do (another worker took the plan) ends at
    once, and a plan held back by its trust's limit is taken by the worker that finishes that trust's running one."""
    done = 0
    while (plan_id := take_next()) is not None:
        _solve(plan_id)
        done += 1
    return done


def run(plan_id: int) -> None:
    """Generate this plan now, if it is still queued (a message queued before per-trust turns, or a script)."""
    if _claim(plan_id):  # not queued: already taken by another worker, or stopped
        _solve(plan_id)


def _solve(plan_id: int) -> None:
    """The work: solve, write the duties, check the rota. Called by the worker only, on a plan it claimed."""
    plan = RosterPlan.objects.select_related("rota").get(pk=plan_id)
    problem, people = problem_for(plan)
    previous = {(d, t): s for d, t, s in plan.result.get("assignment", [])}
    locked: dict[tuple[str, int], str | None] = {}
    for d in problem.doctors:
        for t in range(min(plan.locked_weeks * 7, problem.days)):
            if t not in d.unavailable:
                locked[d.id, t] = previous.get((d.id, t))
    progress = Progress()
    finished = threading.Event()

    def watch() -> None:
        """Write progress and notice a stop, once a second, on its own database connection."""
        from django.db import connection

        try:
            while not finished.wait(PROGRESS_EVERY):
                try:
                    RosterPlan.objects.filter(pk=plan_id).update(
                        progress={
                            "best": progress.best,
                            "bound": progress.bound,
                            "gap": progress.gap,
                            "seconds": round(progress.seconds, 1),
                        }
                    )
                    if RosterPlan.objects.filter(pk=plan_id, stop_requested=True).exists():
                        progress.stop.set()
                except DatabaseError:  # a busy database (SQLite in development): try again next second
                    continue
        finally:
            connection.close()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        with heartbeat.beating(plan):  # says the worker is alive, while the solver holds it for minutes
            result = generate(
                problem,
                time_limit=plan.time_limit,
                locked=locked,
                hint=previous if previous else None,
                change_weight=1 if previous else 0,
                progress=progress,
            )
            _save(plan, problem, people, result)
    except Exception:
        # a crash must not leave the plan "generating" for ever: it can be generated again, and the page says it failed
        RosterPlan.objects.filter(pk=plan_id, status=PlanStatus.SOLVING).update(
            status=PlanStatus.FAILED, result={**plan.result, "last_attempt": {"status": "error"}}
        )
        raise
    finally:
        finished.set()
        watcher.join(timeout=5)


def _reasons(result: Any, people: dict[str, Person]) -> list[dict[str, str]]:
    """The breaches an exhausted generation found in the rotas it tried, once each, in the engine's words."""
    seen: dict[tuple[str, str, dt.datetime, dt.datetime], dict[str, str]] = {}
    for b in result.reasons:
        seen.setdefault(
            (b.doctor, b.rule, b.start, b.end),
            {
                "doctor": people[b.doctor].display_name,
                "message": b.message,
                "from": b.start.date().isoformat(),
                "to": (b.end - dt.timedelta(microseconds=1)).date().isoformat(),
            },
        )
    return list(seen.values())


@transaction.atomic
def _save(plan: RosterPlan, problem: Problem, people: dict[str, Person], result: Any) -> None:
    shifts = {s.code: s for s in problem.shifts}
    summary = {
        "status": result.status,
        "optimal": result.status == "optimal",
        "objective": result.objective,
        "bound": result.bound,
        "seconds": round(result.seconds, 1),
        "rounds": result.rounds,
        "stopped": plan.stop_requested or RosterPlan.objects.filter(pk=plan.pk, stop_requested=True).exists(),
    }
    if result.status == "infeasible":
        # exhausted: no rota is left that the search can build with the weeks kept as they are (more time would find
        # none); else none was found in the time given, or before a stop
        summary |= {
            "exhausted": result.exhausted,
            "kept_weeks": plan.locked_weeks,
            "reasons": _reasons(result, people),
        }
        RosterPlan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.FAILED, result={**plan.result, "last_attempt": summary}, stop_requested=False
        )
        return
    summary |= {
        "assignment": [[d, t, s] for (d, t), s in sorted(result.assignment.items())],
        "unmet_cover": [
            {"day": u.day, "shift": shifts[u.shift].name, "short": u.short, "reason": u.reason}
            for u in result.unmet_cover
        ],
        "unmet_requests": [
            {
                "doctor": people[a.doctor].display_name,
                "day": a.day,
                "what": ("to work " + shifts[a.shift].name.lower())
                if a.on and a.shift
                else ("not to work " + (shifts[a.shift].name.lower() if a.shift else "that day")),
                "reason": why,
            }
            for a, why in result.unmet_asks
        ],
        "fairness": [
            dict(row, doctor=people[row["doctor"]].display_name) for row in fairness(problem, result.assignment)
        ],
    }
    rota = plan.rota
    first = timezone.make_aware(dt.datetime.combine(plan.starts_on, dt.time()))
    last = first + dt.timedelta(days=plan.weeks * 7)
    replaced = list(Duty.objects.filter(rota=rota, start__gte=first, start__lt=last))
    for old in replaced:
        auditor.audit_delete(
            actor=SystemActor("rota generation"), obj=old, note=f"replaced by a generated rota for {rota}"
        )
        old.delete()
    tz = timezone.get_current_timezone()
    made = Duty.objects.bulk_create(
        [
            Duty(
                trust_id=rota.trust_id,
                rota=rota,
                person_id=int(d.doctor),
                start=timezone.make_aware(d.start, tz),
                end=timezone.make_aware(d.end, tz),
            )
            for d in duties(problem, result.assignment)
        ]
    )
    auditor.audit_bulk_create(actor=SystemActor("rota generation"), objs=made, note=f"rota generated for {rota}")
    duties_changed(rota=rota, before=duty_keys(replaced), after=duty_keys(made), what="the rota generated again")

    report = rota_check(rota=rota)
    summary["breaches"] = len(report.breaches)
    summary["warnings"] = len(report.warnings)
    RosterPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.DONE, result=summary, stop_requested=False)
