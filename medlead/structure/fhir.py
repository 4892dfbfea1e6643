"""The trust's doctors as FHIR (R4, UK Core profiles): each doctor a ``Practitioner`` (the 7-digit GMC reference
number as an identifier, system https://fhir.nhs.uk/Id/gmc-reference-number), each current medical management
post holding a ``PractitionerRole`` (organisation, specialty, period), together in a ``Bundle`` of type
collection. Identifier systems and profiles are data (data/fhir.yaml). Three queries, whatever the size of the
trust."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from medlead.core.reference_data import read
from medlead.organisation.models import Person, StaffKind, Trust
from medlead.structure.selectors import current_holdings


@cache
def _config() -> dict[str, Any]:
    return read("fhir.yaml")


def practitioner(person: Person) -> dict[str, Any]:
    c = _config()
    resource: dict[str, Any] = {
        "resourceType": "Practitioner",
        "id": f"medlead-person-{person.pk}",
        "meta": {"profile": [c["practitioner_profile"]]},
        "active": person.active,
        "name": [{"use": "official", "family": person.last_name, "given": [person.first_name], "prefix": ["Dr"]}],
    }
    if person.gmc_number:
        # the 7-digit GMC reference number, under NHS England's system for it; never the HL7 UK gmc-number system,
        # which carries the consultant code (C and 7 digits), a code medlead does not hold (data/fhir.yaml)
        resource["identifier"] = [{"system": c["gmc_reference_number_system"], "value": person.gmc_number}]
    return resource


def practitioner_role(holding: Any, trust: Trust) -> dict[str, Any]:
    c = _config()
    post = holding.post
    period: dict[str, str] = {"start": holding.start.isoformat()}
    if holding.end:
        period["end"] = holding.end.isoformat()
    role: dict[str, Any] = {
        "resourceType": "PractitionerRole",
        "id": f"medlead-holding-{holding.pk}",
        "meta": {"profile": [c["practitioner_role_profile"]]},
        "active": True,
        "period": period,
        "practitioner": {"reference": f"Practitioner/medlead-person-{holding.person_id}"},
        "organization": {"identifier": {"system": c["ods_system"], "value": trust.code}, "display": trust.name},
        "code": [{"text": post.title}],
    }
    specialty = post.specialty.name if post.specialty_id else ""
    if specialty:
        role["specialty"] = [{"text": specialty}]
    return role


def bundle(*, trust: Trust, on: dt.date) -> dict[str, Any]:
    doctors = list(Person.objects.filter(trust=trust, kind=StaffKind.DOCTOR, active=True).order_by("pk"))
    ids = {p.pk for p in doctors}
    holdings = [
        h
        for h in current_holdings(trust=trust, on=on).select_related("post__specialty").order_by("pk")
        if h.person_id in ids
    ]
    entries = [practitioner(p) for p in doctors] + [practitioner_role(h, trust) for h in holdings]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": dt.datetime.combine(on, dt.time(), tzinfo=dt.UTC).isoformat(),
        "entry": [{"fullUrl": f"urn:medlead:{e['resourceType']}/{e['id']}", "resource": e} for e in entries],
    }
