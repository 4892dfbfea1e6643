"""Small numbers on the region's view (issue 34): the rule of medlead/regions/suppression.py, case by case. The
expected answers are written by hand from the rule: a count from 1 to N - 1 is "fewer than N" (from 0 for counts
under MHPS); a region's total is shown only when what it gives away (the hidden counts' sum) is at least N and pins
no hidden count down."""

from __future__ import annotations

import pytest

from medlead.regions.suppression import column, shown

N = 8
FEWER = "fewer than 8"
WITHHELD = "not shown: it would give away a count shown as fewer than 8"

# (counts, zeros hidden, each cell as shown, the total as shown)
COLUMNS = [
    # nothing small: every count and the total
    ({"a": 12, "b": 40, "c": 8}, False, ["12", "40", "8"], "60"),
    # a zero identifies nobody: shown, and the total with it
    ({"a": 0, "b": 9}, False, ["0", "9"], "9"),
    # one small count: the total would give it away (55 - 12 - 40 = 3)
    ({"a": 12, "b": 40, "c": 3}, False, ["12", "40", FEWER], WITHHELD),
    # two small counts adding to less than 8: the total would say so
    ({"a": 12, "b": 3, "c": 2}, False, ["12", FEWER, FEWER], WITHHELD),
    # two small counts adding to 8 or more, neither pinned down (5 + 4 = 9: 2..7 each): the total is shown
    ({"a": 30, "b": 5, "c": 4}, False, ["30", FEWER, FEWER], "39"),
    # two counts of 7 (the most each can be): the total would pin both down
    ({"a": 30, "b": 7, "c": 7}, False, ["30", FEWER, FEWER], WITHHELD),
    # eight counts of 1 (the least each can be, zeros shown): pinned down too
    ({str(i): 1 for i in range(8)}, False, [FEWER] * 8, WITHHELD),
    # every count small and the total below 8: the total is itself a small number
    ({"a": 1, "b": 2}, False, [FEWER, FEWER], FEWER),
    # counts under MHPS: a zero is hidden too
    ({"a": 0, "b": 0, "c": 3}, True, [FEWER, FEWER, FEWER], FEWER),
    # ... and the total withheld when the hidden ones, zeros and all, could be worked out (0 + 0: the least)
    ({"a": 0, "b": 0, "c": 20}, True, [FEWER, FEWER, "20"], WITHHELD),
    ({"a": 9, "b": 0, "c": 20}, True, ["9", FEWER, "20"], WITHHELD),
    # MHPS counts at or above the threshold are shown, with their total
    ({"a": 9, "b": 8}, True, ["9", "8"], "17"),
]


@pytest.mark.parametrize(("counts", "zero_hidden", "cells", "total"), COLUMNS)
def test_a_column_of_counts_with_its_total(
    counts: dict[str, int], zero_hidden: bool, cells: list[str], total: str
) -> None:
    got = column(counts, N, zero_hidden=zero_hidden)
    assert [got.cells[k].text for k in counts] == cells
    assert got.total.text == total


@pytest.mark.parametrize(
    ("count", "zero_hidden", "text"),
    [(0, False, "0"), (1, False, FEWER), (7, False, FEWER), (8, False, "8"), (0, True, FEWER), (250, True, "250")],
)
def test_one_count_alone(count: int, zero_hidden: bool, text: str) -> None:
    got = shown(count, N, zero_hidden=zero_hidden)
    assert got.text == text
    assert got.hidden == (text == FEWER)


def test_no_shown_figure_gives_a_hidden_one_away_by_subtraction() -> None:
    """Every column of up to three counts from 0 to 12: where the total is shown, the hidden counts' sum it gives
    away is at least 8 and has more than one way to be made of counts each below 8."""
    for a in range(13):
        for b in range(13):
            for c in range(13):
                for zero_hidden in (False, True):
                    counts = {"a": a, "b": b, "c": c}
                    got = column(counts, N, zero_hidden=zero_hidden)
                    if got.total.hidden:
                        continue
                    hidden = [counts[k] for k, s in got.cells.items() if s.hidden]
                    if not hidden:
                        continue
                    least = 0 if zero_hidden else 1
                    ways = {combo for combo in _combinations(len(hidden), least, N - 1) if sum(combo) == sum(hidden)}
                    assert sum(hidden) >= N and len(ways) > 1, (counts, zero_hidden)


def _combinations(k: int, low: int, high: int) -> set[tuple[int, ...]]:
    if k == 0:
        return {()}
    return {(x, *rest) for x in range(low, high + 1) for rest in _combinations(k - 1, low, high)}
