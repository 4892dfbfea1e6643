"""What the development views share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medlead.organisation.models import Trust

SECTION = "development"


def render_page(request: HttpRequest, template: str, trust: Trust, **context: Any) -> HttpResponse:
    return render(request, template, {"current_trust": trust, "section": SECTION, **context})


def refuse(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's refusal on ``form``: on the fields it names when the form has them, else above the form."""
    if hasattr(exc, "error_dict") and set(exc.error_dict) <= set(form.fields):
        form.add_error(None, exc)
    else:
        form.add_error(None, exc.messages)
