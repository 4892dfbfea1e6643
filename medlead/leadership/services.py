"""Writes for self-assessment and 360 feedback. Each validates and is audited; rater identities never enter
the audit trail's changes (only that a rater was added, by group)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from medlead.accounts.models import User
from medlead.core import audit as auditor
from medlead.core import notify
from medlead.core import services as core
from medlead.core.actors import SystemActor
from medlead.core.audit import AuditAction, AuditEvent
from medlead.core.policy import Perm, require
from medlead.core.tabular import read_with_header
from medlead.core.uploads import validate_evidence
from medlead.leadership import report as report_rules
from medlead.leadership.models import (
    Approval,
    CycleItemScore,
    CycleStatus,
    FeedbackCycle,
    Framework,
    FrameworkItem,
    Rater,
    RaterGroup,
    Response,
    SelfAssessment,
    SelfRating,
)
from medlead.leadership.tasks import send_rater_email
from medlead.leadership.workflows import FEEDBACK_CYCLE
from medlead.organisation.models import Person
from medlead.structure.selectors import line_managers

# ------------------------------------------------------------------------------------------ self-assessment


def assessment_start(*, actor: Any, person: Person, framework: Framework, target_role: str = "") -> SelfAssessment:
    require(actor, Perm.EDIT_DEVELOPMENT_RECORD, person)
    return core.create(
        actor=actor,
        obj=SelfAssessment(trust_id=person.trust_id, person=person, framework=framework, target_role=target_role),
    )


@transaction.atomic
def assessment_save(
    *, actor: Any, assessment: SelfAssessment, ratings: dict[int, dict[str, Any]], submit: bool = False
) -> SelfAssessment:
    """Save ratings and evidence per item (a draft), or submit. A submitted assessment is history: it is not
    changed again."""
    require(actor, Perm.EDIT_DEVELOPMENT_RECORD, assessment)
    if assessment.submitted_at is not None:
        raise ValidationError("This self-assessment was submitted; start a new one to rate yourself again.")
    top = len(assessment.framework.scale)
    items = {i.pk: i for i in assessment.framework.items.all()}
    errors = []
    for item_id, data in ratings.items():
        if item_id not in items:
            errors.append(f"Item {item_id} is not in this framework.")
        level = data.get("level")
        if level is not None and not 1 <= level <= top:
            errors.append(f"'{items[item_id].text}': choose a level from 1 to {top}.")
    for item_id, data in ratings.items():
        if data.get("file") is not None and item_id in items:
            try:
                validate_evidence(data["file"])
            except ValidationError as exc:
                errors.extend(f"'{items[item_id].text}': {m}" for m in exc.messages)
    if submit and not any(d.get("level") for d in ratings.values()):
        errors.append("Rate yourself on at least one item before submitting.")
    if errors:
        raise ValidationError(errors)
    for item_id, data in ratings.items():
        rating, _ = SelfRating.objects.get_or_create(assessment=assessment, item_id=item_id)
        rating.level = data.get("level")
        rating.evidence = data.get("evidence", "")
        rating.links = data.get("links", "")
        if data.get("file") is not None:
            rating.file = data["file"]
        rating.save()
    return core.update(
        actor=actor,
        obj=assessment,
        data={"submitted_at": timezone.now() if submit else None},
        note="submitted" if submit else "draft saved",
    )


# ------------------------------------------------------------------------------------------------- 360


def cycle_open(
    *,
    actor: Any,
    subject: Person,
    framework: Framework,
    closes_on: dt.date,
    facilitator: Person | None = None,
    today: dt.date,
) -> FeedbackCycle:
    require(actor, Perm.EDIT_DEVELOPMENT_RECORD, subject)
    if closes_on <= today:
        raise ValidationError({"closes_on": "The closing date must be in the future."})
    if closes_on > today + dt.timedelta(days=120):
        raise ValidationError({"closes_on": "Close the cycle within four months."})
    if facilitator is not None and facilitator.pk == subject.pk:
        raise ValidationError({"facilitator": "Your facilitator must be someone else."})
    cycle = core.create(
        actor=actor,
        obj=FeedbackCycle(
            trust_id=subject.trust_id,
            subject=subject,
            framework=framework,
            closes_on=closes_on,
            facilitator=facilitator,
        ),
    )
    Rater.objects.create(
        cycle=cycle,
        group=RaterGroup.SELF,
        name=subject.full_name,
        email=subject.email or f"self-{subject.pk}@medlead.invalid",
        approval=Approval.APPROVED,
        known=True,
    )
    return cycle


def _known_addresses(trust_id: int, emails: set[str]) -> set[str]:
    """Which of ``emails`` belong to someone the trust knows: a person in the trust or a user account."""
    from django.db.models.functions import Lower

    if not emails:
        return set()
    people = Person.objects.filter(trust_id=trust_id).annotate(e=Lower("email")).filter(e__in=emails)
    users = User.objects.annotate(e=Lower("email")).filter(e__in=emails)
    return set(people.values_list("e", flat=True)) | set(users.values_list("e", flat=True))


def approvers(cycle: FeedbackCycle) -> list[Person]:
    """Who is asked to approve a cycle's nominations: its facilitator, or else the subject's line managers."""

    if cycle.facilitator_id:
        return [cycle.facilitator] if cycle.facilitator else []
    return list(Person.objects.filter(pk__in=line_managers(cycle.subject) - {cycle.subject_id}))


@transaction.atomic
def raters_nominate(
    *,
    actor: Any,
    cycle: FeedbackCycle,
    nominees: Sequence[tuple[str, str, str]],
    rows: Sequence[int] | None = None,
) -> list[Rater]:
    """Nominate raters (group, name, email). They await approval by the facilitator or a line manager, who is told;
    no invitation goes until then. Refuses self-nomination and duplicates; nothing is saved if any nominee is
    refused. Each refusal names the nominee by the row of the form they were typed in (``rows``: the row numbers,
    counted from 1, of the rows filled in) and by their name."""
    FEEDBACK_CYCLE.require_edit(actor, cycle)
    existing = {e.lower() for e in cycle.raters.values_list("email", flat=True)}
    subject_email = (cycle.subject.email or "").lower()
    numbers = list(rows) if rows is not None else list(range(1, len(nominees) + 1))
    errors, seen, new = [], set(), []
    for n, (group, name, email) in zip(numbers, nominees, strict=True):
        e = email.strip().lower()
        row = f"Nominee {n} ({name.strip()})" if name.strip() else f"Nominee {n}"
        if group not in RaterGroup.values or group == RaterGroup.SELF:
            errors.append(f"{row}: choose a rater group.")
        if not name.strip():
            errors.append(f"{row}: give a name.")
        if not e:
            errors.append(f"{row}: give their email address.")
        elif "@" not in e:
            errors.append(f"{row}: '{email}' is not an email address.")
        elif e == subject_email:
            errors.append(f"{row}: you cannot nominate yourself.")
        elif e in existing or e in seen:
            errors.append(f"{row}: {email} is already nominated.")
        seen.add(e)
        new.append(Rater(cycle=cycle, group=group, name=name.strip(), email=e))
    who = approvers(cycle)
    if not who:
        errors.append("Nobody can approve your nominations yet: name a facilitator (a coach or your appraiser).")
    if errors:
        raise ValidationError(errors)
    known = _known_addresses(cycle.trust_id, {r.email for r in new})
    for r in new:
        r.known = r.email in known
        r.full_clean(exclude=["cycle"])
    created = Rater.objects.bulk_create(new)
    _audit_raters(actor, cycle, created, AuditAction.CREATE, "identity withheld")
    notify.email_people(
        who,
        subject="360 feedback: raters to approve",
        body=f"{cycle.subject.display_name} has nominated {len(created)} {'rater' if len(created) == 1 else 'raters'} "
        "for 360 feedback. Please approve or decline each in medlead (Leadership, then 360 nominations to approve) "
        "so that the invitations can go.",
    )
    return created


def _audit_raters(actor: Any, cycle: FeedbackCycle, raters: list[Rater], action: str, note: str) -> None:
    who = auditor.actor_fields(actor)
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                **who,
                trust_id=cycle.trust_id,
                action=action,
                model="leadership.rater",
                object_pk=str(r.pk),
                object_repr=f"Rater ({r.get_group_display()}) for cycle {cycle.pk}",
                changes={},
                note=note,
            )
            for r in raters
        ]
    )


@transaction.atomic
def raters_approve(
    *,
    actor: Any,
    cycle: FeedbackCycle,
    approve: Sequence[int],
    decline: Sequence[int] = (),
    confirm_unknown: Sequence[int] = (),
) -> tuple[int, int]:
    """The facilitator or a line manager approves (or declines) nominations; each approved rater's invitation is
    queued. An address that belongs to nobody known to the trust is approved only when confirmed explicitly.
    All or nothing. Returns (approved, declined)."""
    require(actor, Perm.APPROVE_RATERS, cycle)
    pending = {r.pk: r for r in cycle.raters.select_for_update().filter(approval=Approval.PENDING)}
    errors = []
    if set(approve) & set(decline):
        errors.append("A nomination cannot be both approved and declined.")
    for n, rid in enumerate(approve, start=1):
        rater = pending.get(rid)
        if rater is None:
            errors.append(f"Nomination {n} is not awaiting approval.")
        elif not rater.known and rid not in confirm_unknown:
            errors.append(
                f"{rater.name} ({rater.email}): this address belongs to nobody known to the trust; confirm it "
                "before approving."
            )
    for rid in decline:
        if rid not in pending:
            errors.append("A nomination to decline is not awaiting approval.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    approved = [pending[rid] for rid in approve]
    declined = [pending[rid] for rid in decline]
    for r in approved:
        r.approval, r.approved_by, r.approved_at = Approval.APPROVED, actor if getattr(actor, "pk", None) else None, now
    for r in declined:
        r.approval, r.approved_by, r.approved_at = Approval.DECLINED, actor if getattr(actor, "pk", None) else None, now
    Rater.objects.bulk_update(approved + declined, ["approval", "approved_by", "approved_at"])
    _audit_raters(actor, cycle, approved, AuditAction.UPDATE, "nomination approved; identity withheld")
    _audit_raters(actor, cycle, declined, AuditAction.UPDATE, "nomination declined; identity withheld")
    # invitations go in the order the raters were nominated (the line manager first), not the order the
    # approval page lists them in (by group)
    for r in sorted(approved, key=lambda r: r.pk):
        notify.after_commit(send_rater_email, r.pk)
    return len(approved), len(declined)


def rater_for(rater_id: int, nonce: str) -> Rater | None:
    return Rater.objects.select_related("cycle__subject", "cycle__framework").filter(pk=rater_id, nonce=nonce).first()


def link_state(rater: Rater, today: dt.date) -> str:
    if rater.submitted_at is not None:
        return "submitted"
    if rater.approval != Approval.APPROVED:
        return "closed"
    if rater.cycle.status != CycleStatus.OPEN or rater.cycle.closes_on < today:
        return "closed"
    return "open"


@transaction.atomic
def rater_save(
    *, rater: Rater, answers: dict[int, tuple[int | None, int | None]], comment: str, submit: bool, today: dt.date
) -> Rater:
    rater = Rater.objects.select_for_update().select_related("cycle__framework").get(pk=rater.pk)
    state = link_state(rater, today)
    if state != "open":
        raise ValidationError(
            "This feedback has already been submitted." if state == "submitted" else "This feedback cycle has closed."
        )
    top = len(rater.cycle.framework.scale)
    item_ids = set(rater.cycle.framework.items.values_list("pk", flat=True))
    errors = []
    for item_id, (behaviour, importance) in answers.items():
        if item_id not in item_ids:
            errors.append("An answer refers to an item not in this framework.")
        for value, what in ((behaviour, "rating"), (importance, "importance")):
            if value is not None and not 1 <= value <= (top if what == "rating" else 4):
                errors.append(f"A {what} is out of range.")
    if submit and not any(b is not None for b, _ in answers.values()):
        errors.append("Rate at least one item before submitting.")
    if errors:
        raise ValidationError(errors)
    # One statement for every answer, however many items the framework has (a draft saved again updates them).
    Response.objects.bulk_create(
        [Response(rater=rater, item_id=i, behaviour=b, importance=imp) for i, (b, imp) in answers.items()],
        update_conflicts=True,
        unique_fields=["rater", "item"],
        update_fields=["behaviour", "importance"],
    )
    rater.comment = comment.strip()
    if submit:
        rater.submitted_at = timezone.now()
    rater.save(update_fields=["comment", "submitted_at"])
    return rater


def reminders_send(*, actor: Any, cycle: FeedbackCycle) -> int:
    FEEDBACK_CYCLE.require_edit(actor, cycle)
    pending = list(
        cycle.raters.exclude(group=RaterGroup.SELF)
        .filter(submitted_at__isnull=True, approval=Approval.APPROVED)
        .values_list("pk", flat=True)
    )
    for rid in pending:
        notify.after_commit(send_rater_email, rid, reminder=True)
    return len(pending)


def report_inputs(cycle: FeedbackCycle) -> tuple[list[report_rules.Item], list[report_rules.RaterAnswers]]:
    items = [report_rules.Item(i.pk, i.domain, i.text) for i in cycle.framework.items.all()]
    responses: dict[int, dict[int, tuple[int | None, int | None]]] = {}
    for rid, iid, b, imp in Response.objects.filter(rater__cycle=cycle, rater__submitted_at__isnull=False).values_list(
        "rater_id", "item_id", "behaviour", "importance"
    ):
        responses.setdefault(rid, {})[iid] = (b, imp)
    raters = [
        report_rules.RaterAnswers(r.pk, r.group, responses.get(r.pk, {}), r.comment)
        for r in cycle.raters.filter(submitted_at__isnull=False).order_by("pk")
    ]
    return items, raters


def close_missing(invited: int, responded: int) -> list[tuple[str, bool]]:
    """What a 360 needs before its subject can close it (issue 31), each with whether it is done: raters invited,
    and at least as many answers as the report needs to show anything beyond the line manager's
    (``report.MIN_GROUP``). From the numbers the subject already sees, so it tells them nothing more."""
    n = report_rules.MIN_GROUP
    return [
        (f"Invite raters: {invited} invited so far", invited > 0),
        (
            f"Wait for at least {n} raters to answer: {responded} "
            f"{'has' if responded == 1 else 'have'} answered so far",
            responded >= n,
        ),
    ]


@transaction.atomic
def cycle_close(*, actor: Any, cycle: FeedbackCycle) -> FeedbackCycle:
    """Close the cycle and store the anonymised per-item means for the trust's aggregated view."""
    if cycle.status == CycleStatus.CLOSED:
        return cycle
    FEEDBACK_CYCLE.move(actor, cycle, CycleStatus.CLOSED)
    if not isinstance(actor, SystemActor):
        # a person closes a 360 only when its report can show something (issue 31); the system acting for a
        # stated reason (the demo data) has decided for itself
        counts = cycle.raters.exclude(group=RaterGroup.SELF).aggregate(
            invited=Count("pk", filter=Q(approval=Approval.APPROVED)),
            responded=Count("pk", filter=Q(submitted_at__isnull=False)),
        )
        missing = [text for text, done in close_missing(counts["invited"], counts["responded"]) if not done]
        if missing:
            raise ValidationError(["This 360 cannot be closed yet.", *missing])
    items, raters = report_inputs(cycle)
    built = report_rules.build(items, raters)
    everyone = next((g for g in built.groups if g.key == report_rules.ALL), None)
    if everyone is not None and everyone.n >= report_rules.MIN_GROUP:
        scores = []
        for item_id, means in built.item_means.items():
            mean = means.get(report_rules.ALL)
            if mean is not None:
                scores.append(CycleItemScore(cycle=cycle, item_id=item_id, others_mean=mean, respondents=everyone.n))
        CycleItemScore.objects.bulk_create(scores)
    return core.update(actor=actor, obj=cycle, data={"status": CycleStatus.CLOSED, "closed_at": timezone.now()})


# The columns of a framework import (its kind, with an example file, is registered in leadership.import_kinds).
IMPORT_REQUIRED = ("domain", "code", "item")
IMPORT_OPTIONAL = ("description",)


def framework_import(
    *, actor: Any, trust: Any, name: str, code: str, scale: list[str], filename: str, content: bytes
) -> tuple[Framework | None, list[str]]:
    """A trust's own framework from CSV/XLSX (columns domain, code, item, and optionally description)."""

    require(actor, Perm.MANAGE_FRAMEWORKS, trust)
    table, errors = read_with_header(filename, content, IMPORT_REQUIRED, IMPORT_OPTIONAL)
    if table is None:
        return None, errors
    if len(scale) < 2:
        errors.append("The scale needs at least two levels.")
    if Framework.objects.filter(trust=trust, code=code).exists():
        errors.append(f"The trust already has a framework with code '{code}'.")
    seen: dict[str, int] = {}
    for line, row in table.rows:
        for col in ("domain", "code", "item"):
            if not row.get(col, "").strip():
                errors.append(f"row {line}, column '{col}': this value is required")
        c = row.get("code", "")
        if c in seen:
            errors.append(f"row {line}, column 'code': '{c}' is also on row {seen[c]}")
        seen.setdefault(c, line)
    if not table.rows:
        errors.append("row 1: the file has no rows")
    if errors:
        return None, errors
    with transaction.atomic():
        fw = core.create(
            actor=actor,
            obj=Framework(trust=trust, code=code, name=name, source=f"{trust} (imported from {filename})", scale=scale),
        )
        FrameworkItem.objects.bulk_create(
            [
                FrameworkItem(
                    framework=fw,
                    domain=row["domain"],
                    code=row["code"],
                    text=row["item"],
                    description=row.get("description", ""),
                    position=n,
                )
                for n, (_, row) in enumerate(table.rows)
            ]
        )
    return fw, []


def framework_import_run(*, actor: Any, trust: Any, filename: str, content: bytes, params: dict[str, Any]) -> list[str]:
    """For the shared import pipeline (``core.imports``): ``params`` gives the framework's name, code and scale."""
    return framework_import(
        actor=actor,
        trust=trust,
        name=params.get("name", ""),
        code=params.get("code", ""),
        scale=list(params.get("scale", [])),
        filename=filename,
        content=content,
    )[1]
