"""The page "What needs you" opens for grants of access: the requests waiting for the reader's decision, oldest
first, with their age (the request itself when there is one)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from medlead.accounts import selectors
from medlead.core import dates
from medlead.core.policy import Perm
from medlead.core.views import task_list
from medlead.core.work import Waiting
from medlead.organisation.selectors import trust_for


@require_safe
def waiting(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ACCESS_REQUESTS)
    items = [
        Waiting(
            f"{r.about}: {r.what}",
            reverse("access:request", kwargs={"trust_code": trust.code, "pk": r.pk}),
            dates.day_of(r.requested_at),
        )
        for r in selectors.pending_for(actor=request.user, trust=trust)
    ]
    return task_list(
        request,
        trust=trust,
        section="access",
        title="Requests for access waiting for your approval",
        items=items,
        today=dates.today(),
        since_label="Asked for on",
        back=(reverse("access:requests", kwargs={"trust_code": trust.code}), "All grants of access"),
    )
