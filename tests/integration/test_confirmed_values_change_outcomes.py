"""A trust's confirmation changes what medlead does (issue 30, item 1): for each area whose values the page "Rules and
values in force" lists, a value the trust changes changes a hand-worked outcome for that trust, and for no other.
Each expected answer is worked by hand from the value confirmed, not computed by the code under test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from medlead.accounts.models import Role, User
from medlead.awards import services as award_services
from medlead.concerns.selectors import timetable
from medlead.core.spc import xmr
from medlead.governance.selectors import spc_settings
from medlead.jobplans import pa
from medlead.jobplans.selectors import policy_for
from medlead.organisation.models import Grade, Trust
from medlead.revalidation.selectors import appraisal_year as revalidation_appraisal_year
from medlead.revalidation.selectors import settings as revalidation_settings
from medlead.rota import engine
from medlead.rota import services as rota_services
from medlead.rota.models import ExceptionReport
from medlead.rota.selectors import trust_rules
from medlead.rulebook import catalogue, services
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db

DOCUMENT = {"document_title": "The trust's policy on national values", "document_date": dt.date(2026, 1, 5)}


@pytest.fixture
def lead(trust: Trust) -> User:
    """The trust's medical workforce lead (medical staffing), who may confirm values."""
    return make_user((Role.MEDICAL_STAFFING, trust), username="workforce-lead")


def change(lead: User, trust: Trust, file: str, key: str, value: Any, day: dt.date = dt.date(2026, 1, 1)) -> None:
    services.confirm(actor=lead, trust=trust, file=file, key=key, value=value, applies_from=day, **DOCUMENT)


def test_mhps_a_three_week_investigation_moves_the_timetable(trust: Trust, other_trust: Trust, lead: User) -> None:
    change(lead, trust, "mhps.yaml", "investigation.complete_days", 21)
    appointed = dt.date(2026, 3, 2)
    ours = timetable(trust=trust, appointed_on=appointed)
    # 2 March + 21 days = 23 March; the report 5 days later, 28 March
    assert (ours.complete_by, ours.report_due) == (dt.date(2026, 3, 23), dt.date(2026, 3, 28))
    # the national 28 days elsewhere: 30 March, and the report on 4 April
    theirs = timetable(trust=other_trust, appointed_on=appointed)
    assert (theirs.complete_by, theirs.report_due) == (dt.date(2026, 3, 30), dt.date(2026, 4, 4))


def test_mhps_the_timetable_says_it_is_a_national_default_until_every_value_is_confirmed(
    trust: Trust, lead: User
) -> None:
    appointed = dt.date(2026, 3, 2)
    assert not timetable(trust=trust, appointed_on=appointed).confirmed
    for key, value in (("complete_days", 28), ("report_further_days", 5), ("comments_days", 10)):
        change(lead, trust, "mhps.yaml", f"investigation.{key}", value)
    confirmed = timetable(trust=trust, appointed_on=appointed)
    assert confirmed.confirmed
    assert not any("to be confirmed" in s for s in confirmed.sources)


def test_mhps_a_confirmation_from_a_later_date_leaves_an_earlier_appointment_alone(trust: Trust, lead: User) -> None:
    change(lead, trust, "mhps.yaml", "investigation.complete_days", 21, day=dt.date(2026, 4, 1))
    assert timetable(trust=trust, appointed_on=dt.date(2026, 3, 31)).complete_by == dt.date(2026, 4, 28)
    assert timetable(trust=trust, appointed_on=dt.date(2026, 4, 1)).complete_by == dt.date(2026, 4, 22)


def _spa_findings(policy: pa.Policy) -> list[str]:
    # Monday 09:00-15:00 supporting professional activities: 6 hours, 1.5 PAs
    spa = pa.Activity(category=pa.Category.SPA, title="Teaching", weekday=0, start=9 * 60, end=15 * 60)
    return [f.check for f in pa.check([spa], policy, contracted_pas=None)]


def test_job_planning_a_higher_spa_minimum_finds_a_plan_short(trust: Trust, other_trust: Trust, lead: User) -> None:
    change(lead, trust, "job_planning.yaml", "spa_threshold", 2.0)
    ours = policy_for(trust, year=2026)
    assert ours.spa_threshold == Decimal("2")
    assert "spa_below_threshold" in _spa_findings(ours)  # 1.5 PAs < 2
    assert "spa_below_threshold" not in _spa_findings(policy_for(other_trust, year=2026))  # 1.5 is not < 1.5


def test_job_planning_sas_premium_time_follows_the_trusts_confirmation(trust: Trust, lead: User) -> None:
    change(lead, trust, "job_planning.yaml", "contracts.sas_2021.premium_time.weekday_after", "20:00")
    assert policy_for(trust, grade="specialty_doctor", year=2026).premium_after == 20 * 60
    # the consultant contract's own setting is untouched
    assert policy_for(trust, grade="consultant", year=2026).premium_after == 19 * 60


def test_job_planning_names_the_values_not_yet_confirmed(trust: Trust, lead: User) -> None:
    before = policy_for(trust, year=2026)
    assert "the minimum supporting professional activities" in before.notice.sentence
    change(lead, trust, "job_planning.yaml", "spa_threshold", 1.5)
    assert "the minimum supporting professional activities" not in policy_for(trust, year=2026).notice.sentence


def test_public_holidays_an_added_holiday_counts_on_its_weekday(trust: Trust, lead: User) -> None:
    national = [
        dt.date(2026, 1, 1), dt.date(2026, 4, 3), dt.date(2026, 4, 6), dt.date(2026, 5, 4),
        dt.date(2026, 5, 25), dt.date(2026, 8, 31), dt.date(2026, 12, 25), dt.date(2026, 12, 28),
    ]  # fmt: skip
    # a one-off holiday on Wednesday 10 June 2026, proclaimed after the file was written
    change(lead, trust, "public_holidays.yaml", "england.2026", [*national, dt.date(2026, 6, 10)])
    # 2026/27: six Mondays and four Fridays (GOV.UK), and now a Wednesday
    assert policy_for(trust, year=2026).holidays_by_weekday == (6, 0, 1, 0, 4, 0, 0)


def test_spc_a_different_near_limit_fraction_moves_the_near_limit_line(
    trust: Trust, other_trust: Trust, lead: User
) -> None:
    change(lead, trust, "spc.yaml", "near_limit_fraction", 0.5)
    # 10, 12, 10, 12, ... (12 points): mean 11, every moving range 2, so the limit is 11 + 2.66 x 2 = 16.32
    series = [(dt.date(2026, m, 1), 10.0 if m % 2 else 12.0) for m in range(1, 13)]
    ours = xmr(series, params=spc_settings(trust, dt.date(2026, 12, 1)).params).points[-1]
    theirs = xmr(series, params=spc_settings(other_trust, dt.date(2026, 12, 1)).params).points[-1]
    assert ours.near_upper == pytest.approx(11 + 0.5 * 5.32)  # 13.66
    assert theirs.near_upper == pytest.approx(11 + 5.32 * 2 / 3)  # 14.5467


def test_spc_says_so_while_a_setting_is_a_national_default(trust: Trust, lead: User) -> None:
    day = dt.date(2026, 12, 1)
    assert spc_settings(trust, day).notice.sentence == (
        "These chart settings are the national defaults; your trust has not confirmed them yet."
    )
    for key, value in (
        ("near_limit_fraction", 0.6666666666666666),
        ("shift_run", 7),
        ("trend_run", 7),
        ("two_of_three", [2, 3]),
        ("trial_limits_below", 12),
        ("screen_outliers", False),
        ("outlier_moving_range", 3.267),
    ):
        change(lead, trust, "spc.yaml", key, value)
    assert spc_settings(trust, day).notice.sentence == ""  # the limit multiplier is verified from its source


def test_rota_a_12_hour_maximum_shift_finds_a_12_and_a_half_hour_shift(
    trust: Trust, other_trust: Trust, lead: User
) -> None:
    change(lead, trust, "rota_rules/tcs2016-2019.yaml", "rules.max_shift_length.limit_hours", 12)
    day = dt.date(2026, 3, 2)
    shift = engine.Duty("dr-a", dt.datetime(2026, 3, 2, 8, 0), dt.datetime(2026, 3, 2, 20, 30))  # 12.5 hours
    rota = engine.Rota.from_duties([shift])

    def breached(trust: Trust) -> set[str]:
        return {b.rule for b in engine.check(rota, trust_rules(trust, "tcs2016-2019", day)).breaches}

    assert "max_shift_length" in breached(trust)
    assert "max_shift_length" not in breached(other_trust)  # the national 13 hours


def test_rota_rules_say_so_until_confirmed(trust: Trust, lead: User) -> None:
    day = dt.date(2026, 3, 2)
    national = trust_rules(trust, "tcs2016-2019", day)
    assert national.notice and "max_shift_length" in national.unconfirmed
    change(lead, trust, "rota_rules/tcs2016-2019.yaml", "rules.max_shift_length.limit_hours", 13)
    assert "max_shift_length" not in trust_rules(trust, "tcs2016-2019", day).unconfirmed


def test_revalidation_a_shorter_deferral_limit_and_cycle(trust: Trust, other_trust: Trust, lead: User) -> None:
    change(lead, trust, "revalidation.yaml", "defer.gmc_advice_over_months", 6)
    day = dt.date(2026, 6, 1)
    assert revalidation_settings(trust, day)["defer.gmc_advice_over_months"] == 6
    assert revalidation_settings(other_trust, day)["defer.gmc_advice_over_months"] == 12


def test_exception_reporting_a_longer_deadline_accepts_a_report_35_days_late(
    trust: Trust, other_trust: Trust, lead: User
) -> None:
    change(lead, trust, "exception_reporting.yaml", "versions.v13.submit_within_days", 42, day=dt.date(2026, 2, 4))
    today = dt.date(2026, 11, 30)
    base = {"kind": "hours", "extra_minutes": 90, "description": "Stayed late.", "preferred": "pay"}

    def submit(trust: Trust) -> ExceptionReport:
        doctor = PersonFactory(trust=trust, grade=Grade.SPECIALTY_REGISTRAR)
        actor = make_user((Role.DOCTOR, trust), person=doctor)
        # 35 days after the event (26 October 2026)
        return rota_services.report_submit(
            actor=actor, doctor=doctor, today=today, occurred_on=dt.date(2026, 10, 26), **base
        )

    assert submit(trust).rules_version == "v13"  # 35 <= 42
    with pytest.raises(ValidationError, match="within 28 days"):  # the national 28 days elsewhere
        submit(other_trust)


def test_exception_reporting_education_reports_routed_to_medical_workforce(
    trust: Trust, other_trust: Trust, lead: User
) -> None:
    change(
        lead,
        trust,
        "exception_reporting.yaml",
        "versions.v13.routes.education",
        "medical_workforce",
        day=dt.date(2026, 2, 4),
    )

    def route(trust: Trust) -> str:
        report = ExceptionReport(trust=trust, kind="education", occurred_on=dt.date(2026, 6, 1))
        rota_services.classify(report)
        return str(report.route)

    assert route(trust) == "medical_workforce"
    assert route(other_trust) == "director_of_medical_education"


def test_values_a_trust_must_not_set_are_off_the_catalogue_with_the_reason() -> None:
    day = dt.date(2026, 6, 1)
    keys = {(v.file, v.key) for v in catalogue.values(day)}
    assert ("awards.yaml", "suppress_below") not in keys
    assert not any(k.startswith(("deferral_criteria.", "non_engagement_criteria.")) for _, k in keys)
    assert ("revalidation.yaml", "cycle_years") in keys  # a number stays
    assert "privacy threshold" in catalogue.NOT_LISTED[("awards.yaml", "suppress_below")]


def _consultant(trust: Trust) -> User:
    return make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust, grade=Grade.CONSULTANT))


def test_awards_a_trust_that_applies_two_levels_refuses_an_application_at_n3(
    trust: Trust, other_trust: Trust, lead: User
) -> None:
    change(lead, trust, "awards.yaml", "levels", ["N1", "N2"], day=dt.date(2026, 1, 1))
    ours = _consultant(trust)
    with pytest.raises(ValidationError, match="Choose N1 or N2"):
        award_services.start(actor=ours, person=ours.person, round_year=2027, level="N3")
    theirs = _consultant(other_trust)
    assert award_services.start(actor=theirs, person=theirs.person, round_year=2027, level="N3").level == "N3"


def test_awards_an_award_lasts_the_years_the_trust_confirmed_for_its_round(
    trust: Trust, other_trust: Trust, lead: User
) -> None:
    change(lead, trust, "awards.yaml", "award_years", 3, day=dt.date(2027, 1, 1))
    # the 2027 round opened on 1 April 2027, after the confirmation: 3 years; the 2026 round opened before it: 5
    assert award_services.award_years(trust, 2027) == 3
    assert award_services.award_years(trust, 2026) == 5
    assert award_services.award_years(other_trust, 2027) == 5


def test_awards_a_round_opens_on_the_day_the_trust_confirmed(trust: Trust, other_trust: Trust, lead: User) -> None:
    """The guidance: "The 2025 awards will open on 1 April 2025". A trust whose rounds open on 1 May from 2027
    judges its 2027 round on 1 May 2027; the 2026 round and another trust's keep 1 April."""
    change(lead, trust, "awards.yaml", "round_opens.month", 5, day=dt.date(2027, 1, 1))
    assert award_services.round_day(trust, 2027) == dt.date(2027, 5, 1)
    assert award_services.round_day(trust, 2026) == dt.date(2026, 4, 1)
    assert award_services.round_day(other_trust, 2027) == dt.date(2027, 4, 1)
    assert award_services.round_day(trust, 2024) == dt.date(2024, 4, 1)  # before the guidance's date: the file's


def test_revalidation_the_appraisal_year_starts_on_the_day_the_trust_confirmed(
    trust: Trust, other_trust: Trust, lead: User
) -> None:
    """Nationally the appraisal year runs 1 April to 31 March; a trust whose year starts on 1 January from 2027
    puts 15 February 2027 in the 2027 year, not the 2026 one."""
    change(lead, trust, "revalidation.yaml", "appraisal_year_starts", [1, 1], day=dt.date(2027, 1, 1))
    assert revalidation_appraisal_year(trust, dt.date(2027, 2, 15)) == 2027
    assert revalidation_appraisal_year(other_trust, dt.date(2027, 2, 15)) == 2026
    assert revalidation_appraisal_year(trust, dt.date(2026, 2, 15)) == 2025  # before the confirmation: 1 April
