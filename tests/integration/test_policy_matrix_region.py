"""Issue 34, the region's view: rows of the hand-written matrix (tests/integration/test_policy_matrix.py) for the
regional medical director, on its world. Written by hand: the regional medical director of the world trust's region
("rmd"), of another region ("rmd_other"), and of the whole country ("rmd_national"), beside the trust's medical
director ("md"), another trust's ("other_md") and the national system administrator ("admin").

The role is aggregates only: it passes exactly the rows below of the main matrix (seeing the trust, its people and
values in force, as every role does, and the board metrics), and no row that reads a confidential record; the
region's page opens to the first and the last alone, and answers 404 to everyone else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from medlead.accounts.models import Role
from medlead.core.policy import Perm, can
from tests.conftest import client_for
from tests.factories import RegionFactory, make_user
from tests.integration.test_policy_matrix import EXPECTED, world  # noqa: F401  (the shared world fixture)

pytestmark = pytest.mark.django_db

REGIONAL = ("rmd", "rmd_other", "rmd_national")
NAMES = (*REGIONAL, "md", "other_md", "admin")

# The rows of the main matrix a regional medical director of the trust's region (and a national one) passes: the
# trust's existence, its rules in force and its metrics; never its people directory, a person's record or a rota.
REGIONAL_MAY = {
    (Perm.VIEW_ORGANISATION, "trust"),
    (Perm.VIEW_VALUES, "trust"),
    (Perm.VIEW_METRICS, "trust"),
}

# The region's own rows: (permission, record, who may).
EXPECTED_REGION: list[tuple[Perm, str, set[str]]] = [
    (Perm.VIEW_REGION, "region", {"rmd", "rmd_national"}),
    (Perm.VIEW_REGION, "other_region", {"rmd_other", "rmd_national"}),
    (Perm.VIEW_REGION, "trust", set()),  # asked of a trust, not a region: nobody
    (Perm.VIEW_METRICS, "trust", {"rmd", "rmd_national", "md"}),
    (Perm.VIEW_BOARD_PICTURE, "trust", {"md"}),
    (Perm.VIEW_MEETINGS, "trust", {"md"}),
    (Perm.VIEW_CASE, "case", {"md"}),
    (Perm.VIEW_FPPT, "fppt", {"md"}),  # the medical director's own assessment (their board seat)
    (Perm.MANAGE_FPPT, "trust", set()),
    (Perm.VIEW_APPRAISAL_CONTENT, "appraisal", set()),
    (Perm.VIEW_APPRAISAL_OUTPUTS, "appraisal", {"md"}),
]


@pytest.fixture
def region_world(world: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    trust = world["records"]["trust"]
    other = RegionFactory()
    users = dict(world["users"])
    users["rmd"] = make_user((Role.REGIONAL_MEDICAL_DIRECTOR, trust.region))
    users["rmd_other"] = make_user((Role.REGIONAL_MEDICAL_DIRECTOR, other))
    users["rmd_national"] = make_user((Role.REGIONAL_MEDICAL_DIRECTOR, None))
    records = {**world["records"], "region": trust.region, "other_region": other}
    return {"users": users, "records": records}


@pytest.mark.parametrize(
    ("perm", "record", "allowed"), EXPECTED_REGION, ids=[f"{p.value}@{r}" for p, r, _ in EXPECTED_REGION]
)
def test_the_hand_written_rows(region_world: dict[str, Any], perm: Perm, record: str, allowed: set[str]) -> None:
    obj = region_world["records"][record]
    got = {name for name in NAMES if can(region_world["users"][name], perm, obj)}
    assert got == allowed, f"unexpected: {sorted(got - allowed)}; missing: {sorted(allowed - got)}"


def test_the_regional_role_passes_only_the_aggregate_rows_of_the_main_matrix(region_world: dict[str, Any]) -> None:
    """Every row of the main matrix: the trust's region's and the national regional medical director pass exactly
    REGIONAL_MAY; another region's passes none (it cannot see the trust at all)."""
    records, users = region_world["records"], region_world["users"]
    for perm, record, _ in EXPECTED:
        obj = records[record]
        expected = (perm, record) in REGIONAL_MAY
        assert can(users["rmd"], perm, obj) is expected, (perm.value, record)
        assert can(users["rmd_national"], perm, obj) is expected, (perm.value, record)
        assert not can(users["rmd_other"], perm, obj), (perm.value, record)


def test_the_regions_page_answers_as_the_rows_say(region_world: dict[str, Any]) -> None:
    records, users = region_world["records"], region_world["users"]
    for region, allowed in (("region", {"rmd", "rmd_national"}), ("other_region", {"rmd_other", "rmd_national"})):
        url = f"/regions/{records[region].code}/"
        for name in NAMES:
            status = client_for(users[name]).get(url).status_code
            assert status == (200 if name in allowed else 404), (name, url, status)
        assert Client().get(url).status_code == 302  # signed out: to sign in


def test_the_regional_medical_director_finds_no_confidential_record(region_world: dict[str, Any]) -> None:
    """404 on a case under MHPS, a fit and proper record, an appraisal and an exception report of the region's own
    trust (their existence is itself confidential), as for every one the policy does not name."""
    records = region_world["records"]
    t = records["trust"].code
    urls = [
        f"/t/{t}/concerns/{records['case'].pk}/",
        f"/t/{t}/fit-and-proper/assessments/{records['fppt'].pk}/",
        f"/t/{t}/appraisals/{records['appraisal'].pk}/",
        f"/t/{t}/exception-reports/{records['report'].pk}/",
    ]
    for name in REGIONAL:
        client = client_for(region_world["users"][name])
        for url in urls:
            assert client.get(url).status_code == 404, (name, url)


def test_another_regions_director_finds_not_even_the_trust(region_world: dict[str, Any]) -> None:
    """An unrelated region's account: 404 on the trust's pages (its existence does not leak), the board's view
    included, where the trust's own region's director reads the metrics."""
    t = region_world["records"]["trust"].code
    users = region_world["users"]
    for url in (f"/t/{t}/", f"/t/{t}/board/", f"/t/{t}/board/compare/"):
        assert client_for(users["rmd_other"]).get(url).status_code == 404, url
        assert client_for(users["rmd"]).get(url).status_code == 200, url
