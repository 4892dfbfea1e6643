"""The local date, as every page, service and task must see it: Europe/London (the trust's wall clock), not the
server's UTC date, which is yesterday's until 01:00 in summer.

The one place medlead asks the clock for the date: a lint rule (ruff's TID251, in pyproject.toml) refuses
``timezone.localdate``, ``date.today`` and ``datetime.now`` everywhere else."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def now() -> dt.datetime:
    """This instant, time zone aware (UTC), for timestamps; ``timezone.now()`` gives the same. Never a naive
    ``datetime.now()``: that is the server's wall clock, whatever its zone."""
    return timezone.now()


def day_of(moment: dt.datetime) -> dt.date:
    """The Europe/London date of a stored timestamp (the day a record was submitted or signed)."""
    return timezone.localdate(moment)


def parse_day(text: str) -> dt.date:
    """A date as people type it in an import file: 2027-03-31 or 31/03/2027. Raises ``ValueError`` otherwise."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)
