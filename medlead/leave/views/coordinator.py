"""The rota coordinator's leave pages: the requests waiting (oldest first, with their age), a request with its
effect on cover and the rule check, the decision (check your answers, confirmation) and a doctor's service record."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core import dates
from medlead.core.page_actions import act
from medlead.core.policy import Perm, require
from medlead.core.views import changing, check_page, done_page, form_flow, task_list
from medlead.core.work import Waiting
from medlead.leave import presenters, selectors, services
from medlead.leave.forms import DecisionForm, LeaveRecordForm
from medlead.leave.models import LeaveRecord, LeaveStatus
from medlead.leave.views.doctor import SECTION, _leave
from medlead.organisation.models import Person, Trust
from medlead.organisation.selectors import trust_for


def waiting_items(actor: object, trust: Trust) -> list[Waiting]:
    """The requests waiting for ``actor``'s decision, as the task's landing list shows them."""
    out = []
    for leave in selectors.to_decide(actor, trust):
        what = "cancel " if leave.cancellation else ""
        out.append(
            Waiting(
                title=f"{leave.person.display_name}: {what}{leave.get_kind_display().lower()}, "
                f"{leave.first_day:%-d %b} to {leave.last_day:%-d %b %Y}",
                url=reverse("leave:request", kwargs={"trust_code": trust.code, "pk": leave.pk}),
                since=dates.day_of(leave.updated_at if leave.cancellation else leave.created_at),
                detail=f"{leave.rota.name}{'; short notice' if leave.short_notice else ''}",
            )
        )
    return out


@require_safe
def waiting(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_LEAVE)
    return task_list(
        request,
        trust=trust,
        section=SECTION,
        title="Leave requests waiting for your decision",
        items=waiting_items(request.user, trust),
        today=dates.today(),
        lede="Each opens with its effect on the rota's cover and the rota's rule check with the leave applied.",
        empty="No leave request is waiting for you.",
        one_opens_record=False,
    )


@require_safe
def detail(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    return presenters.render_request(request, trust, _leave(request, trust, pk))


def _decision(form: DecisionForm) -> tuple[bool, str]:
    return form.cleaned_data["decision"] == "approve", form.cleaned_data["reason"]


@require_POST
def decide_check(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The decision, checked: what confirming does (approval removes the doctor's duties in those days)."""
    trust = trust_for(request.user, trust_code)
    leave = _leave(request, trust, pk)
    require(request.user, Perm.DECIDE_LEAVE, leave)
    form = presenters.decision_form(leave, request.POST)
    if changing(request) or not form.is_valid():
        return presenters.render_request(request, trust, leave, posted=("decide", form))
    approve, reason = _decision(form)
    for problem in services.decision_missing(leave, approve):
        form.add_error(None, problem)
    if form.errors:
        return presenters.render_request(request, trust, leave, posted=("decide", form))
    removed = selectors.duties_in_leave(leave).count()
    if leave.cancellation:
        says = (
            [
                "Confirming cancels the leave. The doctor's duties are not put back on the rota by themselves: "
                "add them on the rota's grid where the doctor is needed."
            ]
            if approve
            else ["Confirming keeps the leave as approved."]
        )
    elif approve:
        says = [
            f"Confirming approves the leave and removes the doctor's {removed} "
            f"{'duty' if removed == 1 else 'duties'} in those days from {leave.rota.name}; the rota is checked again "
            "and its grid and the doctor's calendar change with it.",
            "Approved leave stays a fixed absence when the rota is generated again.",
        ]
    else:
        says = ["Confirming refuses the leave; the doctor's duties stay on the rota."]
    says.append("The doctor is told by email, with your reason.")
    rows = [("Your decision", dict(form.fields["decision"].choices)[form.cleaned_data["decision"]])]  # type: ignore[attr-defined]
    if reason:
        rows.append(("The reason", reason))
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing=("decide on cancelling this leave" if leave.cancellation else "decide this leave request"),
        caption=f"{leave.person.display_name}: {leave.get_kind_display().lower()}",
        facts=[
            ("Doctor", leave.person.display_name),
            ("Days", f"{leave.first_day:%-d %B %Y} to {leave.last_day:%-d %B %Y}"),
            ("Rota", leave.rota.name),
        ],
        rows=rows,
        form=form,
        confirm_url=reverse("leave:decide", kwargs={"trust_code": trust.code, "pk": leave.pk}),
        change_url=reverse("leave:decide_check", kwargs={"trust_code": trust.code, "pk": leave.pk}),
        change_posts=True,
        says=says,
        button="Confirm the decision",
        back=(reverse("leave:request", kwargs={"trust_code": trust.code, "pk": leave.pk}), "Back to the request"),
    )


@require_POST
def decide(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    leave = _leave(request, trust, pk)
    require(request.user, Perm.DECIDE_LEAVE, leave)
    form = presenters.decision_form(leave, request.POST)
    return act(
        request,
        form,
        save=lambda d: services.decide(
            actor=request.user, request=leave, approve=d["decision"] == "approve", reason=d["reason"]
        ),
        done=lambda _: redirect("leave:decided", trust_code=trust.code, pk=leave.pk),
        page=lambda bound: presenters.render_request(request, trust, leave, posted=("decide", bound)),
        saved="",
    )


@require_safe
def decided(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_LEAVE)
    leave = _leave(request, trust, pk)
    name = leave.person.display_name
    steps = [f"{name} has been told by email."]
    if leave.status == LeaveStatus.APPROVED and not leave.cancel_reason:
        steps.insert(0, f"{name}'s duties in those days have left {leave.rota.name}, and the rota was checked again.")
    elif leave.status == LeaveStatus.CANCELLED:
        steps.insert(0, "Put the doctor back on the rota's grid for those days where they are needed.")
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title=f"Leave {leave.get_status_display().lower()}",
        summary=f"{name}: {leave.get_kind_display().lower()} from {leave.first_day:%-d %B %Y} to "
        f"{leave.last_day:%-d %B %Y}.",
        next_steps=steps,
        links=[
            (reverse("leave:waiting", kwargs={"trust_code": trust.code}), "Leave requests waiting for you"),
            (reverse("rota:rota", kwargs={"trust_code": trust.code, "pk": leave.rota_id}), f"See {leave.rota.name}"),
        ],
    )


def record(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """Record a doctor's NHS service and start with the trust (what their entitlement needs)."""
    trust = trust_for(request.user, trust_code, Perm.MANAGE_LEAVE)
    person = get_object_or_404(Person, trust=trust, pk=pk)
    current = LeaveRecord.objects.filter(person=person).first()
    initial = (
        {
            "nhs_service_from": current.nhs_service_from,
            "appointed_on": current.appointed_on,
            "carried_over": current.carried_over,
            "carried_into": current.carried_into,
        }
        if current
        else {}
    )
    form = LeaveRecordForm(request.POST or None, initial=initial)
    return form_flow(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title=f"Leave record of {person.display_name}",
        lede="What their annual leave needs that the person record does not hold.",
        save=lambda d: services.record_save(
            actor=request.user,
            person=person,
            nhs_service_from=d["nhs_service_from"],
            appointed_on=d["appointed_on"],
            carried_over=d["carried_over"] or Decimal(0),
            carried_into=d["carried_into"],
        ),
        done=lambda _: redirect("leave:waiting", trust_code=trust.code),
        saved="Recorded.",
    )
