"""Issue 34, lead employers and host trusts: rows of the hand-written matrix for placements and for the exception
reports of a placed resident doctor, one report per arrangement (ADR 0035).

The world, written by hand: three trusts of one region. "Lead" employs a resident doctor and places them in "Host";
"Other" is unrelated. Each has medical staffing (hr), a guardian of safe working hours and a medical director; the
lead and the host each have a director of medical education (dme). The doctor's account is linked to their record at
the host (where they work their rota). The region has a regional medical director (rmd); the installation a system
administrator (admin, a superuser).

The doctor is placed three times in a row, each with another arrangement: January to March 2026 with the host's
guardian, April to June with the lead employer's, July to September with both. Their reports (version 13: hours go
to medical workforce, education to the director of medical education) fall one in each, and one in October, when
no placement is in force (the host's, as for any of its own doctors)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from medlead.accounts.models import Role
from medlead.core.policy import Perm, can
from medlead.organisation.models import ExceptionReportingBy
from medlead.rota.models import ExceptionReport, ReportKind, ReportStatus, Route
from tests.conftest import client_for
from tests.factories import (
    HoldingFactory,
    PersonFactory,
    PostFactory,
    RegionFactory,
    TrustFactory,
    make_user,
    placed_doctor,
    placement,
    post_type,
)

pytestmark = pytest.mark.django_db

LEAD = {"lead_hr", "lead_guardian", "lead_md"}
HOST = {"host_hr", "host_guardian", "host_md"}
OTHER = {"other_hr", "other_guardian", "other_md"}
IDENTITIES = sorted(LEAD | HOST | OTHER | {"lead_dme", "host_dme", "doctor", "rmd", "admin"})

EXPECTED: list[tuple[Perm, str, set[str]]] = [
    # placements: the lead employer's medical staffing records them; its team and the host's see them
    (Perm.MANAGE_PLACEMENTS, "lead", {"lead_hr"}),
    (Perm.MANAGE_PLACEMENTS, "host", {"host_hr"}),  # the host may be a lead employer of its own doctors too
    (Perm.MANAGE_PLACEMENTS, "placement_both", {"lead_hr"}),
    (Perm.VIEW_PLACEMENTS, "lead", LEAD),
    (Perm.VIEW_PLACEMENTS, "host", HOST),
    (Perm.VIEW_PLACEMENTS, "other", OTHER),
    (Perm.VIEW_PLACEMENT, "placement_host", LEAD | HOST),
    (Perm.VIEW_PLACEMENT, "placement_lead", LEAD | HOST),
    (Perm.VIEW_PLACEMENT, "placement_both", LEAD | HOST),
    # the host's guardian only: the host's medical workforce agrees the outcome
    (Perm.VIEW_EXCEPTION_REPORT, "report_host", {"doctor", "host_guardian", "host_hr"}),
    (Perm.AGREE_EXCEPTION_OUTCOME, "report_host", {"host_hr"}),
    (Perm.FLAG_FINES, "report_host", {"host_guardian"}),
    # the lead employer's guardian only: not the host's guardian, nor its medical workforce
    (Perm.VIEW_EXCEPTION_REPORT, "report_lead", {"doctor", "lead_guardian", "lead_hr"}),
    (Perm.AGREE_EXCEPTION_OUTCOME, "report_lead", {"lead_hr"}),
    (Perm.FLAG_FINES, "report_lead", {"lead_guardian"}),
    (Perm.VIEW_EXCEPTION_REPORT, "education_lead", {"doctor", "lead_guardian", "lead_dme"}),
    (Perm.AGREE_EXCEPTION_OUTCOME, "education_lead", {"lead_dme"}),
    # both guardians, and either trust's medical workforce
    (Perm.VIEW_EXCEPTION_REPORT, "report_both", {"doctor", "host_guardian", "lead_guardian", "host_hr", "lead_hr"}),
    (Perm.AGREE_EXCEPTION_OUTCOME, "report_both", {"host_hr", "lead_hr"}),
    (Perm.FLAG_FINES, "report_both", {"host_guardian", "lead_guardian"}),
    (
        Perm.VIEW_EXCEPTION_REPORT,
        "education_both",
        {"doctor", "host_guardian", "lead_guardian", "host_dme", "lead_dme"},
    ),
    (Perm.AGREE_EXCEPTION_OUTCOME, "education_both", {"host_dme", "lead_dme"}),
    # no placement in force on the report's date: the host's, as for its own doctors
    (Perm.VIEW_EXCEPTION_REPORT, "report_after", {"doctor", "host_guardian", "host_hr"}),
    (Perm.AGREE_EXCEPTION_OUTCOME, "report_after", {"host_hr"}),
    (Perm.FLAG_FINES, "report_after", {"host_guardian"}),
    # the guardians' own trust-wide permission is unchanged
    (Perm.FLAG_FINES, "lead", {"lead_guardian"}),
    (Perm.FLAG_FINES, "host", {"host_guardian"}),
]


def _report(doctor: Any, on: dt.date, kind: str = ReportKind.HOURS) -> ExceptionReport:
    education = kind == ReportKind.EDUCATION
    return ExceptionReport.objects.create(
        trust=doctor.trust,
        doctor=doctor,
        rules_version="v13",
        route=Route.DIRECTOR_OF_MEDICAL_EDUCATION if education else Route.MEDICAL_WORKFORCE,
        occurred_on=on,
        kind=kind,
        extra_minutes=None if education else 60,
        description="Stayed late.",
        status=ReportStatus.SUBMITTED,
    )


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    region = RegionFactory()
    trusts = {name: TrustFactory(region=region, name=f"{name.title()} Trust") for name in ("lead", "host", "other")}
    users: dict[str, Any] = {}
    for name, trust in trusts.items():
        users[f"{name}_hr"] = make_user((Role.MEDICAL_STAFFING, trust), username=f"{name}_hr")
        guardian = PersonFactory(trust=trust)
        users[f"{name}_guardian"] = make_user(
            (Role.GUARDIAN, trust), (Role.DOCTOR, trust), username=f"{name}_guardian", person=guardian
        )
        md = PersonFactory(trust=trust)
        users[f"{name}_md"] = make_user(
            (Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), username=f"{name}_md", person=md
        )
    for name in ("lead", "host"):
        dme = PersonFactory(trust=trusts[name])
        HoldingFactory(
            post=PostFactory(trust=trusts[name], post_type=post_type("director_of_medical_education")), person=dme
        )
        users[f"{name}_dme"] = make_user((Role.DOCTOR, trusts[name]), username=f"{name}_dme", person=dme)
    employee, at_host = placed_doctor(trusts["lead"], trusts["host"])
    users["doctor"] = make_user((Role.DOCTOR, trusts["host"]), username="placed", person=at_host)
    users["rmd"] = make_user((Role.REGIONAL_MEDICAL_DIRECTOR, region), username="rmd")
    users["admin"] = make_user((Role.SYSTEM_ADMIN, None), username="admin", is_superuser=True, is_staff=True)

    def placed(starts: dt.date, ends: dt.date, arrangement: str) -> Any:
        return placement(employee, at_host, starts_on=starts, ends_on=ends, arrangement=arrangement)

    records: dict[str, Any] = dict(trusts)
    records["placement_host"] = placed(dt.date(2026, 1, 1), dt.date(2026, 3, 31), ExceptionReportingBy.HOST)
    records["placement_lead"] = placed(dt.date(2026, 4, 1), dt.date(2026, 6, 30), ExceptionReportingBy.LEAD_EMPLOYER)
    records["placement_both"] = placed(dt.date(2026, 7, 1), dt.date(2026, 9, 30), ExceptionReportingBy.BOTH)
    records["report_host"] = _report(at_host, dt.date(2026, 3, 31))  # the last day of the first placement
    records["report_lead"] = _report(at_host, dt.date(2026, 4, 1))  # the first day of the second
    records["education_lead"] = _report(at_host, dt.date(2026, 5, 12), ReportKind.EDUCATION)
    records["report_both"] = _report(at_host, dt.date(2026, 8, 3))
    records["education_both"] = _report(at_host, dt.date(2026, 9, 30), ReportKind.EDUCATION)
    records["report_after"] = _report(at_host, dt.date(2026, 10, 1))
    return {"users": users, "records": records, "trusts": trusts, "employee": employee, "at_host": at_host}


@pytest.mark.parametrize(("perm", "record", "allowed"), EXPECTED, ids=[f"{p.value}@{r}" for p, r, _ in EXPECTED])
def test_the_hand_written_rows(world: dict[str, Any], perm: Perm, record: str, allowed: set[str]) -> None:
    obj = world["records"][record]
    if hasattr(obj, "occurred_on"):  # each check reads the report afresh, as a page does
        obj = ExceptionReport.objects.get(pk=obj.pk)
    got = {name for name in IDENTITIES if can(world["users"][name], perm, obj)}
    assert got == allowed, f"unexpected: {sorted(got - allowed)}; missing: {sorted(allowed - got)}"


# ------------------------------------------------------------------------------------------------------ pages


def _status(user: Any, url: str) -> int:
    return client_for(user).get(url).status_code


# Each identity opens the record from their own trust's pages (the lead employer's, the host's, or an unrelated
# trust's): 200 for those the rows name, 404 (as for a record that does not exist) for everyone else.
HOME = {**dict.fromkeys(LEAD | {"lead_dme"}, "lead"), **dict.fromkeys(HOST | {"host_dme", "doctor"}, "host")}
HOME |= dict.fromkeys(OTHER, "other")


@pytest.mark.parametrize("record", ["placement_host", "placement_lead", "placement_both"])
def test_a_placement_page_is_404_for_all_but_the_two_trusts_teams(world: dict[str, Any], record: str) -> None:
    pk = world["records"][record].pk
    for name in sorted(HOME):
        code = world["trusts"][HOME[name]].code
        expected = 200 if name in LEAD | HOST else 404
        assert _status(world["users"][name], f"/t/{code}/placements/{pk}/") == expected, name
    for name in ("rmd", "admin"):  # the region's and the installation's: no trust of theirs names them
        for trust in world["trusts"].values():
            assert _status(world["users"][name], f"/t/{trust.code}/placements/{pk}/") == 404, (name, trust.code)
    # and each team only from its own trust's pages: the host's team is answered 404 at the lead employer's
    assert _status(world["users"]["host_hr"], f"/t/{world['trusts']['lead'].code}/placements/{pk}/") == 404
    assert Client().get(f"/t/{world['trusts']['lead'].code}/placements/{pk}/").status_code == 302


REPORT_PAGES = {
    "report_host": {"doctor", "host_guardian", "host_hr"},
    "report_lead": {"doctor", "lead_guardian", "lead_hr"},
    "education_lead": {"doctor", "lead_guardian", "lead_dme"},
    "report_both": {"doctor", "host_guardian", "lead_guardian", "host_hr", "lead_hr"},
    "report_after": {"doctor", "host_guardian", "host_hr"},
}


@pytest.mark.parametrize("record", sorted(REPORT_PAGES))
def test_a_placed_doctors_report_opens_for_the_guardians_its_placement_names(
    world: dict[str, Any], record: str
) -> None:
    pk = world["records"][record].pk
    for name in sorted(HOME):
        code = world["trusts"][HOME[name]].code
        expected = 200 if name in REPORT_PAGES[record] else 404
        assert _status(world["users"][name], f"/t/{code}/exception-reports/{pk}/") == expected, name
    for name in ("rmd", "admin"):
        for trust in world["trusts"].values():
            assert _status(world["users"][name], f"/t/{trust.code}/exception-reports/{pk}/") == 404, name


def test_an_unrelated_trusts_accounts_get_404_for_every_placement_and_report(world: dict[str, Any]) -> None:
    """The relation "placed by a lead employer in a host" leaks nothing to a third trust of the same region, from
    its own pages or from the two trusts' (which it cannot see at all)."""
    records = world["records"]
    for name in sorted(OTHER):
        user = world["users"][name]
        for trust in world["trusts"].values():
            for key, record in records.items():
                if key.startswith("placement"):
                    assert _status(user, f"/t/{trust.code}/placements/{record.pk}/") == 404, (name, key)
                elif key.startswith(("report", "education")):
                    assert _status(user, f"/t/{trust.code}/exception-reports/{record.pk}/") == 404, (name, key)


def test_the_lists_show_each_guardian_the_reports_their_arrangements_name(world: dict[str, Any]) -> None:
    records, trusts, users = world["records"], world["trusts"], world["users"]

    def listed(name: str, trust: str) -> set[str]:
        page = client_for(users[name]).get(f"/t/{trusts[trust].code}/exception-reports/")
        assert page.status_code == 200
        shown = {int(pk) for pk in re.findall(r"/exception-reports/(\d+)/", page.content.decode())}
        return {key for key, r in records.items() if getattr(r, "occurred_on", None) and r.pk in shown}

    assert listed("host_guardian", "host") == {"report_host", "report_both", "education_both", "report_after"}
    assert listed("lead_guardian", "lead") == {"report_lead", "education_lead", "report_both", "education_both"}
    assert listed("host_hr", "host") == {"report_host", "report_both", "report_after"}
    assert listed("lead_hr", "lead") == {"report_lead", "report_both"}
    assert listed("lead_dme", "lead") == {"education_lead", "education_both"}
    assert listed("doctor", "host") == set(REPORT_PAGES) | {"education_both"}
    assert listed("other_guardian", "other") == set()
