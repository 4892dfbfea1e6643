"""Reads for talent and succession: the succession plan with risk, the pipeline dashboard by division and
grade, and its diversity in aggregate only (small numbers suppressed)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from medlead.core.policy import Perm, can
from medlead.core.stats import suppress_small
from medlead.development.models import CareerPlan
from medlead.organisation.models import (
    EqualityMonitoring,
    EthnicGroup,
    Grade,
    Person,
    Region,
    Sex,
    Specialty,
    StaffKind,
    Trust,
)
from medlead.structure.models import Holding, Post, PostType
from medlead.structure.selectors import StructureToday, holders_by_post
from medlead.talent import risk
from medlead.talent.models import Nomination, NominationStatus, PoolMember, ReviewedRole, Successor, TalentReview

# Cells of fewer than this many people are suppressed in the diversity table. A local default, as NHS
# statistical releases commonly suppress counts under 5; the sources set no number.
MIN_CELL = 5


def _pct(n: int | None, total: int) -> int | None:
    return round(100 * n / total) if n is not None and total else None


def succession_plan(
    *, trust: Trust, today: dt.date, holders: dict[int, list[Holding]] | None = None
) -> list[dict[str, Any]]:
    """Every medical management post with its holders, named successors and risk; highest risk first.
    Three queries whatever the number of posts (two given ``holders``, as ``holders_by_post(trust, today)``)."""
    posts = {
        p.pk: p
        for p in Post.objects.filter(trust=trust, post_type__management=True).select_related("post_type", "division")
    }
    holders = holders_by_post(trust, today) if holders is None else holders
    successors: dict[int, list[Successor]] = defaultdict(list)
    for s in Successor.objects.filter(trust=trust).select_related("person").order_by("readiness", "person__last_name"):
        successors[s.post_id].append(s)
    facts = [
        _facts(pk, p.post_type.level, p.post_type.board, holders, [s.readiness for s in successors.get(pk, [])])
        for pk, p in posts.items()
    ]
    return [
        {
            "post": posts[r.post_id],
            "holders": holders.get(r.post_id, []),
            "successors": successors.get(r.post_id, []),
            "risk": r,
        }
        for r in risk.rank(facts, today)
    ]


def succession_risks(*, structure: StructureToday) -> list[risk.Risk]:
    """``succession_plan``'s risks alone, from a page's structure today (its posts and holders, read once for the
    page): one query, the successors' readiness."""
    readiness: dict[int, list[str]] = defaultdict(list)
    for post_id, ready in (
        Successor.objects.filter(trust=structure.trust).order_by("readiness").values_list("post_id", "readiness")
    ):
        readiness[post_id].append(ready)
    facts = [
        _facts(p.id, p.level, p.board, structure.holders, readiness.get(p.id, []))
        for p in structure.posts
        if p.management
    ]
    return risk.rank(facts, structure.on)


def _facts(
    post_id: int, level: int, board: bool, holders: dict[int, list[Holding]], readiness: list[str]
) -> risk.PostFacts:
    hs = holders.get(post_id, [])
    ends = [h.end for h in hs if h.end]
    return risk.PostFacts(
        post_id=post_id,
        level=level,
        board=board,
        vacant=not hs,
        interim=bool(hs) and all(h.interim for h in hs),
        term_ends=min(ends) if ends else None,
        readiness=tuple(readiness),
    )


def nominations(trust: Trust) -> QuerySet[Nomination]:
    return Nomination.objects.filter(trust=trust).select_related("nominee", "role", "nominated_by")


def reviews_visible_to(user: Any, trust: Trust) -> list[TalentReview]:
    qs = TalentReview.objects.filter(trust=trust).select_related("person").prefetch_related("roles__role", "reviewers")
    return [r for r in qs if can(user, Perm.VIEW_TALENT_REVIEW, r)]


def pipeline_people(trust: Trust) -> set[int]:
    """People in the pipeline: nominated (open or reviewed), reviewed as ready now or in 1–2 years for a role,
    or named as a successor."""
    ids = set(
        Nomination.objects.filter(trust=trust)
        .exclude(status=NominationStatus.CLOSED)
        .values_list("nominee_id", flat=True)
    )
    ids |= set(
        ReviewedRole.objects.filter(review__trust=trust, readiness__in=["now", "1-2"]).values_list(
            "review__person_id", flat=True
        )
    )
    ids |= set(Successor.objects.filter(trust=trust).values_list("person_id", flat=True))
    return ids


def pipeline_set(trust: Trust) -> QuerySet[Person]:
    """``pipeline_people`` as a set of people, to be counted elsewhere (the home page reads it with its other
    counts): each person once however many ways they are in the pipeline."""
    nominated = Nomination.objects.filter(trust=trust).exclude(status=NominationStatus.CLOSED).values("nominee_id")
    reviewed = ReviewedRole.objects.filter(review__trust=trust, readiness__in=["now", "1-2"]).values(
        "review__person_id"
    )
    named = Successor.objects.filter(trust=trust).values("person_id")
    return Person.objects.filter(Q(pk__in=nominated) | Q(pk__in=reviewed) | Q(pk__in=named))


def pipeline(trust: Trust) -> dict[str, Any]:
    """The pipeline by division and grade (counts of people), and its diversity against all the trust's doctors,
    in aggregate with small numbers suppressed."""
    ids = pipeline_people(trust)
    people = list(
        Person.objects.filter(trust=trust, kind=StaffKind.DOCTOR, active=True).values_list(
            "pk", "grade", "specialty__division__name"
        )
    )
    grades = [g for g in Grade.values]
    table: dict[str, Counter[str]] = defaultdict(Counter)
    for pk, grade, division in people:
        if pk in ids:
            table[division or "No division"][grade] += 1
    eq = dict(
        (pid, (sex, eth))
        for pid, sex, eth in EqualityMonitoring.objects.filter(trust=trust).values_list(
            "person_id", "sex", "ethnic_group"
        )
    )
    doctor_ids = {pk for pk, _, _ in people}

    def breakdown(index: int, choices: Any) -> list[dict[str, Any]]:
        every = Counter(eq.get(pk, (Sex.NOT_STATED, EthnicGroup.NOT_STATED))[index] for pk in doctor_ids)
        inpipe = Counter(eq.get(pk, (Sex.NOT_STATED, EthnicGroup.NOT_STATED))[index] for pk in ids & doctor_ids)
        shown_all = suppress_small({v: every.get(v, 0) for v, _ in choices}, MIN_CELL)
        shown_pipe = suppress_small({v: inpipe.get(v, 0) for v, _ in choices}, MIN_CELL)
        total_pipe = sum(inpipe.values())
        total_all = sum(every.values())
        return [
            {
                "label": label,
                "pipeline": shown_pipe[v],
                "pipeline_pct": _pct(shown_pipe[v], total_pipe),
                "doctors": shown_all[v],
                "doctors_pct": _pct(shown_all[v], total_all),
            }
            for v, label in choices
        ]

    used_grades = [g for g in grades if any(table[d][g] for d in table)]
    return {
        "total": len(ids & doctor_ids),
        "divisions": sorted(table),
        "grades": [(g, Grade(g).label) for g in used_grades],
        "table": {d: dict(c) for d, c in table.items()},
        "sex": breakdown(0, Sex.choices),
        "ethnicity": breakdown(1, EthnicGroup.choices),
        "min_cell": MIN_CELL,
    }


# ------------------------------------------------------------------------------------ the regional talent pool


def pool_member(person: Person) -> PoolMember | None:
    return PoolMember.objects.filter(person=person).first()


def pool_search(
    *,
    region: Region,
    specialty: str = "",
    grade: str = "",
    role: PostType | None = None,
    trust: Trust | None = None,
    on: dt.date,
) -> QuerySet[PoolMember]:
    """The doctors who joined ``region``'s talent pool, filtered: by specialty (its name, as each trust names its
    own), grade, target role (only of those who share it) and trust. Only what they share is read: their person
    record, trust and specialty, their current posts (``person.now``) and, for those who chose to share it, their
    career plan's target role and aspirations (``career``, None otherwise). Three queries for a page of them,
    whatever the pool's size (the caller slices it)."""
    qs = PoolMember.objects.filter(region=region).select_related("trust", "person__specialty")
    if specialty:
        qs = qs.filter(person__specialty__name=specialty)
    if grade:
        qs = qs.filter(person__grade=grade)
    if role is not None:
        qs = qs.filter(share_career=True, person__career_plan__target_role=role)
    if trust is not None:
        qs = qs.filter(trust=trust)
    current = (
        Holding.objects.filter(Q(end__isnull=True) | Q(end__gte=on), start__lte=on)
        .select_related("post")
        .order_by("post__title")
    )
    # the career plans of those who chose to share them, and no one else's
    plans = CareerPlan.objects.filter(person__talent_pool__share_career=True).select_related("target_role")
    return qs.prefetch_related(
        Prefetch("person__holdings", queryset=current, to_attr="now"),
        Prefetch("person__career_plan", queryset=plans),
    )


def pool_specialties(region: Region) -> list[str]:
    """The names of the specialties of the region's trusts, each once: the pool's specialty filter."""
    return list(
        Specialty.objects.filter(trust__region=region).order_by("name").values_list("name", flat=True).distinct()
    )
