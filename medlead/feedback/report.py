"""The colleague and patient feedback report under the anonymity rules. Pure: no Django import.

The rules are the 360's (``medlead.leadership.report``), as strict, with a threshold the trust confirms
(``data/feedback_report.yaml``, ``min_answers``: no national minimum is published below which a report is withheld,
so the value is the trust's, 3 until it says otherwise):

- Groups. Colleagues answer in a role (doctor, nurse or midwife, other clinical colleague, manager, other); a role
  with at least ``threshold`` respondents is shown on its own, smaller roles are folded together into "Other
  colleagues (combined)", itself shown only with at least ``threshold``; what is still smaller is in no figure at all
  (its count is still reported). "All colleagues" is the union of the colleague groups shown. Patients are one
  group, shown with at least ``threshold`` respondents. There is no self-rating and no identifiable rater: every
  figure rests on at least ``threshold`` people.
- Per answer (a *cell*: one shown group's answers to one question). A cell is released when at least ``threshold``
  of the group answered the question ("does not apply" and skipped answers are not answers); otherwise none of its
  answers is shown anywhere.
- Every other figure is built from released cells only: a group's domain figure is the mean of the answers in its
  released cells of the domain, "All colleagues" for a question or a domain the mean of the released cells of the
  colleague groups shown. So an answer the rule holds back changes no figure, and no difference of figures isolates
  anyone (each released cell rests on at least ``threshold`` people, and no two cells share an answer).
- Comments: only those the facilitator has released (in the facilitator's wording), only from respondents counted
  in a shown group, sorted (never in the order they came in).
- Comparison with the trust's doctors of the same grade and specialty (``compare``): over other doctors' stored
  question means (each stored only where its own figure was shown), one per doctor, and shown only when at least
  ``threshold`` doctors are in it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

DEFAULT_THRESHOLD = 3
COLLEAGUE, PATIENT = "colleague", "patient"
ROLES = ("doctor", "nurse", "allied", "manager", "other")
OTHERS, ALL_COLLEAGUES, PATIENTS = "others_combined", "all_colleagues", "patients"
LABELS = {
    "doctor": "Doctors",
    "nurse": "Nurses and midwives",
    "allied": "Other clinical colleagues",
    "manager": "Managers and administrators",
    "other": "Other colleagues",
    OTHERS: "Other colleagues (combined)",
    ALL_COLLEAGUES: "All colleagues",
    PATIENTS: "Patients",
}


@dataclass(frozen=True)
class Question:
    id: int
    kind: str  # COLLEAGUE or PATIENT: who answers it
    domain: str
    text: str


@dataclass(frozen=True)
class Respondent:
    id: int
    kind: str  # COLLEAGUE or PATIENT
    role: str  # a colleague's role (one of ROLES); "" for a patient
    answers: Mapping[int, int | None]  # question id -> a point on the scale, or None (does not apply, skipped)
    comment: str = ""  # the comment as the facilitator released it; "" when none was released


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    kind: str
    contributors: frozenset[int]

    @property
    def n(self) -> int:
        return len(self.contributors)


@dataclass
class Report:
    threshold: int
    groups: list[Group]
    counts: dict[str, int]  # responses by role (colleagues) and PATIENTS: every response received, shown or not
    question_means: dict[int, dict[str, float | None]]
    domain_means: dict[str, dict[str, float | None]]
    comments: dict[str, list[str]] = field(default_factory=dict)  # kind -> released comments, sorted
    notes: list[str] = field(default_factory=list)
    # who each shown figure rests on: question id (or domain) -> group key -> respondent ids
    question_contributors: dict[int, dict[str, frozenset[int]]] = field(default_factory=dict)
    domain_contributors: dict[str, dict[str, frozenset[int]]] = field(default_factory=dict)

    def overall(self, kind: str) -> dict[int, float | None]:
        """Question id -> the figure shown for everyone of ``kind`` (All colleagues, or Patients)."""
        key = ALL_COLLEAGUES if kind == COLLEAGUE else PATIENTS
        return {q: m.get(key) for q, m in self.question_means.items()}

    def overall_answers(self, kind: str) -> dict[int, int]:
        """Question id -> how many answers the overall figure rests on (0 where none is shown)."""
        key = ALL_COLLEAGUES if kind == COLLEAGUE else PATIENTS
        return {q: len(c.get(key, frozenset())) for q, c in self.question_contributors.items()}


def _mean(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def build(
    questions: Sequence[Question], respondents: Sequence[Respondent], threshold: int = DEFAULT_THRESHOLD
) -> Report:
    if threshold < 1:
        raise ValueError("The anonymity threshold is at least 1.")
    colleagues = [r for r in respondents if r.kind == COLLEAGUE]
    patients = [r for r in respondents if r.kind == PATIENT]
    by_role: dict[str, list[Respondent]] = {}
    for r in colleagues:
        by_role.setdefault(r.role if r.role in ROLES else "other", []).append(r)
    counts = {role: len(by_role[role]) for role in ROLES if role in by_role}
    if patients:
        counts[PATIENTS] = len(patients)

    shown: list[Group] = []
    residual: set[int] = set()
    for role in ROLES:
        members = by_role.get(role, [])
        if len(members) >= threshold:
            shown.append(Group(role, LABELS[role], COLLEAGUE, frozenset(r.id for r in members)))
        else:
            residual.update(r.id for r in members)
    if len(residual) >= threshold:
        shown.append(Group(OTHERS, LABELS[OTHERS], COLLEAGUE, frozenset(residual)))
    everyone = frozenset().union(*(g.contributors for g in shown))
    if everyone:
        shown.append(Group(ALL_COLLEAGUES, LABELS[ALL_COLLEAGUES], COLLEAGUE, everyone))
    if len(patients) >= threshold:
        shown.append(Group(PATIENTS, LABELS[PATIENTS], PATIENT, frozenset(r.id for r in patients)))

    answers = {r.id: r.answers for r in respondents}
    base = [g for g in shown if g.key != ALL_COLLEAGUES]  # the groups whose cells are built; "All" pools them

    def released(g: Group, q: Question) -> frozenset[int]:
        if q.kind != g.kind:
            return frozenset()
        who = frozenset(rid for rid in g.contributors if answers[rid].get(q.id) is not None)
        return who if len(who) >= threshold else frozenset()

    cells = {(g.key, q.id): released(g, q) for g in base for q in questions}

    def figures(qs: Sequence[Question]) -> tuple[dict[str, float | None], dict[str, frozenset[int]]]:
        means: dict[str, float | None] = {}
        used: dict[str, frozenset[int]] = {}
        pooled: list[int] = []
        pooled_who: set[int] = set()
        kinds = {q.kind for q in qs}
        for g in base:
            if g.kind not in kinds:
                continue
            values = [v for q in qs for rid in sorted(cells[(g.key, q.id)]) if (v := answers[rid][q.id]) is not None]
            means[g.key] = _mean(values)
            used[g.key] = frozenset().union(*(cells[(g.key, q.id)] for q in qs))
            if g.kind == COLLEAGUE:
                pooled.extend(values)
                pooled_who.update(used[g.key])
        if everyone and COLLEAGUE in kinds:
            ok = len(pooled) >= threshold
            means[ALL_COLLEAGUES] = _mean(pooled) if ok else None
            used[ALL_COLLEAGUES] = frozenset(pooled_who) if ok else frozenset()
        return means, used

    question_means: dict[int, dict[str, float | None]] = {}
    question_contributors: dict[int, dict[str, frozenset[int]]] = {}
    for q in questions:
        question_means[q.id], question_contributors[q.id] = figures([q])
    domain_means: dict[str, dict[str, float | None]] = {}
    domain_contributors: dict[str, dict[str, frozenset[int]]] = {}
    for domain in dict.fromkeys(q.domain for q in questions if q.domain):
        domain_means[domain], domain_contributors[domain] = figures([q for q in questions if q.domain == domain])

    shown_ids = frozenset().union(*(g.contributors for g in shown)) if shown else frozenset()
    comments = {
        kind: sorted(
            r.comment.strip() for r in respondents if r.kind == kind and r.id in shown_ids and r.comment.strip()
        )
        for kind in (COLLEAGUE, PATIENT)
    }
    return Report(
        threshold,
        shown,
        counts,
        question_means,
        domain_means,
        comments,
        _notes(by_role, len(patients), shown, question_means, threshold),
        question_contributors,
        domain_contributors,
    )


def _people(n: int, label: str) -> str:
    return f"{n} {label.lower()}"


def _notes(
    by_role: Mapping[str, Sequence[Respondent]],
    n_patients: int,
    shown: Sequence[Group],
    question_means: Mapping[int, Mapping[str, float | None]],
    threshold: int,
) -> list[str]:
    """What the report held back, in plain words: nobody's answers vanish without the reader being told."""
    keys = {g.key for g in shown}
    notes = []
    small = [(role, len(by_role[role])) for role in ROLES if 0 < len(by_role.get(role, [])) < threshold]
    if small:
        who = ", ".join(
            f"{n} of the {LABELS[role].lower()}" if n != 1 else f"1 of the {LABELS[role].lower()}" for role, n in small
        )
        if OTHERS in keys:
            notes.append(
                f"{who} answered: fewer than {threshold} in a group, so their answers are shown only combined, in "
                "'Other colleagues (combined)' and 'All colleagues'."
            )
        else:
            notes.append(
                f"{who} answered: with fewer than {threshold} in all the small groups together, their answers are in "
                "no figure of this report, to keep them anonymous. Their comments are not shown either."
            )
    if 0 < n_patients < threshold:
        notes.append(
            f"{n_patients} {'patient' if n_patients == 1 else 'patients'} answered: fewer than {threshold}, so no "
            "patient figure or comment is shown, to keep them anonymous."
        )
    if any(v is None for m in question_means.values() for k, v in m.items() if k in keys):
        notes.append(
            f"Where fewer than {threshold} people in a group answered a question (some questions do not apply to "
            "everyone), that figure is shown as '–', and their answers to it are left out of the domain figures and "
            "'All colleagues' too, so that no figure can be worked back to them."
        )
    return notes


@dataclass(frozen=True)
class Comparison:
    mean: float | None  # None: held back (fewer than the threshold of doctors)
    doctors: int


def compare(
    question_ids: Sequence[int], others: Mapping[int, Mapping[int, float]], threshold: int = DEFAULT_THRESHOLD
) -> dict[int, Comparison]:
    """For each question, the mean of other doctors' figures (``others``: doctor id -> question id -> that doctor's
    stored mean, each itself shown under these rules), with how many doctors it rests on; the mean only with at
    least ``threshold`` doctors."""
    out: dict[int, Comparison] = {}
    for q in question_ids:
        values = [scores[q] for _, scores in sorted(others.items()) if q in scores]
        n = len(values)
        out[q] = Comparison(round(sum(values) / n, 2) if n >= threshold else None, n)
    return out


def comparison_note(comparisons: Mapping[int, Comparison], threshold: int, grade: str, specialty: str) -> str:
    """Plain words on the comparison: whom it is with, and what was held back."""
    peers = f"the trust's {grade.lower()}s in {specialty}" if specialty else f"the trust's {grade.lower()}s"
    if not comparisons or all(c.mean is None for c in comparisons.values()):
        return (
            f"No comparison with {peers} is shown: fewer than {threshold} other doctors of your grade and specialty "
            "have had a report released with this questionnaire, and a figure on fewer could be worked back to one "
            "of them."
        )
    if any(c.mean is None for c in comparisons.values()):
        return (
            f"Compared with {peers}: the mean of each doctor's own figure. Where fewer than {threshold} doctors have "
            "a figure for a question, no comparison is shown for it."
        )
    return f"Compared with {peers}: the mean of each doctor's own figure, one figure a doctor."
