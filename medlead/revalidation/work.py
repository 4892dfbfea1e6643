"""Revalidation on the trust's home page: recommendations due, one's own appraisal and those to complete as
appraiser, and the appraisal rate in the board's picture."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from medlead.core.policy import Perm, can
from medlead.core.work import Figure, Task, Visit, board_section, needs_you
from medlead.revalidation.models import Appraisal, AppraisalStatus, Connection
from medlead.revalidation.selectors import appraisal_rate_sets, appraisal_year, awaiting_gmc, due_queue


@needs_you(order=10)
def recommendations(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    if not can(visit.actor, Perm.MAKE_RECOMMENDATIONS, visit.trust):
        return []
    queue = due_queue(trust=visit.trust, today=visit.today)
    n_due, n_overdue = visit.count(queue), visit.count(queue.filter(submission_date__lt=visit.today))
    to_submit = awaiting_gmc(trust=visit.trust)
    n_waiting = visit.count(to_submit)
    return lambda: _recommendations(visit, n_overdue.value, n_due.value - n_overdue.value, n_waiting.value, to_submit)


def _recommendations(visit: Visit, overdue: int, due: int, n_waiting: int, to_submit: QuerySet[Any]) -> list[Task]:
    today = visit.today
    waiting_url = visit.url("revalidation:waiting")
    tasks = []
    if n_waiting:
        # the earliest submission date first: the one recommendation's own page when there is only one
        first_pk, earliest = to_submit.values_list("pk", "due_date").first() or (None, today)
        tasks.append(
            Task(
                "revalidation recommendations to submit on GMC Connect",
                n_waiting,
                visit.url("revalidation:recommendation", pk=first_pk)
                if n_waiting == 1
                else waiting_url + "?show=submit",
                earliest < today,  # urgent once the earliest submission date has passed
                one="revalidation recommendation to submit on GMC Connect",
            )
        )
    if overdue:
        tasks.append(
            Task(
                "revalidation recommendations past their submission date",
                overdue,
                waiting_url + "?show=overdue",
                True,
                one="revalidation recommendation past its submission date",
            )
        )
    if due:
        tasks.append(
            Task(
                "revalidation recommendations due in the coming months",
                due,
                waiting_url + "?show=due",
                one="revalidation recommendation due in the coming months",
            )
        )
    return tasks


@needs_you(order=50)
def appraisals(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    """One's own appraisal this year, if it needs them, and those they are to complete as appraiser."""
    pid = visit.person_id
    if not visit.own or pid is None:
        return []
    connected = visit.exists(Connection.objects.filter(trust=visit.trust, person_id=pid, disconnected_on__isnull=True))
    as_appraiser = visit.count(
        Appraisal.objects.filter(
            trust=visit.trust, appraiser_id=pid, status__in=[AppraisalStatus.PREPARING, AppraisalStatus.BOOKED]
        )
    )
    year = appraisal_year(visit.trust, visit.today)
    own = visit.first(Appraisal.objects.filter(person_id=pid, year=year), "pk", "status")
    return lambda: _appraisals(visit, year, own.value, bool(connected.value), as_appraiser.value)


def _appraisals(
    visit: Visit, year: int, found: tuple[Any, ...] | None, connected: bool, as_appraiser: int
) -> list[Task]:
    tasks = []
    appraisal_pk, mine = found if found else (None, None)
    label = f"{year}/{(year + 1) % 100:02d}"
    own_appraisal: dict[str | None, str] = {
        None: f"Your appraisal for {label} has not been arranged yet",
        AppraisalStatus.NOT_STARTED: f"Your appraisal for {label} has not started",
        AppraisalStatus.PREPARING: f"Prepare your appraisal for {label}",
        AppraisalStatus.MISSED: f"Your appraisal for {label} is recorded as missed",
    }
    # an appraisal not yet arranged is a task only for a doctor with a prescribed connection to the trust
    if mine is None and not connected:
        mine = ""
    if mine in own_appraisal:
        urgent = mine == AppraisalStatus.MISSED
        where = visit.url("revalidation:appraisal", pk=appraisal_pk) if appraisal_pk else visit.url("revalidation:mine")
        tasks.append(Task(own_appraisal[mine], None, where, urgent))
    if as_appraiser:
        tasks.append(
            Task(
                "appraisals you are to complete as appraiser",
                as_appraiser,
                visit.url("revalidation:waiting") + "?show=appraising",
                one="appraisal you are to complete as appraiser",
            )
        )
    return tasks


@board_section(order=20)
def appraisal_rate(visit: Visit) -> Callable[[], list[Figure]]:
    year = appraisal_year(visit.trust, visit.today)
    connected, appraised = (visit.count(qs) for qs in appraisal_rate_sets(trust=visit.trust, year=year))
    return lambda: _appraisal_rate(visit, year, connected.value, appraised.value)


def _appraisal_rate(visit: Visit, year: int, connected: int, done: int) -> list[Figure]:
    rate = (done / connected * 100) if connected else 0.0  # as ``appraisal_rates`` gives it
    return [
        Figure(
            f"Appraisal rate, {year}/{(year + 1) % 100:02d} so far",
            f"{rate:.1f}%",
            f"{done} of {connected} doctors with a prescribed connection have been appraised.",
            visit.link(Perm.VIEW_RO_REPORT, "revalidation:report"),
        )
    ]
