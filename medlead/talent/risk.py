"""Succession risk for a medical management post. Pure: no Django.

The sources ask for talent spotting and a career path into and out of these posts (nhsconfed-2009) but give no
scoring method; this one is medlead's own, so every flag carries its reason:
- no named successor at all: 3 points; only successors 3 or more years away: 2; nearest 1–2 years away: 1;
  someone ready now: 0. A post is *at risk* when nobody is ready now or within 1–2 years.
- plus 1 when the post is vacant or held by an interim, or its holder's term ends within a year;
- plus 1 for a board post (the medical director), whose gap the trust feels most.
Posts are listed highest score first, then by seniority.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

READY_NOW, ONE_TO_TWO, THREE_PLUS = "now", "1-2", "3+"
ENDING_SOON_DAYS = 365


@dataclass(frozen=True)
class PostFacts:
    post_id: int
    level: int
    board: bool
    vacant: bool
    interim: bool
    term_ends: dt.date | None
    readiness: tuple[str, ...]  # of each named successor


@dataclass
class Risk:
    post_id: int
    score: int
    at_risk: bool
    reasons: list[str] = field(default_factory=list)


def assess(p: PostFacts, today: dt.date) -> Risk:
    r = set(p.readiness)
    reasons = []
    if not r:
        score, reasons = 3, ["No successor is named."]
    elif READY_NOW in r:
        score = 0
    elif ONE_TO_TWO in r:
        score, reasons = 1, ["Nobody is ready now; the nearest successor is 1–2 years away."]
    else:
        score, reasons = 2, ["The only successors are 3 or more years away."]
    at_risk = score >= 2
    if p.vacant:
        score += 1
        reasons.append("The post is vacant.")
    elif p.interim:
        score += 1
        reasons.append("The post is held by an interim.")
    elif p.term_ends is not None and (p.term_ends - today).days <= ENDING_SOON_DAYS:
        score += 1
        reasons.append(f"The holder's term ends on {p.term_ends:%d %B %Y}.")
    if p.board and score:
        score += 1
        reasons.append("It is a board post.")
    return Risk(p.post_id, score, at_risk, reasons)


def rank(posts: Iterable[PostFacts], today: dt.date) -> list[Risk]:
    levels = {}
    out = []
    for p in posts:
        levels[p.post_id] = p.level
        out.append(assess(p, today))
    return sorted(out, key=lambda r: (-r.score, -levels[r.post_id], r.post_id))
