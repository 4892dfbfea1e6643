"""The responsible officer's view of colleague and patient feedback (issue 33, item 2): for each doctor with a
prescribed connection, whether each kind has been done in this revalidation cycle (a report released between the
cycle's start and the submission date), when and with which questionnaire, and, for those not yet done, the date it
is due by. Reads only whether and when: never a report's content. A fixed number of queries whatever the number of
doctors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from medlead.core.bulk import among
from medlead.core.dates import day_of
from medlead.feedback.models import Exercise, ExerciseStatus
from medlead.organisation.models import Person, Trust
from medlead.organisation.selectors import matching
from medlead.revalidation.hooks import FeedbackReleased
from medlead.revalidation.models import Connection
from medlead.revalidation.selectors import cycle_windows


def released_in(trust: Trust, windows: Mapping[int, tuple[dt.date, dt.date]]) -> FeedbackReleased:
    """Person id -> kind -> (the latest release's day, the questionnaire's name), for reports released in each
    doctor's window (one query)."""
    if not windows:
        return {}
    found: FeedbackReleased = {}
    rows = (
        Exercise.objects.filter(among("doctor_id", windows), trust=trust, status=ExerciseStatus.RELEASED)
        .select_related("colleague_questionnaire", "patient_questionnaire")
        .order_by("released_at", "pk")
    )
    for e in rows:
        assert e.released_at is not None
        day = day_of(e.released_at)
        start, end = windows[e.doctor_id]
        if not start <= day <= end:
            continue
        mine = found.setdefault(e.doctor_id, {})
        mine["colleague_feedback"] = (day, e.colleague_questionnaire.name)
        if e.patient_questionnaire is not None:
            mine["patient_feedback"] = (day, e.patient_questionnaire.name)
    return found


KINDS = (("colleague_feedback", "Colleague feedback"), ("patient_feedback", "Patient feedback"))


@dataclass(frozen=True)
class Done:
    on: dt.date
    questionnaire: str


@dataclass(frozen=True)
class DoctorFeedback:
    person: Person
    cycle_start: dt.date
    submission_date: dt.date
    colleague: Done | None
    patient: Done | None

    @property
    def done(self) -> bool:
        return self.colleague is not None and self.patient is not None


def connected_people(*, trust: Trust, search: str = "") -> QuerySet[Person]:
    """The people with a prescribed connection to ``trust`` today, matching ``search``, by name: one page of them at
    a time is given to ``doctors``."""
    connected = Connection.objects.filter(trust=trust, disconnected_on__isnull=True).values("person_id")
    return matching(Person.objects.filter(pk__in=connected), search).order_by("last_name", "first_name", "pk")


def doctors(
    *, trust: Trust, today: dt.date, due_by: dt.date | None = None, people: Iterable[int] | None = None
) -> list[DoctorFeedback]:
    """Every doctor connected today (with ``due_by``, those whose submission date is on or before it; with ``people``,
    those of them), those with feedback not yet done first (the earliest submission date first), then those done."""
    connected = Connection.objects.filter(trust=trust, disconnected_on__isnull=True)
    if due_by is not None:
        connected = connected.filter(submission_date__lte=due_by)
    if people is not None:
        connected = connected.filter(person_id__in=list(people))
    connections = list(
        connected.select_related("person__specialty").order_by("submission_date", "person__last_name", "pk")
    )
    latest: dict[int, Connection] = {}
    for c in connections:
        latest.setdefault(c.person_id, c)
    windows = cycle_windows(list(latest.values()))
    released = released_in(trust, {pid: (start, max(today, end)) for pid, (start, end) in windows.items()})
    rows = []
    for pid, c in latest.items():
        found = released.get(pid, {})
        rows.append(
            DoctorFeedback(
                c.person,
                windows[pid][0],
                c.submission_date,
                Done(*found["colleague_feedback"]) if "colleague_feedback" in found else None,
                Done(*found["patient_feedback"]) if "patient_feedback" in found else None,
            )
        )
    return sorted(rows, key=lambda r: (r.done, r.submission_date, r.person.last_name))


def doctors_named(*, trust: Trust, today: dt.date, people: Sequence[int]) -> list[DoctorFeedback]:
    """``doctors`` for these people only (one page of ``connected_people``), in the order given."""
    order = {pid: i for i, pid in enumerate(people)}
    return sorted(doctors(trust=trust, today=today, people=people), key=lambda r: order[r.person.pk])


def not_done_due_within(*, trust: Trust, today: dt.date, until: dt.date) -> list[DoctorFeedback]:
    """Doctors whose feedback is not yet done and whose submission date is on or before ``until``."""
    return [r for r in doctors(trust=trust, today=today, due_by=until) if not r.done]
