"""The rules and values in force for a trust on a day, and a trust's confirmation of one value: the form, the check
of the answers, and the page saying what happens next."""

from __future__ import annotations

import datetime as dt
from itertools import groupby
from urllib.parse import urlencode

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from medlead.core.dates import today
from medlead.core.policy import Perm, can
from medlead.core.query import strict
from medlead.core.views import check_page, done_page
from medlead.core.work import age
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for
from medlead.rulebook import catalogue, selectors, services
from medlead.rulebook.forms import ConfirmForm, ItemQuery, OnQuery
from medlead.rulebook.models import ValueConfirmation

SECTION = "rules"


def values_page(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_VALUES)
    query = OnQuery(request.GET)
    asked = query.values()
    day, only_awaiting = asked["on"], asked["show"] == "awaiting"
    rows = selectors.values_in_force(trust, day)
    prefetch_related_objects([v.confirmation for v in rows if v.confirmation], "confirmed_by")  # who confirmed each
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
            "item_id": lambda v: catalogue.item_id(v.national),
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
    d = form.cleaned_data
    national = form.national[d["item"]]
    same = " (the national value)" if d["decision"] == "same" else ""
    detail = f", {d['document_detail']}" if d["document_detail"] else ""
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="confirm this value",
        rows=[
            ("Value", national.label),
            ("National value", catalogue.shown(national.value)),
            ("Your trust applies", catalogue.shown(d["parsed"]) + same),
            ("Applies from", _day(d["applies_from"])),
            ("Checked against", f"{d['document_title']} ({_day(d['document_date'])}){detail}"),
            ("Note", d["note"] or "None"),
        ],
        form=form,
        confirm_url=reverse("rulebook:confirm_save", kwargs={"trust_code": trust.code}),
        change_url=reverse("rulebook:confirm", kwargs={"trust_code": trust.code})
        + "?"
        + urlencode({"item": d["item"]}),
        change_text="Start again",
        says=[
            f"Records of {trust.name} dated from {_day(d['applies_from'])} will be judged by this value. Your name "
            "and today's date are recorded with it."
        ],
    )


def _day(d: dt.date) -> str:
    return f"{d:%-d %B %Y}"


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
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Value changed for your trust" if saved.changed else "Value confirmed for your trust",
        summary=f"{national.label if national else saved.key}: {catalogue.shown(saved.value)}",
        next_steps=[
            f"Records of {trust.name} dated from {_day(saved.applies_from)} are judged by this value. Records dated "
            "before then keep the value that applied on their date.",
            "Pages and reports that use it no longer say it is the national default awaiting your trust's "
            "confirmation. The confirmation is in the audit trail with your name.",
        ],
        links=[
            (reverse("rulebook:values", kwargs={"trust_code": trust.code}), "Back to the rules and values in force")
        ],
    )
