"""Development records: privacy, suggestions into the PDP, agreement, openings, mentoring, career plans,
readiness reports and their sharing, bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from medlead.accounts.models import Role, User
from medlead.core import dates
from medlead.core.audit import WITHHELD, AuditAction, AuditEvent
from medlead.development import catalogue, selectors, services
from medlead.development.models import (
    Action,
    CareerPlan,
    DevelopmentPlan,
    Experience,
    Interest,
    Mentor,
    MentoringMeeting,
    Mentorship,
    MentorshipStatus,
    OpeningKind,
    Opportunity,
    PlanStatus,
)
from medlead.leadership.models import Framework, FrameworkItem, SelfAssessment, SelfRating
from medlead.organisation.models import Grade, Person, Trust
from medlead.structure.models import PostType
from tests.conftest import client_for
from tests.factories import HoldingFactory, PersonFactory, PostFactory, SpecialtyFactory, make_user

pytestmark = pytest.mark.django_db
TODAY = dates.today()


@pytest.fixture
def md_role() -> PostType:
    return PostType.objects.get(code="medical_director")


@pytest.fixture
def doctor(trust: Trust) -> tuple[User, Person]:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, email="doc@example.org")
    return make_user((Role.DOCTOR, trust), username="doc", person=person), person


@pytest.fixture
def colleague(trust: Trust) -> tuple[User, Person]:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT, email="col@example.org")
    return make_user((Role.DOCTOR, trust), username="col", person=person), person


def assess(person: Person, levels: dict[str, int]) -> SelfAssessment:
    spec = Framework.objects.get(code="md-person-spec", trust=None)
    a = SelfAssessment.objects.create(
        trust_id=person.trust_id, person=person, framework=spec, submitted_at=timezone.now()
    )
    SelfRating.objects.bulk_create(
        [SelfRating(assessment=a, item=i, level=levels.get(i.code, 3)) for i in spec.items.all()]
    )
    return a


def test_the_catalogue_is_loaded_with_sources_and_resolved_tags() -> None:
    assert Opportunity.objects.count() >= 35
    assert not Opportunity.objects.filter(source="").exists()
    shadow = Opportunity.objects.get(code="shadow-md")
    assert "nhsi-fmlm-2017" in shadow.source
    assert {i.code for i in shadow.items.all()} >= {"exp-role", "kn-challenges"}
    for code in ("mba", "girft", "clinical-senate", "crg", "cqc-specialist-adviser", "trainee-shadowing"):
        assert Opportunity.objects.filter(code=code).exists()


def test_a_catalogue_tag_that_names_no_item_is_refused_and_nothing_changes() -> None:
    before = Opportunity.objects.get(code="mba").title
    bad = {
        "version": 2,
        "opportunities": [
            {
                "code": "mba",
                "title": "Changed",
                "category": "X",
                "description": "d",
                "source": "s",
                "effort": "low",
                "duration": "1 day",
                "audience": ["consultant"],
                "builds": ["md-person-spec/no-such-item"],
            }
        ],
    }
    with pytest.raises(catalogue.CatalogueError, match="no-such-item"):
        catalogue.load(Opportunity, FrameworkItem, data=bad)
    assert Opportunity.objects.get(code="mba").title == before


def test_gaps_and_suggestions_explain_themselves(doctor: Any, md_role: PostType) -> None:
    _, person = doctor
    assess(person, {"sk-corporate": 1, "sk-explain": 1})
    found, suggested = selectors.suggestions(person, md_role)
    assert {g.label for g in found} >= {
        "Can explain key clinical concepts to a lay audience, including the board and governors"
    }
    top = suggested[0]["s"]
    assert any("Can act corporately" in r or "lay audience" in r for r in top.reasons)
    assert all(s["s"].reasons for s in suggested)


def test_suggestion_goes_into_the_plan_once_and_changes_unagree_it(
    doctor: Any, colleague: Any, md_role: PostType
) -> None:
    user, person = doctor
    _, other = colleague
    assess(person, {"sk-corporate": 1})
    opp = Opportunity.objects.get(code="board-attend")
    item = FrameworkItem.objects.get(framework__code="md-person-spec", code="sk-corporate")
    action = services.suggestion_add(
        actor=user, person=person, opportunity=opp, item=item, role=md_role, today=TODAY, origin="feedback_360"
    )
    plan = action.goal.plan
    assert (plan.person, plan.target_role, action.goal.item) == (person, md_role, item)
    assert action.goal.get_origin_display() == "360 feedback"
    with pytest.raises(ValidationError, match="already in your plan"):
        services.suggestion_add(actor=user, person=person, opportunity=opp, item=item, role=md_role, today=TODAY)
    # an opportunity already planned is no longer suggested
    _, suggested = selectors.suggestions(person, md_role, limit=50)
    assert "board-attend" not in {s["s"].code for s in suggested}
    plan.agreer = other
    plan.status = PlanStatus.AWAITING
    plan.save()
    col_user = User.objects.get(person=other)
    services.plan_agree(actor=col_user, plan=plan)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    services.action_set_status(actor=user, action=action, status="done", today=TODAY)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED  # progress is not a change of plan
    services.goal_add(actor=user, plan=plan, text="Learn to read a budget")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.agreed_at is None


def test_only_the_chosen_agreer_agrees(doctor: Any, colleague: Any, trust: Trust) -> None:
    user, person = doctor
    _, other = colleague
    plan = services.plan_start(
        actor=user, person=person, target_role=None, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=365)
    )
    with pytest.raises(ValidationError, match="at least one goal"):
        services.plan_request_agreement(actor=user, plan=plan, agreer=other)
    services.goal_add(actor=user, plan=plan, text="Chair a committee")
    services.plan_request_agreement(actor=user, plan=plan, agreer=other)
    md = make_user((Role.MEDICAL_DIRECTOR, trust), username="md-x")
    with pytest.raises(PermissionDenied):
        services.plan_agree(actor=md, plan=plan)


def test_a_development_plan_is_private_to_the_doctor_and_their_agreer(
    doctor: Any, colleague: Any, trust: Trust
) -> None:
    user, person = doctor
    col_user, other = colleague
    plan = services.plan_start(
        actor=user, person=person, target_role=None, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=365)
    )
    url = f"/t/{trust.code}/development/plans/{plan.pk}/"
    md = make_user((Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), username="md-y")
    assert client_for(user).get(url).status_code == 200
    assert client_for(col_user).get(url).status_code == 404
    assert client_for(md).get(url).status_code == 404
    assert client_for(md).get(url + "pdf/").status_code == 404
    plan.agreer = other
    plan.save()
    assert client_for(col_user).get(url).status_code == 200
    pdf = client_for(user).get(url + "pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_experience_counts_as_evidence_and_completes_its_action(doctor: Any, md_role: PostType, trust: Trust) -> None:
    user, person = doctor
    opp = Opportunity.objects.get(code="shadow-md")
    action = services.suggestion_add(actor=user, person=person, opportunity=opp, item=None, role=md_role, today=TODAY)
    exp = services.experience_log(
        actor=user,
        person=person,
        data={
            "kind": "shadowing",
            "title": "A day with the MD",
            "started_on": TODAY,
            "reflection": "Saw the executive meeting.",
            "opportunity": opp,
            "action": action,
        },
        items=[],
        today=TODAY,
    )
    assert set(exp.items.all()) == set(opp.items.all())  # defaults to what the opportunity builds
    action.refresh_from_db()
    assert action.status == "done"
    counts = selectors.evidence_counts(person)
    assert all(counts[i.pk] == 1 for i in opp.items.all())
    from medlead.leadership.services import assessment_start

    spec = Framework.objects.get(code="md-person-spec", trust=None)
    draft = assessment_start(actor=user, person=person, framework=spec)
    page = client_for(user).get(f"/t/{trust.code}/leadership/self-assessments/{draft.pk}/").content.decode()
    assert page.count("Your experience log has 1 entry for this.") == spec.items.filter(opportunities=opp).count()
    with pytest.raises(ValidationError):
        services.experience_log(
            actor=user,
            person=person,
            data={"kind": "course", "title": "Future", "started_on": TODAY + dt.timedelta(days=3), "reflection": "x"},
            items=[],
            today=TODAY,
        )
    assert Experience.objects.filter(person=person).count() == 1


def test_the_experience_form_explains_bad_dates(doctor: Any, trust: Trust) -> None:
    user, _ = doctor
    r = client_for(user).post(
        f"/t/{trust.code}/development/experience/new/",
        {
            "kind": "course",
            "title": "Course",
            "started_on": str(TODAY),
            "ended_on": str(TODAY - dt.timedelta(days=2)),
            "reflection": "r",
        },
    )
    assert r.status_code == 200
    assert "The end date must be on or after the start date." in r.content.decode()
    assert not Experience.objects.exists()


def test_openings_interest_selection_and_everyone_is_told(
    doctor: Any, colleague: Any, trust: Trust, django_capture_on_commit_callbacks: Any
) -> None:
    user, person = doctor
    col_user, other = colleague
    md = make_user((Role.MEDICAL_DIRECTOR, trust), username="md-z")
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
    assert client_for(user).post(url + "interest/", {"statement": ""}).status_code == 200
    assert not Interest.objects.exists()  # an empty statement is refused
    client_for(user).post(url + "interest/", {"statement": "I want to see the role."})
    client_for(col_user).post(url + "interest/", {"statement": "Me too."})
    assert Interest.objects.filter(opening=opening).count() == 2
    # doctors cannot decide
    client_for(user).post(url + "decide/", {"selected": [str(Interest.objects.earliest("pk").pk)]})
    opening.refresh_from_db()
    assert opening.status == "open"
    mine = Interest.objects.get(person=person)
    with pytest.raises(ValidationError, match="1 places"):
        services.opening_decide(
            actor=md, opening=opening, selected_ids=list(Interest.objects.values_list("pk", flat=True))
        )
    with django_capture_on_commit_callbacks(execute=True):
        client_for(md).post(url + "decide/", {"selected": [str(mine.pk)]})
    assert dict(Interest.objects.values_list("person_id", "status")) == {
        person.pk: "selected",
        other.pk: "not_selected",
    }
    assert sorted(m.to[0] for m in mail.outbox) == ["col@example.org", "doc@example.org"]
    assert any("Selected" in m.subject and m.to == ["doc@example.org"] for m in mail.outbox)
    opening.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.interest_express(actor=user, person=person, opening=opening, statement="again", today=TODAY)


def test_only_medical_directors_and_associates_post_openings(doctor: Any, trust: Trust) -> None:
    user, _ = doctor
    assert client_for(user).get(f"/t/{trust.code}/development/openings/new/").status_code == 403


def test_mentor_matching_skips_line_managers_and_full_mentors(trust: Trust, doctor: Any, md_role: PostType) -> None:
    user, person = doctor
    specialty = SpecialtyFactory(trust=trust)
    person.specialty = specialty
    person.save()
    cd = PersonFactory(trust=trust)
    HoldingFactory(post=PostFactory(trust=trust, specialty=specialty), person=cd)
    peer = PersonFactory(trust=trust)
    busy = PersonFactory(trust=trust)
    m_cd = Mentor.objects.create(trust=trust, person=cd, kind="mentor", areas="x", capacity=2)
    m_peer = Mentor.objects.create(trust=trust, person=peer, kind="mentor", areas="x", capacity=2)
    m_busy = Mentor.objects.create(trust=trust, person=busy, kind="coach", areas="x", capacity=1)
    Mentorship.objects.create(
        trust=trust, mentee=PersonFactory(trust=trust), mentor=m_busy, goals="g", status=MentorshipStatus.ACTIVE
    )
    ext = Mentor.objects.create(
        trust=trust,
        name="Dr Former",
        email="f@example.org",
        kind="mentor",
        md_experience="former",
        areas="x",
        capacity=2,
    )
    assess(person, {"sk-corporate": 1})
    ext.items.set([FrameworkItem.objects.get(framework__code="md-person-spec", code="sk-corporate")])
    matches = [m["mentor"] for m in selectors.mentor_matches(person, md_role)]
    assert matches == [ext, m_peer]  # the former MD who covers a gap first; no line manager, no full mentor
    with pytest.raises(ValidationError, match="outside your own line management"):
        services.mentorship_request(actor=user, mentee=person, mentor=m_cd, goals="help")
    with pytest.raises(ValidationError, match="no capacity"):
        services.mentorship_request(actor=user, mentee=person, mentor=m_busy, goals="help")
    services.mentorship_request(actor=user, mentee=person, mentor=ext, goals="Prepare for MD")
    assert Mentorship.objects.filter(mentee=person, mentor=ext, status="requested").exists()


def test_the_meeting_log_is_private_to_the_pair_and_withheld_from_the_audit_trail(
    trust: Trust, doctor: Any, colleague: Any
) -> None:
    user, person = doctor
    mentor_user, mentor_person = colleague
    mentor = Mentor.objects.create(trust=trust, person=mentor_person, kind="mentor", areas="x", capacity=2)
    m = services.mentorship_request(actor=user, mentee=person, mentor=mentor, goals="Board skills")
    url = f"/t/{trust.code}/development/mentoring/{m.pk}/"
    client_for(user).post(url + "respond/", {"answer": "accept"})
    m.refresh_from_db()
    assert m.status == "requested"  # the mentee cannot accept their own request
    client_for(mentor_user).post(url + "respond/", {"answer": "accept"})
    m.refresh_from_db()
    assert m.status == "active"
    client_for(user).post(
        url + "meetings/add/",
        {"met_on": str(TODAY), "notes": "We talked about a difficult colleague.", "next_steps": ""},
    )
    assert MentoringMeeting.objects.filter(mentorship=m).count() == 1
    md = make_user((Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), username="md-m")
    assert client_for(md).get(url).status_code == 404
    assert "difficult colleague" in client_for(mentor_user).get(url).content.decode()
    event = AuditEvent.objects.get(model="development.mentoringmeeting")
    assert event.changes["notes"] == [None, WITHHELD]
    assert "difficult colleague" not in str(event.changes)


def test_career_plan_validates_the_split_and_saves_nothing_on_error(doctor: Any, trust: Trust) -> None:
    user, person = doctor
    url = f"/t/{trust.code}/development/career/"
    year = TODAY.year
    r = client_for(user).post(
        url, {"target_role": "", "year-0": str(year), "clinical-0": "15", "management-0": "6", "year-1": "x"}
    )
    page = r.content.decode()
    assert "21 PAs a week is more than 20" in page or "give a year and numbers" in page
    assert not CareerPlan.objects.exists()
    r = client_for(user).post(
        url,
        {
            "year-0": str(year),
            "clinical-0": "8",
            "management-0": "2",
            "year-1": str(year + 3),
            "clinical-1": "6",
            "management-1": "4",
            "exit_plan": "Step down after one term.",
        },
    )
    assert r.status_code == 302
    plan = CareerPlan.objects.get(person=person)
    assert [(y.year, y.management_pas) for y in plan.years.all()] == [
        (year, Decimal("2.00")),
        (year + 3, Decimal("4.00")),
    ]


def test_readiness_report_is_shared_only_by_the_doctors_choice_and_reads_are_audited(
    doctor: Any, colleague: Any, trust: Trust, md_role: PostType
) -> None:
    user, person = doctor
    col_user, other = colleague
    assess(person, {"sk-corporate": 1})
    services.target_role_set(actor=user, person=person, role=md_role)
    mine = client_for(user).get(f"/t/{trust.code}/development/readiness/")
    assert mine.status_code == 200 and "Your readiness for medical director" in mine.content.decode()
    pdf = client_for(user).get(f"/t/{trust.code}/development/readiness/pdf/?role=medical_director")
    assert pdf.content.startswith(b"%PDF")
    from tests.pdf_text import pdf_text

    text = pdf_text(pdf.content)
    assert trust.name in text and person.display_name in text and "Readiness for Medical director" in text
    assert "Confidential" in text
    share = services.share_readiness(actor=user, person=person, role=md_role, shared_with=other)
    url = f"/t/{trust.code}/development/readiness/shared/{share.pk}/"
    stranger = make_user((Role.DOCTOR, trust), username="stranger", person=PersonFactory(trust=trust))
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(col_user).get(url).status_code == 200
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.READ, model="development.readinessshare", actor_id=col_user.pk
        ).count()
        == 1
    )
    services.share_revoke(actor=user, share=share)
    assert client_for(col_user).get(url).status_code == 404


def test_another_trusts_doctor_sees_nothing(doctor: Any, other_trust: Trust, trust: Trust) -> None:
    user, person = doctor
    plan = services.plan_start(
        actor=user, person=person, target_role=None, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=300)
    )
    outsider = make_user((Role.DOCTOR, other_trust), username="outsider", person=PersonFactory(trust=other_trust))
    assert client_for(outsider).get(f"/t/{trust.code}/development/plans/{plan.pk}/").status_code == 404


def test_suggestion_ranking_beats_the_role_only_baseline_on_the_labelled_set(capsys: Any) -> None:
    import json

    call_command("suggestions_eval", "--format", "json")
    result = json.loads(capsys.readouterr().out)
    assert result["profiles"] >= 10
    assert result["precision_at_5"] > result["baseline_role_only_precision_at_5"] + 0.2


def test_managers_see_development_only_in_aggregate(trust: Trust, doctor: Any) -> None:
    user, person = doctor
    services.plan_start(
        actor=user, person=person, target_role=None, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=300)
    )
    md = make_user((Role.MEDICAL_DIRECTOR, trust), username="md-agg")
    page = client_for(md).get(f"/t/{trust.code}/development/").content.decode()
    assert person.last_name not in page
    assert DevelopmentPlan.objects.count() == 1 and Action.objects.count() == 0


def test_an_external_mentor_is_emailed_and_the_mentee_records_their_answer(
    trust: Trust, doctor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    user, person = doctor
    ext = Mentor.objects.create(
        trust=trust, name="Dr Former", email="former@example.org", kind="mentor", md_experience="former", areas="x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        m = services.mentorship_request(actor=user, mentee=person, mentor=ext, goals="Stepping up")
    assert [e.to for e in mail.outbox] == [["former@example.org"]]
    assert "doc@example.org" in mail.outbox[0].body
    client_for(user).post(f"/t/{trust.code}/development/mentoring/{m.pk}/respond/", {"answer": "accept"})
    m.refresh_from_db()
    assert m.status == "active"


def test_a_goal_of_ones_own_can_name_the_framework_item_and_an_empty_one_is_refused(doctor: Any, trust: Trust) -> None:
    user, person = doctor
    plan = services.plan_start(
        actor=user, person=person, target_role=None, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=300)
    )
    url = f"/t/{trust.code}/development/plans/{plan.pk}/"
    item = FrameworkItem.objects.get(framework__code="hlm", code="hlm-9")
    r = client_for(user).post(url + "goals/add/", {"text": "", "item": item.pk})
    assert "Write the goal" in r.content.decode() and not plan.goals.exists()
    client_for(user).post(url + "goals/add/", {"text": "Influence the board on quality", "item": item.pk})
    goal = plan.goals.get()
    assert (goal.item, goal.origin) == (item, "own")


def test_the_appraisee_is_offered_their_development_plan_as_the_pdp_and_the_appraiser_is_not(
    doctor: Any, colleague: Any, trust: Trust
) -> None:
    from medlead.revalidation.models import Appraisal

    user, person = doctor
    appraiser_user, appraiser = colleague
    plan = services.plan_start(
        actor=user, person=person, target_role=None, starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=300)
    )
    a = Appraisal.objects.create(trust=trust, person=person, year=TODAY.year, appraiser=appraiser)
    url = f"/t/{trust.code}/appraisals/{a.pk}/"
    pdf_link = f"/t/{trust.code}/development/plans/{plan.pk}/pdf/"
    assert pdf_link in client_for(user).get(url).content.decode()
    assert pdf_link not in client_for(appraiser_user).get(url).content.decode()
    from tests.pdf_text import pdf_text

    text = pdf_text(client_for(user).get(pdf_link).content)
    assert trust.name in text and person.display_name in text and "Agreement and sign-off" in text
