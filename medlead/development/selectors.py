"""Reads for a doctor's development: gaps for a target role (from self-assessment and 360), explained
suggestions, mentor matches, the readiness report, and openings."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from medlead.core.policy import roles_for
from medlead.core.roles import Role
from medlead.development import suggest
from medlead.development.models import (
    ActionStatus,
    CareerPlan,
    DevelopmentPlan,
    Experience,
    Interest,
    Mentor,
    Mentorship,
    MentorshipStatus,
    Opening,
    OpeningStatus,
    Opportunity,
    PlanStatus,
    ReadinessShare,
)
from medlead.leadership import report as report_rules
from medlead.leadership.models import CycleStatus, FeedbackCycle, FrameworkItem, SelfAssessment
from medlead.leadership.services import report_inputs
from medlead.organisation.models import TRAINEE_GRADES, Person, Trust
from medlead.structure.models import PostType
from medlead.structure.selectors import line_managers


def audience_of(person: Person) -> str:
    return "trainee" if person.grade in TRAINEE_GRADES else "consultant"


def target_role(person: Person) -> PostType | None:
    plan = CareerPlan.objects.filter(person=person).select_related("target_role").first()
    return plan.target_role if plan else None


def latest_assessments(person: Person) -> list[SelfAssessment]:
    """The latest submitted self-assessment on each framework."""
    seen: dict[int, SelfAssessment] = {}
    for a in (
        SelfAssessment.objects.filter(person=person, submitted_at__isnull=False)
        .select_related("framework")
        .prefetch_related("ratings__item")
        .order_by("-submitted_at")
    ):
        seen.setdefault(a.framework_id, a)
    return list(seen.values())


def latest_cycle(person: Person) -> FeedbackCycle | None:
    return (
        FeedbackCycle.objects.filter(subject=person, status=CycleStatus.CLOSED)
        .select_related("framework")
        .order_by("-closed_at")
        .first()
    )


@dataclass
class Feedback:
    """The latest closed 360, built once under the anonymity rules (``leadership.report``)."""

    cycle: FeedbackCycle
    items: list[report_rules.Item]
    built: report_rules.Report


def latest_feedback(person: Person) -> Feedback | None:
    cycle = latest_cycle(person)
    if cycle is None:
        return None
    items, raters = report_inputs(cycle)
    return Feedback(cycle, items, report_rules.build(items, raters))


def gaps(
    person: Person,
    role: PostType,
    *,
    loaded: tuple[list[SelfAssessment], Feedback | None] | None = None,
) -> list[suggest.Gap]:
    """Where the doctor falls short of what ``role`` expects: each self-rating below the framework's expected
    level for the role, and each item on which 360 raters' mean (under the anonymity rules) falls below it.
    Pass ``loaded`` (the latest assessments and feedback) when already loaded."""
    assessments, fb = loaded if loaded is not None else (latest_assessments(person), latest_feedback(person))
    out: list[suggest.Gap] = []
    for a in assessments:
        target = a.framework.targets.get(role.code)
        if not target:
            continue
        scale = a.framework.scale
        for r in a.ratings.all():
            if r.level and r.level < target:
                out.append(
                    suggest.Gap(
                        item=f"{a.framework.code}/{r.item.code}",
                        label=r.item.text,
                        size=float(target - r.level),
                        source=suggest.SELF_ASSESSMENT,
                        detail=f"you rated yourself '{scale[r.level - 1]}' in your self-assessment; the "
                        f"{role.name.lower()} role expects '{scale[target - 1]}'",
                        framework=a.framework.name,
                    )
                )
    if fb is not None:
        out.extend(feedback_gaps(fb, role))
    return out


def no_gap_reasons(person: Person, role: PostType) -> list[str]:
    """Why no gap was found for ``role``, in words, one sentence for each submitted self-assessment and 360 (a
    framework that sets no level for the role, or every item rated at or above it), or that there is nothing yet
    to compare. For a page that found no gaps; three queries."""
    assessments, cycle = latest_assessments(person), latest_cycle(person)
    if not assessments and cycle is None:
        return [
            "You have not submitted a self-assessment or had 360 feedback yet, so there is nothing to compare with "
            f"what the {role.name.lower()} role expects."
        ]
    out = []
    for a in assessments:
        target = a.framework.targets.get(role.code)
        when = f"Your self-assessment on the {a.framework.name} (submitted {a.submitted_at:%-d %B %Y})"
        if not target:
            out.append(f"{when} cannot show gaps: the framework sets no level for the {role.name.lower()} role.")
            continue
        rated = [r for r in a.ratings.all() if r.level]
        if not rated:
            out.append(f"{when}: you rated no items.")
        else:
            out.append(
                f"{when}: on all {len(rated)} items you rated, you rated yourself at or above "
                f"'{a.framework.scale[target - 1]}', the level the {role.name.lower()} role expects."
            )
    if cycle is not None:
        out.append(
            f"Your 360 feedback on the {cycle.framework.name} (closed {cycle.closed_at:%-d %B %Y}): your raters' "
            "means are at or above what the role expects on every item the anonymity rules let medlead show."
        )
    return out


def feedback_gaps(feedback: Feedback, role: PostType) -> list[suggest.Gap]:
    cycle, items, built = feedback.cycle, feedback.items, feedback.built
    scale = cycle.framework.scale
    target = cycle.framework.targets.get(role.code)
    expected = target or (len(scale) + 1) / 2
    expects = (
        f"the {role.name.lower()} role expects {target} of {len(scale)} ('{scale[target - 1]}')"
        if target
        else f"the framework sets no level for the {role.name.lower()} role, so the middle of the scale "
        f"({expected:g} of {len(scale)}) is taken"
    )
    by_id = {i.id: i for i in items}
    codes = dict(FrameworkItem.objects.filter(framework=cycle.framework).values_list("pk", "code"))
    out = []
    for item_id, means in built.item_means.items():
        mean = means.get(report_rules.ALL)
        if mean is None:
            continue  # too few raters: nothing may be said
        size = expected - mean + (0.5 if item_id in built.blind_spots else 0)
        if size > 0:
            out.append(
                suggest.Gap(
                    item=f"{cycle.framework.code}/{codes[item_id]}",
                    label=by_id[item_id].text,
                    size=round(size, 2),
                    source=suggest.FEEDBACK_360,
                    detail=f"your 360 raters' mean is {mean:.1f} of {len(scale)}; {expects}"
                    + ("; you rate yourself higher than others do" if item_id in built.blind_spots else ""),
                    framework=cycle.framework.name,
                )
            )
    return out


def candidates() -> list[suggest.Candidate]:
    return [
        suggest.Candidate(
            code=o.code,
            title=o.title,
            builds=frozenset(f"{i.framework.code}/{i.code}" for i in o.items.all()),
            roles=frozenset(o.roles),
            audience=frozenset(o.audience),
            effort=o.effort,
        )
        for o in Opportunity.objects.prefetch_related(
            Prefetch("items", queryset=FrameworkItem.objects.select_related("framework"))
        ).order_by("pk")
    ]


def catalogue_rows() -> list[dict[str, Any]]:
    """The catalogue as plain rows (for the API and exports), each with the items it builds."""
    return [
        {
            "code": o.code,
            "title": o.title,
            "category": o.category,
            "description": o.description,
            "source": o.source,
            "effort": o.effort,
            "duration": o.duration,
            "audience": o.audience,
            "roles": o.roles,
            "builds": [f"{i.framework.code}/{i.code}" for i in o.items.all()],
        }
        for o in Opportunity.objects.prefetch_related(
            Prefetch("items", queryset=FrameworkItem.objects.select_related("framework"))
        )
    ]


def done_codes(person: Person) -> set[str]:
    """Opportunities already done (experience log) or already planned (an open action in a current PDP)."""
    done = set(
        Experience.objects.filter(person=person, opportunity__isnull=False).values_list("opportunity__code", flat=True)
    )
    done |= set(
        DevelopmentPlan.objects.filter(person=person)
        .exclude(status=PlanStatus.CLOSED)
        .filter(goals__actions__opportunity__isnull=False)
        .values_list("goals__actions__opportunity__code", flat=True)
    )
    return done


def suggestions(person: Person, role: PostType, *, limit: int = 8) -> tuple[list[suggest.Gap], list[Any]]:
    found = gaps(person, role)
    ranked = suggest.rank(
        found,
        candidates(),
        target_role=role.code,
        target_label=role.name.lower(),
        audience=audience_of(person),
        done=done_codes(person),
        limit=limit,
    )
    opps = Opportunity.objects.in_bulk([s.code for s in ranked], field_name="code")
    return found, [{"s": s, "o": opps[s.code]} for s in ranked]


def current_plan(person: Person) -> DevelopmentPlan | None:
    return DevelopmentPlan.objects.filter(person=person).exclude(status=PlanStatus.CLOSED).first()


def plan_progress(plan: DevelopmentPlan) -> dict[str, int]:
    counts = plan.goals.aggregate(
        total=Count("actions", filter=~Q(actions__status=ActionStatus.DROPPED)),
        done=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
    )
    return {"total": counts["total"] or 0, "done": counts["done"] or 0}


def evidence_counts(person: Person) -> dict[int, int]:
    """Experience-log entries per framework item: evidence for self-assessment and readiness."""
    return dict(
        Experience.objects.filter(person=person)
        .values_list("items")
        .annotate(n=Count("pk"))
        .exclude(items__isnull=True)
        .values_list("items", "n")
    )


# --------------------------------------------------------------------------------------------- mentoring


def mentor_matches(
    person: Person, role: PostType | None, *, limit: int = 5, bank: bool = False, found: list[suggest.Gap] | None = None
) -> list[dict[str, Any]]:
    """Active mentors and coaches with capacity left, outside the mentee's line management, ranked by how well
    their areas of expertise cover the mentee's gaps (and current or former medical directors first for a
    medical director's target role: nhsi-fmlm-2017 s3, 'especially one who is or has been a medical director').
    From the mentee's own trust's register, or with ``bank`` from the region's bank (other trusts' mentors offered to
    the region, issue 34). ``found``: the mentee's gaps for ``role``, where the caller has them."""
    if found is None:
        found = gaps(person, role) if role else []
    need: dict[str, float] = defaultdict(float)
    labels = {}
    for g in found:
        need[g.item] += g.size
        labels[g.item] = g.label
    managers = line_managers(person) if not bank else set()
    mentors = (
        regional_bank(person.trust)
        if bank
        else Mentor.objects.filter(trust_id=person.trust_id, active=True).select_related("person")
    )
    mentors = (
        mentors.exclude(person=person)
        .prefetch_related(Prefetch("items", queryset=FrameworkItem.objects.select_related("framework")))
        .annotate(
            load=Count(
                "mentorships", filter=Q(mentorships__status__in=[MentorshipStatus.ACTIVE, MentorshipStatus.REQUESTED])
            )
        )
    )
    out: list[dict[str, Any]] = []
    for m in mentors:
        if m.person_id in managers:
            continue
        left = m.capacity - m.load
        if left <= 0:
            continue
        covers = [f"{i.framework.code}/{i.code}" for i in m.items.all()]
        matched = [c for c in covers if c in need]
        score = sum(need[c] for c in matched)
        reasons = [f"Experienced in '{labels[c]}', one of your gaps." for c in matched]
        if role is not None and role.code == "medical_director" and m.md_experience:
            score += 2
            reasons.append(f"{m.get_md_experience_display()}.")
        out.append({"mentor": m, "score": round(score, 2), "reasons": reasons, "capacity_left": left})
    out.sort(key=lambda r: (-r["score"], r["mentor"].display_name))
    return out[:limit]


def regional_bank(trust: Trust) -> QuerySet[Mentor]:
    """The region's mentor and coach bank as this trust's doctors see it: the active mentors other trusts of its
    region have offered to the region (its own trust's register lists its own)."""
    if trust.region_id is None:
        return Mentor.objects.none()
    return (
        Mentor.objects.filter(in_regional_bank=True, active=True, trust__region_id=trust.region_id)
        .exclude(trust=trust)
        .select_related("person", "trust")
        .order_by("trust__name", "name", "person__last_name", "pk")
    )


def in_regions_bank(mentor: Mentor, trust: Trust) -> bool:
    """Whether ``mentor`` is in the bank of ``trust``'s region, offered by another trust of it."""
    return regional_bank(trust).filter(pk=mentor.pk).exists()


def mentorships_for(person: Person) -> QuerySet[Mentorship]:
    return Mentorship.objects.filter(Q(mentee=person) | Q(mentor__person=person)).select_related(
        "mentee", "mentor__person"
    )


# --------------------------------------------------------------------------------------------- openings


def openings_for(trust: Trust) -> QuerySet[Opening]:
    """The openings this trust's doctors see: its own, and those other trusts published to it (issue 34)."""
    return (
        Opening.objects.filter(Q(trust=trust) | Q(publications__to_trust=trust))
        .distinct()
        .select_related("opportunity", "trust")
    )


def open_openings(trust: Trust, today: dt.date) -> QuerySet[Opening]:
    return openings_for(trust).filter(status=OpeningStatus.OPEN, closes_on__gte=today)


def past_openings(trust: Trust, today: dt.date, limit: int = 20) -> list[Opening]:
    return list(openings_for(trust).exclude(status=OpeningStatus.OPEN, closes_on__gte=today)[:limit])


def shared_applications(trust: Trust) -> QuerySet[Interest]:
    """Applications of this trust's doctors to other trusts' openings that their applicants shared with it."""
    return (
        Interest.objects.filter(person__trust=trust, shared_with_home=True)
        .exclude(opening__trust=trust)
        .select_related("person__trust", "opening__trust")
        .order_by("-created_at")
    )


def publishable_trusts(actor: Any, opening: Opening) -> QuerySet[Trust]:
    """The trusts ``actor`` may publish ``opening`` to, not yet published to: the other trusts of the opening's region,
    for its trust's medical director or an associate and for the region's medical director. (``PUBLISH_OPENING`` says
    who may publish at all.) The region, not the installation: on a national installation a list of every trust would
    be hundreds of choices, and development across trusts is organised by region."""
    held = roles_for(actor, opening)
    roles = {str(Role.MEDICAL_DIRECTOR), str(Role.ASSOCIATE_MEDICAL_DIRECTOR), str(Role.REGIONAL_MEDICAL_DIRECTOR)}
    if not held & roles or opening.trust.region_id is None:
        return Trust.objects.none()
    trusts = Trust.objects.filter(region_id=opening.trust.region_id)
    return (
        trusts.exclude(pk=opening.trust_id)
        .exclude(openings_published_here__opening=opening)
        .select_related("region")
        .order_by("region__name", "name")
    )


# ------------------------------------------------------------------------------------------- readiness


def readiness(person: Person, role: PostType) -> dict[str, Any]:
    """Everything in the readiness report for ``role``: self-assessment against the role, the latest 360's
    summary (built under the anonymity rules), the experience log and evidence, and PDP progress."""
    latest = latest_assessments(person)
    assessments = []
    for a in latest:
        target = a.framework.targets.get(role.code)
        if not target:
            continue
        ratings = {r.item_id: r for r in a.ratings.all()}
        rows = []
        for item in a.framework.items.all():
            r = ratings.get(item.pk)
            rows.append(
                {"item": item, "level": r.level if r else None, "met": bool(r and r.level and r.level >= target)}
            )
        assessments.append({"a": a, "target": target, "rows": rows, "met": sum(1 for x in rows if x["met"])})
    fb = latest_feedback(person)
    feedback = None
    if fb is not None:
        feedback = {
            "cycle": fb.cycle,
            "groups": [g for g in fb.built.groups if g.key != report_rules.SELF],
            "domain_means": fb.built.domain_means,
            "strengths": [i.text for i in fb.items if i.id in fb.built.strengths],
            "blind_spots": [i.text for i in fb.items if i.id in fb.built.blind_spots],
        }
    plan = current_plan(person)
    experiences = list(Experience.objects.filter(person=person).prefetch_related("items").select_related("opportunity"))
    item_ids = {i.pk for a in assessments for i in (row["item"] for row in a["rows"])}
    return {
        "person": person,
        "role": role,
        "assessments": assessments,
        "feedback": feedback,
        "plan": plan,
        "progress": plan_progress(plan) if plan else None,
        "experiences": experiences,
        "evidenced_items": len({i.pk for e in experiences for i in e.items.all()} & item_ids),
        "gaps": gaps(person, role, loaded=(latest, fb)),
    }


def shares_for(person: Person) -> QuerySet[ReadinessShare]:
    return ReadinessShare.objects.filter(person=person, revoked_at__isnull=True).select_related(
        "shared_with", "target_role"
    )


def shared_with_me(person: Person) -> QuerySet[ReadinessShare]:
    return ReadinessShare.objects.filter(shared_with=person, revoked_at__isnull=True).select_related(
        "person", "target_role"
    )


# A "large management post" for the exit and re-entry plan: 4 or more PAs a week of management time (about
# two days), or a board post. A local default: the sources ask for exit and re-entry routes (nhsconfed-2009)
# but define no size.
LARGE_POST_PAS = 4


def holds_large_post(person: Person) -> tuple[bool, Decimal]:
    """Whether the person's current posts call for an exit and re-entry plan, and their management PAs."""
    held = person.holdings.filter(end__isnull=True).select_related("post__post_type")
    management_pas = sum((h.post.pas_allocated for h in held), Decimal(0))
    return management_pas >= LARGE_POST_PAS or any(h.post.post_type.board for h in held), management_pas


def agreer_choices(person: Person) -> QuerySet[Person]:
    """Who may agree a doctor's development plan: their line managers and their active mentors."""
    mentors = Mentorship.objects.filter(mentee=person, status=MentorshipStatus.ACTIVE).values_list(
        "mentor__person_id", flat=True
    )
    ids = set(line_managers(person)) | {m for m in mentors if m}
    return Person.objects.filter(pk__in=ids).order_by("last_name", "first_name")
