"""Shift swaps (issue 32, ADR 0025): the list, offering a shift (check your answers, then what happens next), one
swap's page with the engine's check, and its actions (accept, decline, withdraw, approve, refuse), each a view."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core import dates
from medlead.core.page_actions import act
from medlead.core.policy import Perm, can, require
from medlead.core.views import changing, check_page, task_list
from medlead.core.work import Waiting
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for
from medlead.rota import swaps
from medlead.rota.models import Duty, ShiftSwap
from medlead.rota.swap_forms import OfferForm, SwapListQuery

SECTION = "rotas"


def swap_url(name: str, trust: Trust, pk: int) -> str:
    return reverse(f"rota:{name}", kwargs={"trust_code": trust.code, "pk": pk})


def person_in(request: HttpRequest, trust: Trust) -> Any:
    person = getattr(request.user, "person", None)
    return person if person is not None and person.trust_id == trust.pk else None


@require_safe
def swap_list(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    waiting = SwapListQuery(request.GET).values()["waiting"]
    person = person_in(request, trust)
    today = dates.today()
    if waiting == "approval":
        return task_list(
            request,
            trust=trust,
            section=SECTION,
            title="Shift swaps waiting for your approval",
            items=[
                Waiting(
                    f"{s.offered_by.display_name} to {s.taken_by.display_name if s.taken_by else ''}: "
                    f"{swaps.describe_shift(s.duty_start, s.duty_end)}",
                    swap_url("swap", trust, s.pk),
                    dates.day_of(s.accepted_at or s.updated_at),
                    s.rota.name,
                )
                for s in swaps.waiting_for_approval(request.user, trust)
            ],
            today=today,
            since_label="Accepted on",
            back=(reverse("rota:swaps", kwargs={"trust_code": trust.code}), "Every shift swap"),
        )
    if waiting == "answer" and person is not None:
        return task_list(
            request,
            trust=trust,
            section=SECTION,
            title="Shift offers waiting for your answer",
            items=[
                Waiting(
                    f"{s.offered_by.display_name}: {swaps.describe_shift(s.duty_start, s.duty_end)}",
                    swap_url("swap", trust, s.pk),
                    dates.day_of(s.created_at),
                    s.rota.name,
                )
                for s in swaps.offers_to_answer(person)
            ],
            today=today,
            since_label="Offered on",
            back=(reverse("rota:swaps", kwargs={"trust_code": trust.code}), "Every shift swap"),
        )
    coordinator = can(request.user, Perm.MANAGE_ROTAS, trust)
    return render(
        request,
        "rota/swaps/list.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "person": person,
            "mine": swaps.swaps_for_doctor(person) if person is not None else [],
            "offerable": swaps.offerable_duties(person) if person is not None else [],
            "coordinator": coordinator,
            "to_approve": list(swaps.waiting_for_approval(request.user, trust)) if coordinator else [],
            "describe": swaps.describe_shift,
        },
    )


# ------------------------------------------------------------------------------------------- offering a shift


def _duty(request: HttpRequest, trust: Trust, pk: int) -> Duty:
    """One of the reader's own shifts (404 for anyone else's), that they may still offer (else 403, with why)."""
    duty = get_object_or_404(Duty.objects.select_related("rota", "person"), trust=trust, pk=pk)
    person = person_in(request, trust)
    if person is None or duty.person_id != person.pk:
        raise Http404
    require(request.user, Perm.OFFER_SWAP, duty)
    return duty


def _offer_page(request: HttpRequest, trust: Trust, duty: Duty, form: OfferForm, words: str) -> HttpResponse:
    return render(
        request,
        "rota/swaps/offer.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "duty": duty,
            "shift": swaps.describe_shift(duty.start, duty.end),
            "eligibility": words,
            "form": form,
            "automatic": swaps.automatic_approval(trust),
        },
    )


def swap_offer(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The offer's form (GET), then its check: "Check your answers" with the engine's verdict for a named colleague,
    or the form again with the rule a swap would break (nothing is saved here)."""
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    duty = _duty(request, trust, pk)
    eligibility = swaps.shift_eligibility(duty)
    form = OfferForm(request.POST if request.method == "POST" else None, duty=duty, grades=eligibility.grades)
    if request.method != "POST" or changing(request) or not form.is_valid():
        return _offer_page(request, trust, duty, form, eligibility.words)
    to, back = form.cleaned_data["to"], form.cleaned_data["in_return"]
    says = []
    if to is not None:
        trial = ShiftSwap(
            trust=trust,
            rota=duty.rota,
            offered_by=duty.person,
            duty=duty,
            duty_start=duty.start,
            duty_end=duty.end,
            to=to,
            in_return=back,
            in_return_start=back.start if back else None,
            in_return_end=back.end if back else None,
            grades=eligibility.grades,
        )
        result = swaps.check_swap(trial, to)
        if not result.clean:
            form.add_error(None, ["This swap cannot be offered.", *result.problems()])
            return _offer_page(request, trust, duty, form, eligibility.words)
        says.append(
            f"The rota's rules ({result.rules_name}) were checked for you both with the swap applied: it breaks no "
            "rule and every shift stays covered."
        )
        says.append(f"{to.display_name} is told by email and accepts or declines it in medlead.")
    else:
        says.append(
            f"Every colleague who may take it is told by email ({eligibility.words}). The first to accept takes it, "
            "once the rota's rules are checked for them with the shift added."
        )
    says.append("You may withdraw the offer until it is accepted. Your shift stays yours until the swap is approved.")
    rows = [
        ("Offered to", to.display_name if to else "Anyone who may take it"),
        (
            "In return",
            swaps.describe_shift(back.start, back.end) if back else "Nothing: you give the shift away",
        ),
    ]
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="offer this shift",
        caption=duty.rota.name,
        facts=[("Your shift", swaps.describe_shift(duty.start, duty.end))],
        rows=rows,
        form=form,
        confirm_url=swap_url("swap_offer_confirm", trust, duty.pk),
        change_url=swap_url("swap_offer", trust, duty.pk),
        change_posts=True,
        says=says,
        button="Offer the shift",
    )


@require_POST
def swap_offer_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    duty = _duty(request, trust, pk)
    eligibility = swaps.shift_eligibility(duty)
    form = OfferForm(request.POST, duty=duty, grades=eligibility.grades)
    return act(
        request,
        form,
        save=lambda d: swaps.swap_offer(actor=request.user, duty=duty, to=d["to"], in_return=d["in_return"]),
        done=lambda swap: redirect("rota:swap_done", trust_code=trust.code, pk=swap.pk),
        page=lambda bound: _offer_page(request, trust, duty, bound, eligibility.words),  # type: ignore[arg-type]
        saved="",
    )
