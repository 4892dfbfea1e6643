"""The rules and values in force for a trust on a day, and a trust's confirmation of one value: the form, the check
of the answers, and the page saying what happens next."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from medlead.core.dates import today
from medlead.core.policy import Perm, can
from medlead.core.query import strict
from medlead.core.work import age
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for
from medlead.rulebook import catalogue, selectors, services
from medlead.rulebook.forms import ConfirmForm, ItemQuery, OnQuery, item_id
from medlead.rulebook.models import ValueConfirmation

SECTION = "rules"


def values_page(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_VALUES)
    query = OnQuery(request.GET)
    asked = query.values()
    day, only_awaiting = asked["on"], asked["show"] == "awaiting"
    rows = selectors.values_in_force(trust, day)
    if only_awaiting:  # the task "national values await your trust's confirmation": exactly those, oldest first
        waiting = sorted((v for v in rows if v.awaiting), key=lambda v: v.national.applies_from)
        areas = [("Awaiting your trust's confirmation", waiting)]
    else:
        areas = [(area, list(values)) for area, values in groupby(rows, key=lambda v: v.national.area)]
    return render(
        request,
        "rulebook/values.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "query": query,
            "day": day,
            "areas": areas,
            "awaiting": sum(1 for v in rows if v.awaiting),
            "only_awaiting": only_awaiting,
            "waited": lambda since: age(since, day),
            "may_confirm": can(request.user, Perm.CONFIRM_VALUES, trust),
            "shown": catalogue.shown,
            "item_id": lambda v: item_id(v.national),
            "not_listed": list(dict.fromkeys(catalogue.NOT_LISTED.values())),  # each reason once
        },
    )


def _form_page(request: HttpRequest, trust: Trust, form: ConfirmForm) -> HttpResponse:
    national = form.national.get(str(form.data.get("item") or form.initial.get("item", "")))
    if national is None:
        raise Http404
    return render(
        request,
        "rulebook/confirm.jinja",
        {"current_trust": trust, "section": SECTION, "form": form, "national": national, "shown": catalogue.shown},
    )


def confirm(request: HttpRequest, trust_code: str) -> HttpResponse:
    """GET: the form for one value. POST: the answers checked, or the form again with its errors."""
    trust = trust_for(request.user, trust_code, Perm.CONFIRM_VALUES)
    if request.method != "POST":
        item = strict(ItemQuery(request.GET))["item"]
        return _form_page(request, trust, ConfirmForm(initial={"item": item, "applies_from": today()}))
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _form_page(request, trust, form)
    national = form.national[form.cleaned_data["item"]]
    return render(
        request,
        "rulebook/check.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "form": form,
            "data": form.cleaned_data,
            "national": national,
            "shown": catalogue.shown,
            "posted": {name: _posted(form.cleaned_data.get(name)) for name in form.fields},
        },
    )


def _posted(value: object) -> str:
    """A cleaned answer as the check page posts it back (a date as YYYY-MM-DD, which the date boxes accept)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


@require_POST
def confirm_save(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.CONFIRM_VALUES)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _form_page(request, trust, form)
    d = form.cleaned_data
    saved = services.confirm(
        actor=request.user,
        trust=trust,
        file=d["file"],
        key=d["key"],
        value=d["parsed"],
        applies_from=d["applies_from"],
        document_title=d["document_title"],
        document_date=d["document_date"],
        document_detail=d["document_detail"],
        note=d["note"],
    )
    return redirect("rulebook:confirmed", trust_code=trust.code, pk=saved.pk)


def confirmed(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.CONFIRM_VALUES)
    saved = ValueConfirmation.objects.filter(trust=trust, pk=pk).select_related("confirmed_by").first()
    if saved is None:
        raise Http404
    national = catalogue.value(saved.file, saved.key, saved.applies_from)
    return render(
        request,
        "rulebook/confirmed.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "saved": saved,
            "label": national.label if national else saved.key,
            "shown": catalogue.shown,
        },
    )
