"""The region's view (issue 34, item 4): the regional medical director's first page, with a region's trusts side by
side: each trust's board metrics with their SPC signal in words, counts below the threshold shown as "fewer than 8",
the funnel plots across trusts, returns received and overdue, MHPS counts always suppressed, and what needs the
regional medical director. A fixed number of queries whatever the number of trusts. Expected figures by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from medlead.accounts.models import Role, User
from medlead.concerns.models import Case, Measure
from medlead.core import dates
from medlead.fitproper.models import AnnualReturn
from medlead.governance.models import Metric, MetricValue
from medlead.organisation.models import Grade, Region, Trust
from medlead.revalidation.models import Appraisal, Connection
from medlead.rota.models import ExceptionReport
from tests.conftest import client_for
from tests.factories import PersonFactory, RegionFactory, TrustFactory, make_user

pytestmark = pytest.mark.django_db


def _months(n: int, today: dt.date) -> list[dt.date]:
    first = today.replace(day=1)
    out = []
    for _ in range(n):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        out.append(first)
    return out[::-1]


def region_with(n: int, *, today: dt.date) -> tuple[Region, list[Trust]]:
    """A region of ``n`` trusts. Each: job plans signed off (a rate, 14 months: the first trust's last 8 well below
    its first 6, a concern), exception reports (a count: the latest 3), 12 connected consultants of whom 9 were
    appraised in the year, a case under MHPS open at the first trust, fines at the second, and the fit and proper
    return for last year signed off at every other trust (the first, third...)."""
    region = RegionFactory()
    trusts = [TrustFactory(region=region, name=f"Trust {i:02d} of the region") for i in range(n)]
    months = _months(14, today)
    for i, trust in enumerate(trusts):
        rate = Metric.objects.create(
            trust=trust, code="job_plans_signed", name="Job plans signed off", unit="%", direction="up", section="x"
        )
        count = Metric.objects.create(
            trust=trust, code="exception_reports", name="Exception reports", unit="reports", section="x"
        )
        for k, month in enumerate(months):
            low = i == 0 and k >= 6
            MetricValue.objects.create(trust=trust, metric=rate, period=month, value=(60.0 if low else 80.0) + k % 3)
            MetricValue.objects.create(trust=trust, metric=count, period=month, value=float(3 if k % 2 else 12))
        for k in range(12):
            person = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
            Connection.objects.create(
                trust=trust, person=person, connected_on=dt.date(2020, 1, 1), submission_date=dt.date(2029, 1, 1)
            )
            if k < 9:
                Appraisal.objects.create(
                    trust=trust,
                    person=person,
                    year=2026,
                    status="signed_off",
                    meeting_date=today - dt.timedelta(days=30),
                )
        if i % 2 == 0:
            chair = PersonFactory(trust=trust)
            AnnualReturn.objects.create(
                trust=trust, year=today.year - 1, submitted_on=dt.date(today.year - 1, 11, 1), submitted_by=chair
            )
    doctor = PersonFactory(trust=trusts[0], grade=Grade.CONSULTANT)
    case = Case.objects.create(
        trust=trusts[0],
        doctor=doctor,
        raised_by="A colleague",
        raised_on=today - dt.timedelta(days=20),
        categories=["conduct"],
        source="colleague",
        summary="A confidential summary",
    )
    Measure.objects.create(
        trust=trusts[0],
        case=case,
        kind="formal",
        starts_on=today - dt.timedelta(days=10),
        review_by=today + dt.timedelta(days=18),
    )
    if n > 1:
        registrar = PersonFactory(trust=trusts[1], grade=Grade.SPECIALTY_REGISTRAR)
        for k in range(9):
            ExceptionReport.objects.create(
                trust=trusts[1],
                doctor=registrar,
                occurred_on=today - dt.timedelta(days=10 + k),
                kind="hours",
                description="Stayed late",
                fine_category="hours",
                fine_amount=Decimal("100.00"),
            )
    return region, trusts


def doctor_named(trust: Trust) -> str:
    """The name of the doctor the first trust's case is about (the last consultant made there)."""
    return Case.objects.get(trust=trust).doctor.display_name


def rmd_for(region: Region) -> User:
    return make_user((Role.REGIONAL_MEDICAL_DIRECTOR, region))


def page_of(user: User, region: Region) -> str:
    response = client_for(user).get(f"/regions/{region.code}/")
    assert response.status_code == 200
    return response.content.decode()


def _text(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def test_the_region_side_by_side_with_small_numbers_suppressed() -> None:
    today = dates.today()
    region, trusts = region_with(3, today=today)
    page = page_of(rmd_for(region), region)
    for t in trusts:
        assert t.name in page
    metrics = _text(page, 'id="metrics"', 'id="concerns"')
    # the rate as it is, with its signal in words; the count of 3 reports as "fewer than 8"
    assert "Special cause variation: a concern" in metrics  # the first trust's job plans
    assert "Common cause variation: no sign of change" in metrics
    assert "fewer than 8" in metrics
    # the first trust's deterioration; the second trust's return overdue (the first and third signed theirs off)
    concerns = _text(page, 'id="concerns"', 'id="funnels"')
    assert "Trust 00 of the region: " in concerns and "Trust 01" not in concerns
    work = _text(page, "What needs you", "</ul>")
    assert f"1 trust&#39;s fit and proper annual return for {today.year - 1} is overdue" in work
    assert "1 trust shows special-cause variation for the worse on a board metric" in work
    returns = _text(page, 'id="returns"', 'id="metrics"')
    assert returns.count("Not received") == 1 and returns.count("Received 1 November") == 2
    assert "NHS England&#39;s regional director" in returns
    # the funnels: 9 of 12 appraised at each trust (75%)
    funnels = _text(page, 'id="funnels"', 'id="notice"')
    assert "<svg" in funnels and "Doctors appraised in the last 12 months, by trust" in funnels
    assert funnels.count('<td class="nhsuk-table__cell">75%</td>') == 3
    # fines: 9 at the second trust (shown), none elsewhere (0 shown), the region's 9
    fines = _text(page, 'id="fines"', 'id="mhps"')
    assert "£900.00" in fines and ">9<" in fines
    # MHPS: one open case with the doctor excluded, at the first trust: every count, the region's too, hidden
    mhps = _text(page, 'id="mhps"', "Where the threshold comes from").split("<table", 1)[1]
    assert mhps.count("fewer than 8") == 2 * 3 + 2
    assert "A confidential summary" not in page and doctor_named(trusts[0]) not in page


@pytest.mark.parametrize("n", [3, 10])
def test_the_page_costs_the_same_for_3_trusts_as_for_10(n: int, django_assert_max_num_queries: Any) -> None:
    region, _ = region_with(n, today=dates.today())
    client = client_for(rmd_for(region))
    client.get(f"/regions/{region.code}/")  # the first request of a process reads what later ones share
    with django_assert_max_num_queries(20):  # counted by hand: 20, the same for 3 trusts as for 10
        assert client.get(f"/regions/{region.code}/").status_code == 200


def test_a_regional_medical_director_lands_on_their_region() -> None:
    region, trusts = region_with(1, today=dates.today())
    client = client_for(rmd_for(region))
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == f"/regions/{region.code}/"
    # one who also holds a trust's role keeps the trusts list (other accounts' homes untouched)
    both = make_user((Role.REGIONAL_MEDICAL_DIRECTOR, region), (Role.MEDICAL_DIRECTOR, trusts[0]))
    assert client_for(both).get("/").status_code in (200, 302)
    assert client_for(both).get("/").get("Location") != "/regions/"
    md = make_user((Role.MEDICAL_DIRECTOR, trusts[0]))
    assert client_for(md).get("/")["Location"] == f"/t/{trusts[0].code}/"


def test_a_national_regional_medical_director_chooses_a_region() -> None:
    north, _ = region_with(1, today=dates.today())
    south, _ = region_with(1, today=dates.today())
    national = make_user((Role.REGIONAL_MEDICAL_DIRECTOR, None))
    index = client_for(national).get("/regions/")
    assert index.status_code == 200
    page = index.content.decode()
    assert f"/regions/{north.code}/" in page and f"/regions/{south.code}/" in page
    assert 'href="/regions/"' in page_of(national, north)  # back to the list


def test_the_regional_medical_director_reads_each_trusts_board_metrics_and_comparison() -> None:
    region, trusts = region_with(2, today=dates.today())
    client = client_for(rmd_for(region))
    code = trusts[0].code
    assert client.get(f"/t/{code}/board/").status_code == 200
    assert client.get(f"/t/{code}/board/metrics/job_plans_signed/").status_code == 200
    compared = client.get(f"/t/{code}/board/compare/?across=trusts").content.decode()
    assert trusts[1].name in compared
    # the trust's pages of people's records stay closed
    assert client.get(f"/t/{code}/board/meetings/").status_code == 403


def test_anyone_else_finds_no_region_page() -> None:
    region, trusts = region_with(1, today=dates.today())
    other, _ = region_with(1, today=dates.today())
    for user in (
        rmd_for(other),
        make_user((Role.MEDICAL_DIRECTOR, trusts[0])),
        make_user((Role.SYSTEM_ADMIN, None), is_staff=True, is_superuser=True),
    ):
        assert client_for(user).get(f"/regions/{region.code}/").status_code == 404
    assert client_for(make_user((Role.MEDICAL_DIRECTOR, trusts[0]))).get("/regions/").status_code == 404
    assert client_for(rmd_for(region)).get("/regions/NOSUCH/").status_code == 404
    assert Client().get(f"/regions/{region.code}/").status_code == 302
