"""The leadership home page, a framework's items, and leadership across the trust (anonymised)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from medlead.core.charts import bar_chart
from medlead.core.policy import Perm
from medlead.leadership import presenters, selectors
from medlead.leadership.forms import TrustViewQueryForm
from medlead.leadership.models import FeedbackCycle, Framework, SelfAssessment
from medlead.leadership.views.common import render_page
from medlead.organisation.selectors import trust_for

DEFAULT_FRAMEWORK = "hlm"


@require_safe
def home(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    person = getattr(request.user, "person", None)
    mine = person is not None and person.trust_id == trust.pk
    return render_page(
        request,
        "leadership/home.jinja",
        trust,
        has_person=mine,
        assessments=SelfAssessment.objects.filter(person=person).select_related("framework") if mine else [],
        cycles=FeedbackCycle.objects.filter(subject=person).select_related("framework") if mine else [],
        facilitating=FeedbackCycle.objects.filter(facilitator=person, status="closed").select_related("subject")
        if mine
        else [],
        to_approve=selectors.cycles_to_approve(actor=request.user, trust=trust),
        frameworks=selectors.frameworks_for(trust),
        **presenters.home_permissions(request.user, trust),
    )


@require_safe
def frameworks(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    fw: Framework = get_object_or_404(selectors.frameworks_for(trust), pk=pk)
    return render_page(request, "leadership/framework.jinja", trust, fw=fw, items=fw.items.all())


@require_safe
def trust_view(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_LEADERSHIP_AGGREGATE)
    offered = selectors.frameworks_for(trust)
    # a framework that is not offered (or none asked for) shows the default, as the page always has
    query = TrustViewQueryForm(request.GET, frameworks=offered)
    asked = query.cleaned_data["framework"] if query.is_valid() else None
    framework = asked or offered.filter(code=DEFAULT_FRAMEWORK).first() or offered.first()
    data: dict[str, Any] = (
        selectors.trust_view(trust=trust, framework=framework) if framework else {"cycles": 0, "items": []}
    )
    return render_page(
        request,
        "leadership/trust.jinja",
        trust,
        framework=framework,
        frameworks=offered,
        d=data,
        min_cycles=selectors.MIN_CYCLES,
        chart=bar_chart(
            [(i["item__text"], i["mean"]) for i in data["items"] if i["mean"] is not None],
            title="Mean rating by others across the trust",
            axis=f"Mean rating (1 to {len(framework.scale)})" if framework else "",
        )
        if data["items"]
        else "",
    )
