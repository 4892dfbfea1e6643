"""The page "What needs you" opens for 360 feedback: the open cycles with nominations waiting for the reader's
approval, oldest first (the cycle itself when there is one)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from medlead.core import dates
from medlead.core.views import task_list
from medlead.core.work import Waiting
from medlead.leadership.selectors import cycles_to_approve
from medlead.organisation.selectors import trust_for


@require_safe
def waiting(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    items = [
        Waiting(
            f"{c.subject.display_name}: {c.framework.name}, closing {c.closes_on:%-d %B %Y}",
            reverse("leadership:approve", kwargs={"trust_code": trust.code, "pk": c.pk}),
            dates.day_of(c.created_at),
        )
        for c in cycles_to_approve(actor=request.user, trust=trust)
    ]
    return task_list(
        request,
        trust=trust,
        section="leadership",
        title="360 feedback cycles with nominations to approve",
        items=items,
        today=dates.today(),
        since_label="Cycle opened on",
        back=(reverse("leadership:home", kwargs={"trust_code": trust.code}), "Leadership"),
    )
