"""Who receives what, and which region a trust belongs to, on a date (issue 34): the pure rule of
medlead/organisation/receiving.py, with the expected answers written by hand."""

from __future__ import annotations

import datetime as dt

from medlead.organisation.receiving import Row, membership, receiving, region_on

D = dt.date
FPPT = "fppt_return"
T1, T2 = 1, 2  # trusts
NORTH, SOUTH, MERGED = 10, 20, 30  # regions

ROWS = [
    Row(1, FPPT, None, None, D(2023, 9, 30)),  # national, from the framework
    Row(2, FPPT, None, None, D(2027, 4, 1)),  # national, a change entered ahead of its day
    Row(3, FPPT, None, NORTH, D(2025, 1, 1)),  # for the North's trusts
    Row(4, FPPT, T2, None, D(2024, 6, 1)),  # for trust 2 alone
]


def test_the_row_in_force_on_the_day() -> None:
    # before any row: nothing
    assert receiving(FPPT, T1, SOUTH, ROWS, D(2023, 9, 29)) is None
    # the national row from its first day
    assert receiving(FPPT, T1, SOUTH, ROWS, D(2023, 9, 30)).pk == 1  # type: ignore[union-attr]
    # a change dated ahead takes effect on its day, not the day before
    assert receiving(FPPT, T1, SOUTH, ROWS, D(2027, 3, 31)).pk == 1  # type: ignore[union-attr]
    assert receiving(FPPT, T1, SOUTH, ROWS, D(2027, 4, 1)).pk == 2  # type: ignore[union-attr]


def test_the_most_specific_row_wins() -> None:
    # the North's trusts from 2025, whatever the national rows say later
    assert receiving(FPPT, T1, NORTH, ROWS, D(2024, 12, 31)).pk == 1  # type: ignore[union-attr]
    assert receiving(FPPT, T1, NORTH, ROWS, D(2025, 1, 1)).pk == 3  # type: ignore[union-attr]
    assert receiving(FPPT, T1, NORTH, ROWS, D(2028, 1, 1)).pk == 3  # type: ignore[union-attr]
    # trust 2's own row beats its region's and the nation's
    assert receiving(FPPT, T2, NORTH, ROWS, D(2028, 1, 1)).pk == 4  # type: ignore[union-attr]
    # another kind is not confused with it
    assert receiving("higher_level_ro", T1, NORTH, ROWS, D(2028, 1, 1)) is None


def test_a_trust_moving_region_on_a_day() -> None:
    rows = [Row(5, "region", T1, None, D(2027, 1, 1), belongs_to_id=SOUTH, moves_from_id=NORTH)]
    # before its move: where it came from (not its record's region, which the daily task moves on the day)
    assert region_on(T1, SOUTH, rows, D(2026, 12, 31)) == NORTH
    assert region_on(T1, NORTH, rows, D(2027, 1, 1)) == SOUTH
    # another trust is not moved
    assert region_on(T2, NORTH, rows, D(2027, 6, 1)) == NORTH
    # no row: the trust record's region
    assert region_on(T2, None, [], D(2027, 6, 1)) is None


def test_a_region_whose_trusts_move_together() -> None:
    merger = Row(6, "region", None, NORTH, D(2027, 4, 1), belongs_to_id=MERGED)
    rows = [merger]
    assert region_on(T1, NORTH, rows, D(2027, 3, 31)) == NORTH
    found = membership(T1, NORTH, rows, D(2027, 4, 1))
    assert (found.region_id, found.moved_by) == (MERGED, (merger,))
    # a trust of another region stays
    assert region_on(T2, SOUTH, rows, D(2027, 4, 1)) == SOUTH
    # once the daily task has recorded the move as the trust's own row, its earlier region stays as it was
    own = Row(7, "region", T1, None, D(2027, 4, 1), belongs_to_id=MERGED, moves_from_id=NORTH)
    assert region_on(T1, MERGED, [merger, own], D(2027, 3, 31)) == NORTH
    assert membership(T1, MERGED, [merger, own], D(2027, 5, 1)) == membership(T1, MERGED, [own], D(2027, 5, 1))


def test_a_receiver_for_a_region_follows_the_trust_into_it() -> None:
    rows = [*ROWS, Row(8, FPPT, None, MERGED, D(2027, 4, 1))]
    merger = Row(6, "region", None, NORTH, D(2027, 4, 1), belongs_to_id=MERGED)
    on = D(2027, 4, 1)
    region = region_on(T1, NORTH, [merger], on)
    assert receiving(FPPT, T1, region, rows, on).pk == 8  # type: ignore[union-attr]
