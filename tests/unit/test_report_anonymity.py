"""The 360 report's anonymity rules, including property-based tests."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from medlead.leadership.report import ALL, LINE_MANAGER, MIN_GROUP, OTHERS, SELF, Item, RaterAnswers, build

ITEMS = [Item(1, "A", "one"), Item(2, "A", "two"), Item(3, "B", "three")]


def rater(rid: int, group: str, score: int = 3, comment: str = "") -> RaterAnswers:
    return RaterAnswers(rid, group, {i.id: (score, 2) for i in ITEMS}, comment)


def keys(report) -> list[str]:
    return [g.key for g in report.groups]


def test_groups_of_three_shown_smaller_folded_line_manager_shown() -> None:
    raters = (
        [rater(1, SELF), rater(2, LINE_MANAGER)]
        + [rater(10 + n, "peer") for n in range(3)]
        + [rater(20, "direct_report"), rater(21, "direct_report"), rater(30, "other")]
    )
    report = build(ITEMS, raters)
    assert keys(report) == [SELF, LINE_MANAGER, "peer", OTHERS, ALL]
    assert report.counts == {SELF: 1, LINE_MANAGER: 1, "peer": 3, "direct_report": 2, "other": 1}


def test_a_residual_of_fewer_than_three_is_dropped_entirely() -> None:
    raters = (
        [rater(1, SELF), rater(2, LINE_MANAGER, 1)]
        + [rater(10 + n, "peer", 2) for n in range(3)]
        + [rater(20, "direct_report", 4, "From a direct report")]
    )
    report = build(ITEMS, raters)
    assert keys(report) == [SELF, LINE_MANAGER, "peer", ALL]
    # all raters = line manager + peers: (1 + 2 + 2 + 2) / 4 = 1.75; the direct report's 4 counts nowhere
    assert report.item_means[1][ALL] == 1.75
    assert "From a direct report" not in report.comments


def test_blind_spots_and_strengths() -> None:
    raters = [RaterAnswers(1, SELF, {1: (4, None), 2: (2, None), 3: (3, None)})] + [
        RaterAnswers(10 + n, "peer", {1: (2, 3), 2: (4, 3), 3: (3, 3)}) for n in range(3)
    ]
    report = build(ITEMS, raters)
    assert report.blind_spots == [1] and report.hidden_strengths == [2] and report.strengths[0] == 2


groups = st.sampled_from([LINE_MANAGER, "peer", "direct_report", "other", "patient"])
answers = st.dictionaries(
    st.sampled_from([1, 2, 3]), st.tuples(st.none() | st.integers(1, 4), st.none() | st.integers(1, 4))
)
raters_strategy = st.lists(st.tuples(groups, answers, st.text(max_size=5)), max_size=14).map(
    lambda rows: (
        [RaterAnswers(i + 2, g, a, c) for i, (g, a, c) in enumerate(rows)] + [RaterAnswers(1, SELF, {1: (2, None)})]
    )
)


@settings(max_examples=300, deadline=None)
@given(raters_strategy)
def test_every_shown_group_but_self_and_line_manager_has_at_least_three_raters(raters: list[RaterAnswers]) -> None:
    report = build(ITEMS, raters)
    for g in report.groups:
        if g.key not in (SELF, LINE_MANAGER, ALL):
            assert g.n >= MIN_GROUP
    everyone = next((g for g in report.groups if g.key == ALL), None)
    shown = [g for g in report.groups if g.key not in (SELF, ALL)]
    if everyone is not None:
        assert everyone.contributors == frozenset().union(*(g.contributors for g in shown))


@settings(max_examples=300, deadline=None)
@given(raters_strategy, st.data())
def test_answers_of_raters_in_no_shown_group_change_nothing(raters: list[RaterAnswers], data: st.DataObject) -> None:
    """The property the issue asks for: with a group under three, no report reveals an individual's answers.
    Changing the answers of anyone outside every shown group leaves every figure (and comment) unchanged."""
    report = build(ITEMS, raters)
    counted = frozenset().union(*(g.contributors for g in report.groups))
    hidden = [r for r in raters if r.id not in counted]
    if not hidden:
        return
    changed = [
        RaterAnswers(r.id, r.group, data.draw(answers), data.draw(st.text(max_size=5))) if r.id not in counted else r
        for r in raters
    ]
    again = build(ITEMS, changed)
    assert again.item_means == report.item_means
    assert again.domain_means == report.domain_means
    assert again.importance == report.importance
    assert again.comments == report.comments


@settings(max_examples=200, deadline=None)
@given(raters_strategy)
def test_a_small_group_never_stands_alone(raters: list[RaterAnswers]) -> None:
    report = build(ITEMS, raters)
    for key, n in report.counts.items():
        if key not in (SELF, LINE_MANAGER) and n < MIN_GROUP:
            assert key not in [g.key for g in report.groups]
