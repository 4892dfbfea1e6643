"""Writes for job plans. Every one validates, is audited, guards against lost concurrent edits (``version``),
keeps the plan's stored PA totals in step, and notifies the people the next step waits for."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from medlead.core import notify
from medlead.core import services as core
from medlead.core.actors import SystemActor
from medlead.core.params import is_digits, year_param
from medlead.core.policy import Perm, can, require
from medlead.core.tabular import read_with_header
from medlead.jobplans import pa
from medlead.jobplans.models import JOB_PLAN_GRADES, PLAN_EDITABLE_FIELDS, Activity, Comment, JobPlan, State
from medlead.jobplans.selectors import SIGNING, held_posts, missing_for_signature, plan_policy, to_activity
from medlead.jobplans.workflows import JOB_PLAN
from medlead.organisation.models import Person
from medlead.organisation.selectors import people_by_number
from medlead.structure.models import Holding, Post

STALE = "Someone else changed this job plan after you opened it. Reload the page to see their change, then try again."


def _locked(plan: JobPlan, version: int | None) -> JobPlan:
    """The plan, locked for this transaction; refused if it changed since the caller read ``version``."""
    fresh = JobPlan.objects.select_for_update().select_related("person", "trust").get(pk=plan.pk)
    if version is not None and fresh.version != version:
        raise ValidationError(STALE)
    return fresh


def recompute(plan: JobPlan) -> None:
    """Store the plan's PA totals (for dashboards) from its activities."""
    policy = plan_policy(plan)
    activities = [to_activity(a) for a in plan.activities.all()]
    summary = pa.summarise(activities, policy)
    plan.pas_dcc = summary.by_category[pa.Category.DCC]
    plan.pas_spa = summary.by_category[pa.Category.SPA]
    plan.pas_anr = summary.by_category[pa.Category.ANR]
    plan.pas_ext = summary.by_category[pa.Category.EXT]
    plan.pas_management = sum(summary.by_post.values(), Decimal("0"))
    plan.pas_total = summary.total
    plan.save(update_fields=["pas_dcc", "pas_spa", "pas_anr", "pas_ext", "pas_management", "pas_total", "updated_at"])


def _bump(plan: JobPlan) -> None:
    JobPlan.objects.filter(pk=plan.pk).update(version=plan.version + 1)
    plan.version += 1


@transaction.atomic
def plan_create(*, actor: Any, person: Person, year: int) -> JobPlan:
    """Start a doctor's plan for a year: a manager of job plans, for a doctor in their area."""
    require(actor, Perm.MANAGE_JOB_PLANS, person)
    require(actor, Perm.EDIT_JOB_PLAN, JobPlan(trust=person.trust, person=person, year=year))
    return _create(actor=actor, person=person, year=year)


def _create(*, actor: Any, person: Person, year: int) -> JobPlan:
    if person.grade not in JOB_PLAN_GRADES:
        raise ValidationError({"person": f"{person} is not a consultant or SAS doctor: job plans are for them."})
    if JobPlan.objects.filter(person=person, year=year).exists():
        raise ValidationError({"year": f"{person} already has a job plan for {year}/{(year + 1) % 100:02d}."})
    return core.create(
        actor=actor,
        obj=JobPlan(
            trust_id=person.trust_id, person=person, year=year, contracted_pas=person.contracted_pas or Decimal("10")
        ),
    )


@transaction.atomic
def plan_copy_next_year(*, actor: Any, plan: JobPlan) -> JobPlan:
    """Next year's plan starts as a copy of this one, in draft (by the doctor or a manager in their area)."""
    require(actor, Perm.EDIT_JOB_PLAN, plan)
    new = _create(actor=actor, person=plan.person, year=plan.year + 1)
    for name in PLAN_EDITABLE_FIELDS:
        setattr(new, name, getattr(plan, name))
    new.save()
    copies = []
    for a in plan.activities.all():
        a.pk = None
        a.job_plan = new
        copies.append(a)
    Activity.objects.bulk_create(copies)
    recompute(new)
    return new


@transaction.atomic
def plan_update(*, actor: Any, plan: JobPlan, version: int, **data: Any) -> JobPlan:
    plan = _locked(plan, version)
    JOB_PLAN.require_edit(actor, plan)
    pas = data.get("contracted_pas")
    if pas is not None and pas < 0:
        raise ValidationError({"contracted_pas": "Contracted PAs cannot be less than 0."})
    core.update(actor=actor, obj=plan, data=data)
    _bump(plan)
    return plan


@transaction.atomic
def activity_add(*, actor: Any, plan: JobPlan, version: int, **data: Any) -> Activity:
    plan = _locked(plan, version)
    JOB_PLAN.require_edit(actor, plan)
    post = data.get("post")
    if post is not None and not held_posts(plan=plan).filter(pk=post.pk).exists():
        raise ValidationError({"post": f"Choose a management post that {plan.person} holds now."})
    activity = core.create(actor=actor, obj=Activity(trust_id=plan.trust_id, job_plan=plan, **data))
    recompute(plan)
    _bump(plan)
    return activity


@transaction.atomic
def activity_delete(*, actor: Any, activity: Activity, version: int) -> None:
    plan = _locked(activity.job_plan, version)
    JOB_PLAN.require_edit(actor, plan)
    core.delete(actor=actor, obj=activity)
    recompute(plan)
    _bump(plan)


# ----------------------------------------------------------------------------------------------- workflow


def allowed_moves(user: Any, plan: JobPlan) -> list[tuple[str, str, bool]]:
    """(target state, button label, forward) for each move ``user`` may make now (``jobplans.workflows.JOB_PLAN``)."""
    return [(m.target, m.label, m.forward) for m in JOB_PLAN.moves_for(user, plan)]


@transaction.atomic
def transition(*, actor: Any, plan: JobPlan, to: str, version: int) -> JobPlan:
    plan = _locked(plan, version)
    JOB_PLAN.move(actor, plan, to)
    if to in (State.SIGNED_CD, State.SIGNED):
        missing = missing_for_signature(plan=plan)
        if missing:
            raise ValidationError(["This job plan cannot be signed yet.", *missing])
    data: dict[str, Any] = {"state": to}
    now = timezone.now()
    if to == State.SIGNED_CD:
        data |= {"cd_signed_by": actor, "cd_signed_at": now}
    if to == State.SIGNED:
        data |= {"md_signed_by": actor, "md_signed_at": now}
    core.update(actor=actor, obj=plan, data=data, note=f"job plan: {to}")
    _bump(plan)
    notify.email_people(
        [plan.person],
        subject=f"Your job plan {plan.year_label}: {plan.get_state_display().lower()}",
        body=f"Your job plan for {plan.year_label} is now: {plan.get_state_display()}.",
    )
    return plan


def sign(*, actor: Any, plan: JobPlan, version: int) -> JobPlan:
    """The signature the plan waits for: the clinical director's on an agreed plan, the medical director's sign-off
    after it (or after an appeal). Refused, with what is missing, while the plan cannot be signed."""
    to = SIGNING.get(State(plan.state))
    if to is None:
        raise ValidationError("This job plan is not waiting for a signature.")
    return transition(actor=actor, plan=plan, to=to, version=version)


def comment_add(*, actor: Any, plan: JobPlan, text: str) -> Comment:
    require(actor, Perm.VIEW_JOB_PLAN, plan)
    if not text.strip():
        raise ValidationError({"text": "Write a comment."})
    return core.create(actor=actor, obj=Comment(trust_id=plan.trust_id, job_plan=plan, author=actor, text=text.strip()))


# ----------------------------------------------------------------------------------------------- import

# The columns of a job-plan import (its kind, with an example file, is registered in jobplans.import_kinds).
IMPORT_REQUIRED = ("doctor", "year", "category", "title")
IMPORT_OPTIONAL = (
    "frequency",
    "weekday",
    "start",
    "end",
    "every_n_weeks",
    "annual_hours",
    "annual_premium_hours",
    "location",
    "post_code",
)
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}


@transaction.atomic
def plans_import(*, actor: Any, trust: Any, filename: str, content: bytes) -> tuple[int, list[str]]:
    """Import job-plan activities (one row each; ``doctor`` is a GMC or staff number). Plans are created in
    draft where missing. All or nothing: any error and nothing is saved; each error names row, column, reason."""
    import datetime as dt

    require(actor, Perm.MANAGE_JOB_PLANS, trust)
    table, errors = read_with_header(filename, content, IMPORT_REQUIRED, IMPORT_OPTIONAL)
    if table is None or errors:
        return 0, errors
    people = people_by_number(trust=trust)
    posts = {p.code: p for p in Post.objects.filter(trust=trust)}
    held = set(Holding.objects.filter(trust=trust, end__isnull=True).values_list("person_id", "post_id"))
    plans = {(p.person_id, p.year): p for p in JobPlan.objects.filter(trust=trust)}
    pending: list[tuple[int, Person, int, dict[str, Any]]] = []
    for line, row in table.rows:
        row_errors: list[str] = []

        def err(col: str, reason: str) -> None:
            row_errors.append(f"row {line}, column '{col}': {reason}")  # noqa: B023

        person = people.get(row.get("doctor", ""))
        if person is None:
            err("doctor", f"no doctor with GMC or staff number '{row.get('doctor', '')}'")
        elif not isinstance(actor, SystemActor) and not can(
            actor, Perm.EDIT_JOB_PLAN, JobPlan(trust=trust, person=person)
        ):
            err("doctor", f"{person} is outside the specialties you manage")
        year = year_param(row.get("year", "")) or 0
        if not year:
            err("year", f"'{row.get('year', '')}' is not a year such as 2026")
        data: dict[str, Any] = {
            "category": row.get("category", "").lower(),
            "title": row.get("title", ""),
            "location": row.get("location", ""),
            "frequency": (row.get("frequency") or "weekly").lower(),
        }
        weekday = row.get("weekday", "").strip().lower()
        if weekday:
            if weekday in WEEKDAYS:
                data["weekday"] = WEEKDAYS[weekday]
            elif is_digits(weekday) and int(weekday) < 7:
                data["weekday"] = int(weekday)
            else:
                err("weekday", f"'{weekday}' is not a day of the week")
        for col in ("start", "end"):
            if row.get(col):
                try:
                    data[col] = dt.time.fromisoformat(row[col])
                except ValueError:
                    err(col, f"'{row[col]}' is not a time such as 09:00")
        for col, kind in (("every_n_weeks", int), ("annual_hours", Decimal), ("annual_premium_hours", Decimal)):
            if row.get(col):
                try:
                    data[col] = kind(row[col])
                except (ValueError, ArithmeticError):
                    err(col, f"'{row[col]}' is not a number")
        if row.get("post_code"):
            if row["post_code"] in posts:
                data["post"] = posts[row["post_code"]]
                if person is not None and (person.pk, data["post"].pk) not in held:
                    err("post_code", f"{person} does not hold the post '{row['post_code']}' now")
            else:
                err("post_code", f"no post with code '{row['post_code']}'")
        if person is not None and year:
            plan = plans.get((person.pk, year))
            if plan is not None and not JOB_PLAN.editable(plan):
                err("year", f"{person}'s {year} plan is {plan.get_state_display().lower()}; it cannot be changed")
            candidate = Activity(trust_id=trust.pk, **data)
            try:
                candidate.full_clean(exclude=["job_plan", "trust"])
            except ValidationError as exc:
                for col, messages in exc.message_dict.items():
                    for m in messages:
                        err(col, m)
        errors += row_errors
        if not row_errors and person is not None:
            pending.append((line, person, year, data))
    if errors:
        return 0, errors
    touched: set[int] = set()
    for _, person, year, data in pending:
        plan = plans.get((person.pk, year))
        if plan is None:
            plan = plans[(person.pk, year)] = _create(actor=actor, person=person, year=year)
        core.create(actor=actor, obj=Activity(trust_id=trust.pk, job_plan=plan, **data), note=f"import {filename}")
        touched.add(plan.pk)
    for plan in JobPlan.objects.filter(pk__in=touched):
        recompute(plan)
        _bump(plan)
    return len(pending), []


def plans_import_run(*, actor: Any, trust: Any, filename: str, content: bytes, params: dict[str, Any]) -> list[str]:
    """The job-plan kind's runner for the shared import pipeline (``core.imports``)."""
    return plans_import(actor=actor, trust=trust, filename=filename, content=content)[1]
