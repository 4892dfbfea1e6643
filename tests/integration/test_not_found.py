"""404 for what you may not know exists (issue 29, item 3).

Whether a confidential record exists is itself confidential. For each kind, an account in the SAME trust that may
not read the record gets exactly what it would get for a record that does not exist (status and page); an account
that may read it but not make an action gets the styled 403 page on that action, and nothing changes.

The expectations are written by hand from the rules in docs/permissions.md, never computed by the policy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from medlead.accounts.models import Role, User
from medlead.awards.models import Application
from medlead.concerns.models import Case, CaseRole
from medlead.development.models import DevelopmentPlan, Goal, Mentor, Mentorship
from medlead.fitproper.models import Assessment
from medlead.leadership.models import FeedbackCycle, Framework, SelfAssessment
from medlead.organisation.models import BoardMember, Grade, Trust
from medlead.revalidation.models import Appraisal
from medlead.rota.models import ExceptionReport
from medlead.talent.models import TalentReview
from tests.conftest import client_for
from tests.factories import (
    HoldingFactory,
    PersonFactory,
    PostFactory,
    SpecialtyFactory,
    make_clinical_director,
    make_user,
    post_type,
)

pytestmark = pytest.mark.django_db

MISSING = 987654321  # a primary key no record has


@pytest.fixture
def world(trust: Trust) -> dict[str, Any]:
    cardiology = SpecialtyFactory(trust=trust, name="Cardiology")
    subject_p = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=cardiology)
    colleague_p = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=cardiology)
    appraiser_p = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=cardiology)
    trainee_p = PersonFactory(trust=trust, grade=Grade.SPECIALTY_REGISTRAR, specialty=cardiology)
    chair_p = PersonFactory(trust=trust, grade="", kind="manager")
    investigator_p = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=cardiology)
    md_p = PersonFactory(trust=trust)
    HoldingFactory(post=PostFactory(trust=trust, post_type=post_type("medical_director")), person=md_p)
    BoardMember.objects.create(trust=trust, person=chair_p, role="chair", start=dt.date(2024, 1, 1))
    md_seat = BoardMember.objects.create(trust=trust, person=md_p, role="medical_director", start=dt.date(2024, 1, 1))
    users: dict[str, User] = {
        "subject": make_user((Role.DOCTOR, trust), person=subject_p),
        "colleague": make_user((Role.DOCTOR, trust), person=colleague_p),
        "appraiser": make_user((Role.DOCTOR, trust), person=appraiser_p),
        "trainee": make_user((Role.DOCTOR, trust), person=trainee_p),
        "investigator": make_user((Role.DOCTOR, trust), person=investigator_p),
        # the clinical director of the very specialty these records belong to
        "cd": make_clinical_director(trust, cardiology),
        "md": make_user((Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), person=md_p),
        "ro": make_user((Role.RESPONSIBLE_OFFICER, trust)),
        "guardian": make_user((Role.GUARDIAN, trust)),
        "hr": make_user((Role.MEDICAL_STAFFING, trust)),
        "chair": make_user((Role.NON_EXECUTIVE, trust), person=chair_p),
        "admin": make_user((Role.SYSTEM_ADMIN, None), is_superuser=True, is_staff=True),
    }
    framework = Framework.objects.filter(trust__isnull=True).first()
    assert framework is not None
    review = TalentReview.objects.create(trust=trust, person=subject_p, reviewed_on=dt.date(2026, 6, 1), notes="x")
    review.reviewers.add(users["md"].person)
    case = Case.objects.create(
        trust=trust,
        doctor=subject_p,
        raised_by="A colleague",
        raised_on=dt.date(2026, 11, 2),
        categories=["conduct"],
        source="colleague",
        summary="Confidential concern",
    )
    CaseRole.objects.create(trust=trust, case=case, person=md_p, role="case_manager", appointed_on=dt.date(2026, 11, 2))
    CaseRole.objects.create(
        trust=trust, case=case, person=investigator_p, role="case_investigator", appointed_on=dt.date(2026, 11, 2)
    )
    pdp = DevelopmentPlan.objects.create(
        trust=trust,
        person=subject_p,
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2027, 3, 31),
        status="awaiting",
        agreer=colleague_p,
    )
    records: dict[str, Any] = {
        "report": ExceptionReport.objects.create(
            trust=trust,
            doctor=trainee_p,
            supervisor=appraiser_p,
            occurred_on=dt.date(2026, 11, 2),
            kind="rest",
            description="Missed rest",
            rules_version="v13",
            route="medical_workforce",
        ),
        "appraisal": Appraisal.objects.create(
            trust=trust, person=subject_p, year=2026, appraiser=appraiser_p, status="completed"
        ),
        "cycle": FeedbackCycle.objects.create(
            trust=trust,
            subject=subject_p,
            framework=framework,
            facilitator=colleague_p,
            closes_on=dt.date(2026, 6, 1),
            status="closed",
            closed_at=timezone.now(),
        ),
        "assessment": SelfAssessment.objects.create(trust=trust, person=subject_p, framework=framework),
        "pdp": pdp,
        "mentorship": Mentorship.objects.create(
            trust=trust,
            mentee=subject_p,
            mentor=Mentor.objects.create(trust=trust, person=colleague_p, kind="mentor", areas="Board work"),
            goals="Prepare for a clinical director post",
            status="requested",
        ),
        "review": review,
        "fppt": Assessment.objects.create(
            trust=trust, member=md_seat, kind="annual", year=2026, due_on=dt.date(2026, 12, 1)
        ),
        "case": case,
        "award": Application.objects.create(
            trust=trust, person=subject_p, round_year=2027, level="N1", status="submitted", domains={"service": "x"}
        ),
    }
    return {"trust": trust, "users": users, "records": records}


# (record, page of one record with {pk}, who may NOT read it though in the same trust, who may read it)
READS: list[tuple[str, str, set[str], str]] = [
    ("report", "/t/{t}/exception-reports/{pk}/", {"cd", "md", "ro", "subject", "appraiser", "admin"}, "guardian"),
    ("appraisal", "/t/{t}/appraisals/{pk}/", {"cd", "colleague", "guardian", "admin"}, "ro"),
    ("cycle", "/t/{t}/leadership/360/{pk}/", {"cd", "md", "ro", "appraiser", "admin"}, "subject"),
    ("cycle", "/t/{t}/leadership/360/{pk}/report/", {"cd", "md", "ro", "appraiser", "admin"}, "colleague"),
    ("assessment", "/t/{t}/leadership/self-assessments/{pk}/", {"cd", "md", "colleague", "admin"}, "subject"),
    ("pdp", "/t/{t}/development/plans/{pk}/", {"cd", "md", "appraiser", "admin"}, "colleague"),
    ("mentorship", "/t/{t}/development/mentoring/{pk}/", {"cd", "md", "hr", "appraiser", "admin"}, "colleague"),
    ("review", "/t/{t}/talent/reviews/{pk}/", {"cd", "ro", "subject", "admin"}, "md"),
    ("fppt", "/t/{t}/fit-and-proper/assessments/{pk}/", {"ro", "hr", "cd", "admin"}, "chair"),
    ("case", "/t/{t}/concerns/{pk}/", {"ro", "hr", "cd", "subject", "admin"}, "investigator"),
    ("award", "/t/{t}/awards/{pk}/", {"cd", "ro", "colleague", "admin"}, "hr"),
]


def _missing_page(client: Client, pattern: str, trust: Trust) -> tuple[int, bytes]:
    response = client.get(pattern.format(t=trust.code, pk=MISSING))
    return response.status_code, response.content


@pytest.mark.parametrize(("record", "pattern", "outsiders", "reader"), READS, ids=[f"{r[0]}:{r[1]}" for r in READS])
def test_a_confidential_record_is_not_found_by_those_who_may_not_read_it(
    world: dict[str, Any], record: str, pattern: str, outsiders: set[str], reader: str
) -> None:
    trust = world["trust"]
    url = pattern.format(t=trust.code, pk=world["records"][record].pk)
    for name in sorted(outsiders):
        client = client_for(world["users"][name])
        response = client.get(url)
        assert response.status_code == 404, (name, url, response.status_code)
        # the same answer, byte for byte, as for a record that does not exist: nothing confirms it is there
        assert (response.status_code, response.content) == _missing_page(client, pattern, trust), (name, url)
    assert client_for(world["users"][reader]).get(url).status_code == 200, (reader, url)


def _styled_403(response: Any) -> bool:
    return response.status_code == 403 and "You cannot" in response.content.decode()


def test_an_exception_report_reader_who_may_not_agree_its_outcome_gets_403(world: dict[str, Any]) -> None:
    report = world["records"]["report"]
    url = f"/t/{world['trust'].code}/exception-reports/{report.pk}/outcome/"
    # the guardian reads every report; under version 13 medical workforce agrees the outcome
    response = client_for(world["users"]["guardian"]).post(url, {"outcome": "pay"})
    assert _styled_403(response)
    report.refresh_from_db()
    assert report.status == "submitted"
    # a clinical director who may not read it learns nothing from the action either
    assert client_for(world["users"]["cd"]).post(url, {"outcome": "pay"}).status_code == 404


def test_an_appraisal_reader_who_may_not_write_its_inputs_gets_403(world: dict[str, Any]) -> None:
    appraisal = world["records"]["appraisal"]
    url = f"/t/{world['trust'].code}/appraisals/{appraisal.pk}/inputs/"
    response = client_for(world["users"]["ro"]).post(url, {"achievements": "written by the responsible officer"})
    assert _styled_403(response)
    assert client_for(world["users"]["cd"]).post(url, {"achievements": "written by the cd"}).status_code == 404
    appraisal.refresh_from_db()
    assert "written by" not in appraisal.achievements


def test_a_360_facilitator_who_may_not_send_reminders_gets_403(world: dict[str, Any]) -> None:
    cycle = world["records"]["cycle"]
    url = f"/t/{world['trust'].code}/leadership/360/{cycle.pk}/remind/"
    assert _styled_403(client_for(world["users"]["colleague"]).post(url))  # the facilitator: only the subject does
    assert client_for(world["users"]["md"]).post(url).status_code == 404


def test_a_pdp_agreer_who_may_not_add_goals_gets_403(world: dict[str, Any]) -> None:
    pdp = world["records"]["pdp"]
    url = f"/t/{world['trust'].code}/development/plans/{pdp.pk}/goals/add/"
    goal = {"text": "Chair a committee", "item": ""}
    assert _styled_403(client_for(world["users"]["colleague"]).post(url, goal))  # asked to agree, not to write
    assert client_for(world["users"]["md"]).post(url, goal).status_code == 404
    assert not Goal.objects.filter(plan=pdp).exists()


def test_a_mentee_who_may_not_answer_their_own_request_gets_403(world: dict[str, Any]) -> None:
    mentorship = world["records"]["mentorship"]
    url = f"/t/{world['trust'].code}/development/mentoring/{mentorship.pk}/respond/"
    # the mentor has an account, so the mentor answers, not the mentee
    assert _styled_403(client_for(world["users"]["subject"]).post(url, {"answer": "accept"}))
    assert client_for(world["users"]["md"]).post(url, {"answer": "accept"}).status_code == 404
    mentorship.refresh_from_db()
    assert mentorship.status == "requested"


def test_a_board_member_who_may_not_sign_off_their_own_assessment_gets_403(world: dict[str, Any]) -> None:
    fppt = world["records"]["fppt"]
    url = f"/t/{world['trust'].code}/fit-and-proper/assessments/{fppt.pk}/sign-off/"
    assert _styled_403(client_for(world["users"]["md"]).post(url, {"outcome": "fit"}))  # the member: the chair signs
    assert client_for(world["users"]["ro"]).post(url, {"outcome": "fit"}).status_code == 404
    fppt.refresh_from_db()
    assert fppt.decided_by_id is None


def test_an_award_verifier_who_may_not_change_the_application_gets_403(world: dict[str, Any]) -> None:
    award = world["records"]["award"]
    url = f"/t/{world['trust'].code}/awards/{award.pk}/draft/"
    # medical staffing reads a submitted application; only its consultant writes it, and not once submitted
    assert _styled_403(client_for(world["users"]["hr"]).post(url, {"service": "changed"}))
    assert client_for(world["users"]["colleague"]).post(url, {"service": "changed"}).status_code == 404
    award.refresh_from_db()
    assert award.domains == {"service": "x"}


def test_a_case_investigator_who_may_not_decide_learns_nothing_more_and_changes_nothing(
    world: dict[str, Any],
) -> None:
    """MHPS cases go further than the rule (ADR in concerns): even someone named on a case gets 404 on an action
    that is not theirs, so that what may be done to a case is not shown either."""
    case = world["records"]["case"]
    url = f"/t/{world['trust'].code}/concerns/{case.pk}/decision/"
    data = {"decision": "informal", "decision_reasons": "x", "decided_on_0": "1", "decided_on_1": "1"}
    assert client_for(world["users"]["investigator"]).post(url, data).status_code == 404
    assert client_for(world["users"]["ro"]).post(url, data).status_code == 404
    case.refresh_from_db()
    assert case.decision == ""


def test_a_talent_review_has_no_action_and_is_404_for_the_doctor_it_is_about(world: dict[str, Any]) -> None:
    review = world["records"]["review"]
    url = f"/t/{world['trust'].code}/talent/reviews/{review.pk}/"
    assert client_for(world["users"]["subject"]).get(url).status_code == 404
    assert client_for(world["users"]["md"]).get(url).status_code == 200
