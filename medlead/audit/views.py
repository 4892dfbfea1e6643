from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medlead.core.audit import AuditEvent
from medlead.core.policy import Perm, can
from medlead.organisation.selectors import visible_trusts


def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit trail of the trusts where the user may view it. Read-only: there is no edit view."""
    trust_ids = [t.pk for t in visible_trusts(request.user) if can(request.user, Perm.VIEW_AUDIT, t)]
    if not trust_ids:
        raise PermissionDenied
    events = AuditEvent.objects.filter(trust_id__in=trust_ids)
    model = request.GET.get("model", "")
    if model:
        events = events.filter(model=model)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.jinja", {"page": page, "model": model})
