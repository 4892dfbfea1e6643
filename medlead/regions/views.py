"""The region's view (issue 34): the regional medical director's first page, its trusts side by side in aggregate.
A region the viewer may not see answers as one that does not exist (404), whoever asks."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from medlead.core.dates import today
from medlead.core.policy import Perm, can
from medlead.organisation.models import Region
from medlead.regions import presenters


def _viewable(request: HttpRequest) -> list[Region]:
    return [r for r in Region.objects.order_by("name") if can(request.user, Perm.VIEW_REGION, r)]


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The regions the viewer may see side by side: straight to the one, or a list (a national regional medical
    director's); 404 for anyone who may see none."""
    regions = _viewable(request)
    if not regions:
        raise Http404("No such page.")
    if len(regions) == 1:
        return redirect("regions:region", code=regions[0].code)
    return render(request, "regions/index.jinja", {"regions": regions})


@require_safe
def region(request: HttpRequest, code: str) -> HttpResponse:
    found = Region.objects.filter(code=code).first()
    if found is None or not can(request.user, Perm.VIEW_REGION, found):
        raise Http404("No such region.")
    context = presenters.region_page(actor=request.user, region=found, today=today())
    context["several"] = len(_viewable(request)) > 1
    return render(request, "regions/region.jinja", context)
