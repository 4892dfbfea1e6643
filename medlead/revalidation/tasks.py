"""Appraisal reminders, sent from the task queue (``manage.py send_appraisal_reminders`` queues them daily)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from medlead.core import notify
from medlead.revalidation.models import Appraisal, AppraisalStatus

OPEN = (AppraisalStatus.NOT_STARTED, AppraisalStatus.PREPARING, AppraisalStatus.BOOKED)


@shared_task
def send_appraisal_reminders(trust_id: int, today_iso: str) -> int:
    """Doctors whose appraisal is still open with under 8 weeks of the appraisal year left; appraisers with a
    meeting in the coming week."""
    today = dt.date.fromisoformat(today_iso)
    year = today.year if today.month >= 4 else today.year - 1
    year_end = dt.date(year + 1, 3, 31)
    sent = 0
    if (year_end - today).days <= 56:
        for a in Appraisal.objects.filter(trust_id=trust_id, year=year, status__in=OPEN).select_related("person"):
            if a.person.email:
                notify.email_people(
                    [a.person],
                    subject=f"Your appraisal {a.year_label} is due",
                    body=f"Your appraisal for {a.year_label} is not complete; the year ends on 31 March.",
                )
                sent += 1
    soon = Appraisal.objects.filter(
        trust_id=trust_id,
        status=AppraisalStatus.BOOKED,
        meeting_date__gte=today,
        meeting_date__lte=today + dt.timedelta(days=7),
    ).select_related("appraiser", "person")
    for a in soon:
        if a.appraiser is not None and a.appraiser.email:
            notify.email_people(
                [a.appraiser],
                subject=f"Appraisal meeting with {a.person}",
                body=f"Your appraisal meeting with {a.person} is on {a.meeting_date:%d %B %Y}.",
            )
            sent += 1
    return sent
