from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medlead.core.audit import AuditEvent, hidden_models, restriction, rows
from medlead.core.params import MAX_ID
from medlead.core.policy import Perm, can
from medlead.core.query import QueryForm
from medlead.organisation.selectors import visible_trusts


class LogQuery(QueryForm):
    """The audit log's filter by kind of record ("app_label.model_name") and its page."""

    model = forms.CharField(required=False, max_length=100)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit trail of the trusts where the user may view it. Read-only: there is no edit view.

    The MHPS case and its parts never appear (their trail is the case's own); every other confidential record
    appears as "a confidential record", and asking for a confidential kind by name lists nothing, so the filter
    cannot tell which confidential rows are which."""
    trust_ids = [t.pk for t in visible_trusts(request.user) if can(request.user, Perm.VIEW_AUDIT, t)]
    if not trust_ids:
        raise PermissionDenied
    events = AuditEvent.objects.filter(trust_id__in=trust_ids).exclude(model__in=hidden_models())
    query = LogQuery(request.GET).values()
    model = query["model"] or ""
    if model:
        events = events.filter(model=model) if restriction(model) is None else events.none()
    page = Paginator(events, 50).get_page(query["page"])
    return render(request, "audit/log.jinja", {"page": page, "rows": rows(page), "model": model})
