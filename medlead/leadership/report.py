"""The 360 report under the anonymity rules. Pure: no Django import.

Rules (issue 3; HLM practice in leadership-frameworks.md section 1):
- MIN_GROUP = 3. A rater group other than the line manager is shown on its own only with at least 3
  respondents; smaller groups are folded together into "Others (combined)", itself shown only with at least 3.
- The line manager is shown on their own: they are told at invitation that their answers are identifiable
  (LF360: "anonymity of all raters (excluding line managers) is protected", [S10]).
- "All raters" is the union of the groups shown, so no difference of shown figures isolates anyone; the
  answers of raters in no shown group influence no figure at all (their count is still reported).
- Comments are shown without names, sorted, and only from raters counted in a shown group.
- Per answer, not only per respondent (issue 13): raters may skip items, so every figure is checked against the
  answers it rests on. The unit is the *cell*: one shown group's answers to one item. A cell is released when at
  least 3 of the group's raters answered the item (the line manager's and self's cells always are: they are
  identifiable and told so); its answers are then that group's item figure.
- Every other figure is built from released cells only (issue 30, item 10: differencing). A group's domain figure
  is the mean of the answers in its released cells of that domain, never of a held-back cell's answers: otherwise a
  domain whose items have different numbers of answers, less the group's visible item figures, gives back the one
  or two answers held back. "All raters" for an item or a domain is the mean of the released cells of every shown
  group but self, shown only when at least 3 anonymous answers are among them. So each shown figure is a function
  of released cells, each resting on at least 3 people or on an identifiable one, no two cells share an answer, and
  an answer the rule holds back changes no figure: no difference or combination of figures isolates anyone.
  Importance is shown only with at least 3 anonymous answers. ``notes`` says in plain words what was held back.
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
    notes: list[str] = field(default_factory=list)
    # who each shown figure rests on: item id (or domain) -> group key -> rater ids
    item_contributors: dict[int, dict[str, frozenset[int]]] = field(default_factory=dict)
    domain_contributors: dict[str, dict[str, frozenset[int]]] = field(default_factory=dict)


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
    line_manager = frozenset(r.id for r in by_group.get(LINE_MANAGER, []))

    def released(g: Group, item_id: int) -> frozenset[int]:
        """The raters of ``g`` whose answers to the item are shown: all who answered it, when the cell may be
        shown; nobody otherwise."""
        who = frozenset(rid for rid in g.contributors if answers[rid].get(item_id, (None, None))[0] is not None)
        return who if g.key in (SELF, LINE_MANAGER) or len(who) >= MIN_GROUP else frozenset()

    cells = {(g.key, i.id): released(g, i.id) for g in shown if g.key != ALL for i in items}

    def figures(item_ids: Sequence[int]) -> tuple[dict[str, float | None], dict[str, frozenset[int]]]:
        """Each shown group's mean over its released cells of these items, or None where it has none; "All raters"
        over the released cells of every group but self, or None unless they hold 3 anonymous answers."""
        means: dict[str, float | None] = {}
        used: dict[str, frozenset[int]] = {}
        pooled: list[int | None] = []
        pooled_who: set[int] = set()
        for g in shown:
            if g.key == ALL:
                continue
            values = [answers[rid][i][0] for i in item_ids for rid in sorted(cells[(g.key, i)])]
            means[g.key] = _mean(values)
            used[g.key] = frozenset().union(*(cells[(g.key, i)] for i in item_ids))
            if g.key != SELF:
                pooled.extend(values)
                pooled_who.update(used[g.key])
        if everyone:
            anonymous = [
                rid
                for i in item_ids
                for g in shown
                if g.key not in (ALL, SELF, LINE_MANAGER)
                for rid in cells[(g.key, i)]
            ]
            shown_all = len(anonymous) >= MIN_GROUP
            means[ALL] = _mean(pooled) if shown_all else None
            used[ALL] = frozenset(pooled_who) if shown_all else frozenset()
        return means, used

    item_means: dict[int, dict[str, float | None]] = {}
    item_contributors: dict[int, dict[str, frozenset[int]]] = {}
    importance: dict[int, float | None] = {}
    for item in items:
        item_means[item.id], item_contributors[item.id] = figures([item.id])
        weights = [
            (rid, answers[rid].get(item.id, (None, None))[1])
            for rid in sorted(everyone)
            if answers[rid].get(item.id, (None, None))[1] is not None
        ]
        anonymous_importance = [rid for rid, _ in weights if rid not in line_manager]
        importance[item.id] = _mean([v for _, v in weights]) if len(anonymous_importance) >= MIN_GROUP else None
    domain_means: dict[str, dict[str, float | None]] = {}
    domain_contributors: dict[str, dict[str, frozenset[int]]] = {}
    for domain in dict.fromkeys(i.domain for i in items):
        domain_items = [i.id for i in items if i.domain == domain]
        domain_means[domain], domain_contributors[domain] = figures(domain_items)

    others = {i: m.get(ALL) for i, m in item_means.items()}
    rated = [i for i, v in others.items() if v is not None]
    strengths = sorted(rated, key=lambda i: (-(others[i] or 0), i))[:3]
    gaps = [
        (i, (item_means[i].get(SELF) or 0) - (others[i] or 0)) for i in rated if item_means[i].get(SELF) is not None
    ]
    blind = [i for i, d in sorted(gaps, key=lambda p: (-p[1], p[0])) if d > 0][:3]
    hidden = [i for i, d in sorted(gaps, key=lambda p: (p[1], p[0])) if d < 0][:3]
    comments = sorted(r.comment.strip() for r in raters if r.id in everyone and r.comment.strip())
    notes = _notes(by_group, shown, item_means)
    return Report(
        shown,
        counts,
        item_means,
        importance,
        domain_means,
        strengths,
        blind,
        hidden,
        comments,
        notes,
        item_contributors,
        domain_contributors,
    )


def _people(n: int, group: str) -> str:
    label = LABELS.get(group, group).lower()
    return f"{n} of your {label}" if n != 1 else f"1 of your {label}"


def _notes(
    by_group: Mapping[str, Sequence[RaterAnswers]],
    shown: Sequence[Group],
    item_means: Mapping[int, Mapping[str, float | None]],
) -> list[str]:
    """What the report held back, in plain words: nobody's answers vanish without the reader being told."""
    keys = {g.key for g in shown}
    notes = []
    small = [(g, len(by_group.get(g, []))) for g in SMALL_GROUPS_FOLD if 0 < len(by_group.get(g, [])) < MIN_GROUP]
    if small:
        who = ", ".join(_people(n, g) for g, n in small)
        if OTHERS in keys:
            notes.append(
                f"{who} answered: fewer than 3 in a group, so their answers are shown only combined, in "
                "'Others (combined)' and 'All raters'."
            )
        else:
            notes.append(
                f"{who} answered: with fewer than 3 in all the small groups together, their answers are in no figure "
                "of this report, to keep them anonymous. Their comments are not shown either."
            )
    if any(v is None for m in item_means.values() for k, v in m.items() if k in keys and k != SELF):
        notes.append(
            "Where fewer than 3 people in a group answered an item (some skip items they have not seen), that "
            "figure is shown as '–', and their answers to it are left out of the domain figures and 'All raters' "
            "too, so that no figure can be worked back to them."
        )
    return notes
