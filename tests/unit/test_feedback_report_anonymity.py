"""The colleague and patient feedback report's anonymity rules, by hand and as properties (the 360's, as strict)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from medlead.feedback.report import (
    ALL_COLLEAGUES,
    COLLEAGUE,
    OTHERS,
    PATIENT,
    PATIENTS,
    ROLES,
    Question,
    Respondent,
    build,
    compare,
    comparison_note,
)

QS = [
    Question(1, COLLEAGUE, "colleagues", "one"),
    Question(2, COLLEAGUE, "colleagues", "two"),
    Question(3, COLLEAGUE, "trust", "three"),
    Question(11, PATIENT, "patients", "p one"),
    Question(12, PATIENT, "trust", "p two"),
]


def colleague(rid: int, role: str, score: int = 4, comment: str = "") -> Respondent:
    return Respondent(rid, COLLEAGUE, role, {1: score, 2: score, 3: score}, comment)


def patient(rid: int, score: int = 5, comment: str = "") -> Respondent:
    return Respondent(rid, PATIENT, "", {11: score, 12: score}, comment)


def keys(report: Any) -> list[str]:
    return [g.key for g in report.groups]


def test_four_colleagues_and_five_patients_by_hand() -> None:
    """The walk's exercise: four colleagues (three doctors, a nurse) and five patients."""
    people = [
        colleague(1, "doctor", 5),
        colleague(2, "doctor", 4),
        colleague(3, "doctor", 3),
        colleague(4, "nurse", 1, "Kind and careful."),
    ] + [patient(10 + n, 4 + n % 2) for n in range(5)]
    report = build(QS, people, 3)
    # the nurse alone is fewer than 3 and there is nobody to fold her with: in no figure, and said so
    assert keys(report) == ["doctor", ALL_COLLEAGUES, PATIENTS]
    assert report.counts == {"doctor": 3, "nurse": 1, PATIENTS: 5}
    assert report.question_means[1]["doctor"] == 4.0  # (5 + 4 + 3) / 3
    assert report.question_means[1][ALL_COLLEAGUES] == 4.0  # the nurse's 1 is not in it
    assert report.question_means[11][PATIENTS] == 4.4  # (4 + 5 + 4 + 5 + 4) / 5
    assert report.comments[COLLEAGUE] == []  # her comment, though released, is not shown
    assert any("1 of the nurses and midwives answered" in n and "in no figure" in n for n in report.notes)


def test_small_roles_fold_together_when_three() -> None:
    people = [colleague(n, "doctor") for n in range(1, 4)] + [
        colleague(10, "nurse", 2),
        colleague(11, "manager", 2),
        colleague(12, "allied", 5),
    ]
    report = build(QS, people, 3)
    assert keys(report) == ["doctor", OTHERS, ALL_COLLEAGUES]
    assert report.question_means[1][OTHERS] == 3.0
    assert report.question_means[1][ALL_COLLEAGUES] == 3.5  # (4 + 4 + 4 + 2 + 2 + 5) / 6
    assert any("shown only combined" in n for n in report.notes)


def test_fewer_patients_than_the_threshold_show_nothing_and_say_so() -> None:
    report = build(QS, [patient(1, 1, "Rude"), patient(2, 5)], 3)
    assert PATIENTS not in keys(report)
    assert report.question_means[11] == {}
    assert report.comments[PATIENT] == []
    assert any("2 patients answered" in n for n in report.notes)


def test_a_question_answered_by_two_of_a_group_is_held_back_everywhere() -> None:
    """Three doctors; one says question 2 does not apply to them. Question 2 rests on two answers: held back, and
    the domain figure is built from question 1 alone, so nothing gives back the two answers."""
    people = [
        Respondent(1, COLLEAGUE, "doctor", {1: 5, 2: 1, 3: 4}),
        Respondent(2, COLLEAGUE, "doctor", {1: 4, 2: 2, 3: 4}),
        Respondent(3, COLLEAGUE, "doctor", {1: 3, 2: None, 3: 4}),
    ]
    report = build(QS, people, 3)
    assert report.question_means[2]["doctor"] is None and report.question_means[2][ALL_COLLEAGUES] is None
    assert report.domain_means["colleagues"]["doctor"] == 4.0  # question 1 only: (5 + 4 + 3) / 3
    assert any("fewer than 3 people in a group answered a question" in n for n in report.notes)


def test_a_higher_threshold_the_trust_confirms_is_applied() -> None:
    people = [colleague(n, "doctor") for n in range(1, 5)]
    assert keys(build(QS, people, 3)) == ["doctor", ALL_COLLEAGUES]
    assert keys(build(QS, people, 5)) == []


def test_only_released_comments_sorted_not_in_order_received() -> None:
    people = [colleague(3, "doctor", comment="Zealous"), colleague(1, "doctor", comment="Able"), colleague(2, "doctor")]
    assert build(QS, people, 3).comments[COLLEAGUE] == ["Able", "Zealous"]


# ---- comparison with the trust's doctors of the same grade and specialty


def test_a_comparison_rests_on_at_least_the_threshold_of_doctors() -> None:
    others = {7: {1: 4.0, 2: 3.0}, 8: {1: 5.0}, 9: {1: 3.0, 2: 4.0}}
    found = compare([1, 2], others, 3)
    assert found[1].mean == 4.0 and found[1].doctors == 3
    assert found[2].mean is None and found[2].doctors == 2
    note = comparison_note(found, 3, "Consultant", "Cardiology")
    assert "Where fewer than 3 doctors have a figure for a question, no comparison is shown" in note


def test_no_comparison_at_all_says_why() -> None:
    found = compare([1], {7: {1: 4.0}}, 3)
    assert "No comparison with the trust's consultants in Cardiology is shown" in comparison_note(
        found, 3, "Consultant", "Cardiology"
    )


# ---- properties, for any answers

THRESHOLD = st.integers(2, 4)
colleague_answers = st.dictionaries(st.sampled_from([1, 2, 3]), st.none() | st.integers(1, 5), max_size=3)
patient_answers = st.dictionaries(st.sampled_from([11, 12]), st.none() | st.integers(1, 5), max_size=2)
people_strategy = st.tuples(
    st.lists(st.tuples(st.sampled_from(ROLES), colleague_answers, st.text(max_size=3)), max_size=14),
    st.lists(st.tuples(patient_answers, st.text(max_size=3)), max_size=8),
).map(
    lambda rows: (
        [Respondent(i + 1, COLLEAGUE, role, a, c) for i, (role, a, c) in enumerate(rows[0])]
        + [Respondent(100 + i, PATIENT, "", a, c) for i, (a, c) in enumerate(rows[1])]
    )
)


def shown_group_of(r: Respondent, people: list[Respondent], threshold: int) -> str | None:
    """The group whose figures a respondent's answers may appear in, written from the rule's words."""
    if r.kind == PATIENT:
        return PATIENTS if sum(1 for p in people if p.kind == PATIENT) >= threshold else None
    size = {role: sum(1 for p in people if p.kind == COLLEAGUE and p.role == role) for role in ROLES}
    if size[r.role] >= threshold:
        return r.role
    small = sum(n for n in size.values() if n < threshold)
    return OTHERS if small >= threshold else None


def held_back(people: list[Respondent], threshold: int) -> list[tuple[int, int]]:
    """(respondent id, question id) of every answer the rule holds back."""
    shown = {r.id: shown_group_of(r, people, threshold) for r in people}
    out = []
    for r in people:
        for qid, value in r.answers.items():
            if value is None:
                continue
            answered = sum(1 for o in people if shown[o.id] == shown[r.id] and o.answers.get(qid) is not None)
            if shown[r.id] is None or answered < threshold:
                out.append((r.id, qid))
    return out


def pairs(report: Any) -> list[tuple[dict[Any, dict[str, float | None]], dict[Any, dict[str, frozenset[int]]]]]:
    """(figures, who each rests on), for question means and for domain means."""
    return [(report.question_means, report.question_contributors), (report.domain_means, report.domain_contributors)]


def everything(report: Any) -> tuple[Any, ...]:
    return (
        [(g.key, g.contributors) for g in report.groups],
        report.question_means,
        report.domain_means,
        report.comments,
        report.notes,
        report.counts,
    )


@settings(max_examples=500, deadline=None)
@given(people_strategy, THRESHOLD, st.data())
def test_no_shown_figure_depends_on_a_held_back_answer(people: list[Respondent], threshold: int, data: Any) -> None:
    hidden = held_back(people, threshold)
    if not hidden:
        return
    rid, qid = data.draw(st.sampled_from(hidden))
    before = build(QS, people, threshold)
    old = next(r for r in people if r.id == rid).answers[qid]
    new = data.draw(st.none() | st.integers(1, 5).filter(lambda v: v != old))
    changed = [
        Respondent(r.id, r.kind, r.role, {**r.answers, qid: new}, r.comment) if r.id == rid else r for r in people
    ]
    assert everything(build(QS, changed, threshold)) == everything(before)


@settings(max_examples=400, deadline=None)
@given(people_strategy, THRESHOLD)
def test_no_figure_rests_on_fewer_than_the_threshold(people: list[Respondent], threshold: int) -> None:
    report = build(QS, people, threshold)
    for figures, contributors in pairs(report):
        for key, means in figures.items():
            for group, value in means.items():
                if value is not None:
                    assert len(contributors[key][group]) >= threshold, (key, group)


@settings(max_examples=400, deadline=None)
@given(people_strategy, THRESHOLD)
def test_no_difference_of_two_shown_figures_isolates_fewer_than_the_threshold(
    people: list[Respondent], threshold: int
) -> None:
    """'All colleagues' less any shown group's figure leaves nobody, or at least the threshold of people."""
    report = build(QS, people, threshold)
    for figures, contributors in pairs(report):
        for key, means in figures.items():
            if means.get(ALL_COLLEAGUES) is None:
                continue
            everyone = contributors[key][ALL_COLLEAGUES]
            for group, value in means.items():
                if group in (ALL_COLLEAGUES, PATIENTS) or value is None:
                    continue
                rest = everyone - contributors[key][group]
                assert len(rest) == 0 or len(rest) >= threshold, (key, group, rest)


@settings(max_examples=300, deadline=None)
@given(people_strategy, THRESHOLD)
def test_counts_are_honest_and_small_groups_never_stand_alone(people: list[Respondent], threshold: int) -> None:
    report = build(QS, people, threshold)
    # every response is counted, shown or not (by hand: the roles and the patients received)
    expected: dict[str, int] = {}
    for r in people:
        key = r.role if r.kind == COLLEAGUE else PATIENTS
        expected[key] = expected.get(key, 0) + 1
    assert report.counts == expected
    for g in report.groups:
        assert g.n >= threshold
    for role, n in report.counts.items():
        if n < threshold:
            assert role not in keys(report)
    # a shown group's count is what the reader is told, and matches the people in it
    for g in report.groups:
        if g.key in ROLES:
            assert g.n == report.counts[g.key]
        if g.key == PATIENTS:
            assert g.n == report.counts[PATIENTS]


@settings(max_examples=300, deadline=None)
@given(people_strategy, THRESHOLD)
def test_comments_only_from_people_in_a_shown_group(people: list[Respondent], threshold: int) -> None:
    report = build(QS, people, threshold)
    allowed = {
        r.comment.strip() for r in people if shown_group_of(r, people, threshold) is not None and r.comment.strip()
    }
    shown = set(report.comments[COLLEAGUE]) | set(report.comments[PATIENT])
    assert shown <= allowed


def test_the_property_helper_finds_the_held_back_answers_of_the_by_hand_case() -> None:
    people = [
        Respondent(1, COLLEAGUE, "doctor", {1: 5, 2: 1}),
        Respondent(2, COLLEAGUE, "doctor", {1: 4, 2: 2}),
        Respondent(3, COLLEAGUE, "doctor", {1: 3}),
        Respondent(4, COLLEAGUE, "nurse", {1: 1}),
    ]
    assert sorted(held_back(people, 3)) == [(1, 2), (2, 2), (4, 1)]
