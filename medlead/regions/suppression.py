"""Small numbers on the region's view (issue 34), pure: no Django.

A count below the threshold (``data/region_view.yaml``'s ``suppress_below``, N) is shown as "fewer than N": from 1
up for counts of people and of events about them, and from 0 up for counts under MHPS (``zero_hidden``), where even
"none" at a small trust tells too much. A column of trusts' counts has a region total, and a total minus the counts
shown is the counts hidden: the total is shown only when what it gives away is no small number and pins none of them
down. So it is withheld when exactly one count is hidden (the total would give it), and when several are but
together they come to less than N, or to their largest possible sum (each would then be N - 1) or smallest.

Counts of things that are not people (rotas, rotations, trusts) need no suppression: NHS Digital's rule for its
hospital statistics leaves values not relating to individuals alone."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

K = TypeVar("K")

FEWER = "fewer than {n}"
WITHHELD = "not shown: it would give away a count shown as fewer than {n}"


@dataclass(frozen=True)
class Shown:
    """A count as the page shows it: its value, or None where it is hidden, with the words for it."""

    value: int | None
    text: str

    @property
    def hidden(self) -> bool:
        return self.value is None


def is_small(count: float, below: int, *, zero_hidden: bool = False) -> bool:
    """Whether ``count`` is hidden: below the threshold, and not zero unless zeros are hidden too."""
    return count < below and (count > 0 or zero_hidden)


def shown(count: int, below: int, *, zero_hidden: bool = False) -> Shown:
    """One count on its own (no total beside it): hidden when small."""
    if is_small(count, below, zero_hidden=zero_hidden):
        return Shown(None, FEWER.format(n=below))
    return Shown(count, str(count))


@dataclass(frozen=True)
class Column(Generic[K]):
    """A column of counts, one per trust, and the region's total."""

    cells: dict[K, Shown]
    total: Shown


def column(counts: Mapping[K, int], below: int, *, zero_hidden: bool = False) -> Column[K]:
    """The counts of a column with its total, small numbers suppressed (the module's rule)."""
    cells = {k: shown(v, below, zero_hidden=zero_hidden) for k, v in counts.items()}
    total = sum(counts.values())
    hidden = [counts[k] for k, s in cells.items() if s.hidden]
    smallest_each = 0 if zero_hidden else 1
    if is_small(total, below, zero_hidden=zero_hidden):
        out = Shown(None, FEWER.format(n=below))
    elif not hidden:
        out = Shown(total, str(total))
    else:
        together = sum(hidden)
        safe = (
            len(hidden) >= 2
            and together >= below
            and len(hidden) * smallest_each < together < len(hidden) * (below - 1)
        )
        out = Shown(total, str(total)) if safe else Shown(None, WITHHELD.format(n=below))
    return Column(cells, out)
