"""Revalidation's actions take a bad value (an id that is not a number, a number that is not finite) as a form
error or a 400, never a server error, and change nothing; a valid post still works (issue 28)."""

from __future__ import annotations

import datetime as dt

import pytest

from medlead.accounts.models import Role
from medlead.organisation.models import Grade, Person, Trust
from medlead.revalidation.models import Appraisal, AppraisalStatus, Appraiser, Connection
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db
BAD = ["abc", "NaN", "1e999999", "-1", "99999999999999999999", ""]


@pytest.fixture
def doctor(trust: Trust) -> Person:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, gmc_number="1234567")
    Connection.objects.create(
        trust=trust, person=person, connected_on=dt.date(2020, 1, 1), submission_date=dt.date(2027, 1, 15)
    )
    return person


def test_allocating_an_appraiser_refuses_ids_that_are_not_this_trusts_people(trust: Trust, doctor: Person) -> None:
    appraiser = PersonFactory(trust=trust)
    Appraiser.objects.create(trust=trust, person=appraiser, trained_on=dt.date(2020, 1, 1))
    client = client_for(make_user((Role.RESPONSIBLE_OFFICER, trust)))
    url = f"/t/{trust.code}/revalidation/appraisers/allocate/"
    valid = {"doctor": doctor.pk, "appraiser": appraiser.pk, "year": 2026}
    for field in ("doctor", "appraiser", "year"):
        for value in BAD:
            response = client.post(url, valid | {field: value})
            assert response.status_code < 500, (field, value)
    elsewhere = PersonFactory()  # another trust's person
    assert client.post(url, valid | {"appraiser": elsewhere.pk}).status_code < 500
    assert not Appraisal.objects.exists()
    for value in BAD:
        assert client.get(f"/t/{trust.code}/revalidation/appraisers/?doctor={value}").status_code == 200
    assert client.post(url, valid).status_code == 302
    assert Appraisal.objects.get().appraiser == appraiser


def test_each_appraisal_action_takes_bad_values_as_form_errors(trust: Trust, doctor: Person) -> None:
    appraiser = PersonFactory(trust=trust)
    a = Appraisal.objects.create(trust=trust, person=doctor, year=2026, appraiser=appraiser)
    url = f"/t/{trust.code}/appraisals/{a.pk}/"
    own = client_for(make_user((Role.DOCTOR, trust), person=doctor))
    for value in BAD[:-1]:  # (an empty choice is no feedback attached: valid)
        response = own.post(url + "inputs/", {"colleague_feedback": value, "achievements": "kept"})
        assert response.status_code == 200 and b"nhsuk-error-summary" in response.content, value
        assert b"kept" in response.content  # what the user typed is not lost
        assert own.post(url + "supporting-information/", {"kind": value, "title": "t"}).status_code == 200
    ro = client_for(make_user((Role.RESPONSIBLE_OFFICER, trust)))
    for value in BAD:
        assert ro.post(url + "status/", {"status": value, "meeting_date": value}).status_code < 500
        assert ro.post(url + "missed/", {"approved": value}).status_code == 302
    a.refresh_from_db()
    assert (a.achievements, a.status, a.missed_approved) == ("", AppraisalStatus.NOT_STARTED, None)
    assert not a.supporting_info.exists()
    assert own.post(url + "inputs/", {"achievements": "A good year"}).status_code == 302
    assert Appraisal.objects.get(pk=a.pk).achievements == "A good year"
    Appraisal.objects.filter(pk=a.pk).update(status=AppraisalStatus.MISSED, missed_reason="Illness")
    ro.get(url)  # the refusals above are shown once, on the next page: read them before the good post
    done = ro.post(url + "missed/confirm/", {"approved": "yes"}, follow=True).content.decode()
    assert "error" not in done, done
    assert Appraisal.objects.get(pk=a.pk).missed_approved is True


def test_the_report_reads_its_year_through_a_form_and_has_a_pdf_address(trust: Trust) -> None:
    ro = client_for(make_user((Role.RESPONSIBLE_OFFICER, trust)))
    for value in BAD:
        assert ro.get(f"/t/{trust.code}/revalidation/report/?year={value}").status_code == 200
    assert ro.get(f"/t/{trust.code}/revalidation/report/pdf/?year=abc").content.startswith(b"%PDF")
