"""The one page for a single form, and the one page a "What needs you" link opens (a task's records, oldest first),
shared by every app (the pages composed from apps live in ``medlead.home``)."""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from medlead.core.work import Waiting, age, oldest_first


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


def task_list(
    request: HttpRequest,
    *,
    trust: Any,
    section: str,
    title: str,
    items: Iterable[Waiting],
    today: dt.date,
    since_label: str = "Waiting since",
    lede: str = "",
    empty: str = "Nothing is waiting for you here now.",
    back: tuple[str, str] | None = None,
    one_opens_record: bool = True,
) -> HttpResponse:
    """The page a "What needs you" link opens: exactly the records of the task, oldest first, each with its age;
    when there is only one, the record itself. ``back``: (address, words) of the full list the task is part of."""
    rows = oldest_first(items)
    if one_opens_record and len(rows) == 1:
        return redirect(rows[0].url)
    return render(
        request,
        "core/task_list.jinja",
        {
            "current_trust": trust,
            "section": section,
            "title": title,
            "lede": lede,
            "empty": empty,
            "since_label": since_label,
            "rows": [(row, age(row.since, today)) for row in rows],
            "back": back,
        },
    )
