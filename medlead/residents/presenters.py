"""What My rota shows: the doctor's next shifts with who else is on, the recent shifts they may report extra hours
from, their hours over the rotation, breaches that touch them, their exception reports and their calendar
address. A fixed number of queries whatever the number of shifts (a few for each rota the doctor is on)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from medlead.core.policy import Perm, can
from medlead.leave import selectors as leave_selectors
from medlead.organisation.models import Person, Trust
from medlead.residents import feeds, selectors
from medlead.residents.models import CalendarFeed
from medlead.rota.models import Duty, ReportKind
from medlead.rota.swaps import swaps_for_doctor

NEXT_SHIFTS = 10
AHEAD = dt.timedelta(weeks=8)
# past shifts offered for an exception report: version 13 asks for reports within 28 days of the event
RECENT = dt.timedelta(days=28)
RECENT_SHIFTS = 10


@dataclass(frozen=True)
class Shift:
    duty: Duty
    name: str
    alongside: list[str]
    report_url: str = ""


def _report_url(trust: Trust, duty: Duty) -> str:
    day = duty.start.astimezone(selectors.shifts.LONDON).date()
    base = reverse("rota:report_new", kwargs={"trust_code": trust.code})
    return f"{base}?occurred_on={day.isoformat()}&rota={duty.rota_id}&kind={ReportKind.HOURS}"


def feed_address(request: Any, feed: CalendarFeed | None) -> str:
    if feed is None:
        return ""
    return request.build_absolute_uri(reverse("residents:feed", kwargs={"token": feeds.address(feed.key)}))


def my_rota(request: Any, *, trust: Trust, person: Person, now: dt.datetime) -> dict[str, Any]:
    upcoming = list(selectors.my_duties(person, now, now + AHEAD)[:NEXT_SHIFTS])
    recent = list(
        reversed(selectors.my_duties(person, now - RECENT, now).filter(end__lte=now).reverse()[:RECENT_SHIFTS])
    )
    duties = upcoming + recent
    named = selectors.names(duties)
    with_whom = selectors.alongside(person, upcoming)
    may_report = can(request.user, Perm.SUBMIT_EXCEPTION_REPORT, person)
    feed = selectors.feed_of(person)
    address = feed_address(request, feed)
    return {
        "current_trust": trust,
        "section": "my_rota",
        "person": person,
        "next_shifts": [Shift(d, named[d.pk], with_whom.get(d.pk, [])) for d in upcoming],
        "recent_shifts": [
            Shift(d, named[d.pk], [], _report_url(trust, d) if may_report else "") for d in reversed(recent)
        ],
        "may_report": may_report,
        "hours": selectors.rotation_hours(person, now),
        "breaches": selectors.my_breaches(person),
        "reports": selectors.my_reports(person),
        "feed": feed,
        "feed_address": address,
        "webcal_address": "webcal://" + address.split("://", 1)[1] if address else "",
        "leave_requests": leave_selectors.for_doctor(person),
        "may_request_leave": can(request.user, Perm.REQUEST_LEAVE, person),
        "offerable": {d.pk for d in upcoming if can(request.user, Perm.OFFER_SWAP, d)},
        "my_swaps": swaps_for_doctor(person),
        "me": person,
    }
