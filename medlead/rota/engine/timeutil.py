"""Europe/London wall-clock times as integer seconds, and their conversion to real (UTC) time, vectorised.

A "local" time is seconds since 1970-01-01 00:00 on the wall clock (no offset). UK clocks go forward at
01:00 UTC on the last Sunday of March and back at 01:00 UTC on the last Sunday of October. Times that do not
exist (the hour skipped in spring) and that exist twice (the hour repeated in autumn) are read as Python's
zoneinfo reads them with ``fold=0``: a skipped time takes the offset before the change (GMT), a repeated time
its first occurrence (BST). Tests compare this with zoneinfo. A skipped time is refused where a person or a file
gives one (a duty added, a rota's import, ``rota_check``'s CSV: ``skipped``). A generated rota's shift may still end
in it (16:00 for 9 hours on the Saturday): stored as that real moment, it reads 02:00 on the clock, which is right.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt

DAY = 86_400
HOUR = 3_600
EPOCH = dt.datetime(1970, 1, 1)
I64 = npt.NDArray[np.int64]


def to_local_seconds(value: dt.datetime) -> int:
    """A naive wall-clock datetime as local seconds."""
    return int((value - EPOCH).total_seconds())


def from_local_seconds(seconds: int) -> dt.datetime:
    return EPOCH + dt.timedelta(seconds=int(seconds))


def _last_sunday(year: int, month: int) -> dt.date:
    last = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - 6) % 7)


@lru_cache(maxsize=64)
def _boundaries(first_year: int, last_year: int) -> I64:
    """Local seconds at which BST starts (02:00 local, spring) and ends (02:00 local, autumn), year by year."""
    edges: list[int] = []
    for year in range(first_year, last_year + 1):
        spring = dt.datetime.combine(_last_sunday(year, 3), dt.time(2, 0))
        autumn = dt.datetime.combine(_last_sunday(year, 10), dt.time(2, 0))
        edges += [to_local_seconds(spring), to_local_seconds(autumn)]
    return np.array(edges, dtype=np.int64)


def utc_offsets(local: I64) -> I64:
    """The UTC offset in seconds (0 or 3600) in force at each local time.

    Both changes fall on a whole local hour (02:00), so the offset is constant within each local hour: one
    table of the hours between the earliest and latest time, then a gather (fast on millions of times).
    """
    if local.size == 0:
        return np.zeros(0, dtype=np.int64)
    first_hour = int(local.min()) // HOUR
    last_hour = int(local.max()) // HOUR
    lo = first_hour * HOUR // (365 * DAY) + 1969
    hi = last_hour * HOUR // (365 * DAY) + 1971
    edges = _boundaries(lo, hi)
    hours_local = np.arange(first_hour, last_hour + 1, dtype=np.int64) * HOUR
    # an odd count of edges at or before a time means it is inside British Summer Time
    table = (np.searchsorted(edges, hours_local, side="right") % 2).astype(np.int64) * HOUR
    return table[local // HOUR - first_hour]


def to_utc(local: I64) -> I64:
    return local - utc_offsets(local)


def skipped(value: dt.datetime) -> bool:
    """Whether a wall-clock time falls in the hour the clocks skip in spring (from 01:00 to 01:59 on the last Sunday
    of March), which no clock in the UK shows: read as it stands it would become the next hour, so a duty's start or
    end there is refused rather than moved."""
    local = np.array([to_local_seconds(value)], dtype=np.int64)
    return bool(to_local(to_utc(local))[0] != local[0])


def skipped_reason(value: dt.datetime) -> str:
    """Plain words for a skipped time, and what to give instead."""
    later = value + dt.timedelta(hours=1)
    return (
        f"{value:%H:%M} on {value.day} {value:%B %Y} does not exist in the UK: the clocks go forward from 01:00 to "
        f"02:00 that night. Give {later:%H:%M} if you mean an hour later, or a time before 01:00"
    )


def to_local(utc: I64) -> I64:
    """Real (UTC) seconds back to wall-clock seconds. Both changes happen at 01:00 UTC."""
    if utc.size == 0:
        return utc.copy()
    lo = int(utc.min()) // (365 * DAY) + 1969
    hi = int(utc.max()) // (365 * DAY) + 1971
    edges = _boundaries(lo, hi) - HOUR
    inside = np.searchsorted(edges, utc, side="right") % 2 == 1
    return utc + inside.astype(np.int64) * HOUR


_UTC_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_SECOND = dt.timedelta(seconds=1)


def wall_clock(instants: Sequence[dt.datetime]) -> list[dt.datetime]:
    """Aware instants as naive UK wall-clock times, all at once: what zoneinfo's Europe/London gives one by one
    (``timezone.localtime``), a rota's hundreds of duties for a fraction of its cost."""
    if not instants:
        return []
    utc = np.array([(v - _UTC_EPOCH) // _SECOND for v in instants], dtype=np.int64)
    return [
        EPOCH + dt.timedelta(seconds=int(s), microseconds=v.microsecond)
        for s, v in zip(to_local(utc), instants, strict=True)
    ]
