"""Pages and PDFs that apply a value the trust has not confirmed say so in one plain sentence (issue 30, item 1): "This
rate is the national default; your trust has not confirmed it yet." For the demo trust, each page shows it while a
value it applied awaits the trust's confirmation, with a link to the values awaiting for those who may confirm them,
and no longer once the medical workforce lead has confirmed the values (through the service). The sentences are
written here by hand, as a user reads them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import unescape

import pytest

from medlead.accounts.models import Role, User
from medlead.concerns.models import Case
from medlead.concerns.selectors import cases_for, investigator_appointed_on
from medlead.core.dates import today
from medlead.fitproper.models import Assessment
from medlead.governance.models import BoardReport
from medlead.jobplans.models import JobPlan
from medlead.organisation.models import Trust
from medlead.rota.models import ExceptionReport, Rota
from medlead.rota.selectors import rota_first_day
from medlead.rulebook import catalogue, services
from medlead.rulebook.unconfirmed import Unconfirmed
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db

LINK = "?show=awaiting"  # the rules page, filtered to the values awaiting confirmation
RULES = "These rules' values are the national defaults; your trust has not confirmed them yet."
RATE = "This rate is the national default; your trust has not confirmed it yet."
TIMETABLE = "This timetable is the national default; your trust has not confirmed it yet."
CHECKS_END = ") are the national defaults; your trust has not confirmed them yet."
PLAN_END = "the public holidays) are the national defaults; your trust has not confirmed them yet."
CHARTS = "These chart settings are the national defaults; your trust has not confirmed them yet."


def page(user: User, url: str) -> str:
    response = client_for(user).get(url)
    assert response.status_code == 200, url
    return " ".join(unescape(response.content.decode()).split())


def confirm_every_value(lead: User, trust: Trust, files: tuple[str, ...], day: dt.date) -> None:
    """The medical workforce lead confirms every value of ``files`` that no source verifies, as the national value,
    for records from ``day``."""
    for national in catalogue.values(day, files):
        if not national.verified:
            services.confirm(
                actor=lead,
                trust=trust,
                file=national.file,
                key=national.key,
                value=national.value,
                applies_from=day,
                document_title="The trust's copy of the national terms",
                document_date=dt.date(2025, 1, 6),
            )


@pytest.fixture
def demo(demo_trust: None) -> Trust:
    return Trust.objects.get(code="DEM001")


@pytest.fixture
def lead(demo: Trust) -> User:
    """The demo's medical workforce lead (medical staffing), who may confirm values."""
    return User.objects.get(username="hr")


def test_the_sentence_in_its_words() -> None:
    assert Unconfirmed("rate", 1).sentence == RATE
    assert Unconfirmed("rule's value", 3, "rules' values").sentence == RULES
    assert Unconfirmed("rule's value", 1, "rules' values").sentence == (
        "This rule's value is the national default; your trust has not confirmed it yet."
    )
    named = Unconfirmed.named("setting", ["the appraisal year's first day", "the queue", "the cap"], "settings")
    assert named.sentence == (
        "These settings (the appraisal year's first day, the queue and the cap) are the national defaults; your trust "
        "has not confirmed them yet."
    )
    assert not Unconfirmed("rate", 0) and Unconfirmed("rate", 0).sentence == ""


def test_a_rota_says_so_until_its_rules_are_confirmed(demo: Trust, lead: User) -> None:
    rota = Rota.objects.filter(trust=demo).order_by("pk").first()
    assert rota is not None
    url = f"/t/DEM001/rotas/{rota.pk}/"
    md, guardian = User.objects.get(username="md"), User.objects.get(username="guardian")
    shown = page(md, url)
    assert RULES in shown and f"/t/DEM001/rules/{LINK}" in shown  # the medical director may confirm them
    for_guardian = page(guardian, url)
    assert RULES in for_guardian and LINK not in for_guardian  # the guardian may not: no link

    first = rota_first_day(rota) or today()
    confirm_every_value(lead, demo, ("rota_rules/tcs2016-2019.yaml", "rota_rules/tcs2016.yaml"), first)
    assert "national default" not in page(md, url)


def test_a_guardians_fine_says_so_until_the_rates_are_confirmed(trust: Trust) -> None:
    guardian = make_user((Role.GUARDIAN, trust))
    lead = make_user((Role.MEDICAL_STAFFING, trust))
    doctor, supervisor = PersonFactory(trust=trust, grade="f1"), PersonFactory(trust=trust, grade="consultant")
    report = ExceptionReport.objects.create(
        trust=trust,
        doctor=doctor,
        supervisor=supervisor,
        occurred_on=dt.date(2025, 5, 1),
        kind="rest",
        description="Missed rest",
        rules_version="v12",
        route="supervisor",
    )
    url = f"/t/{trust.code}/exception-reports/{report.pk}/"
    answers = {"fine_category": "rest_11h", "fine_hours": "1.5", "fine_hourly_rate": "20", "fine_note": ""}
    assert RATE in page(guardian, url)
    check = client_for(guardian).post(url + "fine/check/", answers).content.decode()
    assert RATE in unescape(check)

    confirm_every_value(lead, trust, ("guardian_fines.yaml",), dt.date(2025, 4, 1))
    assert "national default" not in page(guardian, url)
    check = client_for(guardian).post(url + "fine/check/", answers).content.decode()
    assert "£120.00" in check and "national default" not in check  # 1.5 hours at 4 times £20


def test_an_mhps_timetable_says_so_until_its_timescales_are_confirmed(demo: Trust, lead: User) -> None:
    md = User.objects.get(username="md")
    cases = cases_for(actor=md, trust=demo).filter(investigation__isnull=False)
    case = next(c for c in cases if investigator_appointed_on(c) is not None)
    assert isinstance(case, Case)
    url = f"/t/DEM001/concerns/{case.pk}/"
    assert TIMETABLE in page(md, url)

    appointed = investigator_appointed_on(case)
    assert appointed is not None
    confirm_every_value(lead, demo, ("mhps.yaml",), appointed)
    assert "national default" not in page(md, url)


def test_a_fit_and_proper_assessment_names_the_checks_whose_timing_awaits_the_trust(demo: Trust, lead: User) -> None:
    assessment = Assessment.objects.filter(trust=demo, kind="annual").order_by("pk").first()
    assert assessment is not None
    cosec = User.objects.get(username="cosec")
    url = f"/t/DEM001/fit-and-proper/assessments/{assessment.pk}/"
    shown = page(cosec, url)
    assert "These checks' timings (" in shown and CHECKS_END in shown
    # the demo's lead confirmed when the qualifications check falls: it is not named
    named = shown.split("These checks' timings (", 1)[1].split(CHECKS_END, 1)[0]
    assert "Insolvency and bankruptcy register search" in named and "Qualifications" not in named

    confirm_every_value(lead, demo, ("fppt.yaml",), today())
    assert "national default" not in page(cosec, url)


def test_a_job_plan_names_the_values_it_is_judged_by_until_they_are_confirmed(demo: Trust, lead: User) -> None:
    plan = JobPlan.objects.filter(trust=demo).order_by("pk").first()
    assert plan is not None
    md = User.objects.get(username="md")
    url = f"/t/DEM001/job-plans/{plan.pk}/"
    shown = page(md, url)
    assert "These values (" in shown and PLAN_END in shown
    assert "the hours in a programmed activity" in shown.split("These values (", 1)[1].split(PLAN_END, 1)[0]
    assert PLAN_END in pdf_text(client_for(md).get(url + "pdf/").content)  # the PDF says so in its text

    confirm_every_value(lead, demo, ("job_planning.yaml",), dt.date(plan.year, 4, 1))
    for year in (plan.year, plan.year + 1):
        confirm_every_value(lead, demo, ("public_holidays.yaml",), dt.date(year, 1, 1))
    assert "national default" not in page(md, url)


def test_the_board_report_pdf_says_so_in_its_text_until_the_chart_settings_are_confirmed(
    demo: Trust, lead: User
) -> None:
    report = BoardReport.objects.filter(meeting__trust=demo, issued_on__isnull=True).order_by("pk").first()
    assert report is not None
    md = User.objects.get(username="md")
    url = f"/t/DEM001/board/reports/{report.pk}/"
    assert CHARTS in page(md, url)
    assert CHARTS in pdf_text(client_for(md).get(url + "pdf/").content)

    confirm_every_value(lead, demo, ("spc.yaml",), today())
    assert "national default" not in page(md, url)
    assert "national default" not in pdf_text(client_for(md).get(url + "pdf/").content)


RATES = "These rates are the national defaults; your trust has not confirmed them yet."


def test_the_guardians_quarterly_report_says_so_for_the_rates_of_its_fines_until_they_are_confirmed(
    trust: Trust,
) -> None:
    """Q1 2026/27 (April to June 2026) has one fine from the hours of its breach, on 2 May 2026, computed at version
    13's penalty rate and split; a quarter without a fine from hours applies no rate."""
    guardian = make_user((Role.GUARDIAN, trust))
    lead = make_user((Role.MEDICAL_STAFFING, trust))
    doctor, supervisor = PersonFactory(trust=trust, grade="f1"), PersonFactory(trust=trust, grade="consultant")
    for day, category in ((dt.date(2026, 5, 2), "rest_11h"), (dt.date(2026, 8, 3), "")):
        ExceptionReport.objects.create(
            trust=trust,
            doctor=doctor,
            supervisor=supervisor,
            occurred_on=day,
            kind="rest",
            description="Missed rest",
            route="supervisor",
            fine_category=category,
            fine_amount=Decimal("120.00") if category else None,
        )
    client = client_for(guardian)
    url = f"/t/{trust.code}/guardian-report/"

    def said(quarter: str) -> tuple[str, str]:
        return page(guardian, f"{url}?quarter={quarter}"), " ".join(
            pdf_text(client.get(f"{url}pdf/?quarter={quarter}").content).split()
        )

    shown, printed = said("2026-Q1")
    assert RATES in shown and RATES in printed
    assert LINK not in printed  # the PDF prints the sentence as text
    assert "national default" not in " ".join(said("2026-Q2"))  # no fine from hours that quarter

    # confirmed from 1 June 2026: the fine of 2 May was computed at rates the trust had not confirmed on its day
    confirm_every_value(lead, trust, ("guardian_fines.yaml",), dt.date(2026, 6, 1))
    assert RATES in said("2026-Q1")[1]
    # confirmed from 1 April 2026: the quarter's fine was computed at rates the trust confirmed
    confirm_every_value(lead, trust, ("guardian_fines.yaml",), dt.date(2026, 4, 1))
    assert "national default" not in " ".join(said("2026-Q1"))
