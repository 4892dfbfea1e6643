"""FHIR out (issue 19, item 2): the trust's doctors as UK Core Practitioners and their management posts as
PractitionerRoles, in a Bundle that a well-kept FHIR model library (fhir.resources, R4B) accepts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from medlead.accounts.models import Role
from medlead.organisation.models import Grade, Trust
from medlead.structure.fhir import bundle
from tests.commands import run_command
from tests.conftest import client_for
from tests.factories import HoldingFactory, PersonFactory, PostFactory, SpecialtyFactory, make_user, post_type

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 30)


def doctors(trust: Trust, n: int, first: int = 0) -> None:
    from medlead.organisation.models import Specialty

    cardiology = Specialty.objects.filter(trust=trust, name="Cardiology").first() or SpecialtyFactory(
        trust=trust, name="Cardiology"
    )
    for i in range(first, first + n):
        person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, gmc_number=f"{7000000 + i}")
        if i % 2 == 0:
            post = PostFactory(trust=trust, post_type=post_type("clinical_director"), specialty=cardiology)
            HoldingFactory(post=post, person=person, start=dt.date(2025, 4, 1))


def test_the_bundle_is_valid_fhir_with_gmc_numbers_and_posts(trust: Trust) -> None:
    doctors(trust, 4)
    data = bundle(trust=trust, on=TODAY)
    parsed = Bundle.model_validate(data)
    kinds = [e.resource.get_resource_type() for e in parsed.entry or [] if e.resource is not None]
    assert kinds.count("Practitioner") == 4 and kinds.count("PractitionerRole") == 2
    first = data["entry"][0]["resource"]
    # NHS England FHIR Implementation Guide, England-Practitioner identifier:gmcReferenceNumber: the 7-digit GMC
    # reference number under https://fhir.nhs.uk/Id/gmc-reference-number. https://fhir.hl7.org.uk/Id/gmc-number is
    # the consultant code ("C" and 7 digits, NHS Data Dictionary CONSULTANT CODE), which medlead does not hold.
    assert first["identifier"] == [{"system": "https://fhir.nhs.uk/Id/gmc-reference-number", "value": "7000000"}]
    assert "https://fhir.hl7.org.uk/Id/gmc-number" not in json.dumps(data)
    role = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "PractitionerRole")
    assert role["organization"]["identifier"]["value"] == trust.code
    assert role["specialty"] == [{"text": "Cardiology"}] and role["period"] == {"start": "2025-04-01"}
    assert role["practitioner"]["reference"] == f"Practitioner/{first['id']}"


def test_the_bundle_takes_the_same_queries_for_few_doctors_or_many(trust: Trust, django_assert_num_queries) -> None:
    doctors(trust, 2)
    with django_assert_num_queries(2):
        bundle(trust=trust, on=TODAY)
    doctors(trust, 10, first=2)
    with django_assert_num_queries(2):
        bundle(trust=trust, on=TODAY)


def test_the_api_and_the_command_give_the_bundle(trust: Trust, tmp_path: Path) -> None:
    doctors(trust, 3)
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    response = client_for(hr).get(f"/api/trusts/{trust.code}/fhir/practitioners/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/fhir+json")
    Bundle.model_validate(json.loads(response.content))
    ned = make_user((Role.NON_EXECUTIVE, trust))
    assert client_for(ned).get(f"/api/trusts/{trust.code}/fhir/practitioners/").status_code == 403
    out = tmp_path / "bundle.json"
    assert run_command("fhir_export", trust.code, "--out", str(out))[0] == 0
    assert len(Bundle.model_validate(json.loads(out.read_text())).entry) == 5
    assert run_command("fhir_export", "NOPE")[0] == 2
