"""A doctor's leave: their page ("Your leave"), a new request (form, check your answers, confirmation), and
withdrawing a request or asking to cancel approved leave."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core import dates
from medlead.core.page_actions import act
from medlead.core.policy import Perm, can, require, require_known
from medlead.core.views import changing, check_page, done_page, form_page
from medlead.leave import presenters, services
from medlead.leave.forms import CancelForm, LeaveRequestForm, WithdrawForm
from medlead.leave.models import LeaveRequest
from medlead.organisation.models import Person, Trust
from medlead.organisation.selectors import trust_for

SECTION = "rotas"


def _own(request: HttpRequest, trust: Trust) -> Person:
    person = getattr(request.user, "person", None)
    if person is None or person.trust_id != trust.pk:
        raise PermissionDenied("These pages are for the trust's doctors' own leave.")
    return person


@require_safe
def mine(request: HttpRequest, trust_code: str) -> HttpResponse:
    """Your leave: the entitlement this leave year, and your requests. A coordinator without leave of their own
    goes to the requests waiting for them."""
    trust = trust_for(request.user, trust_code)
    person = getattr(request.user, "person", None)
    if (person is None or person.trust_id != trust.pk) and can(request.user, Perm.MANAGE_LEAVE, trust):
        return redirect("leave:waiting", trust_code=trust.code)
    person = _own(request, trust)
    context = presenters.mine(actor=request.user, trust=trust, person=person, today=dates.today())
    return render(request, "leave/mine.jinja", context | {"current_trust": trust, "section": SECTION})


def _form_page(request: HttpRequest, trust: Trust, form: LeaveRequestForm) -> HttpResponse:
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title="Request leave",
        button="Continue",
        lede="You will check your answers before the request is sent to your rota coordinator.",
        back=(reverse("leave:mine", kwargs={"trust_code": trust.code}), "Back to your leave"),
    )


def _problems(form: LeaveRequestForm, person: Person) -> None:
    d = form.cleaned_data
    for field, problem in services.request_problems(
        person=person,
        rota=d["rota"],
        kind=d["kind"],
        first_day=d["first_day"],
        last_day=d["last_day"],
        reason=d["reason"],
    ).items():
        form.add_error(field if field in form.fields else None, problem)


def new(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The request form; a valid post shows "Check your answers" (nothing is saved yet)."""
    trust = trust_for(request.user, trust_code)
    person = _own(request, trust)
    require(request.user, Perm.REQUEST_LEAVE, person)
    form = LeaveRequestForm(request.POST or None, person=person)
    if request.method != "POST" or changing(request) or not form.is_valid():
        return _form_page(request, trust, form)
    _problems(form, person)
    if form.errors:
        return _form_page(request, trust, form)
    page = presenters.request_check(person=person, data=form.cleaned_data, today=dates.today())
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="send your leave request",
        rows=page["rows"],
        facts=page["facts"],
        form=form,
        confirm_url=reverse("leave:new_confirm", kwargs={"trust_code": trust.code}),
        change_url=reverse("leave:new", kwargs={"trust_code": trust.code}),
        change_posts=True,
        says=page["says"],
        button="Send the request",
    )


@require_POST
def new_confirm(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The request, confirmed on the check page: saved, and the coordinators told."""
    trust = trust_for(request.user, trust_code)
    person = _own(request, trust)
    require(request.user, Perm.REQUEST_LEAVE, person)
    form = LeaveRequestForm(request.POST, person=person)
    return act(
        request,
        form,
        save=lambda d: services.submit(actor=request.user, person=person, **d),
        done=lambda made: redirect("leave:sent", trust_code=trust.code, pk=made.pk),
        page=lambda bound: _form_page(request, trust, bound),  # type: ignore[arg-type]
        saved="",
    )


def _leave(request: HttpRequest, trust: Trust, pk: int) -> LeaveRequest:
    """The request, for its doctor and its rota's coordinators; 404 for everyone else."""
    leave = get_object_or_404(
        LeaveRequest.objects.select_related("person", "rota__trust", "trust", "decided_by"), trust=trust, pk=pk
    )
    require_known(request.user, leave, Perm.VIEW_LEAVE)
    return leave


@require_safe
def sent(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    leave = _leave(request, trust, pk)
    steps = [
        "Your rota coordinator (medical staffing) has been told by email. They see the request with its effect on "
        "the rota's cover and the rota's rule check, and approve or refuse it.",
        "You will get an email when they decide. While it waits you can withdraw it from your leave page.",
    ]
    if leave.short_notice:
        steps.insert(1, "The request gives less than the terms' notice, so it depends on cover being found.")
    if services.guaranteed(leave):
        steps.insert(1, "It is leave for an important life event with the terms' notice: it cannot be refused.")
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Leave request sent",
        summary=f"{leave.get_kind_display()} from {leave.first_day:%-d %B %Y} to {leave.last_day:%-d %B %Y}.",
        next_steps=steps,
        links=[
            (reverse("leave:request", kwargs={"trust_code": trust.code, "pk": leave.pk}), "See the request"),
            (reverse("leave:mine", kwargs={"trust_code": trust.code}), "Back to your leave"),
        ],
    )


def _back_to(trust: Trust, leave: LeaveRequest) -> Any:
    return redirect("leave:request", trust_code=trust.code, pk=leave.pk)


@require_POST
def withdraw(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    leave = _leave(request, trust, pk)
    require(request.user, Perm.WITHDRAW_LEAVE, leave)
    return act(
        request,
        WithdrawForm(request.POST),
        save=lambda _: services.withdraw(actor=request.user, request=leave),
        done=lambda _: _back_to(trust, leave),
        page=lambda bound: _back_to(trust, leave),
        saved="Your request was withdrawn.",
    )


@require_POST
def cancel(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    leave = _leave(request, trust, pk)
    require(request.user, Perm.CANCEL_LEAVE, leave)
    return act(
        request,
        CancelForm(request.POST),
        save=lambda d: services.ask_cancel(actor=request.user, request=leave, reason=d["reason"]),
        done=lambda _: _back_to(trust, leave),
        page=lambda bound: presenters.render_request(request, trust, leave, posted=("cancel", bound)),
        saved="Your rota coordinator has been asked to cancel the leave; it stands until they decide.",
    )
