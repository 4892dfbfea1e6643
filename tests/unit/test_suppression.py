"""Small-number suppression for aggregate tables of people."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from medlead.core.stats import suppress_small


def test_counts_under_the_minimum_are_hidden_and_zero_is_shown() -> None:
    assert suppress_small({"a": 12, "b": 3, "c": 0, "d": 4}, 5) == {"a": 12, "b": None, "c": 0, "d": None}


def test_a_single_hidden_cell_hides_the_next_smallest_so_it_cannot_be_derived() -> None:
    assert suppress_small({"a": 40, "b": 2, "c": 9}, 5) == {"a": 40, "b": None, "c": None}


def test_the_minimum_itself_is_shown() -> None:
    assert suppress_small({"a": 5, "b": 6}, 5) == {"a": 5, "b": 6}


@given(st.dictionaries(st.sampled_from("abcdef"), st.integers(min_value=0, max_value=30), min_size=1))
def test_never_a_lone_hidden_cell_and_never_a_small_count_shown(counts: dict[str, int]) -> None:
    out = suppress_small(counts, 5)
    assert all(v is None or v == 0 or v >= 5 for v in out.values())
    hidden = [k for k, v in out.items() if v is None]
    shown_nonzero = [k for k, v in counts.items() if v >= 5]
    assert len(hidden) != 1 or not shown_nonzero
