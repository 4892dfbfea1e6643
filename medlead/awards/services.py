"""Writes for award applications: prepare (the consultant), submit, verify (the employer: the medical director or
medical staffing, never for their own), record the outcome. Each checks the policy, validates and is audited."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.awards.models import Application, Status
from medlead.concerns.selectors import doctor_has_open_case
from medlead.core import services as core
from medlead.core.dates import today
from medlead.core.policy import Perm, require
from medlead.core.reference_data import in_force, read
from medlead.development.models import Experience
from medlead.jobplans.models import JobPlan
from medlead.leadership.models import CycleStatus, FeedbackCycle
from medlead.organisation.models import Person
from medlead.structure.selectors import current_holdings


@cache
def rules() -> dict[str, Any]:
    return read("awards.yaml")


def domain_names() -> dict[str, str]:
    return {d["code"]: d["name"] for d in in_force(rules()["domains"], today())}


@transaction.atomic
def start(*, actor: Any, person: Person, round_year: int, level: str) -> Application:
    require(actor, Perm.PREPARE_AWARD, person)
    if level not in rules()["levels"]:
        raise ValidationError({"level": "Choose N1, N2 or N3."})
    if Application.objects.filter(person=person, round_year=round_year).exists():
        raise ValidationError({"round_year": f"You already have an application for the {round_year} round."})
    return core.create(
        actor=actor, obj=Application(trust_id=person.trust_id, person=person, round_year=round_year, level=level)
    )


@transaction.atomic
def domains_save(*, actor: Any, application: Application, domains: dict[str, str]) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, Perm.EDIT_AWARD, application)
    unknown = set(domains) - set(domain_names())
    if unknown:
        raise ValidationError("There is no such domain.")
    return core.update(actor=actor, obj=application, data={"domains": {k: v.strip() for k, v in domains.items()}})


@transaction.atomic
def submit(*, actor: Any, application: Application, today: dt.date) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, Perm.EDIT_AWARD, application)
    empty = [name for code, name in domain_names().items() if not application.domains.get(code)]
    if empty:
        raise ValidationError(f"Write something in every domain first: {', '.join(empty)}.")
    return core.update(actor=actor, obj=application, data={"status": Status.SUBMITTED, "submitted_on": today})


@transaction.atomic
def verify(
    *,
    actor: Any,
    application: Application,
    checks: dict[str, bool],
    investigations_note: str,
    statement: str,
    today: dt.date,
) -> Application:
    """The employer's verification: each item confirmed or not, investigations and sanctions disclosed, and its
    statement. An open case under MHPS must be disclosed: medlead knows of it and says so."""

    application = Application.objects.select_for_update().select_related("person").get(pk=application.pk)
    require(actor, Perm.VERIFY_AWARD, application)
    codes = [v["code"] for v in in_force(rules()["verification"], today)]
    if set(checks) != set(codes):
        raise ValidationError("Answer every item of the verification.")
    if doctor_has_open_case(application.person) and not investigations_note.strip():
        raise ValidationError(
            {"investigations_note": "There is an open investigation about this consultant: disclose it here."}
        )
    if not statement.strip():
        raise ValidationError({"statement": "Write the employer's statement."})
    return core.update(
        actor=actor,
        obj=application,
        data={
            "status": Status.VERIFIED,
            "checks": checks,
            "investigations_note": investigations_note.strip(),
            "statement": statement.strip(),
            "verified_by": actor.person,
            "verified_on": today,
        },
    )


@transaction.atomic
def outcome(*, actor: Any, application: Application, level_awarded: str) -> Application:
    application = Application.objects.select_for_update().get(pk=application.pk)
    require(actor, Perm.RECORD_AWARD_OUTCOME, application)
    if level_awarded and level_awarded not in rules()["levels"]:
        raise ValidationError({"level_awarded": "Choose N1, N2 or N3, or none."})
    status = Status.AWARDED if level_awarded else Status.NOT_AWARDED
    return core.update(actor=actor, obj=application, data={"status": status, "level_awarded": level_awarded})


def evidence_for(person: Person) -> dict[str, Any]:
    """What medlead already holds that an application can draw on: current management posts, the latest job plan,
    the development log and the 360s the consultant has completed. Five queries."""

    posts = [h.post.title for h in current_holdings(trust=person.trust).filter(person=person).select_related("post")]
    plan = JobPlan.objects.filter(person=person).order_by("-year").first()
    log = list(Experience.objects.filter(person=person).values_list("title", flat=True)[:10])
    cycles = FeedbackCycle.objects.filter(subject=person, status=CycleStatus.CLOSED).count()
    return {
        "posts": posts,
        "job_plan": f"{plan.year}/{(plan.year + 1) % 100:02d}: {plan.get_state_display().lower()}" if plan else "",
        "log": log,
        "cycles": cycles,
    }
