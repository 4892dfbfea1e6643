"""The one page for a single form, shared by every app (the pages composed from apps live in ``medlead.home``)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def form_page(
    request: HttpRequest,
    *,
    trust: Any,
    section: str,
    form: Any,
    title: str,
    errors: list[str] | None = None,
    multipart: bool = False,
    button: str = "Save",
    lede: str = "",
) -> HttpResponse:
    """The page for a single form, shared by every app: its title, the errors (the form's, and a service's or an
    import's as plain sentences), the fields and one button."""
    return render(
        request,
        "core/form.jinja",
        {
            "current_trust": trust,
            "section": section,
            "form": form,
            "title": title,
            "errors": errors or [],
            "multipart": multipart,
            "button": button,
            "lede": lede,
        },
    )


def form_flow(
    request: HttpRequest,
    *,
    trust: Any,
    section: str,
    form: Any,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], HttpResponse],
    button: str = "Save",
    saved: str = "Saved.",
    lede: str = "",
) -> HttpResponse:
    """A page with one form whose valid post calls ``save`` (a service) and goes to ``done(result)``; a service's
    refusal (``ValidationError``) is shown on the form and nothing is saved."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
            messages.success(request, saved)
            return done(result)
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(request, trust=trust, section=section, form=form, title=title, button=button, lede=lede)
