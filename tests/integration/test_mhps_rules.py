"""MHPS rules put right (issue 30, items 2 and 3), each case worked out by hand from the rule's words.

- An exclusion's length on the board's figures counts from its first day, across all its periods (immediate and
  each renewed 4-week formal period), not from the start of the current period; a lifted exclusion ends it.
- The investigation's timetable (MHPS Part I as data/mhps.yaml gives it, for the trust to confirm): complete within
  4 weeks of the case investigator's appointment, the report to the case manager within a further 5 days, the
  doctor's comments on its factual content within 10 days of receiving it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from medlead.accounts.models import Role, User
from medlead.concerns import services
from medlead.concerns.models import Case, Measure
from medlead.concerns.selectors import board_counts, excluded_since
from medlead.organisation.models import Grade, Trust
from tests.conftest import client_for
from tests.factories import HoldingFactory, PersonFactory, PostFactory, make_user, post_type

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def md(trust: Trust) -> User:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    HoldingFactory(post=PostFactory(trust=trust, post_type=post_type("medical_director")), person=person)
    return make_user((Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), person=person)


def open_case(md: User, trust: Trust, raised_on: dt.date, today: dt.date) -> Case:
    assert md.person is not None
    return services.case_open(
        actor=md,
        doctor=PersonFactory(trust=trust, grade=Grade.CONSULTANT),
        raised_by="Clinical director",
        raised_on=raised_on,
        categories=["conduct"],
        source="colleague",
        summary="x",
        case_manager=md.person,
        today=today,
    )


def excluded(md: User, case: Case, periods: list[tuple[str, dt.date, dt.date, str | None]], today: dt.date) -> None:
    """Each period (kind, starts on, review by, outcome of its review or None while it runs), through the services,
    with Practitioner Performance Advice consulted on the day before each formal period."""
    for kind, start, review_by, outcome in periods:
        if kind == "formal":
            services.advice_add(
                actor=md,
                case=case,
                contacted_on=start - dt.timedelta(days=1),
                adviser="PPA",
                summary="x",
                today=today,
            )
        m = services.measure_add(actor=md, case=case, kind=kind, starts_on=start, review_by=review_by)
        if outcome:
            services.measure_review(actor=md, measure=m, reviewed_on=review_by, outcome=outcome, today=today)


def test_an_exclusion_on_the_boards_figures_counts_from_its_first_day_not_the_current_period(
    trust: Trust, md: User
) -> None:
    today = D(2026, 7, 15)
    # Excluded since 1 January 2026 in 4-week formal periods, each renewed: the periods start on 1 January,
    # 29 January, 26 February, 26 March, 23 April, 21 May and 18 June (the seventh, under review by 16 July). On
    # 15 July the exclusion has lasted 31 + 28 + 31 + 30 + 31 + 30 + 14 = 195 days (the current period: 27).
    long = open_case(md, trust, D(2025, 12, 20), today)
    starts = [D(2026, 1, 1), D(2026, 1, 29), D(2026, 2, 26), D(2026, 3, 26), D(2026, 4, 23), D(2026, 5, 21)]
    excluded(md, long, [("formal", s, s + dt.timedelta(days=28), "renewed") for s in starts], today)
    excluded(md, long, [("formal", D(2026, 6, 18), D(2026, 7, 16), None)], today)
    # Immediately excluded on 20 June for 2 weeks, renewed on review as a formal exclusion from 4 July: 25 days.
    moved = open_case(md, trust, D(2026, 6, 19), today)
    excluded(
        md,
        moved,
        [("immediate", D(2026, 6, 20), D(2026, 7, 4), "renewed"), ("formal", D(2026, 7, 4), D(2026, 8, 1), None)],
        today,
    )
    # Excluded in February and the exclusion lifted; excluded again from 1 July: 14 days, not since February.
    again = open_case(md, trust, D(2026, 1, 10), today)
    excluded(
        md,
        again,
        [("formal", D(2026, 2, 1), D(2026, 2, 20), "lifted"), ("formal", D(2026, 7, 1), D(2026, 7, 29), None)],
        today,
    )
    # A restriction is not an exclusion; a case with only a lifted exclusion has nobody excluded now.
    other = open_case(md, trust, D(2026, 3, 1), today)
    excluded(md, other, [("restriction", D(2026, 3, 2), D(2026, 3, 30), None)], today)
    over = open_case(md, trust, D(2026, 3, 1), today)
    excluded(md, over, [("immediate", D(2026, 3, 2), D(2026, 3, 16), "lifted")], today)

    def since(case: Case) -> dt.date | None:
        return excluded_since(Measure.objects.filter(case=case))

    assert [since(c) for c in (long, moved, again, other, over)] == [
        D(2026, 1, 1),
        D(2026, 6, 20),
        D(2026, 7, 1),
        None,
        None,
    ]
    counts = board_counts(trust=trust, today=today)
    assert counts["excluded"] == 3
    assert counts["longest_exclusion_days"] == 195


def test_the_investigation_timetable_counts_from_the_case_investigators_appointment(trust: Trust, md: User) -> None:
    # The case investigator is appointed on Monday 2 March 2026 and the investigation recorded as starting a week
    # later, on 9 March. Complete within 4 weeks of the appointment: by 30 March. The report to the case manager
    # within a further 5 days: by 4 April (counted from the start, 33 days would have given 11 April).
    case = open_case(md, trust, D(2026, 2, 20), D(2026, 3, 2))
    investigator = PersonFactory(trust=trust)
    services.role_appoint(actor=md, case=case, person=investigator, role="case_investigator", today=D(2026, 3, 2))
    inv = services.investigation_start(
        actor=md, case=case, terms_of_reference="Whether x.", started_on=D(2026, 3, 9), today=D(2026, 3, 9)
    )
    assert inv.report_due == D(2026, 4, 4)

    page = client_for(md).get(f"/t/{trust.code}/concerns/{case.pk}/").content.decode()
    assert "2 March 2026" in page and "30 March 2026" in page and "4 April 2026" in page
    assert "10 days from the day the doctor receives the report" in page
    assert "This timetable is the national default; your trust has not confirmed it yet." in page
    assert "Maintaining High Professional Standards in the modern NHS" in page
    assert "not verified" not in page.lower()

    # The report reaches the case manager on 3 April and the doctor on 6 April: their comments by 16 April.
    with pytest.raises(ValidationError, match="once the case manager has it"):
        services.investigation_update(
            actor=md, case=case, data={"report_to_doctor_on": D(2026, 4, 6)}, today=D(2026, 4, 6)
        )
    services.investigation_update(
        actor=md,
        case=case,
        data={"report": "Findings.", "report_received_on": D(2026, 4, 3), "report_to_doctor_on": D(2026, 4, 6)},
        today=D(2026, 4, 6),
    )
    page = client_for(md).get(f"/t/{trust.code}/concerns/{case.pk}/").content.decode()
    assert "16 April 2026 (10 days from 6 April 2026, when the doctor received the report)" in page
