"""Issue 31's small things that add up, each as the person using the page sees it: date errors that name the date,
an action's progress kept as notes, 360 nominations (errors naming the row, the nominees listed, no close with
nobody invited), gaps worked out by hand, the target role's empty choice, and the awards' levels and word limits."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.utils import timezone

from medlead.accounts.models import Role, User
from medlead.awards import services as awards
from medlead.awards.models import Application
from medlead.core import dates
from medlead.core.actors import SystemActor
from medlead.development import services as development
from medlead.development.models import CareerPlan
from medlead.governance import services as governance
from medlead.governance.models import Action, ActionNote
from medlead.leadership import selectors as leadership_selectors
from medlead.leadership import services as leadership
from medlead.leadership.models import Framework, SelfAssessment, SelfRating
from medlead.organisation.models import Grade, Person, Trust
from medlead.structure.models import PostType
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db
TODAY = dates.today()
SYSTEM = SystemActor("tests")


def text(response: object) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def doctor(trust: Trust) -> User:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, email="doc@example.org")
    return make_user((Role.DOCTOR, trust), person=person)


# ---------------------------------------------------------------- 1. a date's error names the date


def test_a_date_error_names_the_date_in_words_on_two_forms(trust: Trust, doctor: User) -> None:
    client = client_for(doctor)
    plan = development.plan_start(
        actor=doctor, person=doctor.person, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=365), target_role=None
    )
    goal = development.goal_add(actor=doctor, plan=plan, text="Lead a service change", item=None)
    page = text(
        client.post(
            f"/t/{trust.code}/development/plans/{plan.pk}/actions/add/",
            {
                "goal": goal.pk,
                "text": "Meet the finance director",
                "due_on[day]": "31",
                "due_on[month]": "2",
                "due_on[year]": "2027",
            },
        )
    )
    assert "Enter the date the action is due as a real date, for example 27 3 2026." in page
    assert "due by as a real date" not in page.lower()
    page = text(
        client.post(
            f"/t/{trust.code}/development/plans/{plan.pk}/actions/add/",
            {
                "goal": goal.pk,
                "text": "Meet the finance director",
                "due_on[day]": "3",
                "due_on[month]": "",
                "due_on[year]": "2027",
            },
        )
    )
    assert "The date the action is due must include a month." in page

    # the medical director's action log: a label that is not a noun ("Due by") is named as the date it is
    md = make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust))
    meeting = governance.meeting_create(actor=md, trust=trust, body="trust_board", on=dt.date(2026, 12, 10))
    page = text(
        client_for(md).post(
            f"/t/{trust.code}/board/meetings/{meeting.pk}/action/",
            {
                "title": "Review the rota",
                "owner": md.person.pk,  # type: ignore[union-attr]
                "due[day]": "30",
                "due[month]": "2",
                "due[year]": "2027",
            },
        )
    )
    assert "Enter the 'Due by' date as a real date, for example 27 3 2026." in page
    assert "Enter the due by" not in page


# ---------------------------------------------------------------- 2. an action's progress is a new note each time


def test_progress_starts_empty_and_each_update_is_a_note_of_its_own(trust: Trust) -> None:
    md = make_user((Role.MEDICAL_DIRECTOR, trust), person=PersonFactory(trust=trust))
    action = governance.action_add(
        actor=md, trust=trust, title="Fill the rota gaps", owner=md.person, due=TODAY + dt.timedelta(days=30)
    )
    client = client_for(md)
    url = f"/t/{trust.code}/board/actions/{action.pk}/"
    assert client.post(url, {"progress": "Two locums booked.", "status": "open"}).status_code == 302
    assert client.post(url, {"progress": "One post advertised.", "status": "open"}).status_code == 302
    page = text(client.get(url))
    last = page[page.index('id="last-update"') : page.index("</dd>", page.index('id="last-update"'))]
    assert "One post advertised." in last and "Two locums booked." not in last
    assert "Earlier updates (1)" in page and "Two locums booked." in page
    box = page[page.index("<textarea") : page.index("</textarea>")]
    assert "advertised" not in box and "locums" not in box  # the box starts empty: nothing is added to old text
    assert list(ActionNote.objects.filter(action=action).values_list("text", flat=True)) == [
        "One post advertised.",
        "Two locums booked.",
    ]
    assert Action.objects.get(pk=action.pk).progress == "One post advertised."
    # a status change with no new text keeps the last note as it was
    client.post(url, {"progress": "", "status": "done"})
    assert Action.objects.get(pk=action.pk).progress == "One post advertised." and ActionNote.objects.count() == 2


# ---------------------------------------------------------------- 3, 4 and 5: a 360's nominations


@pytest.fixture
def cycle(trust: Trust, doctor: User) -> object:
    return leadership.cycle_open(
        actor=SYSTEM,
        subject=doctor.person,
        framework=Framework.objects.get(code="hlm", trust=None),
        closes_on=TODAY + dt.timedelta(days=14),
        facilitator=PersonFactory(trust=trust, email="coach@example.org"),
        today=TODAY,
    )


def test_a_refused_nomination_names_its_row_and_the_nominee(trust: Trust, doctor: User, cycle: object) -> None:
    page = text(
        client_for(doctor).post(
            f"/t/{trust.code}/leadership/360/{cycle.pk}/",
            # row 1 left empty; row 3 has an address with no @
            {
                "group-1": "peer",
                "name-1": "Pat Peer",
                "email-1": "pat@example.org",
                "group-2": "peer",
                "name-2": "Ann Other",
                "email-2": "ann.other",
            },
        )
    )
    assert "Nominee 3 (Ann Other): 'ann.other' is not an email address." in page
    assert "Nominee 2 (" not in page and "Nominee 1" not in page


def test_the_nominees_are_listed_with_where_each_stands_and_close_waits_for_invitations(
    trust: Trust, doctor: User, cycle: object
) -> None:
    url = f"/t/{trust.code}/leadership/360/{cycle.pk}/"
    client = client_for(doctor)
    page = text(client.get(url))
    # nobody invited: neither "Close and see the report" nor "Remind" is offered; what is missing is listed
    assert "Invite raters: 0 invited so far" in page
    assert "Remind those who have not answered" not in page
    assert f'href="/t/{trust.code}/leadership/360/{cycle.pk}/close/' not in page
    raters = leadership.raters_nominate(
        actor=doctor,
        cycle=cycle,
        nominees=[("peer", "Pat Peer", "pat@example.org"), ("peer", "Sam Peer", "sam@example.org")],
    )
    leadership.raters_approve(actor=SYSTEM, cycle=cycle, approve=[raters[0].pk], confirm_unknown=[raters[0].pk])
    page = text(client.get(url))
    listed = page[page.index('id="nominees"') : page.index("</ul>", page.index('id="nominees"'))]
    assert "Pat Peer</strong> (pat@example.org), peers: " in listed
    assert "Sam Peer</strong> (sam@example.org), peers: Waiting for approval" in listed
    assert "answer" not in listed.lower()  # never who has answered


# ---------------------------------------------------------------- 7. gaps, worked out by hand


def rate(person: Person, framework: Framework, levels: dict[str, int | None], target_role: str) -> SelfAssessment:
    a = SelfAssessment.objects.create(
        trust_id=person.trust_id,
        person=person,
        framework=framework,
        target_role=target_role,
        submitted_at=timezone.now(),
    )
    SelfRating.objects.bulk_create(
        [SelfRating(assessment=a, item=i, level=levels.get(i.code, 3)) for i in framework.items.all()]
    )
    return a


def test_gaps_match_a_hand_worked_example_and_none_is_said_in_words(trust: Trust, doctor: User) -> None:
    spec = Framework.objects.get(code="md-person-spec", trust=None)
    assert spec.targets["medical_director"] == 3  # the level the person specification's file sets, by hand
    # by hand: 'Not yet' (1) is 2 levels short of 'Meets' (3); 'Partly' (2) 1 short; 3 and 4 none; unrated none
    a = rate(
        doctor.person,
        spec,
        {"sk-corporate": 1, "sk-explain": 2, "exp-role": 4, "exp-strategy": None},
        "medical_director",
    )
    rows = {r["item"].code: r["gap"] for r in leadership_selectors.gaps(assessment=a)}
    assert (rows["sk-corporate"], rows["sk-explain"], rows["exp-role"], rows["exp-strategy"]) == (2, 1, -1, None)
    assert sum(1 for g in rows.values() if g and g > 0) == 2

    other = make_user((Role.DOCTOR, trust), person=PersonFactory(trust=trust, grade=Grade.CONSULTANT))
    b = rate(other.person, spec, {"exp-role": 4, "exp-strategy": None}, "medical_director")
    page = text(client_for(other).get(f"/t/{trust.code}/leadership/self-assessments/{b.pk}/"))
    rated = spec.items.count() - 1
    assert (
        f"No gaps: on all {rated} items you rated, you rated yourself at or above 'Meets', the level the medical "
        "director / chief medical officer role expects. 1 item was not rated and not counted." in page
    )
    assert "No gaps found" not in page

    # the development page, with a target role the framework sets no level for, says why instead of "No gaps"
    CareerPlan.objects.create(
        trust=trust, person=other.person, target_role=PostType.objects.get(code="clinical_director")
    )
    page = text(client_for(other).get(f"/t/{trust.code}/development/"))
    assert "cannot show gaps: the framework sets no level for the clinical director role." in page
    assert "No gaps found yet" not in page


# ---------------------------------------------------------------- 8. the target role's empty choice


def test_the_target_role_list_asks_for_a_role(trust: Trust, doctor: User) -> None:
    page = text(client_for(doctor).get(f"/t/{trust.code}/development/"))
    assert '<option value="" selected>Choose a role</option>' in page or ">Choose a role</option>" in page
    assert "---------" not in page


# ---------------------------------------------------------------- 10. awards: levels explained, word limits


def test_award_levels_are_explained_and_each_domain_keeps_to_its_word_limit(trust: Trust, doctor: User) -> None:
    client = client_for(doctor)
    home = text(client.get(f"/t/{trust.code}/awards/"))
    assert "N1 (national 1, the lowest of the three levels)" in home
    assert "N3 (national 3, the highest level)" in home
    assert "based on the score your application is given" in home
    app = awards.start(actor=doctor, person=doctor.person, round_year=2027, level="N1")
    page = text(client.get(f"/t/{trust.code}/awards/{app.pk}/"))
    # no primary source gives the limit: medlead suggests one, which the trust has not confirmed, and the page says so
    assert (
        "Each domain takes up to 500 words. No national rule gives this limit: it is medlead's suggestion, "
        "and your trust has not confirmed it yet." in page
    )
    assert "Up to 500 words. This text has 0." in page
    codes = list(awards.domain_names())
    long_text = " ".join(["word"] * 503)
    page = text(client.post(f"/t/{trust.code}/awards/{app.pk}/draft/", {codes[0]: long_text, codes[1]: "Short."}))
    assert "503 words, over the limit of 500. Cut 3." in page
    assert "Up to 500 words. This text has 503." in page
    assert Application.objects.get(pk=app.pk).domains == {}  # nothing saved
    assert (
        client.post(f"/t/{trust.code}/awards/{app.pk}/draft/", {codes[0]: " ".join(["word"] * 500)}).status_code == 302
    )
    page = text(client.get(f"/t/{trust.code}/awards/{app.pk}/"))
    assert "Up to 500 words. This text has 500." in page
