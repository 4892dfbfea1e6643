"""The local date, as every page, service and task must see it: Europe/London (the trust's wall clock), not the
server's UTC date, which is yesterday's until 01:00 in summer."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()
