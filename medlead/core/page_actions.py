"""One action posted from a page: its own URL, its own form, then back to the page.

A page that offers several actions (name someone on a case, record a decision, close it) shows each as a form
posting to a view of its own. That view binds its form, and either calls a service and redirects back to the page
(post/redirect/get, so a reload does not post twice) or re-renders the page with this form's errors and what the
user typed. Nothing is looked up from the post until the form has validated every field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse


def act(
    request: HttpRequest,
    form: forms.Form,
    *,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], HttpResponse],
    page: Callable[[forms.Form], HttpResponse],
    saved: str | Callable[[Any], str] = "Saved.",
) -> HttpResponse:
    """Run one posted action: ``save`` (a service) with the form's cleaned data when the form is valid, then
    ``done(result)``; otherwise ``page(form)``, the page again with the form's errors. A service's refusal
    (``ValidationError``) is shown on the form, and nothing is saved."""
    if form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            _add(form, exc)
        else:
            message = saved(result) if callable(saved) else saved
            if message:
                messages.success(request, message)
            return done(result)
    return page(form)


def _add(form: forms.Form, exc: ValidationError) -> None:
    """A service's errors on the form: on the field they name when the form has it, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def errors_of(form: forms.Form | None) -> list[str]:
    """Every error of a form whose fields are hidden (an id and a choice behind a button) as sentences for the
    page's error summary: such a form gives its fields messages that stand on their own."""
    if form is None or not form.errors:
        return []
    return [str(e) for errors in form.errors.values() for e in errors]
