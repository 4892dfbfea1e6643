"""Local search on a roster one or two cells at a time (``medlead.rota.roster.local``, ADR 0032): each expected
roster and cost below is worked out by hand from the instance's rules, or is the independent evaluator's."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

import pytest

from medlead.rota.roster import Evaluation, Instance, evaluate, lns, local, parse

BENCH = Path(__file__).resolve().parents[1] / "data" / "curtois-qu"


def _improve(
    inst: Instance,
    roster: Mapping[tuple[str, int], str],
    locked: Mapping[tuple[str, int], str | None] | None = None,
    moves: int = 20000,
    seed: int = 0,
) -> tuple[local.Cells, Evaluation, int]:
    """The roster after the local search, the evaluator's verdict on it (every rule kept, asserted) and what the
    search says its cost changed by."""
    out, delta = local.improve(inst, roster, locked=locked or {}, previous={}, change_weight=0, seed=seed, moves=moves)
    result = evaluate(inst, out)
    assert result.feasible, result.hard[:5]
    return out, result, delta


# A week (day 0 a Monday), one shift of 8 hours needed every day; two people who may each work two to four shifts,
# any run of days, at most one weekend. Both start on Monday and Tuesday: one too many on each of those days (1 each)
# and nobody on the five days after (100 each): 502.
WEEK = """SECTION_HORIZON
7

SECTION_SHIFTS
D,480,

SECTION_STAFF
A,D=7,1920,960,7,1,1,1
B,D=7,1920,960,7,1,1,1

SECTION_COVER
0,D,1,100,1
1,D,1,100,1
2,D,1,100,1
3,D,1,100,1
4,D,1,100,1
5,D,1,100,1
6,D,1,100,1
"""


def test_the_week_is_covered_exactly_by_moves_that_keep_the_rules() -> None:
    """Seven shifts by two people who may work four each: one on every day is possible (A four, B three, or the
    other way round), so the best cost is 0, and the local search reaches it from 502."""
    inst = parse(WEEK)
    start = {("A", 0): "D", ("A", 1): "D", ("B", 0): "D", ("B", 1): "D"}
    assert evaluate(inst, start).objective == 502
    roster, result, delta = _improve(inst, start)
    assert result.objective == 0
    assert delta == -502
    assert sorted(d for (_s, d) in roster) == list(range(7))


def test_a_shift_nobody_may_work_stays_short_and_the_rest_is_covered() -> None:
    """The week above with a night on Monday that neither may work (N=0): it stays short (100), every day shift is
    still covered once."""
    inst = parse(
        WEEK.replace("D,480,", "D,480,\nN,600,")
        .replace("D=7,", "D=7|N=0,")
        .replace("0,D,1,100,1", "0,D,1,100,1\n0,N,1,100,1")
    )
    start = {("A", 0): "D", ("A", 1): "D", ("B", 0): "D", ("B", 1): "D"}
    assert evaluate(inst, start).objective == 602
    _roster, result, _delta = _improve(inst, start)
    assert result.objective == 100


def test_a_move_that_would_break_a_succession_rule_is_never_made() -> None:
    """Three days, one person who works exactly two shifts; a night (N) may not be followed by a day (D). Cover
    wants a night on day 0 and a day on day 1: both at once would cost 0 but break the rule. Every other pair of
    shifts leaves one of the two uncovered (100), and a day on day 2 would be one too many (1), so from 101 the
    best that keeps the rule is 100."""
    inst = parse(
        """SECTION_HORIZON
3

SECTION_SHIFTS
D,480,
N,480,D

SECTION_STAFF
A,D=3|N=3,960,960,3,1,1,0

SECTION_COVER
0,N,1,100,1
1,D,1,100,1
2,D,0,100,1
"""
    )
    start = {("A", 1): "D", ("A", 2): "D"}
    assert evaluate(inst, start).objective == 101
    roster, result, delta = _improve(inst, start)
    assert result.objective == 100
    assert delta == -1
    assert roster != {("A", 0): "N", ("A", 1): "D"}


def test_a_weekend_is_given_up_for_a_weekend_that_needs_the_person() -> None:
    """Two weeks; one person who may work one weekend and one or two shifts. They start on the first weekend,
    which nobody needs (no cover: 0); the second weekend needs one each day (100 each): 200. Working the second
    weekend instead costs 0, and needs the first weekend given up in the same move (else two weekends)."""
    inst = parse(
        """SECTION_HORIZON
14

SECTION_SHIFTS
D,480,

SECTION_STAFF
A,D=14,960,480,14,1,1,1

SECTION_COVER
12,D,1,100,1
13,D,1,100,1
"""
    )
    start = {("A", 5): "D", ("A", 6): "D"}
    assert evaluate(inst, start).objective == 200
    roster, _result, _delta = _improve(inst, start)
    assert roster == {("A", 12): "D", ("A", 13): "D"}


def test_locked_days_and_leave_are_never_changed() -> None:
    """The week above with A's Monday locked as worked, B's Monday locked as a day off and B on leave on Sunday:
    the search keeps all three as they are and still covers every day once (A: Monday, Sunday and two days
    between; B: the other three), cost 0."""
    inst = parse(WEEK.replace("SECTION_COVER", "SECTION_DAYS_OFF\nB,6\n\nSECTION_COVER"))
    locked: dict[tuple[str, int], str | None] = {("A", 0): "D", ("B", 0): None}
    start = {("A", 0): "D", ("A", 1): "D", ("B", 1): "D", ("B", 2): "D"}
    roster, result, _delta = _improve(inst, start, locked=locked)
    assert roster[("A", 0)] == "D"
    assert ("B", 0) not in roster and ("B", 6) not in roster
    assert result.objective == 0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_on_a_published_instance_the_roster_keeps_every_rule_and_the_cost_falls_as_the_evaluator_says(
    seed: int,
) -> None:
    """Instance 13 (120 staff, four weeks, 18 shift types) from the first roster: the evaluator, which shares no
    code with the local search, accepts the result and finds its cost lower by exactly what the search says."""
    inst = parse((BENCH / "Instance13.txt").read_text(encoding="utf-8-sig"))
    start, _proven = lns.construct(
        inst,
        locked={},
        previous={},
        change_weight=0,
        workers=1,
        seed=0,
        deterministic=True,
        stop=threading.Event(),
        deadline=lambda: float("inf"),
    )
    assert start is not None
    before = evaluate(inst, start)
    _roster, after, delta = _improve(inst, start, moves=30000, seed=seed)
    assert delta < 0
    assert after.objective == before.objective + delta
