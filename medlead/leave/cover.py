"""The effect of a doctor's leave on a rota's cover (pure: no Django): the doctor's duties in the days asked for,
and for each, how many other doctors work the same shift and how many the shift needs, so that a rota coordinator
sees which shifts the leave would leave short, day by day."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable


@dataclasses.dataclass(frozen=True)
class Shift:
    doctor: str
    start: dt.datetime  # local wall-clock time
    end: dt.datetime
    kind: str = "shift"


@dataclasses.dataclass(frozen=True)
class CoverRow:
    day: dt.date
    start: dt.datetime
    end: dt.datetime
    kind: str
    others: int  # other doctors on the same shift (same start and end)
    needed: int | None  # how many the shift needs that day, where the rota's plan says

    @property
    def short(self) -> int | None:
        """How many short the shift is left, where the need is known."""
        return None if self.needed is None else max(0, self.needed - self.others)

    @property
    def uncovered(self) -> bool:
        """Left short, or (the need unknown) left with nobody."""
        return bool(self.short) if self.needed is not None else self.others == 0


def in_days(duty: Shift, first: dt.date, last: dt.date) -> bool:
    """Whether a duty starts on a day of the leave (a night starting on the last day is the doctor's; one starting
    the day before the first is not)."""
    return first <= duty.start.date() <= last


def effect(
    duties: Iterable[Shift],
    *,
    doctor: str,
    first: dt.date,
    last: dt.date,
    needed: Callable[[Shift], int | None] = lambda _: None,
) -> list[CoverRow]:
    """For each of ``doctor``'s duties starting from ``first`` to ``last``, in time order: the others on the same
    shift and the shift's need."""
    everyone = list(duties)
    same: dict[tuple[dt.datetime, dt.datetime, str], set[str]] = {}
    for d in everyone:
        same.setdefault((d.start, d.end, d.kind), set()).add(d.doctor)
    rows = [
        CoverRow(
            day=d.start.date(),
            start=d.start,
            end=d.end,
            kind=d.kind,
            others=len(same[(d.start, d.end, d.kind)] - {doctor}),
            needed=needed(d),
        )
        for d in everyone
        if d.doctor == doctor and in_days(d, first, last)
    ]
    return sorted(rows, key=lambda r: (r.start, r.end))
