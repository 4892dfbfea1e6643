"""The lists: a trust's transfers (asked by it and asked of it) for its responsible officer; a doctor's own; and the
pages the "what needs you" links open, each exactly its task's records, oldest first with their ages."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from medlead.core.dates import day_of, today
from medlead.core.policy import Perm, person_id
from medlead.core.views import task_list
from medlead.core.work import Waiting
from medlead.organisation.selectors import own_person, trust_for
from medlead.transfers import presenters, selectors
from medlead.transfers.views.common import SECTION, render_page

LIST = "Information transfers"


@require_safe
def index(request: HttpRequest, trust_code: str) -> HttpResponse:
    """Every transfer the trust asked for and every one it was asked for (a few a year each): two queries."""
    trust = trust_for(request.user, trust_code, Perm.REQUEST_INFORMATION_TRANSFER)
    return render_page(
        request,
        "transfers/list.jinja",
        trust,
        asked_by=presenters.lines(trust, list(selectors.asked_by(trust=trust)), asked_by_us=True),
        asked_of=presenters.lines(trust, list(selectors.asked_of(trust=trust)), asked_by_us=False),
    )


@require_safe
def mine(request: HttpRequest, trust_code: str) -> HttpResponse:
    """A doctor's own page: each transfer about them, who asked, of whom, when, and when it was sent; never what it
    says."""
    trust, person = own_person(request.user, trust_code)
    found = list(selectors.about(trust=trust, doctor=person))
    return render_page(
        request,
        "transfers/mine.jinja",
        trust,
        rows=[(t, presenters.status_words(t), presenters.url("transfer", trust, t)) for t in found],
    )


def _back(trust: object) -> tuple[str, str]:
    return presenters.url("list", trust), LIST  # type: ignore[arg-type]


@require_safe
def to_complete(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.REQUEST_INFORMATION_TRANSFER)
    found = selectors.to_complete(trust=trust, person_id=person_id(request.user)).select_related("trust", "doctor")
    return task_list(
        request,
        trust=trust,
        section=SECTION,
        title="Information transfers to complete",
        lede="Other trusts' responsible officers asked for these doctors' information transfers: they were connected "
        "to your designated body before.",
        items=[
            Waiting(
                f"{t.doctor.display_name}, for {t.trust.name}",
                presenters.url("transfer", trust, t),
                t.requested_on,
            )
            for t in found
        ],
        today=today(),
        since_label="Asked for on",
        back=_back(trust),
    )


@require_safe
def to_read(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.REQUEST_INFORMATION_TRANSFER)
    found = selectors.to_read(trust=trust, person_id=person_id(request.user)).select_related("previous_trust", "doctor")
    return task_list(
        request,
        trust=trust,
        section=SECTION,
        title="Information transfers sent to you, not yet read",
        items=[
            Waiting(
                f"{t.doctor.display_name}, from {t.previous_trust.name}",
                presenters.url("transfer", trust, t),
                t.sent_on or t.requested_on,
            )
            for t in found
        ],
        today=today(),
        since_label="Sent on",
        back=_back(trust),
    )


@require_safe
def waiting(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.REQUEST_INFORMATION_TRANSFER)
    days = selectors.expected_days(trust=trust, day=today())
    found = selectors.waiting_since(trust=trust, before=today() - dt.timedelta(days=days)).select_related(
        "previous_trust", "doctor"
    )
    return task_list(
        request,
        trust=trust,
        section=SECTION,
        title=f"Information transfers waiting more than {days} days",
        lede="Each still waits for the previous responsible officer. You may remind them, or withdraw the request.",
        items=[
            Waiting(
                f"{t.doctor.display_name}, asked of {t.previous_trust.name}",
                presenters.url("transfer", trust, t),
                t.requested_on,
            )
            for t in found
        ],
        today=today(),
        since_label="Asked for on",
        back=_back(trust),
    )


@require_safe
def to_ask(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.REQUEST_INFORMATION_TRANSFER)
    found = selectors.doctors_to_ask(trust=trust)
    new = presenters.url("new", trust)
    return task_list(
        request,
        trust=trust,
        section=SECTION,
        title="Doctors who have moved here, whose information transfer nobody has asked for",
        lede="Each has a record, no longer active, in another trust on medlead with the same GMC number.",
        items=[
            Waiting(
                f"{p.display_name} (GMC number {p.gmc_number})",
                f"{new}?doctor={p.gmc_number}",
                day_of(p.created_at),
            )
            for p in found
        ],
        today=today(),
        since_label="On medlead since",
        back=_back(trust),
        one_opens_record=False,
    )
