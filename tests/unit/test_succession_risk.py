"""Succession risk (pure): what is flagged, why, and in what order."""

from __future__ import annotations

import datetime as dt

from medlead.talent.risk import ONE_TO_TWO, READY_NOW, THREE_PLUS, PostFacts, assess, rank

TODAY = dt.date(2026, 11, 22)


def facts(
    pid: int = 1, *, readiness: tuple[str, ...] = (), level: int = 3, board: bool = False, **kw: object
) -> PostFacts:
    base = {"vacant": False, "interim": False, "term_ends": None}
    base.update(kw)
    return PostFacts(post_id=pid, level=level, board=board, readiness=readiness, **base)


def test_no_successor_is_at_risk_and_says_so() -> None:
    r = assess(facts(), TODAY)
    assert (r.score, r.at_risk, r.reasons) == (3, True, ["No successor is named."])


def test_only_distant_successors_are_at_risk_but_one_to_two_years_is_not() -> None:
    assert assess(facts(readiness=(THREE_PLUS,)), TODAY).at_risk
    r = assess(facts(readiness=(THREE_PLUS, ONE_TO_TWO)), TODAY)
    assert (r.score, r.at_risk) == (1, False)
    assert assess(facts(readiness=(READY_NOW,)), TODAY).score == 0


def test_term_ending_within_a_year_adds_risk_at_the_boundary() -> None:
    assert assess(facts(readiness=(ONE_TO_TWO,), term_ends=TODAY + dt.timedelta(days=365)), TODAY).score == 2
    assert assess(facts(readiness=(ONE_TO_TWO,), term_ends=TODAY + dt.timedelta(days=366)), TODAY).score == 1


def test_vacant_interim_and_board_posts_add_risk() -> None:
    assert assess(facts(vacant=True), TODAY).score == 4
    assert assess(facts(interim=True), TODAY).reasons[-1] == "The post is held by an interim."
    md = assess(facts(board=True), TODAY)
    assert md.score == 4 and "It is a board post." in md.reasons
    assert assess(facts(board=True, readiness=(READY_NOW,)), TODAY).score == 0  # covered board post: no risk


def test_ranked_highest_risk_first_then_seniority() -> None:
    posts = [
        facts(1, readiness=(READY_NOW,), level=5),
        facts(2, level=2),
        facts(3, level=5, board=True),
        facts(4, level=4),
    ]
    assert [r.post_id for r in rank(posts, TODAY)] == [3, 4, 2, 1]
