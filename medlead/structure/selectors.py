"""Reads of the medical management structure for one trust, in a fixed, small number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from medlead.core import kept
from medlead.core.dates import today
from medlead.core.reference_data import cited
from medlead.organisation.models import SENIOR_GRADES, TRAINEE_GRADES, Person, Trust
from medlead.organisation.selectors import people
from medlead.structure import health, reference_data
from medlead.structure.hooks import TIME_IN_JOB_PLANS
from medlead.structure.models import (
    DottedLine,
    Holding,
    PortfolioAssignment,
    PortfolioFunction,
    Post,
    Secondment,
    SecondmentStatus,
)


def current_holdings(*, trust: Trust, on: dt.date | None = None) -> QuerySet[Holding]:
    on = on or today()
    return (
        Holding.objects.filter(trust=trust, start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .select_related("person")
    )


def holder_name(*, trust: Trust, post_type: str) -> str:
    """The name of whoever holds a post of ``post_type`` now (the responsible officer, the guardian), for the
    documents they sign; several holders are joined; "" when the post is vacant or absent."""
    names = [
        h.person.display_name
        for h in current_holdings(trust=trust).filter(post__post_type__code=post_type).order_by("start")
    ]
    return " and ".join(names)


def posts(
    *,
    trust: Trust,
    division_id: int | None = None,
    post_type: str = "",
    vacant: bool = False,
    holders: dict[int, list[Holding]] | None = None,
) -> list[Post]:
    """Posts with their current holders attached as ``post.current_holders`` (two queries; one where the caller has
    ``holders``, ``holders_by_post(trust)``, already)."""
    qs = Post.objects.filter(trust=trust).select_related("post_type", "division", "specialty", "reports_to")
    if division_id:
        qs = qs.filter(division_id=division_id)
    if post_type:
        qs = qs.filter(post_type__code=post_type)
    holders = holders_by_post(trust) if holders is None else holders
    result = []
    for post in qs:
        post.current_holders = holders.get(post.pk, [])  # type: ignore[attr-defined]
        if vacant and post.current_holders:  # type: ignore[attr-defined]
            continue
        result.append(post)
    return result


@dataclass(frozen=True)
class PostPage:
    """One post with its holders (all, latest first, and which hold it today), its direct reports, dotted lines,
    portfolio and what is said beside a seconded holder: the same for everyone who may see the trust."""

    post: Post
    current_ids: set[int]
    holdings: list[Holding]
    direct_reports: list[Post]
    dotted: list[DottedLine]
    portfolio: list[PortfolioAssignment]
    notes: dict[tuple[int, int], str]


def post_page(trust: Trust, pk: int, on: dt.date) -> PostPage:
    """``PostPage`` on ``on``, kept for everyone who may see it (``core.kept``) until a post, a holder, a line, a
    portfolio assignment or a secondment changes; ``Http404`` for a post the trust does not have."""

    def build() -> PostPage:
        post = get_object_or_404(
            Post.objects.select_related("post_type", "division", "specialty", "reports_to"), trust=trust, pk=pk
        )
        return PostPage(
            post=post,
            current_ids={h.pk for h in current_holdings(trust=trust, on=on).filter(post=post)},
            holdings=list(post.holdings.select_related("person__trust").order_by("-start")),  # the page asks of each
            direct_reports=list(post.direct_reports.select_related("post_type").order_by("title")),
            dotted=list(post.dotted_lines.select_related("to_post")),
            portfolio=list(post.portfolio.select_related("function")),
            notes=secondment_notes(trust=trust, on=on),
        )

    return kept.kept(("structure:post", trust.pk, pk, on), build)


def holders_by_post(trust: Trust, on: dt.date | None = None) -> dict[int, list[Holding]]:
    by_post: dict[int, list[Holding]] = defaultdict(list)
    for h in current_holdings(trust=trust, on=on).order_by("start"):
        by_post[h.post_id].append(h)
    return by_post


@dataclass(frozen=True)
class PostRow:
    """One post of a trust as the pages built from many parts read it (``trust_posts``): enough for structure
    health, line management and succession risk, each without reading the posts again."""

    id: int
    title: str
    type_code: str
    management: bool
    level: int
    board: bool
    pas_allocated: Decimal | None
    pas_required: Decimal | None
    has_job_description: bool
    reports_to_id: int | None
    division_id: int | None
    specialty_id: int | None


def trust_posts(trust: Trust | int) -> list[PostRow]:
    """Every post of the trust (one query)."""
    return [
        PostRow(*row)
        for row in Post.objects.filter(trust=trust).values_list(
            "id",
            "title",
            "post_type__code",
            "post_type__management",
            "post_type__level",
            "post_type__board",
            "pas_allocated",
            "pas_required",
            "has_job_description",
            "reports_to_id",
            "division_id",
            "specialty_id",
        )
    ]


def post_infos(
    *,
    trust: Trust,
    on: dt.date | None = None,
    holders: dict[int, list[Holding]] | None = None,
    posts: list[PostRow] | None = None,
) -> list[health.PostInfo]:
    """``holders``: ``holders_by_post(trust, on)``, and ``posts``: ``trust_posts(trust)``, where the caller has them
    already."""
    holders = holders_by_post(trust, on) if holders is None else holders
    rows = trust_posts(trust) if posts is None else posts
    # what the medical director's holders' job plans give the role, beside what the post allocates
    planned = TIME_IN_JOB_PLANS(trust, [p.id for p in rows if p.type_code == "medical_director"])
    return [
        health.PostInfo(
            id=p.id,
            title=p.title,
            type_code=p.type_code,
            management=p.management,
            pas_allocated=p.pas_allocated or Decimal("0"),
            pas_required=p.pas_required,
            has_job_description=p.has_job_description,
            reports_to_id=p.reports_to_id,
            holders=tuple(
                health.HolderInfo(h.person_id, h.person.display_name, h.interim, planned.get(p.id, {}).get(h.person_id))
                for h in holders.get(p.id, [])
            ),
        )
        for p in rows
    ]


def portfolio(*, trust: Trust) -> list[dict[str, Any]]:
    """Every portfolio function with the post (if any) that holds it in this trust."""
    assigned = {a.function_id: a.post for a in PortfolioAssignment.objects.filter(trust=trust).select_related("post")}
    return [{"function": f, "post": assigned.get(f.pk)} for f in PortfolioFunction.objects.select_related("area").all()]


def function_infos(*, trust: Trust) -> list[health.FunctionInfo]:
    """Every portfolio function, in ``portfolio``'s order, with the post that holds it in this trust (one query: a
    trust assigns a function to one post at most)."""
    assigned = PortfolioAssignment.objects.filter(trust=trust, function=OuterRef("pk")).values("post_id")[:1]
    return [
        health.FunctionInfo(code=code, name=name, area=area, post_id=post_id)
        for code, name, area, post_id in PortfolioFunction.objects.annotate(post=Subquery(assigned)).values_list(
            "code", "name", "area__name", "post"
        )
    ]


def health_rules() -> dict[str, health.Rule]:
    return {
        rule_id: health.Rule(rule_id, spec["value"], " ".join(cited(spec).split()))
        for rule_id, spec in reference_data.structure_rules().items()
    }


def structure_health(
    *,
    trust: Trust,
    on: dt.date | None = None,
    holders: dict[int, list[Holding]] | None = None,
    posts: list[PostRow] | None = None,
) -> list[health.Finding]:
    return health.assess(
        post_infos(trust=trust, on=on, holders=holders, posts=posts), function_infos(trust=trust), health_rules()
    )


def findings_on(
    trust: Trust, on: dt.date, build: Callable[[], list[health.Finding]] | None = None
) -> list[health.Finding]:
    """The trust's structure health on ``on``: the same for everyone who may see it, so kept once for all of them
    (``core.kept``) until a post, a holder, a job plan, a portfolio assignment or the rules change. ``build``: where
    the caller has the posts and their holders already."""
    return kept.kept(("structure:health", trust.pk, on), build or (lambda: structure_health(trust=trust, on=on)))


class StructureToday:
    """One trust's posts, post holders and structure health findings on one day, each read at most once: for a page
    built from several pictures that use them (the trust's home page: "What needs you" and the board's picture)."""

    def __init__(self, trust: Trust, on: dt.date) -> None:
        self.trust, self.on = trust, on

    @cached_property
    def holders(self) -> dict[int, list[Holding]]:
        return holders_by_post(self.trust, self.on)

    @cached_property
    def posts(self) -> list[PostRow]:
        return trust_posts(self.trust)

    @cached_property
    def findings(self) -> list[health.Finding]:
        return findings_on(
            self.trust,
            self.on,
            lambda: structure_health(trust=self.trust, on=self.on, holders=self.holders, posts=self.posts),
        )


def org_chart(*, trust: Trust, on: dt.date | None = None) -> dict[str, Any]:
    """The posts of one trust as chart nodes with their holders and reporting lines on ``on`` (today unless given),
    the same for everyone who may see the trust: kept (``core.kept``) until a post, a holder or a line changes
    (three queries when built)."""
    on = on or today()
    return kept.kept(("structure:chart", trust.pk, on), lambda: _org_chart(trust, on))


def _org_chart(trust: Trust, on: dt.date) -> dict[str, Any]:
    holders = holders_by_post(trust, on)
    nodes = []
    for post in (
        Post.objects.filter(trust=trust).select_related("post_type", "division").order_by("-post_type__level", "title")
    ):
        nodes.append(
            {
                "id": post.pk,
                "code": post.code,
                "title": post.title,
                "type": post.post_type.code,
                "type_name": post.post_type.name,
                "division": post.division.name if post.division else None,
                "division_id": post.division_id,
                "pas": str(post.pas_allocated),
                "reports_to": post.reports_to_id,
                "holders": [
                    {"name": h.person.display_name, "person_id": h.person_id, "interim": h.interim}
                    for h in holders.get(post.pk, [])
                ],
            }
        )
    dotted = list(DottedLine.objects.filter(trust=trust).values_list("post_id", "to_post_id"))
    return {
        "trust": {"code": trust.code, "name": trust.name},
        "nodes": nodes,
        "dotted_lines": [{"from": a, "to": b} for a, b in dotted],
    }


def post_tree(chart: dict[str, Any]) -> list[dict[str, Any]]:
    """The chart's nodes as a forest (roots first), each node with ``children``: for the list view."""
    nodes = {n["id"]: {**n, "children": []} for n in chart["nodes"]}
    roots: list[dict[str, Any]] = []
    for node in nodes.values():
        parent = nodes.get(node["reports_to"]) if node["reports_to"] else None
        (parent["children"] if parent else roots).append(node)
    return roots


def line_managers(person: Any) -> set[int]:
    """The people in ``person``'s line management: the holders of the management posts over their specialty or
    division, and of every post above those (and above the posts the person holds) up the reporting lines.
    Three queries."""
    return line_managers_of([person])[person.pk]


def line_managers_of(
    people: list[Any], holders: dict[int, list[Holding]] | None = None, posts: list[PostRow] | None = None
) -> dict[int, set[int]]:
    """``line_managers`` for several people of one trust at once, in the same three queries (none given today's
    ``holders``, as ``holders_by_post(trust)``, and ``posts``, as ``trust_posts(trust)``)."""
    if not people:
        return {}
    by_id = {p.id: p for p in (trust_posts(people[0].trust_id) if posts is None else posts)}
    if holders is None:
        holders = holders_by_post(people[0].trust)
    out = {}
    for person in people:
        division_id = person.specialty.division_id if person.specialty_id else None
        start = {
            pid
            for pid, p in by_id.items()
            if (person.specialty_id and p.specialty_id == person.specialty_id)
            or (division_id and p.division_id == division_id and p.specialty_id is None)
        }
        own = {pid for pid, hs in holders.items() if any(h.person_id == person.pk for h in hs)}
        over: set[int] = set()
        frontier = [by_id[pid].reports_to_id for pid in own] + [pid for pid in start if pid not in own]
        while frontier:
            pid = frontier.pop()
            if pid is None or pid in over or pid not in by_id:
                continue
            over.add(pid)
            frontier.append(by_id[pid].reports_to_id)
        out[person.pk] = {h.person_id for pid in over for h in holders.get(pid, [])} - {person.pk}
    return out


def people_to_pick(*, trust: Trust, search: str, scope: str = "all", limit: int = 10) -> list[Person]:
    """Suggestions for the person picker: active people of the trust matching every word typed (name, GMC or staff
    number), with their specialty and current posts, at most ``limit``. Three queries, whatever the trust's size."""
    words = search.split()
    if not words:
        return []
    qs = people(trust=trust, search=search)
    if scope == "doctors":
        qs = qs.filter(kind="doctor")
    elif scope == "trainees":
        qs = qs.filter(grade__in=TRAINEE_GRADES)
    elif scope == "senior":
        qs = qs.filter(grade__in=SENIOR_GRADES)
    current = Holding.objects.filter(end__isnull=True).select_related("post")
    return list(
        qs.order_by("last_name", "first_name").prefetch_related(Prefetch("holdings", queryset=current, to_attr="now"))[
            :limit
        ]
    )


# ------------------------------------------------------------------------------------ secondments (issue 34)


def secondment_notes(*, trust: Trust, on: dt.date | None = None) -> dict[tuple[int, int], str]:
    """What the structure says beside a holder on a secondment agreed by both trusts, by (post id, person id): at
    home, the substantive post still held, "seconded to <host> until <date>" (so it is never counted vacant); at the
    host, "on secondment from <home> until <date>". One query, whatever the trust's size."""
    on = on or today()
    notes: dict[tuple[int, int], str] = {}
    agreed = (
        Secondment.objects.filter(status=SecondmentStatus.AGREED, ends_on__gte=on)
        .filter(Q(home_trust=trust, home_holding__isnull=False) | Q(trust=trust, host_holding__isnull=False))
        .select_related("trust", "home_trust", "home_holding", "host_holding")
    )
    for s in agreed:
        until = f"until {s.ends_on:%-d %B %Y}"
        if s.home_trust_id == trust.pk and s.home_holding is not None:
            when = f"from {s.starts_on:%-d %B %Y} " if s.starts_on > on else ""
            notes[(s.home_holding.post_id, s.home_holding.person_id)] = f"seconded to {s.trust.name} {when}{until}"
        if s.trust_id == trust.pk and s.host_holding is not None:
            notes[(s.host_holding.post_id, s.host_holding.person_id)] = (
                f"on secondment from {s.home_trust.name} {until}"
            )
    return notes


def secondments_of(trust: Trust) -> QuerySet[Secondment]:
    """The secondments into this trust (it hosts them) and out of it (its doctors', at home), newest first."""
    return (
        Secondment.objects.filter(Q(trust=trust) | Q(home_trust=trust))
        .select_related("trust", "home_trust", "host_post", "home_person", "host_person")
        .order_by("-starts_on", "-pk")
    )
