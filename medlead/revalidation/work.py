"""Revalidation on the trust's home page: recommendations due, one's own appraisal and those to complete as
appraiser, and the appraisal rate in the board's picture."""

from __future__ import annotations

from django.db.models import Count, Min, Q

from medlead.core.policy import Perm, can
from medlead.core.work import Figure, Task, Visit, board_section, needs_you
from medlead.revalidation.models import Appraisal, AppraisalStatus, Connection
from medlead.revalidation.selectors import appraisal_rates, appraisal_year, awaiting_gmc, due_queue


@needs_you(order=10)
def recommendations(visit: Visit) -> list[Task]:
    if not can(visit.actor, Perm.MAKE_RECOMMENDATIONS, visit.trust):
        return []
    today = visit.today
    counts = due_queue(trust=visit.trust, today=today).aggregate(
        n_due=Count("pk"), n_overdue=Count("pk", filter=Q(submission_date__lt=today))
    )
    overdue, due = counts["n_overdue"], counts["n_due"] - counts["n_overdue"]
    waiting_url = visit.url("revalidation:waiting")
    tasks = []
    waiting = awaiting_gmc(trust=visit.trust).aggregate(n=Count("pk"), first=Min("pk"), earliest=Min("due_date"))
    if waiting["n"]:
        tasks.append(
            Task(
                "revalidation recommendations to submit on GMC Connect",
                waiting["n"],
                visit.url("revalidation:recommendation", pk=waiting["first"])
                if waiting["n"] == 1
                else waiting_url + "?show=submit",
                waiting["earliest"] < today,  # urgent once the earliest submission date has passed
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
def appraisals(visit: Visit) -> list[Task]:
    """One's own appraisal this year, if it needs them, and those they are to complete as appraiser."""
    pid = visit.person_id
    if not visit.own or pid is None:
        return []
    tasks = []
    year = appraisal_year(visit.trust, visit.today)
    found = Appraisal.objects.filter(person_id=pid, year=year).values_list("pk", "status").first()
    appraisal_pk, mine = found if found else (None, None)
    label = f"{year}/{(year + 1) % 100:02d}"
    own_appraisal: dict[str | None, str] = {
        None: f"Your appraisal for {label} has not been arranged yet",
        AppraisalStatus.NOT_STARTED: f"Your appraisal for {label} has not started",
        AppraisalStatus.PREPARING: f"Prepare your appraisal for {label}",
        AppraisalStatus.MISSED: f"Your appraisal for {label} is recorded as missed",
    }
    # an appraisal not yet arranged is a task only for a doctor with a prescribed connection to the trust
    if (
        mine is None
        and not Connection.objects.filter(trust=visit.trust, person_id=pid, disconnected_on__isnull=True).exists()
    ):
        mine = ""
    if mine in own_appraisal:
        urgent = mine == AppraisalStatus.MISSED
        where = visit.url("revalidation:appraisal", pk=appraisal_pk) if appraisal_pk else visit.url("revalidation:mine")
        tasks.append(Task(own_appraisal[mine], None, where, urgent))
    as_appraiser = Appraisal.objects.filter(
        trust=visit.trust, appraiser_id=pid, status__in=[AppraisalStatus.PREPARING, AppraisalStatus.BOOKED]
    ).count()
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
def appraisal_rate(visit: Visit) -> list[Figure]:
    year = appraisal_year(visit.trust, visit.today)
    rates = appraisal_rates(trust=visit.trust, year=year)
    return [
        Figure(
            f"Appraisal rate, {year}/{(year + 1) % 100:02d} so far",
            f"{rates['rate']:.1f}%",
            f"{rates['done']} of {rates['connected']} doctors with a prescribed connection have been appraised.",
            visit.link(Perm.VIEW_RO_REPORT, "revalidation:report"),
        )
    ]
