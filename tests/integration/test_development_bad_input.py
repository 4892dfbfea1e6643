"""Bad input to every action of the development pages (a non-numeric id, an id from elsewhere, a non-finite
number) is a form error or a 400, never a server error, and changes nothing; a valid post still works."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from medlead.accounts.models import Role, User
from medlead.core import dates
from medlead.development import services
from medlead.development.models import (
    Action,
    CareerPlan,
    DevelopmentPlan,
    Goal,
    Interest,
    Mentor,
    MentoringMeeting,
    Mentorship,
    OpeningKind,
    OpeningStatus,
    PlanReview,
    ReadinessShare,
)
from medlead.organisation.models import Grade, Person, Trust
from medlead.structure.models import PostType
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db
TODAY = dates.today()
NOT_IDS = ["abc", "1e999999", "-1", "99999999999999999999", "NaN", ""]


@pytest.fixture
def doctor(trust: Trust) -> tuple[User, Person]:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, email="doc@example.org")
    return make_user((Role.DOCTOR, trust), username="doc", person=person), person


def posts(client: Client, url: str, cases: list[dict[str, Any]]) -> None:
    for data in cases:
        status = client.post(url, data).status_code
        assert status < 500, (url, data, status)


def test_each_action_on_a_plan_refuses_bad_ids_and_changes_nothing(doctor: Any, trust: Trust) -> None:
    user, person = doctor
    plan = services.plan_start(
        actor=user, person=person, target_role=None, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=365)
    )
    goal = services.goal_add(actor=user, plan=plan, text="Chair a committee")
    action = services.action_add(actor=user, goal=goal, text="Ask to chair", due_on=None, opportunity=None)
    # a goal and an action of someone else's plan are not choices here
    other = PersonFactory(trust=trust)
    other_plan = services.plan_start(
        actor=make_user((Role.DOCTOR, trust), person=other),
        person=other,
        target_role=None,
        starts_on=TODAY,
        ends_on=TODAY + dt.timedelta(days=365),
    )
    foreign_goal = Goal.objects.create(plan=other_plan, text="Theirs")
    foreign_action = Action.objects.create(goal=foreign_goal, text="Theirs")
    client = client_for(user)
    base = f"/t/{trust.code}/development/plans/{plan.pk}/"
    posts(client, base + "goals/add/", [{"text": "A goal", "item": v} for v in NOT_IDS if v])
    posts(
        client,
        base + "actions/add/",
        [{"goal": v, "text": "An action"} for v in [*NOT_IDS, str(foreign_goal.pk)]]
        + [
            {"goal": goal.pk, "text": "An action", "due_on": "abc"},
            {"goal": goal.pk, "text": "x", "opportunity": "abc"},
        ],
    )
    posts(
        client,
        base + "actions/status/",
        [{"action": v, "status": "done"} for v in [*NOT_IDS, str(foreign_action.pk)]]
        + [{"action": action.pk, "status": "abc"}],
    )
    posts(client, base + "request-agreement/", [{"agreer": v} for v in NOT_IDS])
    posts(client, base + "reviews/add/", [{"notes": ""}, {"notes": "x" * 6000}])
    assert list(plan.goals.all()) == [goal] and list(Action.objects.filter(goal=goal)) == [action]
    assert Action.objects.get(pk=action.pk).status == "not_started"
    assert Action.objects.get(pk=foreign_action.pk).status == "not_started"
    assert not PlanReview.objects.exists()
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.agreer is None
    # the page shown again keeps what was typed and says what is wrong
    page = client.post(base + "actions/add/", {"goal": goal.pk, "text": "Keep me", "due_on": "abc"}).content.decode()
    assert "There is a problem" in page and 'value="Keep me"' in page
    # valid posts still work
    assert client.post(base + "goals/add/", {"text": "Read a budget"}).status_code == 302
    assert (
        client.post(base + "actions/add/", {"goal": goal.pk, "text": "Shadow the finance director"}).status_code == 302
    )
    assert client.post(base + "actions/status/", {"action": action.pk, "status": "done"}).status_code == 302
    assert plan.goals.count() == 2 and Action.objects.get(pk=action.pk).status == "done"
    assert Action.objects.filter(goal=goal).count() == 2


def test_suggestions_and_target_roles_refuse_bad_values(doctor: Any, trust: Trust) -> None:
    user, _ = doctor
    client = client_for(user)
    url = f"/t/{trust.code}/development/suggestions/add/"
    posts(
        client,
        url,
        [{"opportunity": v} for v in NOT_IDS]
        + [{"opportunity": "mba", "item": v} for v in NOT_IDS if v]
        + [{"opportunity": "mba", "origin": "abc"}],
    )
    posts(client, f"/t/{trust.code}/development/target-role/", [{"role": v} for v in NOT_IDS])
    assert not DevelopmentPlan.objects.exists() and not CareerPlan.objects.exists()
    assert client.post(url, {"opportunity": "mba"}).status_code == 302
    assert Action.objects.filter(opportunity__code="mba").count() == 1
    home = client.get(f"/t/{trust.code}/development/")
    assert home.status_code == 200 and "National Clinical Impact Awards" in home.content.decode()  # a consultant


def test_openings_refuse_bad_selections(doctor: Any, trust: Trust) -> None:
    user, _ = doctor
    md = make_user((Role.MEDICAL_DIRECTOR, trust), username="md-o")
    opening = services.opening_post(
        actor=md,
        trust=trust,
        data={
            "title": "Shadow the MD",
            "kind": OpeningKind.SHADOWING,
            "description": "A day",
            "places": 1,
            "closes_on": TODAY + dt.timedelta(days=7),
        },
        today=TODAY,
    )
    url = f"/t/{trust.code}/development/openings/{opening.pk}/"
    posts(client_for(user), url + "interest/", [{"statement": "x" * 4000}, {"statement": ""}])
    assert not Interest.objects.exists()
    assert client_for(user).post(url + "interest/", {"statement": "I want to see the role."}).status_code == 302
    mine = Interest.objects.get()
    posts(client_for(md), url + "decide/", [{"selected": v} for v in NOT_IDS] + [{"selected": [str(mine.pk), "abc"]}])
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.OPEN
    page = client_for(md).post(url + "decide/", {"selected": "abc"}).content.decode()
    assert "There is a problem" in page
    assert client_for(md).post(url + "decide/", {"selected": [str(mine.pk)]}).status_code == 302
    opening.refresh_from_db()
    assert opening.status == OpeningStatus.DECIDED


def test_mentoring_actions_refuse_bad_values(doctor: Any, trust: Trust) -> None:
    user, person = doctor
    mentor_person = PersonFactory(trust=trust)
    mentor_user = make_user((Role.DOCTOR, trust), person=mentor_person)
    mentor = Mentor.objects.create(trust=trust, person=mentor_person, kind="mentor", areas="x", capacity=2)
    m = services.mentorship_request(actor=user, mentee=person, mentor=mentor, goals="Board skills")
    url = f"/t/{trust.code}/development/mentoring/{m.pk}/"
    posts(client_for(mentor_user), url + "respond/", [{"answer": v} for v in ["abc", "", "1"]])
    assert Mentorship.objects.get(pk=m.pk).status == "requested"
    assert client_for(mentor_user).post(url + "respond/", {"answer": "accept"}).status_code == 302
    posts(
        client_for(user),
        url + "meetings/add/",
        [{"met_on": "abc", "notes": "n"}, {"met_on": "99999-1-1", "notes": "n"}, {"met_on": str(TODAY), "notes": ""}],
    )
    assert not MentoringMeeting.objects.exists()
    page = client_for(user).post(url + "meetings/add/", {"met_on": "abc", "notes": "Keep these notes"})
    assert "Keep these notes" in page.content.decode()
    assert client_for(user).post(url + "meetings/add/", {"met_on": str(TODAY), "notes": "n"}).status_code == 302
    assert MentoringMeeting.objects.count() == 1
    posts(client_for(user), f"/t/{trust.code}/development/mentoring/request/", [{"mentor": v} for v in NOT_IDS])
    assert client_for(user).get(f"/t/{trust.code}/development/mentoring/request/?mentor=abc").status_code == 200


def test_the_career_plan_refuses_numbers_that_are_not_finite(doctor: Any, trust: Trust) -> None:
    user, person = doctor
    url = f"/t/{trust.code}/development/career/"
    year = str(TODAY.year)
    for value in ["NaN", "inf", "-Infinity", "1e999999", "abc", "-1"]:
        for field in ("clinical-0", "management-0"):
            r = client_for(user).post(url, {"year-0": year, "clinical-0": "5", "management-0": "1"} | {field: value})
            assert r.status_code == 200, (field, value)
            assert "give a year and numbers" in r.content.decode()
            assert value in r.content.decode()  # what was typed is shown again
    for value in ["abc", "1e999999", "99999999999999999999"]:
        r = client_for(user).post(url, {"year-0": value, "clinical-0": "5"})
        assert r.status_code == 200 and "give a year and numbers" in r.content.decode()
    r = client_for(user).post(url, {"protected_clinical_pas": "NaN"})
    assert r.status_code == 200
    assert not CareerPlan.objects.exists()
    r = client_for(user).post(url, {"year-0": year, "clinical-0": "7.5", "management-0": "2.5"})
    assert r.status_code == 302 and CareerPlan.objects.get(person=person).years.count() == 1


def test_readiness_sharing_refuses_bad_values(doctor: Any, trust: Trust) -> None:
    user, person = doctor
    role = PostType.objects.get(code="medical_director")
    services.target_role_set(actor=user, person=person, role=role)
    colleague = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    client = client_for(user)
    base = f"/t/{trust.code}/development/readiness/"
    assert client.get(base + "?role=abc").status_code == 302
    assert client.get(base + "pdf/?role=abc").status_code == 302
    posts(
        client,
        base + "share/",
        [{"role": v, "shared_with": colleague.pk} for v in NOT_IDS] + [{"role": role.code, "shared_with": "abc"}],
    )
    assert not ReadinessShare.objects.exists()
    share = services.share_readiness(actor=user, person=person, role=role, shared_with=colleague)
    other_share = ReadinessShare.objects.create(trust=trust, person=colleague, target_role=role, shared_with=person)
    posts(client, base + "stop-sharing/", [{"role": role.code, "share": v} for v in [*NOT_IDS, str(other_share.pk)]])
    assert ReadinessShare.objects.filter(revoked_at__isnull=True).count() == 2
    r = client.post(base + "stop-sharing/", {"role": role.code, "share": share.pk})
    assert r.status_code == 302 and r["Location"].endswith("?role=medical_director")
    assert ReadinessShare.objects.get(pk=share.pk).revoked_at is not None


def test_query_values_that_are_not_valid_show_the_page_as_without_them(doctor: Any, trust: Trust) -> None:
    user, _ = doctor
    client = client_for(user)
    for url in (
        f"/t/{trust.code}/development/opportunities/?category={'x' * 500}&audience=%00x",
        f"/t/{trust.code}/development/opportunities/?audience=1e999999",
        f"/t/{trust.code}/development/experience/new/?opportunity=abc",
        f"/t/{trust.code}/development/experience/new/?opportunity=1e999999",
    ):
        assert client.get(url).status_code in (200, 400), url
