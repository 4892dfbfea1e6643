"""Rank development opportunities for a doctor's gaps and target role, each with its reasons. Pure: no Django.

The method (medlead's own; documented in docs/development.md and measured by ``manage.py suggestions_eval``):
- Each gap is a framework item (``<framework>/<item>``) with a size and where it came from: the doctor's
  self-assessment against the target role's expected level, or their 360 feedback.
- An opportunity scores the sum, over the gaps it builds, of the gap's size times the weight of its source
  (360 feedback counts more than a self-rating: others see us more reliably than we see ourselves, which is
  why the sources recommend 360s), plus a bonus when the catalogue lists it as suiting the target role.
- Opportunities for another audience (trainee/consultant) and those already done are left out; nothing is
  suggested for no reason at all (a score of zero).
- Ties go to the lower effort, then to the catalogue order, so the ranking is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SELF_ASSESSMENT, FEEDBACK_360 = "self_assessment", "feedback_360"
SOURCE_WEIGHT = {SELF_ASSESSMENT: 1.0, FEEDBACK_360: 1.5}
ROLE_BONUS = 1.0
EFFORT_ORDER = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class Gap:
    item: str  # "<framework code>/<item code>"
    label: str  # the item's text, for the reason
    size: float  # levels short of the expected level (or of the raters' mean for a 360 gap)
    source: str  # SELF_ASSESSMENT or FEEDBACK_360
    detail: str = ""  # where it showed and what the role expects ("you rated yourself 'Partly'; the ... expects ...")
    framework: str = ""  # the framework's name, e.g. "Healthcare Leadership Model"


@dataclass(frozen=True)
class Candidate:
    code: str
    title: str
    builds: frozenset[str]
    roles: frozenset[str] = frozenset()
    audience: frozenset[str] = frozenset({"consultant"})
    effort: str = "medium"


@dataclass
class Suggestion:
    code: str
    title: str
    score: float
    reasons: list[str] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)  # the gaps it builds, in the order of its reasons


def reason(g: Gap) -> str:
    """Why an opportunity is suggested for one gap, naming what it addresses: the framework item, the framework,
    where the gap showed and what the target role expects ("Builds 'Leading with care' (Healthcare Leadership
    Model): your 360 raters' mean is 2.1 of 4; the clinical director role expects 3 of 4.")."""
    where = f" ({g.framework})" if g.framework else ""
    found = g.detail or ("a gap in your 360 feedback" if g.source == FEEDBACK_360 else "a gap in your self-assessment")
    return f"Builds '{g.label}'{where}: {found}."


def rank(
    gaps: Sequence[Gap],
    candidates: Sequence[Candidate],
    *,
    target_role: str = "",
    target_label: str = "",
    audience: str = "consultant",
    done: Iterable[str] = (),
    limit: int | None = None,
) -> list[Suggestion]:
    done_set = set(done)
    by_item: dict[str, list[Gap]] = {}
    for g in gaps:
        if g.size > 0:
            by_item.setdefault(g.item, []).append(g)
    scored: list[tuple[float, int, int, Suggestion]] = []
    for order, c in enumerate(candidates):
        if c.code in done_set or audience not in c.audience:
            continue
        s = Suggestion(c.code, c.title, 0.0)
        built = [g for item in c.builds & by_item.keys() for g in by_item[item]]
        # the largest gap it builds first, so that each suggestion's first reason is what it is most for
        for g in sorted(built, key=lambda g: (-g.size * SOURCE_WEIGHT.get(g.source, 1.0), g.item, g.source)):
            s.score += g.size * SOURCE_WEIGHT.get(g.source, 1.0)
            s.reasons.append(reason(g))
            s.gaps.append(g)
        if target_role and target_role in c.roles:
            s.score += ROLE_BONUS
            s.reasons.append(
                f"Suits your target role: the catalogue lists it as preparation for the {target_label or target_role} "
                "role."
            )
        if s.score > 0:
            s.score = round(s.score, 3)
            scored.append((-s.score, EFFORT_ORDER.get(c.effort, 1), order, s))
    scored.sort(key=lambda t: t[:3])
    out = [t[3] for t in scored]
    return out[:limit] if limit is not None else out


def precision_at(k: int, ranked: Sequence[str], relevant: Iterable[str]) -> float:
    """The share of the first k suggestions that are relevant (k counts even when fewer are suggested)."""
    if k <= 0:
        raise ValueError("k must be positive")
    rel = set(relevant)
    return sum(1 for code in ranked[:k] if code in rel) / k
