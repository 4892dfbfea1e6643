"""Issue 34, the information transfer between responsible officers, through its pages: the GMC link across trusts,
asking (checked, then confirmed), completing with medlead's facts filled in, a draft, sending (checked, then
confirmed; the doctor told by email), declining and withdrawing, the "what needs you" items, bad input on every form
(a form error or a 400, never a server error), and the lists' query counts as the transfers grow."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medlead.accounts.models import Role
from medlead.core.dates import today
from medlead.organisation.selectors import LinkedRecord, same_doctor_elsewhere
from medlead.revalidation.models import Appraisal, AppraisalStatus, Connection, Recommendation, RecommendationKind
from medlead.rulebook.selectors import value_for
from medlead.transfers import content, selectors
from medlead.transfers.models import InformationTransfer, Status
from tests.conftest import client_for
from tests.factories import (
    PersonFactory,
    RegionFactory,
    TrustFactory,
    information_transfer,
    make_user,
    moved_doctor,
)

pytestmark = pytest.mark.django_db

TODAY = today()


def text(response: Any) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def w() -> dict[str, Any]:
    region = RegionFactory()
    new = TrustFactory(name="Northbridge Test Trust", region=region)
    previous = TrustFactory(name="Eastmoor Test Trust", region=region)
    third = TrustFactory(name="Westvale Test Trust", region=region)
    before, doctor = moved_doctor(previous, new, email="", first_name="Amara", last_name="Okafor")
    doctor.email = "amara.okafor@example.org"
    doctor.save()
    return {
        "new": new,
        "previous": previous,
        "third": third,
        "before": before,
        "doctor": doctor,
        "ro": make_user((Role.RESPONSIBLE_OFFICER, new)),
        "ro2": make_user((Role.RESPONSIBLE_OFFICER, previous), first_name="Zoe", last_name="Ahmed"),
        "moved": make_user((Role.DOCTOR, new), person=doctor),
    }


def base(trust: Any) -> str:
    return f"/t/{trust.code}/information-transfers/"


# ------------------------------------------------------------------------------------------- the GMC link


def test_the_gmc_number_links_a_doctors_records_across_trusts_showing_only_the_trust_and_whether_active(
    w: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    PersonFactory(trust=w["third"], gmc_number=w["doctor"].gmc_number)  # still working at a third trust
    PersonFactory(trust=w["new"])  # someone else entirely
    with django_assert_max_num_queries(1):
        found = same_doctor_elsewhere(w["doctor"])
    assert found == [
        LinkedRecord(w["previous"].pk, w["previous"].code, "Eastmoor Test Trust", False),
        LinkedRecord(w["third"].pk, w["third"].code, "Westvale Test Trust", True),
    ]
    assert same_doctor_elsewhere(PersonFactory(trust=w["new"])) == []


# ------------------------------------------------------------------------------------------------- asking


def test_asking_shows_the_linked_trusts_is_checked_then_confirmed(w: dict[str, Any]) -> None:
    client = client_for(w["ro"])
    url = base(w["new"]) + "new/"
    assert "Which doctor has joined your trust?" in text(client.get(url))
    step_two = text(client.get(url, {"doctor": w["doctor"].gmc_number}))
    assert f"Eastmoor Test Trust ({w['previous'].code}): a record no longer active" in step_two
    assert (
        f'name="previous_trust" type="text" value="{w["previous"].code}"'
        in client.get(url, {"doctor": w["doctor"].gmc_number}).content.decode()
    )
    answers = {
        "doctor": w["doctor"].pk,
        "previous_trust": "eastmoor",  # typed: its name, or its ODS code
        "joined_on": (TODAY - dt.timedelta(days=10)).isoformat(),
        "note": "Consultant cardiologist",
    }
    check = client.post(url, answers)
    assert "Check your answers before you ask for the information transfer" in text(check)
    assert f'name="previous_trust" value="{w["previous"].pk}"' in check.content.decode()  # posted back by its id
    answers["previous_trust"] = w["previous"].code.lower()
    assert not InformationTransfer.objects.exists()
    done = client.post(url + "confirm/", answers)
    assert "Information transfer asked for" in text(done) and "What happens next" in text(done)
    made = InformationTransfer.objects.get()
    assert (made.trust, made.previous_trust, made.doctor, made.previous_person) == (
        w["new"],
        w["previous"],
        w["doctor"],
        w["before"],
    )
    assert (made.status, made.requested_by, made.requested_on, made.form) == (
        Status.REQUESTED,
        w["ro"],
        TODAY,
        content.in_force_on(TODAY).code,
    )
    # asked again while it waits: refused on the form
    again = client.post(url, answers)
    assert again.status_code == 200 and "still waiting" in text(again)


@pytest.mark.parametrize(
    ("change", "says"),
    [
        ({"joined_on": (TODAY + dt.timedelta(days=3)).isoformat()}, "Ask once the doctor has joined"),
        ({"previous_trust": "own"}, "No other trust on medlead matches"),
        ({"previous_trust": "abc"}, "No other trust on medlead matches 'abc'"),
        ({"previous_trust": "99999999"}, "No other trust on medlead matches"),
        ({"previous_trust": "Test Trust"}, "More than one trust matches 'Test Trust'"),
        ({"previous_trust": "x" * 100_000}, "too long for a trust's name"),
        ({"previous_trust": ""}, "Type the ODS code or name"),
        ({"doctor": "other"}, "Choose the doctor again"),
        ({"doctor": "abc"}, "Choose the doctor again"),
        ({"doctor": ""}, "Choose the doctor again"),
        ({"joined_on": "0000-00-00"}, "the day they joined"),
        ({"note": "x" * 100_000}, "2000"),
    ],
)
def test_a_bad_request_is_a_form_error(w: dict[str, Any], change: dict[str, str], says: str) -> None:
    answers = {
        "doctor": str(w["doctor"].pk),
        "previous_trust": str(w["previous"].pk),
        "joined_on": (TODAY - dt.timedelta(days=10)).isoformat(),
    }
    answers.update(change)
    if answers["previous_trust"] == "own":
        answers["previous_trust"] = str(w["new"].pk)
    if answers["doctor"] == "other":
        answers["doctor"] = str(w["before"].pk)  # the doctor's record in another trust
    client = client_for(w["ro"])
    for tail in ("new/", "new/confirm/"):
        response = client.post(base(w["new"]) + tail, answers)
        assert response.status_code == 200, (tail, response.status_code)
        assert says in text(response), (tail, text(response)[:500])
    assert not InformationTransfer.objects.exists()


def test_a_bad_doctor_in_the_address_is_an_error_on_the_first_step(w: dict[str, Any]) -> None:
    client = client_for(w["ro"])
    for value in ("abc", "9999999", "x" * 5000, "Nobody Here"):
        response = client.get(base(w["new"]) + "new/", {"doctor": value})
        assert response.status_code == 200 and "There is a problem" in text(response), value


def test_a_responsible_officer_cannot_ask_about_themselves(w: dict[str, Any]) -> None:
    _, own = moved_doctor(w["previous"], w["new"])
    ro = make_user((Role.RESPONSIBLE_OFFICER, w["new"]), person=own)
    answers = {"doctor": own.pk, "previous_trust": w["previous"].pk, "joined_on": TODAY.isoformat()}
    response = client_for(ro).post(base(w["new"]) + "new/", answers)
    assert "Choose the doctor again" in text(response)


# ------------------------------------------------------------------------------------ completing and sending


def _history(person: Any) -> None:
    """Eastmoor's records of the doctor, which the form offers filled in."""
    connection = Connection.objects.create(
        trust=person.trust,
        person=person,
        connected_on=dt.date(2019, 9, 1),
        disconnected_on=dt.date(2026, 8, 31),
        submission_date=dt.date(2029, 5, 14),
    )
    for year in (2023, 2024, 2025):
        Appraisal.objects.create(
            trust=person.trust,
            person=person,
            year=year,
            status=AppraisalStatus.SIGNED_OFF,
            meeting_date=dt.date(year, 6, 12),
            signed_off_on=dt.date(year, 6, 12),
        )
    Recommendation.objects.create(
        trust=person.trust,
        connection=connection,
        person=person,
        kind=RecommendationKind.REVALIDATE,
        due_date=dt.date(2024, 5, 14),
        made_on=dt.date(2024, 5, 14),
        evidence="x",
        submitted_on=dt.date(2024, 5, 14),
    )


FILLED = {
    "connected_from": "2019-09-01",
    "connected_until": "2026-08-31",
    "work": "Consultant cardiologist",
    "appraisals": "Every year signed off",
    "last_recommendation": "Revalidate, 14 May 2024",
    "engagement": "no",
    "patient_safety": "yes",
    "patient_safety_details": "A prescribing review, closed",
    "public_confidence": "no",
    "investigations": "no",
    "restrictions": "no",
    "open_matters": "no",
    "declaration": "on",
}


def test_medlead_fills_in_what_it_holds_in_the_previous_trust_for_the_responsible_officer_to_check(
    w: dict[str, Any],
) -> None:
    _history(w["before"])
    t = information_transfer(w["doctor"], w["previous"], w["ro"], requested_on=TODAY)
    assert selectors.facts_held(w["before"]) == {
        "connected_from": "2019-09-01",
        "connected_until": "2026-08-31",
        "revalidation_due_on": "2029-05-14",
        "last_appraisal_on": "2025-06-12",
        "appraisals": "2025/26: signed off (12 June 2025)\n2024/25: signed off (12 June 2024)\n"
        "2023/24: signed off (12 June 2023)",
        "last_recommendation": "Revalidate, made on 14 May 2024; submitted to the GMC on 14 May 2024.",
    }
    page = client_for(w["ro2"]).get(base(w["previous"]) + f"{t.pk}/complete/").content.decode()
    assert 'name="connected_from[year]" type="text" value="2019"' in page
    assert "2024/25: signed off (12 June 2024)" in page
    assert "Some answers are filled in from what medlead holds" in page
    assert "to be confirmed by the trust" in page  # the form's sections are medlead's reading of it


def test_a_draft_is_saved_then_the_form_is_checked_sent_and_the_doctor_told(
    w: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    t = information_transfer(w["doctor"], w["previous"], w["ro"], requested_on=TODAY)
    client = client_for(w["ro2"])
    url = base(w["previous"]) + f"{t.pk}/complete/"
    saved = client.post(url + "save/", {"work": "Consultant cardiologist", "engagement": "no"}, follow=True)
    assert "saved as a draft" in text(saved)
    t.refresh_from_db()
    assert t.answers == {"work": "Consultant cardiologist", "engagement": "no"} and t.waiting
    assert "Consultant cardiologist</textarea>" in client.get(url).content.decode()
    check = client.post(url, FILLED)
    assert "Check your answers before you send the information transfer" in text(check)
    assert "Yes: A prescribing review, closed" in text(check)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url + "send/", FILLED)
    assert "Information transfer sent" in text(done)
    assert "can now read it; nobody else can, you included" in text(done)
    t.refresh_from_db()
    assert (t.status, t.sent_by, t.sent_on, t.closed_on) == (Status.SENT, w["ro2"], TODAY, TODAY)
    assert t.answers["patient_safety_details"] == "A prescribing review, closed"
    told = [m for m in mail.outbox if m.to == ["amara.okafor@example.org"]]
    assert len(told) == 1 and "Northbridge Test Trust" in told[0].body
    assert "prescribing" not in told[0].body  # never what it says
    # the form is closed to its sender now: its page says only that it was sent
    assert client.get(url).status_code == 302
    page = text(client.get(base(w["previous"]) + f"{t.pk}/"))
    assert "You sent it on" in page and "A prescribing review" not in page


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"work": ""}, "work", "Enter the work the doctor did for your organisation."),
        ({"patient_safety_details": ""}, "patient_safety_details", "You answered yes: give the details."),
        ({"connected_until": "2019-01-01"}, "connected_until", "on or after the day it began"),
        ({"connected_from": (TODAY + dt.timedelta(days=9)).isoformat()}, "connected_from", "not in the future"),
        ({"engagement": "maybe"}, "engagement", "Answer yes or no."),
        ({"declaration": ""}, "declaration", "Confirm the declaration"),
        ({"connected_from": "0000-00-00"}, "connected_from", ""),
        ({"work": "x" * 100_000}, "work", "5000"),
    ],
)
def test_a_bad_answer_is_a_form_error_and_nothing_is_sent(
    w: dict[str, Any], change: dict[str, str], field: str, says: str
) -> None:
    t = information_transfer(w["doctor"], w["previous"], w["ro"], requested_on=TODAY)
    client = client_for(w["ro2"])
    answers = {**FILLED, **change}
    answers = {k: v for k, v in answers.items() if v != ""}
    for tail in ("complete/", "complete/send/"):
        response = client.post(base(w["previous"]) + f"{t.pk}/{tail}", answers)
        assert response.status_code == 200, tail
        shown = text(response)
        assert "There is a problem" in shown and says in shown, (tail, says)
    t.refresh_from_db()
    assert t.waiting and t.sent_on is None


def test_a_draft_with_a_bad_date_is_refused_and_nothing_saved(w: dict[str, Any]) -> None:
    t = information_transfer(w["doctor"], w["previous"], w["ro"], requested_on=TODAY)
    response = client_for(w["ro2"]).post(
        base(w["previous"]) + f"{t.pk}/complete/save/", {"connected_from": "abc", "work": "y" * 6000}
    )
    assert response.status_code == 200 and "There is a problem" in text(response)
    t.refresh_from_db()
    assert t.answers == {}


# ---------------------------------------------------------------------------------- declining and withdrawing


def test_the_previous_responsible_officer_says_the_doctor_was_not_connected_checked_and_confirmed(
    w: dict[str, Any],
) -> None:
    t = information_transfer(w["doctor"], w["previous"], w["ro"], requested_on=TODAY, answers={"work": "draft"})
    client = client_for(w["ro2"])
    url = base(w["previous"]) + f"{t.pk}/not-connected/"
    assert client.post(url, {"reason": ""}).status_code == 200  # the form again, with its error
    check = client.post(url, {"reason": "Connected to Westvale"})
    assert "Check your answers before you say the doctor was not connected to you" in text(check)
    done = client.post(url + "confirm/", {"reason": "Connected to Westvale"})
    assert "Request declined" in text(done)
    t.refresh_from_db()
    assert (t.status, t.reason, t.answers, t.closed_on) == (Status.NOT_CONNECTED, "Connected to Westvale", {}, TODAY)
    assert "Connected to Westvale" in text(client_for(w["ro"]).get(base(w["new"]) + f"{t.pk}/"))
    assert "Connected to Westvale" not in text(client_for(w["moved"]).get(base(w["new"]) + f"{t.pk}/"))


def test_the_asking_responsible_officer_withdraws_a_waiting_request_checked_and_confirmed(w: dict[str, Any]) -> None:
    t = information_transfer(w["doctor"], w["previous"], w["ro"], requested_on=TODAY)
    client = client_for(w["ro"])
    url = base(w["new"]) + f"{t.pk}/withdraw/"
    bad = client.post(url + "confirm/", {"reason": ""})
    assert bad.status_code == 200 and "Give the reason." in text(bad)
    assert "Check your answers before you withdraw the request" in text(client.post(url, {"reason": "Wrong trust"}))
    assert "Request withdrawn" in text(client.post(url + "confirm/", {"reason": "Wrong trust"}))
    t.refresh_from_db()
    assert (t.status, t.closed_on) == (Status.WITHDRAWN, TODAY)
    assert client.get(url).status_code == 302  # nothing left to withdraw: to its page


# ------------------------------------------------------------------------------------------ what needs you


def home(user: Any, trust: Any) -> str:
    return text(client_for(user).get(f"/t/{trust.code}/"))


def test_what_needs_each_party(w: dict[str, Any]) -> None:
    t = information_transfer(w["doctor"], w["previous"], w["ro"], requested_on=TODAY - dt.timedelta(days=40))
    assert "1 information transfer another trust asked you for, to complete" in home(w["ro2"], w["previous"])
    assert "1 request for an information transfer waiting more than 28 days" in home(w["ro"], w["new"])
    assert "Your information transfer between responsible officers: see what happened" in home(w["moved"], w["new"])
    InformationTransfer.objects.filter(pk=t.pk).update(status=Status.SENT, sent_on=TODAY, closed_on=TODAY)
    assert "asked you for, to complete" not in home(w["ro2"], w["previous"])
    assert "1 information transfer sent to you, not yet read" in home(w["ro"], w["new"])
    client_for(w["ro"]).get(base(w["new"]) + f"{t.pk}/")  # read
    assert "not yet read" not in home(w["ro"], w["new"])
    # four weeks after it was sent, it leaves the doctor's home page (their own page keeps it)
    InformationTransfer.objects.filter(pk=t.pk).update(closed_on=TODAY - dt.timedelta(days=29))
    assert "see what happened" not in home(w["moved"], w["new"])


def test_a_doctor_who_moved_in_and_whose_transfer_nobody_asked_for_is_on_the_responsible_officers_list(
    w: dict[str, Any],
) -> None:
    assert "1 doctor who moved here from another trust on medlead" in home(w["ro"], w["new"])
    page = client_for(w["ro"]).get(base(w["new"]) + "to-ask/")
    assert f"?doctor={w['doctor'].gmc_number}" in page.content.decode()
    information_transfer(w["doctor"], w["previous"], w["ro"])
    assert "moved here from another trust" not in home(w["ro"], w["new"])


def test_the_expected_wait_is_the_trusts_to_confirm(w: dict[str, Any]) -> None:
    value = selectors.expected_days(trust=w["new"], day=TODAY)
    assert value == 28
    found = value_for(w["new"], content.FILE, content.EXPECTED_DAYS, TODAY)
    assert found.awaiting and not found.verified


# --------------------------------------------------------------------------------------------- query counts


def _queries(client: Any, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as q:
        assert client.get(url).status_code == 200
    return len(q)


def test_the_lists_cost_the_same_queries_however_many_transfers(w: dict[str, Any]) -> None:
    ro, ro2 = client_for(w["ro"]), client_for(w["ro2"])
    for _ in range(2):  # two of each, so that a task's page lists them (one opens the record itself)
        information_transfer(w["doctor"], w["previous"], w["ro"], requested_on=TODAY - dt.timedelta(days=60))
        moved_doctor(w["previous"], w["new"])
    pages = [
        (ro, base(w["new"])),
        (ro2, base(w["previous"])),
        (ro2, base(w["previous"]) + "to-complete/"),
        (ro, base(w["new"]) + "waiting/"),
        (ro, base(w["new"]) + "to-ask/"),
        (client_for(w["moved"]), base(w["new"]) + "yours/"),
    ]
    before = [_queries(c, u) for c, u in pages]
    for _ in range(6):
        _, doctor = moved_doctor(w["previous"], w["new"])
        information_transfer(doctor, w["previous"], w["ro"], requested_on=TODAY - dt.timedelta(days=60))
        information_transfer(w["doctor"], w["previous"], w["ro"], requested_on=TODAY - dt.timedelta(days=50))
        moved_doctor(w["previous"], w["new"])  # one more to ask about
    after = [_queries(c, u) for c, u in pages]
    assert after == before
    assert max(after) <= 20


def test_the_record_page_and_the_form_cost_a_fixed_number_of_queries(
    w: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    _history(w["before"])
    t = information_transfer(w["doctor"], w["previous"], w["ro"], requested_on=TODAY)
    ro2 = client_for(w["ro2"])
    with django_assert_max_num_queries(20):
        assert ro2.get(base(w["previous"]) + f"{t.pk}/complete/").status_code == 200
    with django_assert_max_num_queries(15):
        assert ro2.get(base(w["previous"]) + f"{t.pk}/").status_code == 200
