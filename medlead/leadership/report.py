"""The 360 report under the anonymity rules. Pure: no Django import.

Rules (issue 3; HLM practice in leadership-frameworks.md section 1):
- MIN_GROUP = 3. A rater group other than the line manager is shown on its own only with at least 3
  respondents; smaller groups are folded together into "Others (combined)", itself shown only with at least 3.
- The line manager is shown on their own: they are told at invitation that their answers are identifiable
  (LF360: "anonymity of all raters (excluding line managers) is protected", [S10]).
- "All raters" is the union of the groups shown, so no difference of shown figures isolates anyone; the
  answers of raters in no shown group influence no figure at all (their count is still reported).
- Comments are shown without names, sorted, and only from raters counted in a shown group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

MIN_GROUP = 3
SELF, LINE_MANAGER, OTHERS, ALL = "self", "line_manager", "others_combined", "all_raters"
SMALL_GROUPS_FOLD = ("peer", "direct_report", "other", "patient")
LABELS = {
    SELF: "Self",
    LINE_MANAGER: "Line manager",
    "peer": "Peers",
    "direct_report": "Direct reports",
    "other": "Other colleagues",
    "patient": "Patients",
    OTHERS: "Others (combined)",
    ALL: "All raters",
}


@dataclass(frozen=True)
class Item:
    id: int
    domain: str
    text: str


@dataclass(frozen=True)
class RaterAnswers:
    id: int
    group: str
    answers: Mapping[int, tuple[int | None, int | None]]  # item id -> (behaviour, importance)
    comment: str = ""


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    contributors: frozenset[int]

    @property
    def n(self) -> int:
        return len(self.contributors)


@dataclass
class Report:
    groups: list[Group]
    counts: dict[str, int]
    item_means: dict[int, dict[str, float | None]]
    importance: dict[int, float | None]
    domain_means: dict[str, dict[str, float | None]]
    strengths: list[int] = field(default_factory=list)
    blind_spots: list[int] = field(default_factory=list)
    hidden_strengths: list[int] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def _mean(values: Sequence[int | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(sum(present) / len(present), 2) if present else None


def build(items: Sequence[Item], raters: Sequence[RaterAnswers]) -> Report:
    by_group: dict[str, list[RaterAnswers]] = {}
    for r in raters:
        by_group.setdefault(r.group, []).append(r)
    counts = {g: len(rs) for g, rs in by_group.items()}
    shown: list[Group] = []
    if by_group.get(SELF):
        shown.append(Group(SELF, LABELS[SELF], frozenset(r.id for r in by_group[SELF])))
    if by_group.get(LINE_MANAGER):
        shown.append(Group(LINE_MANAGER, LABELS[LINE_MANAGER], frozenset(r.id for r in by_group[LINE_MANAGER])))
    residual: set[int] = set()
    for g in SMALL_GROUPS_FOLD:
        members = by_group.get(g, [])
        if len(members) >= MIN_GROUP:
            shown.append(Group(g, LABELS[g], frozenset(r.id for r in members)))
        else:
            residual.update(r.id for r in members)
    if len(residual) >= MIN_GROUP:
        shown.append(Group(OTHERS, LABELS[OTHERS], frozenset(residual)))
    everyone = frozenset().union(*(g.contributors for g in shown if g.key != SELF))
    if everyone:
        shown.append(Group(ALL, LABELS[ALL], everyone))

    answers = {r.id: r.answers for r in raters}
    item_means: dict[int, dict[str, float | None]] = {}
    importance: dict[int, float | None] = {}
    for item in items:
        item_means[item.id] = {
            g.key: _mean([answers[rid].get(item.id, (None, None))[0] for rid in sorted(g.contributors)]) for g in shown
        }
        importance[item.id] = _mean([answers[rid].get(item.id, (None, None))[1] for rid in sorted(everyone)])
    domain_means: dict[str, dict[str, float | None]] = {}
    for domain in dict.fromkeys(i.domain for i in items):
        domain_items = [i.id for i in items if i.domain == domain]
        domain_means[domain] = {
            g.key: _mean(
                [answers[rid].get(iid, (None, None))[0] for rid in sorted(g.contributors) for iid in domain_items]
            )
            for g in shown
        }

    others = {i: m.get(ALL) for i, m in item_means.items()}
    rated = [i for i, v in others.items() if v is not None]
    strengths = sorted(rated, key=lambda i: (-(others[i] or 0), i))[:3]
    gaps = [
        (i, (item_means[i].get(SELF) or 0) - (others[i] or 0)) for i in rated if item_means[i].get(SELF) is not None
    ]
    blind = [i for i, d in sorted(gaps, key=lambda p: (-p[1], p[0])) if d > 0][:3]
    hidden = [i for i, d in sorted(gaps, key=lambda p: (p[1], p[0])) if d < 0][:3]
    comments = sorted(r.comment.strip() for r in raters if r.id in everyone and r.comment.strip())
    return Report(shown, counts, item_means, importance, domain_means, strengths, blind, hidden, comments)
