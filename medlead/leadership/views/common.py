"""What the leadership views share."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medlead.organisation.models import Person, Trust
from medlead.organisation.selectors import own_person

SECTION = "leadership"


def render_page(request: HttpRequest, template: str, trust: Trust, **context: Any) -> HttpResponse:
    return render(request, template, {"current_trust": trust, "section": SECTION, **context})


def person_of(request: HttpRequest, trust_code: str) -> tuple[Trust, Person]:
    return own_person(request.user, trust_code)


def bad_request(request: HttpRequest, reason: str) -> HttpResponse:
    """A request no page of medlead sends (a hidden value altered): 400, with what was wrong in plain words."""
    return render(request, "core/400.jinja", {"reason": reason}, status=400)
