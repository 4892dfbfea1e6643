"""Safe working hours on the trust's home page: exception reports waiting for an outcome, and the quarter's reports
and rota breaches in the board's picture."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from medlead.core.policy import Perm, can
from medlead.core.work import Figure, Task, Visit, board_section, needs_you
from medlead.rota import placed, swaps
from medlead.rota.models import ExceptionReport, ReportStatus, RotaBreach
from medlead.rota.permissions import exception_reports_to_agree_filter
from medlead.rota.selectors import quarter_bounds, quarter_label, quarter_of, reports_reaching


@needs_you(order=20)
def reports_waiting(visit: Visit) -> Callable[[], list[Task]]:
    actor, trust = visit.actor, visit.trust
    # the trust's own reports, and its placed resident doctors' at their hosts that their placement sends here
    waiting = reports_reaching(trust=trust).filter(status=ReportStatus.SUBMITTED)
    mine = visit.count(waiting.filter(exception_reports_to_agree_filter(actor, trust)))
    oversight = (
        visit.count(waiting.filter(placed.here(trust))) if can(actor, Perm.VIEW_ALL_EXCEPTION_REPORTS, trust) else None
    )

    def tasks() -> list[Task]:
        found = []
        reports_url = visit.url("rota:reports")
        if mine.value:
            found.append(
                Task(
                    "exception reports waiting for you to agree an outcome",
                    mine.value,
                    reports_url + "?waiting=me",
                    True,
                    one="exception report waiting for you to agree an outcome",
                )
            )
        if oversight is not None and oversight.value:
            found.append(
                Task(
                    "exception reports in the trust still waiting for an outcome",
                    oversight.value,
                    reports_url + "?waiting=outcome",
                    one="exception report in the trust still waiting for an outcome",
                )
            )
        return found

    return tasks


@board_section(order=40)
def safe_working(visit: Visit) -> Callable[[], list[Figure]]:
    fy, q = quarter_of(visit.today)
    start, end = quarter_bounds(fy, q)
    reports = ExceptionReport.objects.filter(trust=visit.trust, occurred_on__gte=start, occurred_on__lt=end)
    counts = (
        visit.count(reports),
        visit.count(reports.filter(~Q(fine_category=""))),
        visit.count(RotaBreach.objects.filter(trust=visit.trust, warning=False)),
    )
    return lambda: _safe_working(visit, fy, q, *(c.value for c in counts))


def _safe_working(visit: Visit, fy: int, q: int, n_reports: int, fined: int, breaches: int) -> list[Figure]:
    return [
        Figure(
            f"Safe working hours, {quarter_label(fy, q)}",
            f"{n_reports} exception {'report' if n_reports == 1 else 'reports'}",
            f"{fined} with a guardian fine; {breaches} rota {'breach' if breaches == 1 else 'breaches'} found by "
            "the last checks of the trust's rotas.",
            visit.link(Perm.VIEW_GUARDIAN_REPORT, "rota:guardian_report"),
        )
    ]


# ------------------------------------------------------------------------------------- shift swaps (issue 32)


@needs_you(order=22)
def swaps_waiting(visit: Visit) -> Callable[[], list[Task]]:
    """The rota coordinator's accepted swaps to approve; a doctor's offers made to them by name to answer. Each link
    opens exactly those, the longest waiting first (ADR 0022)."""
    to_approve = (
        visit.count(swaps.waiting_for_approval(visit.actor, visit.trust))
        if can(visit.actor, Perm.MANAGE_ROTAS, visit.trust)
        else None
    )
    person = getattr(visit.actor, "person", None) if visit.person_id is not None else None
    offers = (
        visit.count(swaps.offers_to_answer(person))
        if person is not None and person.trust_id == visit.trust.pk
        else None
    )

    def tasks() -> list[Task]:
        found = []
        if to_approve is not None and to_approve.value:
            found.append(
                Task(
                    "shift swaps waiting for your approval",
                    to_approve.value,
                    visit.url("rota:swaps") + "?waiting=approval",
                    one="shift swap waiting for your approval",
                )
            )
        if offers is not None and offers.value:
            found.append(
                Task(
                    "shifts offered to you, waiting for your answer",
                    offers.value,
                    visit.url("rota:swaps") + "?waiting=answer",
                    one="shift offered to you, waiting for your answer",
                )
            )
        return found

    return tasks
