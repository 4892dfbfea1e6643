"""The region's demo (issue 34): placements of the lead employer's resident doctors in host trusts.

Riverside (DEM003, the lead employer) has placed one of its resident doctors in the demo trust (DEM001) on the
"Surgical core trainees" rota, added at its end, with exception reports going to both guardians; the account
``placed`` is that doctor, signed in to their record at the host, and has submitted one exception report, which
``guardian`` (DEM001) and ``guardian3`` (DEM003) both see. A second of its resident doctors is placed in Eastmoor
(DEM002) with exception reports going to Riverside's guardian only. Everything is written through the services, as
``hr3`` (Riverside's medical staffing) and ``hr`` (the demo trust's rota coordinator) would write it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from medlead.accounts.models import Role, User
from medlead.core import audit as auditor
from medlead.core import dates
from medlead.core.actors import SystemActor
from medlead.organisation import services as organisation
from medlead.organisation.models import TRAINEE_GRADES, ExceptionReportingBy, Grade, Person
from medlead.rota import services as rota_services
from medlead.rota.models import Duty, Preference, ReportKind, Rota

if TYPE_CHECKING:
    from medlead.demo.region import RegionDemo

DEMO = SystemActor("demo data")
HOST_ROTA = "Surgical core trainees"  # its membership grows by one at its end; the other rotas' tests stay as they are
PLACEMENT_WEEKS = 26
# (weekday, start hour, hours) of each week of the rota's four-week cycle (as the demo trust's own doctors work it)
CYCLE: list[list[tuple[int, int, float]]] = [
    [(d, 8, 9.0) for d in range(5)],
    [(d, 8, 12.5) for d in range(4)],
    [(d, 21, 11) for d in range(4)],
    [(d, 13, 10.5) for d in range(4)],
]


def _residents(ctx: RegionDemo) -> list[Person]:
    """The lead employer's full-time resident doctors without an account, core trainees first (the host rota's
    grade)."""
    signed_in = set(User.objects.filter(person__trust=ctx.lead.trust).values_list("person_id", flat=True))
    found = [
        p
        for p in ctx.lead.people
        if p.grade in TRAINEE_GRADES and p.ltft_fraction == 1 and p.gmc_number and p.pk not in signed_in
    ]
    return sorted(found, key=lambda p: (p.grade != Grade.CORE_TRAINEE, p.pk))


def build(ctx: RegionDemo) -> None:
    """The two placements, the placed doctor on the host's rota with their account, and their exception report."""
    today = dates.today()
    hr3 = User.objects.get(username="hr3")
    hr = User.objects.filter(username="hr").first()
    residents = _residents(ctx)
    if len(residents) < 2 or hr is None:
        return
    start_monday = today - dt.timedelta(days=today.weekday() + 7 * 8)  # the host rota's rotation began 8 weeks ago
    placement = organisation.placement_record(
        actor=hr3,
        lead_employer=ctx.lead.trust,
        employee=residents[0],
        host=ctx.home.trust,
        starts_on=start_monday,
        ends_on=start_monday + dt.timedelta(weeks=PLACEMENT_WEEKS) - dt.timedelta(days=1),
        exception_reporting=ExceptionReportingBy.BOTH,
    )
    doctor = placement.placed_as
    rota = Rota.objects.get(trust=ctx.home.trust, name=HOST_ROTA)
    rota_services.member_add(actor=hr, rota=rota, person=doctor)
    _duties(rota, doctor, start_monday)

    placed = ctx.account("placed", doctor, [(Role.DOCTOR, ctx.home.trust, None)])
    last_week = start_monday + dt.timedelta(weeks=7)  # a long evening (13:00 for 10 h 30) that ran an hour over
    rota_services.report_submit(
        actor=placed,
        doctor=doctor,
        rota=rota,
        occurred_on=last_week,
        kind=ReportKind.HOURS,
        extra_minutes=60,
        description="Stayed an hour after a long evening to hand over an unwell patient on the surgical ward.",
        preferred=Preference.PAY,
        share_with_supervisor=False,
        today=today,
    )

    organisation.placement_record(
        actor=hr3,
        lead_employer=ctx.lead.trust,
        employee=residents[1],
        host=ctx.neighbour.trust,
        starts_on=today - dt.timedelta(weeks=4),
        ends_on=today + dt.timedelta(weeks=22),
        exception_reporting=ExceptionReportingBy.LEAD_EMPLOYER,
    )


def _duties(rota: Rota, doctor: Person, start_monday: dt.date) -> None:
    """The placed doctor's eight weeks of the rota's cycle (in bulk, as the rota's own duties were made), then the
    rota's check by its rules."""
    tz = timezone.get_current_timezone()
    duties = []
    for week in range(8):
        for weekday, hour, length in CYCLE[week % 4]:
            start = dt.datetime.combine(start_monday + dt.timedelta(days=week * 7 + weekday), dt.time(hour))
            end = start + dt.timedelta(hours=length)
            duties.append(
                Duty(
                    trust=rota.trust,
                    rota=rota,
                    person=doctor,
                    start=start.replace(tzinfo=tz),
                    end=end.replace(tzinfo=tz),
                )
            )
    made = Duty.objects.bulk_create(duties)
    auditor.audit_bulk_create(actor=DEMO, objs=made, note="demo: the placed doctor's shifts on the host rota")
    rota_services.rota_check(rota=rota)
