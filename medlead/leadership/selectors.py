"""Reads for leadership: frameworks a trust can use, self-assessment history and gaps, 360 counts and reports,
and the trust's anonymised aggregate view."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet

from medlead.core.policy import person_id
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
    SelfAssessment,
)
from medlead.leadership.report import MIN_GROUP
from medlead.leadership.services import report_inputs
from medlead.organisation.models import Trust
from medlead.structure.selectors import StructureToday, line_managers_of

MIN_CYCLES = 3  # the trust view shows an item or a division only with at least this many completed 360s


def frameworks_for(trust: Trust) -> QuerySet[Framework]:
    return Framework.objects.filter(Q(trust__isnull=True) | Q(trust=trust)).order_by("name")


def rateable_for(trust: Trust) -> QuerySet[Framework]:
    """The frameworks one can rate oneself or be rated against: those with items (NHS England's Management and
    Leadership Framework is listed, but has none until the trust confirms its standards)."""
    return frameworks_for(trust).filter(pk__in=FrameworkItem.objects.values("framework_id"))


def assessment_history(*, person_id: int, framework: Framework) -> list[dict[str, Any]]:
    """Each submitted self-assessment on this framework: its date and mean level per domain."""
    out = []
    for a in (
        SelfAssessment.objects.filter(person_id=person_id, framework=framework, submitted_at__isnull=False)
        .order_by("submitted_at")
        .prefetch_related("ratings__item")
    ):
        by_domain: dict[str, list[int]] = defaultdict(list)
        for r in a.ratings.all():
            if r.level:
                by_domain[r.item.domain].append(r.level)
        out.append({"assessment": a, "domains": {d: round(sum(v) / len(v), 2) for d, v in by_domain.items()}})
    return out


def gaps(*, assessment: SelfAssessment) -> list[dict[str, Any]]:
    target = assessment.framework.targets.get(assessment.target_role)
    rows = []
    ratings = {r.item_id: r for r in assessment.ratings.all()}
    for item in assessment.framework.items.all():
        r = ratings.get(item.pk)
        level = r.level if r else None
        rows.append(
            {"item": item, "level": level, "target": target, "gap": (target - level) if target and level else None}
        )
    return rows


def gap_summary(assessment: SelfAssessment, rows: list[dict[str, Any]], role_name: str) -> str:
    """What a submitted self-assessment's gaps come to, in a sentence, when the page has no gap to list: no target
    role chosen, a framework that sets no level for the role, or every rated item at or above the level expected.
    Empty when there are gaps (the page lists them)."""
    if not assessment.target_role:
        return (
            "You chose no target role for this self-assessment, so there is nothing to compare your ratings with. "
            "Start a new one with a target role, or set your target role on your development page."
        )
    target = assessment.framework.targets.get(assessment.target_role)
    if not target:
        return (
            f"The {assessment.framework.name} sets no expected level for the {role_name} role, so there is nothing "
            "to compare your ratings with. Rate yourself on a framework that sets one."
        )
    rated = [r for r in rows if r["level"]]
    if any(r["gap"] and r["gap"] > 0 for r in rated):
        return ""
    if not rated:
        return "You rated no items, so there is nothing to compare with the level the role expects."
    unrated = len(rows) - len(rated)
    label = assessment.framework.scale[target - 1]
    return (
        f"No gaps: on all {len(rated)} items you rated, you rated yourself at or above '{label}', the level the "
        f"{role_name} role expects."
        + (f" {unrated} {'item was' if unrated == 1 else 'items were'} not rated and not counted." if unrated else "")
    )


def cycle_counts(cycle: FeedbackCycle) -> dict[str, Any]:
    """What the subject may see while the cycle runs: numbers only, never who, and never so that one rater's moment
    of answering shows. Responses are counted in total and, per group, only for groups of at least 3 invited
    (issue 13: "Direct reports: 0 of 1" turning into "1 of 1" told the subject their only direct report had
    answered). One query."""
    from django.db.models import Count, Q

    raters = cycle.raters.exclude(group=RaterGroup.SELF)
    rows = {
        row["group"]: row
        for row in raters.values("group").annotate(
            invited=Count("pk", filter=Q(approval=Approval.APPROVED)),
            responded=Count("pk", filter=Q(submitted_at__isnull=False)),
            awaiting=Count("pk", filter=Q(approval=Approval.PENDING)),
            declined=Count("pk", filter=Q(approval=Approval.DECLINED)),
        )
    }
    per_group = {}
    for value, label in RaterGroup.choices:
        row = rows.get(value)
        if value == RaterGroup.SELF or row is None or not row["invited"]:
            continue
        small = row["invited"] < MIN_GROUP
        per_group[label] = {"invited": row["invited"], "responded": None if small else row["responded"]}
    return {
        "invited": sum(r["invited"] for r in rows.values()),
        "responded": sum(r["responded"] for r in rows.values()),
        "awaiting_approval": sum(r["awaiting"] for r in rows.values()),
        "declined": sum(r["declined"] for r in rows.values()),
        "per_group": per_group,
        "failed_emails": list(raters.filter(send_failed=True).values_list("email", flat=True)),
        "self_done": cycle.raters.filter(group=RaterGroup.SELF, submitted_at__isnull=False).exists(),
    }


def nomination_state(rater: Rater) -> str:
    """Where one nomination stands, as its subject may see it: its approval and invitation, never whether the
    person has answered (that would tell the subject who answered; the answers are counted, above)."""
    if rater.approval == Approval.PENDING:
        return "Waiting for approval"
    if rater.approval == Approval.DECLINED:
        return "Not approved: no invitation sent"
    if rater.send_failed:
        return "Invitation not delivered: check the address"
    return "Invited" if rater.invited_at else "Approved: the invitation is on its way"


def nominees(cycle: FeedbackCycle) -> list[dict[str, str]]:
    """The people the subject nominated, in the order nominated, with their group and where their nomination
    stands (``nomination_state``). The subject typed these names; nothing here says who answered, so no answer can
    be tied to a name (the anonymity rules: docs/national-rules/360-anonymity.md). One query."""
    return [
        {"name": r.name, "email": r.email, "group": r.get_group_display(), "state": nomination_state(r)}
        for r in cycle.raters.exclude(group=RaterGroup.SELF).order_by("pk")
    ]


def cycle_report(cycle: FeedbackCycle) -> dict[str, Any]:
    items, raters = report_inputs(cycle)
    built = report_rules.build(items, raters)
    by_id = {i.id: i for i in items}
    return {
        "r": built,
        "items": items,
        "by_id": by_id,
        "scale": cycle.framework.scale,
        "groups": [g for g in built.groups],
    }


def trust_view(*, trust: Trust, framework: Framework) -> dict[str, Any]:
    """Anonymised means across the trust's closed 360s on a framework; items with fewer than MIN_CYCLES
    cycles are suppressed."""
    rows = (
        CycleItemScore.objects.filter(cycle__trust=trust, cycle__framework=framework, cycle__status=CycleStatus.CLOSED)
        .values("item_id", "item__domain", "item__text")
        .annotate(mean=Avg("others_mean"), cycles=Count("cycle_id", distinct=True))
        .order_by("item__position")
    )
    cycles = FeedbackCycle.objects.filter(trust=trust, framework=framework, status=CycleStatus.CLOSED).count()
    return {
        "cycles": cycles,
        "items": [
            {
                **r,
                "mean": round(r["mean"], 2) if r["cycles"] >= MIN_CYCLES else None,
                "suppressed": r["cycles"] < MIN_CYCLES,
            }
            for r in rows
        ],
    }


def cycle_trend(cycle: FeedbackCycle) -> list[tuple[str, float]]:
    """Others' mean rating across the subject's closed cycles on the same framework, oldest first (one query)."""
    rows = (
        CycleItemScore.objects.filter(
            cycle__subject_id=cycle.subject_id, cycle__framework_id=cycle.framework_id, cycle__status=CycleStatus.CLOSED
        )
        .values("cycle_id", "cycle__closed_at")
        .annotate(mean=Avg("others_mean"))
        .order_by("cycle__closed_at")
    )
    return [(f"{r['cycle__closed_at']:%b %Y}", round(r["mean"], 2)) for r in rows]


def cycles_to_approve(
    *, actor: Any, trust: Trust, structure: StructureToday | None = None, bare: bool = False
) -> list[FeedbackCycle]:
    """Open 360 cycles in ``trust`` with nominations awaiting ``actor``'s approval, as their facilitator or as one of
    the subject's line managers (the rule of ``Perm.APPROVE_RATERS``). One query when there are none, eight
    when there are, whatever their number. Given the page's ``structure`` today (its posts and holders, read once
    for the page) and ``bare`` (only which cycles: the subject's trust and the framework not read, for a count),
    one, and the structure's reads where there are cycles."""

    pid = person_id(actor)
    if pid is None:
        return []
    pending = Rater.objects.filter(cycle__trust=trust, approval=Approval.PENDING).values("cycle_id")
    found = FeedbackCycle.objects.filter(trust=trust, status=CycleStatus.OPEN, pk__in=pending).exclude(  # no DISTINCT
        subject_id=pid
    )
    cycles = list(
        found.select_related("subject__specialty")
        if bare
        # fetched only when there are cycles (most people have none): planning the five-table join took 4 ms
        else found.prefetch_related("subject__specialty", "subject__trust", "framework")
    )
    if not cycles:
        return []
    subjects = [c.subject for c in cycles]
    managers = (
        line_managers_of(subjects, structure.holders, structure.posts) if structure else line_managers_of(subjects)
    )
    return [c for c in cycles if c.facilitator_id == pid or pid in managers.get(c.subject_id, set())]
