"""What the feedback views share."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from medlead.core.policy import Perm, require_known
from medlead.feedback import selectors
from medlead.feedback.models import Exercise
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for

SECTION = "revalidation"


def render_page(request: HttpRequest, template: str, trust: Trust, **context: Any) -> HttpResponse:
    return render(request, template, {"current_trust": trust, "section": SECTION, **context})


def load(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Exercise]:
    """The exercise, known only to its doctor and its facilitator: 404 for everyone else, as for one that does not
    exist."""
    trust = trust_for(request.user, trust_code)
    found = selectors.exercise(trust=trust, pk=pk)
    if found is None:
        raise Http404
    require_known(request.user, found, Perm.VIEW_FEEDBACK_EXERCISE)
    return trust, found


def url(name: str, trust: Trust, exercise: Exercise, **kwargs: Any) -> str:
    return reverse(f"feedback:{name}", kwargs={"trust_code": trust.code, "pk": exercise.pk, **kwargs})
