"""The suggestion ranking: explained, filtered and deterministic (pure, no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medlead.development.suggest import FEEDBACK_360, SELF_ASSESSMENT, Candidate, Gap, precision_at, rank

INFLUENCE = Gap(
    "spec/influence",
    "Influencing",
    2.0,
    SELF_ASSESSMENT,
    "you rated yourself 'Not yet'; the medical director role expects 'Meets'",
    "Medical director person specification",
)
FINANCE = Gap("mf/budget", "Reading a budget report", 1.0, SELF_ASSESSMENT)
VISION_360 = Gap("hlm/vision", "Sharing the vision", 1.0, FEEDBACK_360, "raters' mean 1.7 of 4")

COURSE = Candidate("course", "Influencing course", frozenset({"spec/influence"}), effort="low")
FIN = Candidate("fin", "Finance course", frozenset({"mf/budget"}), effort="low")
BOARD = Candidate(
    "board", "Board sub-committee", frozenset({"hlm/vision", "mf/budget"}), frozenset({"md"}), effort="medium"
)
TRAINEE = Candidate("trainee", "Trainee attachment", frozenset({"spec/influence"}), audience=frozenset({"trainee"}))
UNRELATED = Candidate("other", "Something else", frozenset({"x/y"}))


def test_the_biggest_gap_ranks_first_and_each_suggestion_says_why() -> None:
    out = rank([INFLUENCE, FINANCE], [FIN, COURSE, UNRELATED])
    assert [s.code for s in out] == ["course", "fin"]
    assert out[0].reasons == [
        "Builds 'Influencing' (Medical director person specification): you rated yourself 'Not yet'; the medical "
        "director role expects 'Meets'."
    ]
    assert out[0].gaps == [INFLUENCE]


def test_a_360_gap_weighs_more_than_the_same_self_assessed_gap() -> None:
    self_gap = Gap("a/x", "X", 1.0, SELF_ASSESSMENT)
    other_gap = Gap("a/y", "Y", 1.0, FEEDBACK_360)
    out = rank(
        [self_gap, other_gap], [Candidate("x", "X", frozenset({"a/x"})), Candidate("y", "Y", frozenset({"a/y"}))]
    )
    assert [s.code for s in out] == ["y", "x"]
    assert out[0].reasons == ["Builds 'Y': a gap in your 360 feedback."]


def test_the_target_role_adds_a_reason_and_weight() -> None:
    out = rank([FINANCE], [FIN, BOARD], target_role="md", target_label="medical director")
    assert out[0].code == "board"
    assert out[0].reasons == [
        "Builds 'Reading a budget report': a gap in your self-assessment.",
        "Suits your target role: the catalogue lists it as preparation for the medical director role.",
    ]


def test_each_suggestion_leads_with_the_largest_gap_it_builds() -> None:
    """Two suggestions building overlapping gaps do not read the same: each starts with what it is most for."""
    small = Gap("a/small", "Small", 0.5, SELF_ASSESSMENT)
    big = Gap("a/big", "Big", 2.0, SELF_ASSESSMENT)
    other = Gap("a/other", "Other", 1.0, FEEDBACK_360)
    out = rank(
        [small, big, other],
        [Candidate("x", "X", frozenset({"a/small", "a/big"})), Candidate("y", "Y", frozenset({"a/small", "a/other"}))],
    )
    assert [s.reasons[0] for s in out] == [
        "Builds 'Big': a gap in your self-assessment.",
        "Builds 'Other': a gap in your 360 feedback.",
    ]
    assert out[0].gaps == [big, small]


def test_other_audiences_done_items_and_unrelated_opportunities_are_left_out() -> None:
    out = rank([INFLUENCE], [TRAINEE, COURSE, UNRELATED], audience="consultant", done=["course"])
    assert out == []
    assert [s.code for s in rank([INFLUENCE], [TRAINEE, COURSE], audience="trainee")] == ["trainee"]


def test_ties_go_to_lower_effort_then_catalogue_order() -> None:
    high = Candidate("high", "High", frozenset({"mf/budget"}), effort="high")
    low_b = Candidate("low-b", "Low B", frozenset({"mf/budget"}), effort="low")
    low_a = Candidate("low-a", "Low A", frozenset({"mf/budget"}), effort="low")
    assert [s.code for s in rank([FINANCE], [high, low_b, low_a])] == ["low-b", "low-a", "high"]


def test_limit() -> None:
    assert len(rank([INFLUENCE, FINANCE, VISION_360], [COURSE, FIN, BOARD], limit=2)) == 2


def test_precision_at_k() -> None:
    assert precision_at(5, ["a", "b", "c", "d", "e", "f"], {"a", "c", "f"}) == pytest.approx(0.4)
    assert precision_at(5, ["a"], {"a"}) == pytest.approx(0.2)  # too few suggestions count against the ranking
    with pytest.raises(ValueError):
        precision_at(0, [], [])


gap_st = st.builds(
    Gap,
    item=st.sampled_from(["a/1", "a/2", "a/3", "b/1"]),
    label=st.just("L"),
    size=st.floats(min_value=0.1, max_value=3),
    source=st.sampled_from([SELF_ASSESSMENT, FEEDBACK_360]),
)
cands = [
    Candidate(f"c{n}", f"C{n}", frozenset(b)) for n, b in enumerate([{"a/1"}, {"a/2", "b/1"}, {"a/3"}, {"a/1", "a/3"}])
]


@given(st.lists(gap_st, max_size=6), gap_st)
def test_a_further_gap_never_lowers_any_opportunitys_score(gaps: list[Gap], extra: Gap) -> None:
    before = {s.code: s.score for s in rank(gaps, cands)}
    after = {s.code: s.score for s in rank([*gaps, extra], cands)}
    assert all(after[c] >= score for c, score in before.items())


@given(st.lists(gap_st, max_size=6))
def test_the_order_of_gaps_does_not_change_the_ranking(gaps: list[Gap]) -> None:
    assert [s.code for s in rank(gaps, cands)] == [s.code for s in rank(list(reversed(gaps)), cands)]
