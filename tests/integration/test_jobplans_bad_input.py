"""Job plans' actions and filters take a bad value (not a number, not finite, not a choice) as a form error, a
redirect with a message or the page's default, never a server error, and change nothing; a valid post still works
(issue 28)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from medlead.accounts.models import Role
from medlead.core.actors import SystemActor
from medlead.jobplans import services
from medlead.jobplans.models import Activity, JobPlan
from medlead.organisation.models import Grade, Person, Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, SpecialtyFactory, make_clinical_director, make_user

pytestmark = pytest.mark.django_db
BAD = ["abc", "NaN", "1e999999", "inf", "-1", "99999999999999999999", ""]


@pytest.fixture
def consultant(trust: Trust) -> Person:
    return PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=SpecialtyFactory(trust=trust))


def test_removing_an_activity_or_moving_a_plan_with_bad_values_changes_nothing(
    trust: Trust, consultant: Person
) -> None:
    cd = make_clinical_director(trust, consultant.specialty)
    plan = services.plan_create(actor=cd, person=consultant, year=2026)
    services.activity_add(
        actor=cd,
        plan=plan,
        version=plan.version,
        category="dcc",
        title="Clinic",
        frequency="weekly",
        weekday=0,
        start=dt.time(9),
        end=dt.time(13),
    )
    plan.refresh_from_db()
    activity = Activity.objects.get()
    client = client_for(cd)
    base = f"/t/{trust.code}/job-plans/"
    for value in BAD:
        assert client.post(f"{base}activities/{activity.pk}/delete/", {"version": value}).status_code == 302
        for data in ({"to": "discussion", "version": value}, {"to": value, "version": plan.version}):
            assert client.post(f"{base}{plan.pk}/transition/", data).status_code == 302
        assert (
            client.post(f"{base}{plan.pk}/activities/new/", {"version": value, "annual_hours": value}).status_code
            == 200
        )
    for value in ["abc", "NaN", "1e999999", "inf", "99999999999999999999"]:
        for field in ("contracted_pas", "version", "on_call_every_n"):
            data = {"version": plan.version, "contracted_pas": "10", "objectives": "Mine"} | {field: value}
            response = client.post(f"{base}{plan.pk}/edit/", data)
            assert response.status_code == 200 and b"nhsuk-error-summary" in response.content, (field, value)
            assert b"Mine" in response.content  # what the user typed is not lost
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert JobPlan.objects.get(pk=plan.pk).objectives == ""
    assert JobPlan.objects.get(pk=plan.pk).state == "draft"
    response = client.post(f"{base}activities/{activity.pk}/delete/", {"version": plan.version}, follow=True)
    assert "out of date" not in response.content.decode()
    assert not Activity.objects.exists()


def test_the_dashboard_reads_its_filters_through_a_form(trust: Trust, consultant: Person) -> None:
    md = client_for(make_user((Role.MEDICAL_DIRECTOR, trust)))
    for name in ("year", "state", "specialty", "waiting", "page"):
        for value in BAD:
            assert md.get(f"/t/{trust.code}/job-plans/", {name: value}).status_code == 200, (name, value)
    services.plan_create(actor=SystemActor("test set-up"), person=consultant, year=2026)
    page = md.get(f"/t/{trust.code}/job-plans/", {"year": "2026", "specialty": consultant.specialty_id}).content
    assert b"1 plan" in page


def test_negative_contracted_pas_are_a_form_error_and_change_nothing(trust: Trust, consultant: Person) -> None:
    """A contract cannot be for fewer than no programmed activities: -1 (or more than 20) is an error on the form,
    the plan keeps its contract, and 0 to 20 are saved."""
    cd = make_clinical_director(trust, consultant.specialty)
    plan = services.plan_create(actor=cd, person=consultant, year=2026)
    client = client_for(cd)
    url = f"/t/{trust.code}/job-plans/{plan.pk}/edit/"
    for value, message in (("-1", "cannot be less than 0"), ("-0.5", "cannot be less than 0"), ("21", "more than 20")):
        plan.refresh_from_db()
        response = client.post(url, {"version": plan.version, "contracted_pas": value, "objectives": "Mine"})
        assert response.status_code == 200 and b"nhsuk-error-summary" in response.content, value
        assert message in response.content.decode()
        plan.refresh_from_db()
        assert plan.contracted_pas == 10
    response = client.post(url, {"version": plan.version, "contracted_pas": "7.5", "objectives": "Mine"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert str(plan.contracted_pas) == "7.50"


def test_the_service_refuses_negative_contracted_pas(trust: Trust, consultant: Person) -> None:
    cd = make_clinical_director(trust, consultant.specialty)
    plan = services.plan_create(actor=cd, person=consultant, year=2026)
    with pytest.raises(ValidationError):
        services.plan_update(actor=cd, plan=plan, version=plan.version, contracted_pas=-1)
