"""My rota: a resident doctor's own page (phone first), and the three buttons of their calendar address (make,
replace, stop), each a view and a form of its own. Every page here is the doctor's own: anyone else, a rota
coordinator included, gets 404 (there is no "My rota" of another doctor)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core import dates
from medlead.core.page_actions import act, errors_of
from medlead.core.policy import Perm, require_known
from medlead.organisation.models import Person, Trust
from medlead.organisation.selectors import trust_for
from medlead.residents import presenters, services
from medlead.residents.forms import FeedForm


def _mine(request: HttpRequest, trust_code: str) -> tuple[Trust, Person]:
    """The trust and the signed-in doctor, if they are on one of its rotas; 404 for everyone else."""
    trust = trust_for(request.user, trust_code)
    person = getattr(request.user, "person", None)
    if person is None or person.trust_id != trust.pk:
        raise Http404
    require_known(request.user, person, Perm.VIEW_MY_ROTA)
    return trust, person


def _page(request: HttpRequest, trust: Trust, person: Person, errors: list[str] | None = None) -> HttpResponse:
    context = presenters.my_rota(request, trust=trust, person=person, now=dates.now())
    context["errors"] = errors or []
    return render(request, "residents/my_rota.jinja", context, status=400 if errors else 200)


@require_safe
def my_rota(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = _mine(request, trust_code)
    return _page(request, trust, person)


def _feed_action(request: HttpRequest, trust_code: str, service: Callable[..., Any], saved: str) -> HttpResponse:
    trust, person = _mine(request, trust_code)
    return act(
        request,
        FeedForm(request.POST),
        save=lambda _: service(actor=request.user, person=person),
        done=lambda _: redirect(reverse("residents:my_rota", kwargs={"trust_code": trust.code}) + "#calendar"),
        page=lambda form: _page(request, trust, person, errors_of(form)),
        saved=saved,
    )


@require_POST
def feed_start(request: HttpRequest, trust_code: str) -> HttpResponse:
    return _feed_action(
        request, trust_code, services.feed_start, "Your calendar address is ready: subscribe to it below."
    )


@require_POST
def feed_replace(request: HttpRequest, trust_code: str) -> HttpResponse:
    return _feed_action(
        request,
        trust_code,
        services.feed_replace,
        "Your calendar address was replaced: the old one no longer works. Subscribe to the new one below.",
    )


@require_POST
def feed_stop(request: HttpRequest, trust_code: str) -> HttpResponse:
    return _feed_action(
        request, trust_code, services.feed_stop, "Your calendar feed was stopped: its address no longer works."
    )
