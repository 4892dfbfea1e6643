"""An issued board report shows the figures as they stood on its data date, the day it was issued (issue 30, item 8):
the values dated on or before that day, and the concerns open that day; a draft shows today's figures."""

from __future__ import annotations

import datetime as dt

import pytest

from medlead.accounts.models import Role, User
from medlead.concerns import services as concerns
from medlead.governance import selectors, services
from medlead.governance.models import BoardReport
from medlead.organisation.models import Grade, Trust
from tests.factories import HoldingFactory, PersonFactory, PostFactory, make_user, post_type

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def md(trust: Trust) -> User:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    HoldingFactory(post=PostFactory(trust=trust, post_type=post_type("medical_director")), person=person)
    return make_user((Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), person=person)


def case_raised(md: User, trust: Trust, on: dt.date) -> None:
    assert md.person is not None
    concerns.case_open(
        actor=md,
        doctor=PersonFactory(trust=trust, grade=Grade.CONSULTANT),
        raised_by="x",
        raised_on=on,
        categories=["conduct"],
        source="colleague",
        summary="x",
        case_manager=md.person,
        today=D(2026, 12, 15),
    )


def test_a_report_issued_on_8_october_shows_no_november_or_december_figures(md: User, trust: Trust) -> None:
    metric = services.metric_create(
        actor=md,
        trust=trust,
        code="shmi",
        name="SHMI",
        definition="Deaths against expected.",
        direction="down",
        section="quality_safety",
    )
    monthly = {7: 1.02, 8: 1.01, 9: 1.03, 10: 1.00, 11: 0.70, 12: 0.72}
    for month, value in monthly.items():
        services.value_record(actor=md, metric=metric, on=D(2026, month, 1), value=value)
    case_raised(md, trust, D(2026, 9, 1))
    case_raised(md, trust, D(2026, 11, 2))  # after the data date: not on the October report

    meeting = services.meeting_create(actor=md, trust=trust, body="trust_board", on=D(2026, 10, 15))
    report = services.report_start(actor=md, meeting=meeting)
    for code in services.section_names():
        report = services.narrative_set(actor=md, report=report, section=code, text=f"About {code}.")
    # the report is issued on 8 October, after every value was recorded (the later ones read from a later extract)
    report = services.report_issue(actor=md, report=report, today=D(2026, 10, 8))

    issued = {
        s.code: s
        for s in selectors.report_sections(report=BoardReport.objects.get(pk=report.pk), today=D(2026, 12, 15))
    }
    points = issued["quality_safety"].metrics[0]["chart"]["points"]
    assert [(p["date"], p["value"]) for p in points] == [
        ("2026-07-01", 1.02),
        ("2026-08-01", 1.01),
        ("2026-09-01", 1.03),
        ("2026-10-01", 1.00),
    ]
    # mean of the four: 4.06 / 4 = 1.015
    assert points[0]["mean"] == pytest.approx(1.015)
    assert issued["concerns"].concerns is not None and issued["concerns"].concerns["open"] == 1

    # a draft for the next meeting shows the figures as they stand on 15 December: all six months, both cases
    later = services.report_start(
        actor=md, meeting=services.meeting_create(actor=md, trust=trust, body="trust_board", on=D(2026, 12, 17))
    )
    draft = {s.code: s for s in selectors.report_sections(report=later, today=D(2026, 12, 15))}
    assert [p["value"] for p in draft["quality_safety"].metrics[0]["chart"]["points"]] == list(monthly.values())
    assert draft["concerns"].concerns is not None and draft["concerns"].concerns["open"] == 2
