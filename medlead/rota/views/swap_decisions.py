"""One shift swap's page, with the rota engine's check of both doctors' rotas with the swap applied, and its
actions (accept, decline, withdraw, approve, refuse), each a view; the confirmation after each (issue 32)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core.page_actions import act
from medlead.core.policy import Perm, can, require, require_known
from medlead.core.views import check_page, done_page
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for
from medlead.rota import swaps
from medlead.rota.models import ShiftSwap, SwapStatus
from medlead.rota.swap_forms import RefuseForm, VersionForm
from medlead.rota.views.swaps import SECTION, person_in, swap_url

# ------------------------------------------------------------------------------------------- one swap


def _swap(request: HttpRequest, trust: Trust, pk: int) -> ShiftSwap:
    """The swap, for its parties, the colleagues who may take an open offer and the rota coordinator; 404 for
    everyone else, as for a swap that does not exist."""
    swap = get_object_or_404(
        ShiftSwap.objects.select_related("rota", "offered_by", "to", "taken_by", "duty", "in_return", "trust"),
        trust=trust,
        pk=pk,
    )
    require_known(request.user, swap, Perm.VIEW_SWAP)
    return swap


def _page(request: HttpRequest, trust: Trust, swap: ShiftSwap, posted: tuple[str, forms.Form] | None = None) -> Any:
    swap.refresh_from_db()
    user = request.user
    lapsed = swaps.lapse_reason(swap)
    taker = swap.colleague or (person_in(request, trust) if can(user, Perm.ANSWER_SWAP, swap) else None)
    result = swaps.check_swap(swap, taker) if swap.live and not lapsed and taker is not None else None
    may = {
        "answer": can(user, Perm.ANSWER_SWAP, swap) and not lapsed,
        "decline": can(user, Perm.ANSWER_SWAP, swap) and not swap.open_offer,
        "withdraw": can(user, Perm.WITHDRAW_SWAP, swap),
        "approve": can(user, Perm.APPROVE_SWAP, swap) and not lapsed,
    }
    blank = {"version": swap.version}
    forms_: dict[str, forms.Form] = {
        "version": VersionForm(initial=blank),
        "refuse": RefuseForm(initial=blank),
    }
    if posted is not None:
        forms_[posted[0]] = posted[1]
    return render(
        request,
        "rota/swaps/swap.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "swap": swap,
            "lapsed": lapsed,
            "check": result,
            "taker": taker,
            "may": may,
            "swap_forms": forms_,
            "posted": posted[0] if posted else "",
            "describe": swaps.describe_shift,
        },
    )


@require_safe
def swap_detail(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    return _page(request, trust, _swap(request, trust, pk))


def _decide(request: HttpRequest, trust: Trust, swap: ShiftSwap, name: str, form: forms.Form, save: Any) -> Any:
    return act(
        request,
        form,
        save=save,
        done=lambda _: redirect("rota:swap_done", trust_code=trust.code, pk=swap.pk),
        page=lambda bound: _page(request, trust, swap, (name, bound)),
        saved="",
    )


def _check(request: HttpRequest, trust: Trust, swap: ShiftSwap, perm: Perm, doing: str, confirm: str) -> Any:
    """Check your answers before accepting or approving: the shifts, the engine's verdict and what happens next."""
    require(request.user, perm, swap)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _page(request, trust, swap, ("version", form))
    taker = swap.colleague or person_in(request, trust)
    if taker is None:
        raise Http404
    result = swaps.check_swap(swap, taker)
    lapsed = swaps.lapse_reason(swap)
    if lapsed or not result.clean:  # not offered: the page says why
        return _page(request, trust, swap)
    says = [
        f"The rota's rules ({result.rules_name}) were checked for both doctors with the swap applied: it breaks no "
        "rule and every shift stays covered."
    ]
    if perm == Perm.APPROVE_SWAP:
        says += [
            "The shifts change hands on the rota now, the rota is checked again, and both doctors are told by email. "
            "Their rota pages and calendars show the change."
        ]
    elif swaps.automatic_approval(trust):
        says += ["Your trust approves such swaps at once: the shifts change hands now and you are both told."]
    else:
        says += ["The rota coordinator approves the swap next; until then the shifts stay as they are."]
    rows = [
        ("Shift", swaps.describe_shift(swap.duty_start, swap.duty_end)),
        ("Offered by", swap.offered_by.display_name),
    ]
    rows.append(("Taken by", taker.display_name))
    if swap.is_swap and swap.in_return_start and swap.in_return_end:
        rows.append(("In return", swaps.describe_shift(swap.in_return_start, swap.in_return_end)))
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing=doing,
        caption=swap.rota.name,
        rows=rows,
        form=form,
        confirm_url=swap_url(confirm, trust, swap.pk),
        change_url=swap_url("swap", trust, swap.pk),
        change_text="Go back to the swap",
        says=says,
        button="Accept the shift" if perm == Perm.ANSWER_SWAP else "Approve the swap",
    )


@require_POST
def swap_accept_check(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    swap = _swap(request, trust, pk)
    return _check(request, trust, swap, Perm.ANSWER_SWAP, "accept this shift", "swap_accept")


@require_POST
def swap_accept(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    swap = _swap(request, trust, pk)
    return _decide(
        request,
        trust,
        swap,
        "version",
        VersionForm(request.POST),
        lambda d: swaps.swap_accept(actor=request.user, swap=swap, version=d["version"]),
    )


@require_POST
def swap_decline(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    swap = _swap(request, trust, pk)
    return _decide(
        request,
        trust,
        swap,
        "version",
        VersionForm(request.POST),
        lambda d: swaps.swap_decline(actor=request.user, swap=swap),
    )


@require_POST
def swap_withdraw(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    swap = _swap(request, trust, pk)
    return _decide(
        request,
        trust,
        swap,
        "version",
        VersionForm(request.POST),
        lambda d: swaps.swap_withdraw(actor=request.user, swap=swap),
    )


@require_POST
def swap_approve_check(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    swap = _swap(request, trust, pk)
    return _check(request, trust, swap, Perm.APPROVE_SWAP, "approve this swap", "swap_approve")


@require_POST
def swap_approve(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    swap = _swap(request, trust, pk)
    return _decide(
        request,
        trust,
        swap,
        "version",
        VersionForm(request.POST),
        lambda d: swaps.swap_approve(actor=request.user, swap=swap, version=d["version"]),
    )


@require_POST
def swap_refuse(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    swap = _swap(request, trust, pk)
    return _decide(
        request,
        trust,
        swap,
        "refuse",
        RefuseForm(request.POST),
        lambda d: swaps.swap_refuse(actor=request.user, swap=swap, reason=d["reason"], version=d["version"]),
    )


@require_safe
def swap_done(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The confirmation after an offer, an answer or a decision: what was done and what happens next."""
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    swap = _swap(request, trust, pk)
    shift = swaps.describe_shift(swap.duty_start, swap.duty_end)
    other = swap.colleague.display_name if swap.colleague else "a colleague"
    titles = {
        SwapStatus.OFFERED: (
            "Shift offered",
            [
                f"{other if swap.to else 'Your colleagues who may take it'} "
                "can accept it in medlead; you are told by email when they do."
            ],
        ),
        SwapStatus.ACCEPTED: (
            "Shift accepted",
            ["The rota coordinator approves the swap next.", "Until then the shifts stay as they are on the rota."],
        ),
        SwapStatus.APPROVED: (
            "Swap approved",
            [
                "The shifts have changed hands on the rota, which was checked again.",
                "Both doctors are told by email; their calendars show the change.",
            ],
        ),
        SwapStatus.DECLINED: ("Offer declined", [f"{swap.offered_by.display_name} is told by email."]),
        SwapStatus.WITHDRAWN: ("Offer withdrawn", ["The shift stays yours."]),
        SwapStatus.REFUSED: (
            "Swap refused",
            ["Both doctors are told by email, with the reason.", "The shifts stay as they are on the rota."],
        ),
        SwapStatus.LAPSED: ("Offer lapsed", [swap.reason]),
    }
    title, steps = titles[SwapStatus(swap.status)]
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title=title,
        summary=f"{shift}, {swap.rota.name}: {swap.get_status_display()}.",
        next_steps=steps,
        links=[
            (swap_url("swap", trust, swap.pk), "See the swap"),
            (reverse("rota:swaps", kwargs={"trust_code": trust.code}), "Your shift swaps"),
            (swap_url("rota", trust, swap.rota_id), f"The rota: {swap.rota.name}"),
        ],
    )
