"""The one page for a single form, and the one page a "What needs you" link opens (a task's records, oldest first),
shared by every app (the pages composed from apps live in ``medlead.home``)."""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
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
    back: tuple[str, str] | None = None,
) -> HttpResponse:
    """The page for a single form, shared by every app: its title, the errors (the form's, and a service's or an
    import's as plain sentences), the fields and one button; ``back``, a back link (address, words)."""
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
            "back": back,
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
    back: tuple[str, str] | None = None,
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
    return form_page(request, trust=trust, section=section, form=form, title=title, button=button, lede=lede, back=back)


# ---------------------------------------------------------------------- decisions that count (issue 31)
#
# A consequential decision is three pages: its form, "Check your answers" (nothing saved yet: the answers travel as
# hidden fields and are validated again on confirm), and a confirmation saying what happens next. A decision that
# cannot be taken is not offered: its page lists what is missing as a task list (``includes/decisions.jinja``).


class StepForm(forms.Form):
    """The check page's "Change your answers" button, which posts the answers back to the form (``step=change``)."""

    step = forms.ChoiceField(choices=[("change", "Change your answers")], required=False)


def changing(request: HttpRequest) -> bool:
    """Whether the post is the check page's "Change your answers": the form again, as answered, nothing saved."""
    form = StepForm(request.POST)
    return form.is_valid() and form.cleaned_data["step"] == "change"


def posted(form: Any) -> list[tuple[str, str]]:
    """A valid form's answers as the check page posts them back: a record as its id, a date as YYYY-MM-DD (which
    the date boxes accept), a ticked box as "on" (an unticked one is left out), several choices as several values."""
    out: list[tuple[str, str]] = []
    for bound in form:
        name = bound.html_name  # the form's own names, its prefix included
        value = form.cleaned_data.get(bound.name)
        for one in value if isinstance(value, list | tuple) else [value]:
            if one is None or one is False or one == "":
                continue
            if one is True:
                out.append((name, "on"))
            elif hasattr(one, "pk"):
                out.append((name, str(one.pk)))
            elif hasattr(one, "isoformat"):
                out.append((name, one.isoformat()))
            else:
                out.append((name, str(one)))
    return out


def check_page(
    request: HttpRequest,
    *,
    trust: Any,
    section: str,
    doing: str,
    rows: list[tuple[str, str]],
    form: Any | None,
    confirm_url: str,
    change_url: str,
    says: list[str],
    button: str = "Confirm",
    caption: str = "",
    change_posts: bool = False,
    change_text: str = "Change your answers",
    facts: list[tuple[str, str]] | None = None,
    back: tuple[str, str] | None = None,
    template: str = "core/check.jinja",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page "Check your answers before you <doing>": what the decision is about (``facts``, not answers), the
    answers, what confirming does (``says``), and one button that posts the same answers to ``confirm_url``. With
    ``change_posts``, "Change your answers" posts them back to the form at ``change_url`` (``step=change``, see
    ``changing``); else ``change_text`` links there. A decision with no questions passes no ``form``. ``back``: a
    link (address, words) under the page. A page that shows more (a fine's calculation) extends ``core/check.jinja``
    in ``template``, filling its block ``after_answers`` from ``extra``."""
    return render(
        request,
        template,
        (extra or {})
        | {
            "current_trust": trust,
            "section": section,
            "doing": doing,
            "rows": rows,
            "posted": posted(form) if form is not None else [],
            "confirm_url": confirm_url,
            "change_url": change_url,
            "says": says,
            "button": button,
            "caption": caption,
            "change_posts": change_posts,
            "change_text": change_text,
            "facts": facts or [],
            "back": back,
        },
    )


def done_page(
    request: HttpRequest,
    *,
    trust: Any,
    section: str,
    title: str,
    summary: str,
    next_steps: list[str],
    links: list[tuple[str, str]],
) -> HttpResponse:
    """The confirmation of a decision: what was done, what happens next, and where to go from here."""
    return render(
        request,
        "core/done.jinja",
        {
            "current_trust": trust,
            "section": section,
            "title": title,
            "summary": summary,
            "next_steps": next_steps,
            "links": links,
        },
    )


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
