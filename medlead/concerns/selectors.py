"""Reads for MHPS cases: only those the reader is named on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from medlead.concerns.models import Case, CaseStatus, Measure
from medlead.core.policy import cases_filter, person_id
from medlead.core.reference_data import read


def rules() -> dict[str, Any]:
    return read("mhps.yaml")


def names(kind: str) -> dict[str, str]:
    """Plain names for categories, sources or decisions."""
    return {c["code"]: c["name"] for c in rules()[kind]}


def cases_for(*, actor: Any, trust: Any) -> QuerySet[Case]:
    """The cases ``actor`` is named on, in ``trust``; everyone else sees none (``Perm.VIEW_CASE``)."""
    return Case.objects.filter(cases_filter(actor), trust=trust).select_related("doctor").distinct()


def deadlines(*, actor: Any, trust: Any, today: dt.date) -> list[Measure]:
    """Exclusion and restriction reviews not yet done on cases ``actor`` manages or is HR lead on, earliest first
    (overdue first)."""
    pid = person_id(actor)
    if pid is None:
        return []
    return list(
        Measure.objects.filter(
            trust=trust,
            reviewed_on__isnull=True,
            case__status=CaseStatus.OPEN,
            case__roles__person_id=pid,
            case__roles__role__in=["case_manager", "hr_lead"],
        )
        .select_related("case")
        .distinct()
        .order_by("review_by")
    )


def doctor_has_open_case(person: Any) -> bool:
    """That an open case exists (never its content): for the responsible officer's recommendation."""
    return Case.objects.filter(doctor=person, status=CaseStatus.OPEN).exists()
