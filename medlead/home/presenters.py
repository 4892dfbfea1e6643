"""What the trust's home page shows, built from every app's registered parts (``core.work``) and the permissions
the template needs as plain answers (templates ask no permission by string)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse

from medlead.core import kept
from medlead.core.dates import today
from medlead.core.policy import Perm, can
from medlead.core.work import Figure, Task, Visit, gather
from medlead.organisation import selectors


def home(visit: Visit) -> tuple[list[Task], list[Figure]]:
    """What needs this person in this trust today, across every module they touch (one list however many roles they
    hold, most urgent first and otherwise in the apps' registered order), and the board's picture of the trust for
    those who may see it (aggregates only): both from the apps' registered providers, their counts read together."""
    tasks, figures = gather(visit, figures=can(visit.actor, Perm.VIEW_BOARD_PICTURE, visit.trust))
    tasks.sort(key=lambda t: not t.urgent)  # stable: urgent first, then the order the apps gave
    return tasks, figures


def needs_you(visit: Visit) -> list[Task]:
    """What needs this person in this trust today (``home``'s first list)."""
    tasks, _ = gather(visit, figures=False)
    tasks.sort(key=lambda t: not t.urgent)
    return tasks


def picture(visit: Visit) -> list[Figure]:
    """The board's picture of this trust today, for those who may see it: aggregates only."""
    if not can(visit.actor, Perm.VIEW_BOARD_PICTURE, visit.trust):
        return []
    return gather(visit, figures=True, work=False)[1]


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


@dataclass(frozen=True)
class Door:
    """One of the administration pages a system administrator may open: where, what, and what it is for."""

    url: str
    text: str
    detail: str


def administration(actor: Any, trust: Any) -> list[Door]:
    """The administration pages the viewer may use, each only if they may: the audit trail, the access pages and
    the Django admin (reference data). Nobody else sees the list."""
    code = trust.code
    doors = []
    if can(actor, Perm.MANAGE_ACCESS, trust):
        doors.append(
            Door(
                reverse("access:accounts", kwargs={"trust_code": code}),
                "Accounts and access",
                "Find an account; grant or remove roles, link its person, set its single sign-on identifier.",
            )
        )
    if can(actor, Perm.VIEW_ACCESS_REQUESTS, trust):
        doors.append(
            Door(
                reverse("access:requests", kwargs={"trust_code": code}),
                "Grants of access",
                "Grants that open confidential records, waiting for a second authorised person, and those decided.",
            )
        )
    if can(actor, Perm.VIEW_AUDIT, trust):
        doors.append(
            Door(
                reverse("audit:log"),
                "Audit trail",
                "Every create, update and delete: who, when and which fields (confidential records are not shown).",
            )
        )
    asking = HttpRequest()
    asking.user = actor
    if admin.site.has_permission(asking):
        doors.append(
            Door(
                reverse("admin:index"),
                "Reference data (Django admin)",
                "Post types, sites, divisions, specialties and other reference data. Accounts and access are not here.",
            )
        )
    return doors


@dataclass(frozen=True)
class TrustHome:
    """What a trust's home page shows of the trust's records: kept (``core.kept``) until one of them changes."""

    trust: Any
    counts: dict[str, int]
    can_import: bool
    work: list[Task]
    picture: list[Figure]
    reports: BoardReports
    administration: list[Door]


def trust_home(user: Any, trust_code: str) -> TrustHome:
    """A trust's home page for ``user`` today: served from the cache while nothing it read has changed, else built
    (404 for a trust the user may not know of, as ``trust_for``)."""
    day = today()
    return kept.kept(("home:trust", user.pk, trust_code, day), lambda: _trust_home(user, trust_code, day))


def _trust_home(user: Any, trust_code: str, day: dt.date) -> TrustHome:
    # a page to be kept reads the account again, watched, so that it is built again when the account's roles or person
    # change (the request read it before the build)
    actor = get_user_model()._default_manager.get(pk=user.pk) if kept.watching() else user
    trust = selectors.trust_for(actor, trust_code)
    # "What needs you" and the board's picture share one visit: what both read (the posts' holders and structure
    # health) is read once, if at all
    visit = Visit(actor, trust, day)
    counts = selectors.headcounts_on(visit)  # read with the providers' counts
    work, picture = home(visit)
    return TrustHome(
        trust=trust,
        counts=counts(),
        can_import=can(actor, Perm.RUN_IMPORT, trust),
        work=work,
        picture=picture,
        reports=board_reports(actor, trust),
        administration=administration(actor, trust),
    )
