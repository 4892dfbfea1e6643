"""The notice a rotation's doctors were given of their work schedule and rota, against the Code of Practice's
standards (``data/rota_notice.yaml``: so many weeks before the rotation starts). Pure: no Django.

"At least N weeks before" the first day: given on the day exactly 7N days before it is on time, a day later is late.
"""

from __future__ import annotations

import dataclasses
import datetime as dt


@dataclasses.dataclass(frozen=True)
class Notice:
    days: int  # days from the day it was given to the rotation's first day (negative: given after it started)
    weeks_required: int

    @property
    def on_time(self) -> bool:
        return self.days >= self.weeks_required * 7

    @property
    def words(self) -> str:
        """The notice in plain words: '6 weeks and 2 days (at least 6 weeks asked): on time'."""
        if self.days < 0:
            given = f"{-self.days} {'day' if self.days == -1 else 'days'} after the rotation started"
        else:
            weeks, days = divmod(self.days, 7)
            parts = [f"{weeks} {'week' if weeks == 1 else 'weeks'}"] if weeks else []
            if days or not weeks:
                parts.append(f"{days} {'day' if days == 1 else 'days'}")
            given = " and ".join(parts) + " before its first day"
        verdict = "on time" if self.on_time else "late"
        return f"{given} (at least {self.weeks_required} weeks asked): {verdict}"


def notice(*, starts_on: dt.date, given_on: dt.date, weeks_required: int) -> Notice:
    return Notice(days=(starts_on - given_on).days, weeks_required=weeks_required)


def deadline(*, starts_on: dt.date, weeks_required: int) -> dt.date:
    """The last day on which the notice is on time."""
    return starts_on - dt.timedelta(days=weeks_required * 7)
