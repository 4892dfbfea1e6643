"""The board's metrics: the board's view by report section, one metric with its SPC chart, funnel plots across
specialties, and adding metrics, values and rebase dates."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from medlead.core.dates import today
from medlead.core.policy import Perm, can
from medlead.core.query import strict
from medlead.governance import presenters, services
from medlead.governance.forms import CompareQuery, MetricForm, RebaseForm, ValueForm
from medlead.governance.models import Metric
from medlead.governance.views import SECTION, board_form
from medlead.organisation.selectors import trust_for, visible_trusts


def home(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_METRICS)
    context = presenters.home_page(actor=request.user, trust=trust, today=today())
    return render(request, "governance/home.jinja", context)


def compare(request: HttpRequest, trust_code: str) -> HttpResponse:
    """Funnel plots across specialties, with 95% and 99.8% limits: which differ by more than chance."""
    trust = trust_for(request.user, trust_code, Perm.VIEW_METRICS)
    # a regional (or national) user compares the trusts of this trust's region that they may see
    region = visible_trusts(request.user).filter(region_id=trust.region_id) if trust.region_id else None
    peers = [t for t in region.order_by("name")[:500] if can(request.user, Perm.VIEW_METRICS, t)] if region else []
    across = strict(CompareQuery(request.GET))["across"] == "trusts" and len(peers) > 1
    return render(
        request,
        "governance/compare.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "across": across,
            "can_compare_trusts": len(peers) > 1,
            "comparisons": presenters.comparisons(trust=trust, today=today(), trusts=peers if across else None),
        },
    )


def _metric(trust: Any, code: str) -> Metric:
    return get_object_or_404(Metric.objects.select_related("owner"), trust=trust, code=code)


def metric(request: HttpRequest, trust_code: str, code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_METRICS)
    page = presenters.metric_page(trust=trust, code=code, today=today())
    m = page.metric
    m.trust = trust  # the policy asks a metric its trust: not kept with it, read with the request
    return render(
        request,
        "governance/metric.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "m": m,
            "page": page,
            "actions": page.actions if can(request.user, Perm.VIEW_MEETINGS, trust) else [],
            "can_manage": can(request.user, Perm.MANAGE_METRICS, m),
        },
    )


def metric_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_METRICS)
    return board_form(
        request,
        trust=trust,
        form=MetricForm(request.POST or None, trust=trust),
        title="Add a metric",
        save=lambda d: services.metric_create(actor=request.user, trust=trust, **d),
        done=lambda m: redirect("governance:metric", trust_code=trust.code, code=m.code),
    )


def value_add(request: HttpRequest, trust_code: str, code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_METRICS)
    m = _metric(trust, code)
    if m.origin == "computed":
        raise Http404  # medlead records these itself
    return board_form(
        request,
        trust=trust,
        form=ValueForm(request.POST or None),
        title=f"Add or correct a value: {m.name}",
        save=lambda d: services.value_record(actor=request.user, metric=m, on=d["on"], value=d["value"]),
        done=lambda _: redirect("governance:metric", trust_code=trust.code, code=m.code),
    )


def rebase_add(request: HttpRequest, trust_code: str, code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_METRICS)
    m = _metric(trust, code)
    return board_form(
        request,
        trust=trust,
        form=RebaseForm(request.POST or None),
        title=f"Recalculate the limits after a change: {m.name}",
        save=lambda d: services.rebase_add(actor=request.user, metric=m, **d),
        done=lambda _: redirect("governance:metric", trust_code=trust.code, code=m.code),
    )
