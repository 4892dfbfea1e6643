"""The questions rota answers for apps below it (``medlead.core.hooks``); found by name once the apps are loaded
(``core.apps``)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from medlead.organisation.hooks import REPORTS_REACHING_LEAD_EMPLOYER
from medlead.organisation.models import Placement
from medlead.rota.models import ExceptionReport
from medlead.rota.placed import TO_LEAD


@REPORTS_REACHING_LEAD_EMPLOYER.answer_with
def reports_reaching_lead_employer(placement_ids: list[int]) -> dict[int, int]:
    """Placement id -> how many of its doctor's exception reports at the host, about events during it, reach the
    lead employer's guardian (every one, where the placement names the lead employer's guardian; else none). One
    query for all of them."""
    if not placement_ids:
        return {}
    counted = (
        ExceptionReport.objects.filter(
            trust_id=OuterRef("host_id"),
            doctor_id=OuterRef("placed_as_id"),
            occurred_on__gte=OuterRef("starts_on"),
            occurred_on__lte=OuterRef("ends_on"),
        )
        .order_by()
        .values("doctor_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Placement.objects.filter(pk__in=placement_ids, exception_reporting__in=TO_LEAD)
        .annotate(n=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)))
        .values_list("pk", "n")
    )
    return dict(rows)
