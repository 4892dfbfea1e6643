"""Exception reports of resident doctors placed by a lead employer in a host trust (issue 34, ADR 0035).

A placed doctor's report is the host's record (it is about work on the host's rota), and it reaches the guardians
the placement in force on the report's date names (``Placement.exception_reporting``): the host's, the lead
employer's, or both. Those who agree outcomes (medical workforce, the director of medical education) follow the
same arrangement. A report with no placement in force reaches the host's as before.

For one report, ``named(report)`` reads its placement once (one query, kept on the report). For lists, the same
rule is a query filter (``reaching``, ``here``): one query a list, never one a report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from medlead.organisation.models import ExceptionReportingBy, Placement, Trust

TO_HOST = (ExceptionReportingBy.HOST, ExceptionReportingBy.BOTH)
TO_LEAD = (ExceptionReportingBy.LEAD_EMPLOYER, ExceptionReportingBy.BOTH)
_CACHE = "_placement_routing"


@dataclass(frozen=True)
class TrustRef:
    """A trust as the policy reads one (its id and region): the lead employer a report also reaches."""

    pk: int
    region_id: int | None
    name: str = ""

    @property
    def trust_id(self) -> int:
        return self.pk

    @property
    def trust(self) -> TrustRef:
        return self


@dataclass(frozen=True)
class Named:
    """Whom a report reaches: the host (the report's own trust) or not, and the lead employer, if any;
    ``placed``: whether a placement is in force on its date at all."""

    host: bool
    lead: TrustRef | None
    placed: bool = False


HOST_ONLY = Named(host=True, lead=None)


def _in_force(doctor_id: Any, on: Any) -> QuerySet[Placement]:
    return Placement.objects.filter(placed_as_id=doctor_id, starts_on__lte=on, ends_on__gte=on)


def named(report: Any) -> Named:
    """Whom ``report`` reaches by the placement in force on its date (one query, then kept on the report)."""
    cached = getattr(report, _CACHE, None)
    if cached is not None:
        return cached
    found: Named = HOST_ONLY
    doctor_id, on = getattr(report, "doctor_id", None), getattr(report, "occurred_on", None)
    if doctor_id is not None and on is not None:
        row = (
            _in_force(doctor_id, on)
            .order_by("-starts_on", "pk")
            .values_list("exception_reporting", "lead_employer_id", "lead_employer__region_id", "lead_employer__name")
            .first()
        )
        if row is not None:
            arrangement, lead_id, region_id, name = row
            lead = TrustRef(lead_id, region_id, name) if arrangement in TO_LEAD else None
            found = Named(host=arrangement in TO_HOST, lead=lead, placed=True)
    setattr(report, _CACHE, found)
    return found


def is_report(obj: Any) -> bool:
    return hasattr(obj, "occurred_on") and hasattr(obj, "doctor_id")


# ----------------------------------------------------------------------------------------------- as query filters


def _placement_in_force() -> QuerySet[Placement]:
    return _in_force(OuterRef("doctor_id"), OuterRef("occurred_on"))


def only_to_lead() -> Exists:
    """The report's placement in force sends it to the lead employer's guardian only."""
    return Exists(_placement_in_force().filter(exception_reporting=ExceptionReportingBy.LEAD_EMPLOYER))


def to_lead(trust: Trust) -> Exists:
    """The report's placement in force names ``trust``, its doctor's lead employer."""
    return Exists(_placement_in_force().filter(lead_employer_id=trust.pk, exception_reporting__in=TO_LEAD))


def reaching(trust: Trust) -> Q:
    """The reports a trust's pages list: its own (the host's), and those of its resident doctors placed in other
    trusts whose placement in force names it. Who sees which is then the policy's filter (``here`` and the roles)."""
    placed = Placement.objects.filter(lead_employer=trust).values("placed_as_id")
    return Q(trust=trust) | (Q(doctor_id__in=placed) & Q(to_lead(trust)))


def here(trust: Trust) -> Q:
    """Among ``reaching(trust)``: those whose arrangement names this trust (its own reports, except those sent to
    the lead employer's guardian only; every report from elsewhere, which reached it by naming it)."""
    return (Q(trust=trust) & ~Q(only_to_lead())) | ~Q(trust=trust)
