"""The responsible officer's view of colleague and patient feedback (issue 33, item 2): per doctor and cycle, done
or not yet done, on the status page, the home page's "what needs you", the doctor's revalidation record and the RO's
annual report, whose figure is checked against a table counted by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medlead.accounts.models import Role
from medlead.core import dates
from medlead.feedback.models import ExerciseStatus
from medlead.feedback.views import status as status_view
from medlead.organisation.models import Trust
from medlead.revalidation.models import Connection, Recommendation
from medlead.revalidation.selectors import doctor_record, feedback_figure
from tests.conftest import client_for
from tests.factories import PersonFactory, feedback_exercise, make_user

pytestmark = pytest.mark.django_db


def released(doctor: Any, on: dt.date, *, patients: bool = True) -> Any:
    moment = dt.datetime(on.year, on.month, on.day, 12, tzinfo=dt.UTC)
    return feedback_exercise(
        doctor, PersonFactory(trust=doctor.trust), status=ExerciseStatus.RELEASED, patients=patients, released_at=moment
    )


def connect(trust: Trust, name: str, *, connected: dt.date, submission: dt.date, gone: dt.date | None = None) -> Any:
    person = PersonFactory(trust=trust, last_name=name)
    Connection.objects.create(
        trust=trust, person=person, connected_on=connected, submission_date=submission, disconnected_on=gone
    )
    return person


# The appraisal year 2025/26 ends on 31 March 2026. By hand, for each doctor: connected on that day? the cycle
# (five years up to the submission date, or from the last revalidation); the releases; what counts.
#
# | doctor | connected on 31/3/2026 | cycle                   | released                                   | C | P |
# | Adams  | yes                    | 1/6/2022 – 1/6/2027     | 10/1/2026 colleague and patient            | 1 | 1 |
# | Brown  | yes                    | 1/9/2023 – 1/9/2028     | 5/5/2025 colleague only (no patients)      | 1 | 0 |
# | Clark  | yes                    | 1/1/2022 – 1/1/2027     | 3/3/2021 both: before the cycle            | 0 | 0 |
# | Davis  | yes                    | revalidated 1/2/2024 –  | 1/10/2023 both: before the revalidation;   | 1 | 1 |
# |        |                        |   1/2/2029              | 1/3/2026 both                              |   |   |
# | Evans  | yes                    | 1/4/2021 – 1/4/2026     | 15/4/2026 both: after 31 March             | 0 | 0 |
# | Foster | no (left 1/1/2026)     |                         | 1/6/2025 both                              | – | – |
# Connected 5; colleague 3 (Adams, Brown, Davis); patient 2 (Adams, Davis); both 2; neither 2 (Clark, Evans).
EXPECTED = {"connected": 5, "colleague": 3, "patient": 2, "both": 2, "neither": 2}


@pytest.fixture
def doctors(trust: Trust) -> dict[str, Any]:
    adams = connect(trust, "Adams", connected=dt.date(2015, 1, 1), submission=dt.date(2027, 6, 1))
    released(adams, dt.date(2026, 1, 10))
    brown = connect(trust, "Brown", connected=dt.date(2023, 9, 1), submission=dt.date(2028, 9, 1))
    released(brown, dt.date(2025, 5, 5), patients=False)
    clark = connect(trust, "Clark", connected=dt.date(2010, 1, 1), submission=dt.date(2027, 1, 1))
    released(clark, dt.date(2021, 3, 3))
    davis = connect(trust, "Davis", connected=dt.date(2012, 1, 1), submission=dt.date(2029, 2, 1))
    conn = Connection.objects.get(person=davis)
    Recommendation.objects.create(
        trust=trust,
        connection=conn,
        person=davis,
        kind="revalidate",
        due_date=dt.date(2024, 2, 1),
        made_on=dt.date(2024, 2, 1),
        evidence="x",
    )
    released(davis, dt.date(2023, 10, 1))
    released(davis, dt.date(2026, 3, 1))
    evans = connect(trust, "Evans", connected=dt.date(2016, 1, 1), submission=dt.date(2026, 4, 1))
    released(evans, dt.date(2026, 4, 15))
    foster = connect(
        trust, "Foster", connected=dt.date(2016, 1, 1), submission=dt.date(2027, 1, 1), gone=dt.date(2026, 1, 1)
    )
    released(foster, dt.date(2025, 6, 1))
    return {"adams": adams, "brown": brown, "clark": clark, "davis": davis, "evans": evans}


def test_the_annual_report_figure_against_a_hand_counted_table(trust: Trust, doctors: dict[str, Any]) -> None:
    figure = feedback_figure(trust=trust, year=2025)
    assert {k: figure[k] for k in EXPECTED} == EXPECTED
    page = client_for(make_user((Role.RESPONSIBLE_OFFICER, trust))).get(
        f"/t/{trust.code}/revalidation/report/?year=2025"
    )
    text = page.content.decode()
    assert "Colleague and patient feedback" in text and "Of the 5 doctors with a prescribed connection" in text


def test_the_status_page_shows_done_and_not_yet_done(
    trust: Trust, doctors: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    ro = client_for(make_user((Role.RESPONSIBLE_OFFICER, trust)))
    ro.get(f"/t/{trust.code}/revalidation-feedback/doctors/")
    with django_assert_max_num_queries(16):
        page = ro.get(f"/t/{trust.code}/revalidation-feedback/doctors/").content.decode()
    assert "Done: released 10 January 2026, Test colleague questionnaire" in page
    assert "Not yet done" in page
    # not the content: no report address on the page
    assert "/report/" not in page
    # a doctor, and another trust's responsible officer, may not open it
    assert (
        client_for(make_user((Role.DOCTOR, trust), person=doctors["adams"]))
        .get(f"/t/{trust.code}/revalidation-feedback/doctors/")
        .status_code
        == 403
    )


def test_readiness_and_what_needs_you(trust: Trust, doctors: dict[str, Any]) -> None:
    today = dates.today()
    clark = doctor_record(person=doctors["clark"], today=today)
    assert any(g.startswith("Feedback from colleagues: none in this revalidation cycle") for g in clark["gaps"])
    adams = doctor_record(person=doctors["adams"], today=today)
    assert not any(g.startswith("Feedback from colleagues") for g in adams["gaps"])
    assert set(adams["feedback"]) == {"colleague_feedback", "patient_feedback"}
    home = client_for(make_user((Role.RESPONSIBLE_OFFICER, trust))).get(f"/t/{trust.code}/").content.decode()
    assert "colleague and patient feedback is not yet done" in home


def test_those_due_are_the_doctors_not_yet_done_whose_submission_falls_within_the_horizon(
    trust: Trust, doctors: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 6 December 2026, with the queue's horizon at 4 months (6 April 2027), by hand: Clark (submission 1 January
    2027, feedback before the cycle) is due; Adams (done), Evans (submission passed, feedback released since, in
    time for this view) and Brown and Davis (submissions beyond the horizon) are not."""
    monkeypatch.setattr(dates, "today", lambda: dt.date(2026, 12, 6))
    ro = client_for(make_user((Role.RESPONSIBLE_OFFICER, trust)))
    due = ro.get(f"/t/{trust.code}/revalidation-feedback/doctors/?show=due").content.decode()
    assert "Clark" in due
    assert not any(name in due for name in ("Adams", "Brown", "Davis", "Evans"))
    every = ro.get(f"/t/{trust.code}/revalidation-feedback/doctors/").content.decode()
    assert all(name in every for name in ("Adams", "Brown", "Clark", "Davis", "Evans"))


def test_every_connected_doctor_is_listed_by_name_a_page_at_a_time_and_found_by_a_search(
    trust: Trust, doctors: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five connected doctors (Adams, Brown, Clark, Davis, Evans), two to a page: three pages, in order of name, each
    in the same number of queries; a search for one name finds that doctor alone. By hand (the table above): on the
    first page Adams is done and Brown is not (no patient feedback); Clark's feedback is not done."""
    monkeypatch.setattr(status_view, "PER_PAGE", 2)
    ro = client_for(make_user((Role.RESPONSIBLE_OFFICER, trust)))
    url = f"/t/{trust.code}/revalidation-feedback/doctors/"
    ro.get(url)
    shown, queries = [], []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as read:
            page = ro.get(f"{url}?page={number}").content.decode()
        queries.append(len(read))
        shown.append([n for n in ("Adams", "Brown", "Clark", "Davis", "Evans") if n in page])
    assert shown == [["Adams", "Brown"], ["Clark", "Davis"], ["Evans"]]
    assert queries[0] == queries[1] == queries[2] <= 16
    first = ro.get(url).content.decode()
    assert "5 doctors, 1 to 2 shown; of those shown, 1 with feedback not yet done" in first
    found = ro.get(f"{url}?q=clark").content.decode()
    assert "Clark" in found and not any(n in found for n in ("Adams", "Brown", "Davis", "Evans"))
    assert "1 doctor matching “clark”, 1 with feedback not yet done" in found
    unreadable = ro.get(f"{url}?page=x").content.decode()  # a page it cannot read is the first (core.query)
    assert "Adams" in unreadable and "Clark" not in unreadable
