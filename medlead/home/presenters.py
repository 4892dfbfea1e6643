"""What the trust's home page shows, built from every app's registered parts (``core.work``) and the permissions
the template needs as plain answers (templates ask no permission by string)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from medlead.core.policy import Perm, can
from medlead.core.work import Figure, Task, Visit, figure_providers, work_providers


def needs_you(visit: Visit) -> list[Task]:
    """What needs this person in this trust today, across every module they touch: one list however many roles
    they hold, most urgent first and otherwise in the apps' registered order."""
    tasks = [task for provider in work_providers() for task in provider(visit)]
    tasks.sort(key=lambda t: not t.urgent)  # stable: urgent first, then the order the apps gave
    return tasks


def picture(visit: Visit) -> list[Figure]:
    """The board's picture of this trust today, for those who may see it: aggregates only."""
    if not can(visit.actor, Perm.VIEW_BOARD_PICTURE, visit.trust):
        return []
    return [figure for provider in figure_providers() for figure in provider(visit)]


def work_for(actor: Any, trust: Any, *, today: dt.date) -> list[Task]:
    """``needs_you`` for one person, outside a page."""
    return needs_you(Visit(actor, trust, today))


def board_picture(actor: Any, trust: Any, *, today: dt.date) -> list[Figure]:
    """``picture`` for one person, outside a page."""
    return picture(Visit(actor, trust, today))


@dataclass(frozen=True)
class BoardReports:
    """Which of the reports for the board the viewer may open (the list is shown if any)."""

    awards: bool
    fit_and_proper: bool
    board_view: bool
    structure_health: bool
    ro_report: bool
    guardian_report: bool

    def __bool__(self) -> bool:
        return any(vars(self).values())


def board_reports(actor: Any, trust: Any) -> BoardReports:
    return BoardReports(
        awards=can(actor, Perm.VIEW_AWARDS, trust),
        fit_and_proper=can(actor, Perm.MANAGE_FPPT, trust),
        board_view=can(actor, Perm.VIEW_METRICS, trust),
        structure_health=can(actor, Perm.VIEW_STRUCTURE_HEALTH, trust),
        ro_report=can(actor, Perm.VIEW_RO_REPORT, trust),
        guardian_report=can(actor, Perm.VIEW_GUARDIAN_REPORT, trust),
    )
