"""Structure health: what in a trust's medical management structure needs the medical director's attention.

Pure computation, no Django import: ``medlead.structure.selectors`` turns database rows into the plain
records below and calls ``assess``. Each rule's parameters and source live in ``data/structure_rules.yaml``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True)
class HolderInfo:
    person_id: int
    name: str
    interim: bool
    # the PAs a week this year's job plan of the holder gives the post (None: no job plan gives it time)
    planned_pas: Decimal | None = None


@dataclass(frozen=True)
class PostInfo:
    id: int
    title: str
    type_code: str
    pas_allocated: Decimal
    pas_required: Decimal | None
    has_job_description: bool
    reports_to_id: int | None
    holders: tuple[HolderInfo, ...] = ()
    management: bool = True


@dataclass(frozen=True)
class FunctionInfo:
    code: str
    name: str
    area: str
    post_id: int | None


@dataclass(frozen=True)
class Rule:
    id: str
    value: Any
    source: str


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    title: str
    detail: str
    source: str
    subject: str  # "post", "person" or "function"
    subject_id: int | str
    extra: Mapping[str, Any] = field(default_factory=dict)


SEVERITY_ORDER = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


def _fmt(value: Decimal) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _md_sessions(md: PostInfo, minimum: Decimal, rule: Rule) -> Finding | None:
    """The medical director's sessions, said as both the post and its holders' job plans give them: the post's
    allocation and a job plan's time for the role can differ, and each is named for what it is."""
    planned = [h.planned_pas for h in md.holders if h.planned_pas is not None]
    in_plans = sum(planned, Decimal("0")) if planned else None
    if md.pas_allocated >= minimum and (in_plans is None or in_plans >= minimum):
        return None
    if md.pas_allocated < minimum:
        title = f"{md.title}: the post allocates {_fmt(md.pas_allocated)} sessions a week"
    else:
        title = f"{md.title}: job plans give the role {_fmt(in_plans or Decimal('0'))} sessions a week"
    holders = [
        f"{h.name}'s job plan gives it {_fmt(h.planned_pas)}"
        if h.planned_pas is not None
        else f"no job plan this year gives {h.name} time for it"
        for h in md.holders
    ]
    return Finding(
        "md_min_sessions",
        Severity.HIGH,
        title,
        f"The medical director's job is very hard to do in fewer than {_fmt(minimum)} sessions a week. The post "
        f"allocates {_fmt(md.pas_allocated)}" + "".join(f"; {h}" for h in holders) + ".",
        rule.source,
        "post",
        md.id,
    )


def assess(posts: Iterable[PostInfo], functions: Iterable[FunctionInfo], rules: Mapping[str, Rule]) -> list[Finding]:
    """Every finding for one trust, most severe first."""
    posts = list(posts)
    by_id = {p.id: p for p in posts}
    findings: list[Finding] = []
    mds = [p for p in posts if p.type_code == "medical_director"]

    if "md_min_sessions" in rules:
        rule = rules["md_min_sessions"]
        minimum = Decimal(str(rule.value))
        for md in mds:
            finding = _md_sessions(md, minimum, rule)
            if finding is not None:
                findings.append(finding)
        if not mds:
            findings.append(
                Finding(
                    "md_min_sessions",
                    Severity.HIGH,
                    "No medical director post",
                    "The trust has no medical director post recorded; every trust board has one.",
                    rule.source,
                    "post",
                    0,
                )
            )

    if "md_max_direct_clinical_directors" in rules:
        rule = rules["md_max_direct_clinical_directors"]
        for md in mds:
            direct = [p for p in posts if p.reports_to_id == md.id and p.type_code == "clinical_director"]
            if len(direct) > int(rule.value):
                findings.append(
                    Finding(
                        "md_max_direct_clinical_directors",
                        Severity.MEDIUM,
                        f"{len(direct)} clinical directors report directly to {md.title}",
                        f"More than {rule.value} clinical directors report straight to the medical director; "
                        "consider associate or divisional medical directors between them.",
                        rule.source,
                        "post",
                        md.id,
                        {"count": len(direct)},
                    )
                )

    if "vacant_or_interim" in rules:
        rule = rules["vacant_or_interim"]
        for p in posts:
            if not p.holders:
                findings.append(
                    Finding(
                        "vacant_post",
                        Severity.HIGH if p.type_code == "medical_director" else Severity.MEDIUM,
                        f"{p.title} is vacant",
                        "Nobody holds this post now.",
                        rule.source,
                        "post",
                        p.id,
                    )
                )
            elif any(h.interim for h in p.holders):
                names = ", ".join(h.name for h in p.holders if h.interim)
                findings.append(
                    Finding(
                        "interim_holder",
                        Severity.LOW,
                        f"{p.title} is held on an interim basis",
                        f"Interim holder: {names}.",
                        rule.source,
                        "post",
                        p.id,
                    )
                )

    if "post_needs_job_description" in rules:
        rule = rules["post_needs_job_description"]
        for p in posts:
            if p.management and not p.has_job_description:
                findings.append(
                    Finding(
                        "no_job_description",
                        Severity.MEDIUM,
                        f"{p.title} has no job description",
                        "A management post needs a job description that can be done in the time allowed.",
                        rule.source,
                        "post",
                        p.id,
                    )
                )

    if "post_needs_time" in rules:
        rule = rules["post_needs_time"]
        for p in posts:
            if p.management and p.pas_allocated <= 0:
                findings.append(
                    Finding(
                        "no_time_allocated",
                        Severity.MEDIUM,
                        f"{p.title} has no time allocated",
                        "The post has no programmed activities allocated in job plans.",
                        rule.source,
                        "post",
                        p.id,
                    )
                )

    if "portfolio_unheld" in rules:
        rule = rules["portfolio_unheld"]
        for f in functions:
            if f.post_id is None:
                findings.append(
                    Finding(
                        "portfolio_unheld",
                        Severity.HIGH,
                        f"Nobody holds {f.name}",
                        f"This function of the medical director's portfolio ({f.area}) is assigned to no post.",
                        rule.source,
                        "function",
                        f.code,
                    )
                )
            elif f.post_id in by_id and not by_id[f.post_id].holders:
                findings.append(
                    Finding(
                        "portfolio_vacant",
                        Severity.MEDIUM,
                        f"{f.name} sits with a vacant post",
                        f"It is assigned to {by_id[f.post_id].title}, which nobody holds now.",
                        rule.source,
                        "function",
                        f.code,
                    )
                )

    if "holder_overcommitted" in rules:
        rule = rules["holder_overcommitted"]
        need: dict[int, Decimal] = defaultdict(Decimal)
        given: dict[int, Decimal] = defaultdict(Decimal)
        holder_names: dict[int, str] = {}
        for p in posts:
            if not p.holders or p.pas_required is None:
                continue
            share = Decimal(len(p.holders))  # a job share splits the post's time between its holders
            for h in p.holders:
                need[h.person_id] += p.pas_required / share
                given[h.person_id] += p.pas_allocated / share
                holder_names[h.person_id] = h.name
        for person_id, needed in need.items():
            if needed > given[person_id]:
                findings.append(
                    Finding(
                        "holder_overcommitted",
                        Severity.MEDIUM,
                        f"{holder_names[person_id]} needs more time than allocated",
                        f"Their management posts need {_fmt(needed)} PAs a week but are allocated "
                        f"{_fmt(given[person_id])}.",
                        rule.source,
                        "person",
                        person_id,
                        {"needed": str(needed), "allocated": str(given[person_id])},
                    )
                )

    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.rule, f.title))
    return findings


def span_of_control(reports_to: Iterable[int | None]) -> dict[int, int]:
    """Direct reports (solid lines) per post id, from the post each post reports to (``None``: to no post)."""
    counts: dict[int, int] = defaultdict(int)
    for post_id in reports_to:
        if post_id is not None:
            counts[post_id] += 1
    return dict(counts)
