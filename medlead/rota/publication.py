"""Publishing a rota to its doctors, on time (issue 32): the work schedule issued and the rota published so many
weeks before a rotation starts (the Code of Practice's standards, ``data/rota_notice.yaml``, read through
``rulebook.selectors.value_for`` so a trust's confirmation counts), and the doctors told of every later change to
their duties. Services write (and audit); the readers are at the foot (and ``selectors.published_rotas``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from medlead.core import dates, notify
from medlead.core import services as core
from medlead.core.policy import Perm, require
from medlead.organisation.models import Person, Trust
from medlead.rota.models import Duty, Rota, RotaChange, RotaMember, RotaPublication
from medlead.rota.notice import Notice, deadline, notice
from medlead.rulebook.selectors import values_for

NOTICE_FILE = "rota_notice.yaml"
SCHEDULE_KEY, ROTA_KEY = "notice.work_schedule_weeks", "notice.rota_weeks"


@dataclasses.dataclass(frozen=True)
class Terms:
    """A publication as it would be recorded (nothing is saved): the notice of each against its standard."""

    rota: Rota
    starts_on: dt.date
    work_schedule_issued_on: dt.date
    published_on: dt.date
    work_schedule: Notice
    rota_notice: Notice
    doctors: int
    awaiting: bool  # a standard the trust has not confirmed yet (pages say so)

    @property
    def on_time(self) -> bool:
        return self.work_schedule.on_time and self.rota_notice.on_time

    @property
    def rota_deadline(self) -> dt.date:
        return deadline(starts_on=self.starts_on, weeks_required=self.rota_notice.weeks_required)

    @property
    def work_schedule_deadline(self) -> dt.date:
        return deadline(starts_on=self.starts_on, weeks_required=self.work_schedule.weeks_required)


def standards(trust: Trust, on: dt.date) -> tuple[int, int, bool]:
    """The weeks of notice for the work schedule and the rota in force for ``trust`` on ``on``, and whether either
    awaits the trust's confirmation."""
    found = values_for(trust, NOTICE_FILE, [SCHEDULE_KEY, ROTA_KEY], on)
    schedule, rota = found[SCHEDULE_KEY], found[ROTA_KEY]
    return int(schedule.value), int(rota.value), schedule.awaiting or rota.awaiting


def terms(*, rota: Rota, starts_on: dt.date, work_schedule_issued_on: dt.date, today: dt.date | None = None) -> Terms:
    """What publishing today would record, judged by the standards in force today. ``ValidationError`` says why it
    cannot be published."""
    today = today or dates.today()
    errors: dict[str, str] = {}
    if work_schedule_issued_on > today:
        errors["work_schedule_issued_on"] = "The work schedule must already have been issued: give a date up to today."
    elif work_schedule_issued_on > starts_on:
        errors["work_schedule_issued_on"] = "The work schedule must be issued before the rotation starts."
    if RotaPublication.objects.filter(rota=rota, starts_on=starts_on).exists():
        errors["starts_on"] = f"This rota is already published for the rotation starting {starts_on:%-d %B %Y}."
    doctors = RotaMember.objects.filter(rota=rota).count()
    if not doctors:
        errors["starts_on"] = "The rota has no doctors yet: add them before publishing it."
    if errors:
        raise ValidationError(errors)
    schedule_weeks, rota_weeks, awaiting = standards(rota.trust, today)
    return Terms(
        rota=rota,
        starts_on=starts_on,
        work_schedule_issued_on=work_schedule_issued_on,
        published_on=today,
        work_schedule=notice(starts_on=starts_on, given_on=work_schedule_issued_on, weeks_required=schedule_weeks),
        rota_notice=notice(starts_on=starts_on, given_on=today, weeks_required=rota_weeks),
        doctors=doctors,
        awaiting=awaiting,
    )


def rota_link(rota: Rota) -> str:
    """Where a doctor sees their shifts on the rota: My rota (the residents app's page, by its URL name)."""
    return settings.MEDLEAD_BASE_URL + reverse("residents:my_rota", kwargs={"trust_code": rota.trust.code})


@transaction.atomic
def publish(
    *, actor: Any, rota: Rota, starts_on: dt.date, work_schedule_issued_on: dt.date, today: dt.date | None = None
) -> RotaPublication:
    """Publish the rota to its doctors for the rotation starting ``starts_on``: recorded with the notice of the work
    schedule and the rota against the standards in force today, and each doctor told by email."""
    require(actor, Perm.PUBLISH_ROTA, rota)
    Rota.objects.select_for_update().filter(pk=rota.pk).first()  # one publication at a time per rota
    t = terms(rota=rota, starts_on=starts_on, work_schedule_issued_on=work_schedule_issued_on, today=today)
    publication = core.create(
        actor=actor,
        obj=RotaPublication(
            trust_id=rota.trust_id,
            rota=rota,
            starts_on=starts_on,
            work_schedule_issued_on=work_schedule_issued_on,
            published_on=t.published_on,
            published_by=actor if getattr(actor, "pk", None) else None,
            work_schedule_weeks=t.work_schedule.weeks_required,
            rota_weeks=t.rota_notice.weeks_required,
            work_schedule_on_time=t.work_schedule.on_time,
            rota_on_time=t.rota_notice.on_time,
        ),
    )
    people = Person.objects.filter(rota_memberships__rota=rota)
    notify.email_people(
        people,
        subject=f"Your rota is published: {rota.name}",
        body=f"Your rota for {rota.name}, for the rotation starting {starts_on:%A %-d %B %Y}, is published. "
        f"See your shifts at {rota_link(rota)}\n\nIf anything on it changes, you will be told by email.",
    )
    return publication


# ----------------------------------------------------------------------------- changes after publication


DutyKey = tuple[int, dt.datetime, dt.datetime, str]


def duty_keys(duties: Iterable[Duty]) -> set[DutyKey]:
    return {(d.person_id, d.start, d.end, str(d.kind)) for d in duties}


def _when(start: dt.datetime, end: dt.datetime) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    return f"{start:%a %-d %b %Y %H:%M} to {end:%H:%M}" + ("" if end.date() == start.date() else f" ({end:%a %-d %b})")


@transaction.atomic
def duties_changed(
    *, rota: Rota, before: set[DutyKey], after: set[DutyKey], what: str, today: dt.date | None = None
) -> RotaChange | None:
    """After a change to a published rota's duties (one batch: a duty added or removed, a regeneration, a swap or
    leave approved), tell each doctor whose duties from today on changed, once, saying what changed; and record the
    change for the board. Nothing for a rota never published, nor for changes wholly in the past."""
    publication = RotaPublication.objects.filter(rota=rota).order_by("-starts_on").first()
    if publication is None:
        return None
    today = today or dates.today()
    added = {k for k in after - before if timezone.localtime(k[2]).date() >= today}
    removed = {k for k in before - after if timezone.localtime(k[2]).date() >= today}
    people = sorted({k[0] for k in added | removed})
    if not people:
        return None
    link = rota_link(rota)
    for person in Person.objects.filter(pk__in=people):
        lines = [f"Added: {_when(k[1], k[2])}" for k in sorted(added, key=lambda k: k[1]) if k[0] == person.pk]
        lines += [f"Removed: {_when(k[1], k[2])}" for k in sorted(removed, key=lambda k: k[1]) if k[0] == person.pk]
        shown = lines[:20] + ([f"... and {len(lines) - 20} more changes."] if len(lines) > 20 else [])
        notify.email_people(
            [person],
            subject=f"Your rota has changed: {rota.name}",
            body=f"Your published rota for {rota.name} has changed ({what}):\n\n"
            + "\n".join(shown)
            + f"\n\nSee your shifts at {link}",
        )
    return RotaChange.objects.create(
        trust_id=rota.trust_id,
        rota=rota,
        publication=publication,
        changed_on=today,
        doctors=len(people),
        summary=f"{what}: {len(added)} added, {len(removed)} removed"[:300],
    )


# ------------------------------------------------------------------------------------------------ readers


def publications(*, rota: Rota) -> list[RotaPublication]:
    """The rota's rotations as published, latest first (one query)."""
    return list(RotaPublication.objects.filter(rota=rota).select_related("published_by"))


def late_changes(*, rota: Rota) -> list[RotaChange]:
    """Changes to the rota after it was published, latest first (at most 20)."""
    return list(RotaChange.objects.filter(rota=rota)[:20])


def month_on_time(trust: Any, day: dt.date) -> tuple[int, int]:
    """The rotations starting in ``day``'s month (any year's month, as the board reads it), as published on or
    before ``day``: how many, and how many with both the work schedule and the rota on time. A rotation's record
    made after ``day`` is not counted (a figure as it stood then); assumed records never are. Trust or list. One
    query."""
    start = day.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    scope = {"trust__in": trust} if isinstance(trust, list | tuple) else {"trust": trust}
    rows = RotaPublication.objects.filter(
        starts_on__gte=start, starts_on__lt=end, published_on__lte=day, assumed=False, **scope
    ).values_list("work_schedule_on_time", "rota_on_time")
    counted = list(rows)
    return len(counted), sum(1 for schedule, rota in counted if schedule and rota)
