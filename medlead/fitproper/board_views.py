"""The board register: the company secretary and the chair see the board's members with their seats and terms, and
add a member, end a term or name the senior independent director, each with a reason, a check of the answers and
a confirmation saying what happens next. A seat that opens fit and proper records (the chair, the senior independent
director) waits for a second approver on the access pages; the others take effect at once (docs/adr/0020)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from medlead.accounts import services as access
from medlead.accounts.models import AccessRequest
from medlead.core.dates import today
from medlead.core.page_actions import act
from medlead.core.policy import Perm, can, require
from medlead.core.views import changing, check_page
from medlead.fitproper import board_forms as f
from medlead.organisation import services as organisation
from medlead.organisation.models import BoardMember, Trust
from medlead.organisation.selectors import trust_for

SECTION = "board"
Result = BoardMember | AccessRequest


@dataclass(frozen=True)
class Change:
    """One change the register offers: its form, the service that makes it, and the seats it is offered for."""

    form: type[f.BoardChange]
    save: Callable[[Any, Trust, Any, Any], Result]  # (actor, trust, the seat: none to add one, the form)
    offered: Callable[[BoardMember | None], bool]
    done: str  # what the confirmation says, for a change made at once


CHANGES: dict[str, Change] = {
    "add": Change(
        f.AddMember,
        lambda actor, trust, seat, form: access.board_seat_add(
            actor=actor, seat=form.new_seat(), reason=form.cleaned_data["reason"]
        ),
        lambda seat: seat is None,
        "Member added: the seat counts from the next page.",
    ),
    "end": Change(
        f.EndTerm,
        lambda actor, trust, seat, form: organisation.board_seat_end(
            actor=actor, seat=seat, end=form.cleaned_data["end"], reason=form.cleaned_data["reason"]
        ),
        lambda seat: seat is not None and seat.end is None,
        "Term ended: from the next page the seat opens nothing, and the member's records are kept.",
    ),
    "senior-independent": Change(
        f.NameSeniorIndependent,
        lambda actor, trust, seat, form: access.senior_independent_name(
            actor=actor, seat=seat, reason=form.cleaned_data["reason"]
        ),
        lambda seat: (
            seat is not None and seat.end is None and seat.role == "non_executive" and not seat.senior_independent
        ),
        "Senior independent director named.",
    ),
}

WAITS = (
    "Request sent. This seat opens board members' fit and proper records, so nothing changes until a second "
    "authorised person approves it: the trust's Caldicott guardian, who has been told by email, or a system "
    "administrator covering the trust. You cannot approve it yourself, and nor can the person seated."
)


# What confirming does, said on the check page before anyone confirms.
WAITS_CHECK = (
    "This seat opens board members' fit and proper records. Confirming asks a second authorised person to approve "
    "it (the trust's Caldicott guardian, or a system administrator covering the trust): nothing changes until they "
    "do. You cannot approve it yourself, and nor can the person seated."
)
AT_ONCE = "Confirming makes the change now. It is recorded in the audit trail with your name and reason."


def _offered(actor: Any, seat: BoardMember) -> list[tuple[str, str]]:
    """The changes offered for a seat: none for one's own."""
    if not can(actor, Perm.MANAGE_BOARD, seat):
        return []
    return [(slug, c.form.title) for slug, c in CHANGES.items() if c.offered(seat)]


def register(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_BOARD)
    seats = list(
        BoardMember.objects.filter(trust=trust)
        .select_related("person", "trust")
        .order_by("end", "role", "person__last_name")
    )
    waiting = list(
        AccessRequest.objects.filter(
            trust=trust,
            status=AccessRequest.Status.PENDING,
            kind__in=(AccessRequest.Kind.BOARD_SEAT, AccessRequest.Kind.SENIOR_INDEPENDENT),
        ).select_related("person", "requested_by")
    )
    return render(
        request,
        "fitproper/board.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "current": [s for s in seats if s.end is None],
            "former": [s for s in seats if s.end is not None][:50],
            "waiting": waiting,
            "today": today(),
            "actions": {s.pk: _offered(request.user, s) for s in seats},
        },
    )


def _context(
    request: HttpRequest, trust_code: str, change: str, pk: int | None
) -> tuple[Trust, BoardMember | None, Change]:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_BOARD)
    seat = None
    if pk is not None:
        seat = BoardMember.objects.filter(trust=trust, pk=pk).select_related("person", "trust").first()
        if seat is None:
            raise Http404("No such seat here.")
        require(request.user, Perm.MANAGE_BOARD, seat)  # never one's own seat
    what = CHANGES.get(change)
    if what is None or not what.offered(seat):
        raise Http404("No such change.")
    return trust, seat, what


def _form_page(request: HttpRequest, trust: Trust, seat: BoardMember | None, change: str, form: Any) -> HttpResponse:
    return render(
        request,
        "fitproper/board_change.jinja",
        {"current_trust": trust, "section": SECTION, "seat": seat, "form": form, "change": change},
    )


def change_form(request: HttpRequest, trust_code: str, change: str, pk: int | None = None) -> HttpResponse:
    """The change's questions (GET); its answers checked (POST): the check page, or the questions with errors."""
    trust, seat, what = _context(request, trust_code, change, pk)
    if request.method != "POST":
        return _form_page(request, trust, seat, change, what.form(trust=trust, seat=seat))
    form = what.form(request.POST, trust=trust, seat=seat)
    if not form.is_valid() or changing(request):
        if form.is_valid():
            form = what.form(initial=form.cleaned_data, trust=trust, seat=seat)
        return _form_page(request, trust, seat, change, form)
    where = {"trust_code": trust.code, "change": change} | ({"pk": seat.pk} if seat else {})
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing=form.title.lower(),
        facts=[("Member", f"{seat.person.display_name}, {seat.get_role_display().lower()}")] if seat else [],
        rows=form.answers(),
        form=form,
        confirm_url=reverse("fitproper:seat_confirm" if seat else "fitproper:board_confirm", kwargs=where),
        change_url=reverse("fitproper:seat_change" if seat else "fitproper:board_change", kwargs=where),
        says=[WAITS_CHECK] if _waits(change, form) else [AT_ONCE],
        change_posts=True,
    )


def _waits(change: str, form: Any) -> bool:
    """Whether confirming asks a second approver (said on the check page before anyone confirms)."""
    if change == "senior-independent":
        return True
    return change == "add" and form.new_seat().opens_records


@require_POST
def change_confirm(request: HttpRequest, trust_code: str, change: str, pk: int | None = None) -> HttpResponse:
    """The checked answers, confirmed: the change is made, or asked for when it waits for a second approver."""
    trust, seat, what = _context(request, trust_code, change, pk)
    form = what.form(request.POST, trust=trust, seat=seat)

    def done(result: Result) -> HttpResponse:
        if isinstance(result, AccessRequest):
            return redirect("access:request", trust_code=trust.code, pk=result.pk)
        return redirect("fitproper:board", trust_code=trust.code)

    return act(
        request,
        form,
        save=lambda data: what.save(request.user, trust, seat, form),
        done=done,
        page=lambda bad: _form_page(request, trust, seat, change, bad),
        saved=lambda result: WAITS if isinstance(result, AccessRequest) else what.done,
    )
