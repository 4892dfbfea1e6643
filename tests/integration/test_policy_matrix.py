"""The role × action × record matrix, against a HAND-WRITTEN table of who may do what.

Nothing here is derived from the policy under test: each row below is the answer a medical director, a doctor,
a responsible officer or a Caldicott guardian would give, written out by hand (docs/permissions.md says why).
Every identity not named in a row is refused. The system administrator is a Django superuser with a national
role: the table shows that a superuser reads no confidential record. Another trust's medical director and a
signed-out visitor are refused everything.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from medlead.accounts.models import AccessRequest, AccessTarget, Role, User
from medlead.core.policy import Perm, can
from medlead.development.models import DevelopmentPlan, Mentor, Mentorship
from medlead.jobplans.models import JobPlan
from medlead.leadership.models import FeedbackCycle, Framework
from medlead.leave.models import LeaveRequest
from medlead.organisation.models import BoardMember, Grade, Person, Trust
from medlead.revalidation.models import Appraisal
from medlead.rota.models import Duty, ExceptionReport, Rota, RotaMember, RotaPublication, ShiftSwap
from medlead.talent.models import TalentReview
from tests.conftest import client_for
from tests.factories import (
    HoldingFactory,
    PersonFactory,
    PostFactory,
    SpecialtyFactory,
    TrustFactory,
    make_clinical_director,
    make_user,
    post_type,
)

pytestmark = pytest.mark.django_db

STAFF = {"subject", "colleague", "appraiser", "trainee", "cd_in", "cd_out", "md", "ro", "guardian", "hr", "admin"}

# (permission, record) -> the identities that may; everyone else may not.
EXPECTED: list[tuple[Perm, str, set[str]]] = [
    # the organisation
    (Perm.VIEW_ORGANISATION, "trust", STAFF | {"ned", "caldicott"}),
    (Perm.VIEW_PEOPLE, "trust", STAFF),
    (Perm.VIEW_PERSON, "subject", STAFF),
    (Perm.VIEW_PERSON, "board_member", STAFF | {"ned"}),
    (Perm.VIEW_PERSONAL_DETAILS, "subject", {"subject", "cd_in", "md", "ro", "hr", "admin"}),
    (Perm.MANAGE_PEOPLE, "trust", {"md", "hr", "admin"}),
    (Perm.VIEW_STRUCTURE_HEALTH, "trust", {"md", "ro", "hr", "ned", "admin"}),
    (Perm.VIEW_AUDIT, "trust", {"admin"}),
    # job planning: the doctor, their clinical director (in their specialty only), the MD, medical staffing
    (Perm.VIEW_JOB_PLAN, "plan", {"subject", "cd_in", "md", "hr"}),
    (Perm.EDIT_JOB_PLAN, "plan", {"subject", "cd_in", "md", "hr"}),
    (Perm.AGREE_JOB_PLAN, "plan", {"subject"}),
    (Perm.SIGN_JOB_PLAN_CD, "plan", {"cd_in"}),
    (Perm.SIGN_JOB_PLAN_MD, "plan", {"md"}),
    (Perm.DECIDE_JOB_PLAN_APPEAL, "plan", {"md"}),
    # appraisal: content is the doctor's and the appraiser's; outputs also the RO's team and the MD
    (Perm.VIEW_APPRAISAL_CONTENT, "appraisal", {"subject", "appraiser"}),
    (Perm.VIEW_APPRAISAL_OUTPUTS, "appraisal", {"subject", "appraiser", "ro", "hr", "md"}),
    (Perm.EDIT_APPRAISAL_INPUTS, "appraisal", {"subject"}),
    (Perm.EDIT_APPRAISAL_OUTPUTS, "appraisal", {"appraiser"}),
    (Perm.SIGN_OFF_APPRAISAL, "appraisal", {"appraiser"}),
    (Perm.ARRANGE_APPRAISAL, "appraisal", {"ro", "hr"}),
    (Perm.VIEW_CONCERNS, "trust", {"ro"}),
    (Perm.MAKE_RECOMMENDATIONS, "trust", {"ro"}),
    (Perm.VIEW_RO_REPORT, "trust", {"ro", "md", "hr", "ned"}),
    # development: the doctor's own; a PDP also the person asked to agree it; mentoring the pair only
    (Perm.VIEW_PDP, "pdp", {"subject", "colleague"}),
    (Perm.AGREE_PDP, "pdp", {"colleague"}),
    (Perm.EDIT_DEVELOPMENT_RECORD, "pdp", {"subject"}),
    (Perm.VIEW_MENTORSHIP, "mentorship", {"subject", "colleague"}),
    (Perm.VIEW_360_REPORT, "cycle", {"subject"}),
    (Perm.MANAGE_CYCLE, "cycle", {"subject"}),
    # talent: the review's reviewers and the MD
    (Perm.VIEW_TALENT_REVIEW, "review", {"cd_in", "md"}),
    (Perm.MANAGE_TALENT, "trust", {"md"}),
    (Perm.NOMINATE_TALENT, "trust", {"cd_in", "cd_out", "md", "ro"}),
    # exception reports: the doctor, the guardian, and whoever the rules in force on its date route it to (version
    # 13: medical workforce, the supervisor only with consent; version 12: the supervisor); fines the guardian's
    (Perm.VIEW_EXCEPTION_REPORT, "report", {"trainee", "guardian", "hr"}),
    (Perm.AGREE_EXCEPTION_OUTCOME, "report", {"hr"}),
    (Perm.VIEW_EXCEPTION_REPORT, "report_v12", {"trainee", "appraiser", "guardian"}),
    (Perm.AGREE_EXCEPTION_OUTCOME, "report_v12", {"appraiser"}),
    (Perm.FLAG_FINES, "report", {"guardian"}),
    (Perm.SUBMIT_EXCEPTION_REPORT, "trainee_person", {"trainee"}),
    (Perm.VIEW_GUARDIAN_REPORT, "trust", {"guardian", "md", "hr", "ned"}),
    (Perm.MANAGE_ROTAS, "trust", {"hr"}),
    # leave (issue 32): a doctor asks for and sees their own; the rota's coordinator (medical staffing) decides
    (Perm.REQUEST_LEAVE, "trainee_person", {"trainee"}),
    (Perm.VIEW_LEAVE, "leave", {"trainee", "hr"}),
    (Perm.DECIDE_LEAVE, "leave", {"hr"}),
    (Perm.WITHDRAW_LEAVE, "leave", {"trainee"}),
    (Perm.CANCEL_LEAVE, "leave", set()),
    (Perm.MANAGE_LEAVE, "trust", {"hr"}),
    # a resident doctor's own rota page and calendar address: the doctor on a rota, nobody else (issue 32)
    (Perm.VIEW_MY_ROTA, "trainee_person", {"trainee"}),
    (Perm.MANAGE_CALENDAR_FEED, "trainee_person", {"trainee"}),
    (Perm.VIEW_MY_ROTA, "subject", set()),  # a consultant on no rota has no "My rota"
    # publishing a rota to its doctors (issue 32): the rota coordinator, medical staffing; not its doctors
    (Perm.PUBLISH_ROTA, "rota", {"hr"}),
    # shift swaps (issue 32): a doctor sees the swaps they are party to and the open offers they may take (same
    # rota, same grade); the rota coordinator (medical staffing) sees and approves them, once accepted
    (Perm.OFFER_SWAP, "trainee_duty", {"trainee"}),
    (Perm.VIEW_SWAP, "swap_to_trainee", {"trainee", "hr"}),
    (Perm.ANSWER_SWAP, "swap_to_trainee", {"trainee"}),
    (Perm.WITHDRAW_SWAP, "swap_to_trainee", set()),
    (Perm.APPROVE_SWAP, "swap_to_trainee", set()),
    (Perm.VIEW_SWAP, "swap_open", {"trainee", "hr"}),
    (Perm.ANSWER_SWAP, "swap_open", {"trainee"}),
    (Perm.VIEW_SWAP, "swap_elsewhere", {"hr"}),
    (Perm.VIEW_SWAP, "swap_accepted", {"trainee", "hr"}),
    (Perm.WITHDRAW_SWAP, "swap_accepted", set()),
    (Perm.APPROVE_SWAP, "swap_accepted", {"hr"}),
    # concerns under MHPS: recorded by the MD or RO; a case seen only by the people named on it (here its case
    # manager, the MD), never by the doctor concerned, the RO, HR or a superuser who is not named
    (Perm.OPEN_CASE, "trust", {"md", "ro"}),
    (Perm.VIEW_CASE, "case", {"md"}),
    (Perm.MANAGE_CASE, "case", {"md"}),
    (Perm.VIEW_CASE_AUDIT, "case", {"md"}),
    (Perm.VIEW_CASE_HEALTH, "case", {"md"}),
    # the rules and values in force: every role reads them (the Caldicott guardian too); the MD and the medical
    # workforce lead confirm them
    (Perm.VIEW_VALUES, "trust", STAFF | {"ned", "caldicott"}),
    (Perm.CONFIRM_VALUES, "trust", {"md", "hr"}),
    # access: a system administrator covering the trust changes another account's roles, person link and sign-on;
    # nobody changes their own, the superuser included; a sensitive grant waits for a second approver (never the
    # one who asked, never the account's holder): here the trust's Caldicott guardian, who sees every such grant
    (Perm.MANAGE_ACCESS, "trust", {"admin"}),
    (Perm.CHANGE_ACCESS, "account", {"admin"}),
    (Perm.CHANGE_ACCESS, "admin_account", set()),
    (Perm.VIEW_ACCESS_REQUESTS, "trust", {"admin", "caldicott"}),
    (Perm.VIEW_ACCESS_REQUEST, "access_request", {"admin", "caldicott"}),
    (Perm.DECIDE_ACCESS_REQUEST, "access_request", {"caldicott"}),
    (Perm.WITHDRAW_ACCESS_REQUEST, "access_request", {"admin"}),
    # the board's picture: aggregates for the board and the medical director
    (Perm.VIEW_BOARD_PICTURE, "trust", {"md", "ned"}),
    # the board's view: metrics for the office and the board; reports written by the MD, frozen once issued;
    # an action seen and updated by its owner wherever they sit
    (Perm.VIEW_METRICS, "trust", {"md", "ro", "ned", "cd_in", "cd_out", "guardian", "hr"}),
    (Perm.MANAGE_METRICS, "trust", {"md", "hr"}),
    (Perm.VIEW_BOARD_REPORTS, "trust", {"md", "ro", "ned"}),
    (Perm.EDIT_BOARD_REPORT, "draft_report", {"md"}),
    (Perm.EDIT_BOARD_REPORT, "issued_report", set()),
    # a draft is read by the medical director's office only; the board reads a version once issued (issue 31)
    (Perm.VIEW_BOARD_REPORT, "draft_report", {"md"}),
    (Perm.VIEW_BOARD_REPORT, "issued_report", {"md", "ro", "ned"}),
    (Perm.VIEW_MEETINGS, "trust", {"md", "ro", "ned"}),
    (Perm.MANAGE_MEETINGS, "trust", {"md"}),
    (Perm.VIEW_ACTION, "action", {"subject", "md", "ro", "ned"}),
    (Perm.UPDATE_ACTION, "action", {"subject", "md"}),
    (Perm.VIEW_EXTERNAL, "trust", {"md", "ro"}),
    (Perm.MANAGE_EXTERNAL, "trust", {"md"}),
    # fit and proper person records: the chair (here the board member "ned" chairs), the company secretary, and
    # the member (the medical director's own seat); never a superuser, the RO or HR
    (Perm.MANAGE_FPPT, "trust", {"ned"}),
    (Perm.SUBMIT_FPPT_RETURN, "trust", {"ned"}),
    (Perm.VIEW_FPPT, "fppt", {"ned", "md"}),
    (Perm.ATTEST_FPPT, "fppt", {"md"}),
    (Perm.SIGN_OFF_FPPT, "fppt", {"ned"}),
    # the board's register: the chair (and the company secretary) keep it, never their own seat; the superuser
    # has no way to a seat; a seat as chair waits for a second approver (never the one who asked, never the person
    # seated): here a system administrator or the Caldicott guardian
    (Perm.MANAGE_BOARD, "trust", {"ned"}),
    (Perm.MANAGE_BOARD, "md_seat", {"ned"}),
    (Perm.MANAGE_BOARD, "chair_seat", set()),
    (Perm.DECIDE_ACCESS_REQUEST, "seat_request", {"admin", "caldicott"}),
    (Perm.DECIDE_ACCESS_REQUEST, "md_seat_request", {"admin", "caldicott"}),
    (Perm.VIEW_ACCESS_REQUEST, "seat_request", {"ned", "admin", "caldicott"}),
    (Perm.WITHDRAW_ACCESS_REQUEST, "seat_request", {"ned"}),
    # award applications: the consultant's own; the employer (the MD, medical staffing) once submitted
    (Perm.PREPARE_AWARD, "subject", {"subject"}),
    (Perm.EDIT_AWARD, "award", set()),
    (Perm.VIEW_AWARD, "award", {"subject", "md", "hr"}),
    (Perm.VERIFY_AWARD, "award", {"md", "hr"}),
    (Perm.VIEW_AWARDS, "trust", {"md", "hr"}),
    (Perm.VIEW_AWARDS_SUMMARY, "trust", {"md"}),
    # colleague and patient feedback for revalidation (issue 33): any doctor starts their own; an exercise is known
    # to its doctor and its facilitator (here the appraiser) only; the doctor invites colleagues while it is open;
    # either prints patient cards while it is open; the facilitator runs it, never the doctor; the responsible
    # officer and medical staffing name the trust's feedback administrators and load its own questionnaires
    (Perm.START_FEEDBACK_EXERCISE, "trust", {"subject", "colleague", "appraiser", "trainee", "cd_in", "cd_out", "md"}),
    (Perm.VIEW_FEEDBACK_EXERCISE, "feedback_exercise", {"subject", "appraiser"}),
    (Perm.INVITE_COLLEAGUES, "feedback_exercise", {"subject"}),
    (Perm.PRINT_PATIENT_CARDS, "feedback_exercise", {"subject", "appraiser"}),
    (Perm.MANAGE_FEEDBACK_EXERCISE, "feedback_exercise", {"appraiser"}),
    (Perm.VIEW_FEEDBACK_EXERCISE, "feedback_closed", {"subject", "appraiser"}),
    (Perm.INVITE_COLLEAGUES, "feedback_closed", set()),
    (Perm.PRINT_PATIENT_CARDS, "feedback_closed", set()),
    (Perm.MANAGE_FEEDBACK_EXERCISE, "feedback_closed", {"appraiser"}),
    (Perm.MANAGE_FEEDBACK_ADMINISTRATORS, "trust", {"ro", "hr"}),
]

IDENTITIES = sorted(STAFF | {"ned", "caldicott", "other_md", "anonymous"})


@pytest.fixture
def world(trust: Trust) -> dict[str, Any]:
    cardiology = SpecialtyFactory(trust=trust, name="Cardiology")
    respiratory = SpecialtyFactory(trust=trust, name="Respiratory medicine")
    subject_p = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=cardiology)
    colleague_p = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=cardiology)
    appraiser_p = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=respiratory)
    trainee_p = PersonFactory(trust=trust, grade=Grade.SPECIALTY_REGISTRAR, specialty=cardiology)
    ned_p = PersonFactory(trust=trust, grade="", kind="manager")
    BoardMember.objects.create(trust=trust, person=ned_p, role="chair", start=dt.date(2024, 1, 1))
    md_p = PersonFactory(trust=trust)
    HoldingFactory(post=PostFactory(trust=trust, post_type=post_type("medical_director")), person=md_p)
    other = TrustFactory()
    users: dict[str, User | None] = {
        "subject": make_user((Role.DOCTOR, trust), person=subject_p),
        "colleague": make_user((Role.DOCTOR, trust), person=colleague_p),
        "appraiser": make_user((Role.DOCTOR, trust), person=appraiser_p),
        "trainee": make_user((Role.DOCTOR, trust), person=trainee_p),
        "cd_in": make_clinical_director(trust, cardiology),
        "cd_out": make_clinical_director(trust, respiratory),
        "md": make_user((Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), person=md_p),
        "ro": make_user((Role.RESPONSIBLE_OFFICER, trust)),
        "guardian": make_user((Role.GUARDIAN, trust)),
        "hr": make_user((Role.MEDICAL_STAFFING, trust)),
        "ned": make_user((Role.NON_EXECUTIVE, trust), person=ned_p),
        "admin": make_user((Role.SYSTEM_ADMIN, None), is_superuser=True, is_staff=True),
        "caldicott": make_user((Role.CALDICOTT_GUARDIAN, trust)),
        "other_md": make_user((Role.MEDICAL_DIRECTOR, other)),
        "anonymous": None,
    }
    framework = Framework.objects.filter(trust__isnull=True).first()
    assert framework is not None
    cd_in_person = users["cd_in"].person  # type: ignore[union-attr]
    review = TalentReview.objects.create(trust=trust, person=subject_p, reviewed_on=dt.date(2026, 6, 1), notes="x")
    review.reviewers.add(cd_in_person)
    records: dict[str, Any] = {
        "trust": trust,
        "subject": subject_p,
        "trainee_person": trainee_p,
        "board_member": ned_p,
        "plan": JobPlan.objects.create(trust=trust, person=subject_p, year=2026, state="agreed"),
        "appraisal": Appraisal.objects.create(
            trust=trust, person=subject_p, year=2026, appraiser=appraiser_p, status="completed"
        ),
        "pdp": DevelopmentPlan.objects.create(
            trust=trust,
            person=subject_p,
            starts_on=dt.date(2026, 4, 1),
            ends_on=dt.date(2027, 3, 31),
            status="awaiting",
            agreer=colleague_p,
        ),
        "mentorship": Mentorship.objects.create(
            trust=trust,
            mentee=subject_p,
            mentor=Mentor.objects.create(trust=trust, person=colleague_p, kind="mentor", areas="Board work"),
            goals="Prepare for a clinical director post",
            status="active",
        ),
        "cycle": FeedbackCycle.objects.create(
            trust=trust,
            subject=subject_p,
            framework=framework,
            closes_on=dt.date(2026, 6, 1),
            status="closed",
            closed_at=timezone.now(),
        ),
        # under version 13 (from 4 February 2026): routed to medical workforce, not shared with the supervisor
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
        # under version 12: the educational supervisor agreed the outcome
        "report_v12": ExceptionReport.objects.create(
            trust=trust,
            doctor=trainee_p,
            supervisor=appraiser_p,
            occurred_on=dt.date(2026, 1, 12),
            kind="rest",
            description="Missed rest",
            rules_version="v12",
            route="supervisor",
        ),
        "review": review,
    }
    ward = Rota.objects.create(trust=trust, name="Cardiology registrars")
    RotaMember.objects.create(trust=trust, rota=ward, person=trainee_p)
    records["leave"] = LeaveRequest.objects.create(
        trust=trust,
        person=trainee_p,
        rota=ward,
        kind="annual",
        first_day=dt.date(2027, 3, 1),
        last_day=dt.date(2027, 3, 5),
    )
    from medlead.concerns.models import Case, CaseRole

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
    records["case"] = case
    from medlead.governance.models import Action, BoardReport, Meeting

    meeting = Meeting.objects.create(trust=trust, on=dt.date(2026, 12, 10))
    records["draft_report"] = BoardReport.objects.create(trust=trust, meeting=meeting, version=1)
    records["issued_report"] = BoardReport.objects.create(trust=trust, meeting=meeting, version=2, status="issued")
    from medlead.fitproper.models import Assessment

    md_seat = BoardMember.objects.create(trust=trust, person=md_p, role="medical_director", start=dt.date(2024, 1, 1))
    records["md_seat"] = md_seat
    records["chair_seat"] = BoardMember.objects.get(person=ned_p)
    # the chair asks that a person be seated as chair: a seat that opens fit and proper records
    records["seat_request"] = AccessRequest.objects.create(
        trust=trust,
        kind="board_seat",
        person=subject_p,
        board_role="chair",
        reason="Appointed by the council of governors",
        requested_by=users["ned"],
        requested_at=timezone.now(),
    )
    # the chair asks that a seat be named senior independent director (an executive's, refused on approval)
    records["md_seat_request"] = AccessRequest.objects.create(
        trust=trust,
        kind="senior_independent",
        person=md_p,
        board_seat=md_seat,
        reason="Named by the board",
        requested_by=users["ned"],
        requested_at=timezone.now(),
    )
    records["fppt"] = Assessment.objects.create(
        trust=trust, member=md_seat, kind="annual", year=2026, due_on=dt.date(2026, 12, 1)
    )
    from medlead.awards.models import Application

    records["award"] = Application.objects.create(
        trust=trust, person=subject_p, round_year=2027, level="N1", status="submitted", domains={"service": "x"}
    )
    records["action"] = Action.objects.create(
        trust=trust, meeting=meeting, title="Review the rota", owner=subject_p, due=dt.date(2026, 12, 1)
    )
    records.update(_swaps(trust, trainee_p))
    records["account"] = AccessTarget(users["colleague"], trust=trust)
    records["admin_account"] = AccessTarget(users["admin"], trust=trust)
    records["access_request"] = AccessRequest.objects.create(
        trust=trust,
        account=users["colleague"],
        kind="role",
        role="company_secretary",
        role_trust=trust,
        reason="Covering the board's governance",
        requested_by=users["admin"],
        requested_at=timezone.now(),
    )
    # issue 32: a rota of the trainee's, published to its doctors for a rotation
    records["rota"] = rota = Rota.objects.create(trust=trust, name="Medicine registrars")
    RotaMember.objects.create(trust=trust, rota=rota, person=trainee_p)
    records["publication"] = RotaPublication.objects.create(
        trust=trust,
        rota=rota,
        starts_on=dt.date(2026, 12, 2),
        work_schedule_issued_on=dt.date(2026, 10, 7),
        published_on=dt.date(2026, 10, 21),
        work_schedule_weeks=8,
        rota_weeks=6,
        work_schedule_on_time=True,
        rota_on_time=True,
    )
    records.update(_feedback_exercises(trust, subject_p, appraiser_p))
    return {"users": users, "records": records}


def _feedback_exercises(trust: Trust, doctor: Person, facilitator: Person) -> dict[str, Any]:
    """Issue 33: the subject's open feedback exercise run by the appraiser, and a closed one."""
    from medlead.feedback.models import Exercise, Questionnaire
    from medlead.feedback.questionnaires import load_national

    load_national()
    colleague = Questionnaire.objects.get(trust=None, kind="colleague")
    made = {
        name: Exercise.objects.create(
            trust=trust,
            doctor=doctor,
            facilitator=facilitator,
            colleague_questionnaire=colleague,
            opens_on=dt.date(2026, 11, 2),
            closes_on=dt.date(2026, 12, 14),
            status=status,
        )
        for name, status in (("feedback_exercise", "open"), ("feedback_closed", "closed"))
    }
    return made


def registrar(trust: Trust) -> Person:
    return PersonFactory(trust=trust, grade=Grade.SPECIALTY_REGISTRAR)


def _swaps(trust: Trust, trainee: Any) -> dict[str, Any]:
    """A rota of registrars (the trainee and two colleagues without accounts) with shifts to come, and swaps on it;
    an open offer on another rota, which the trainee is not on."""
    start = timezone.now() + dt.timedelta(days=30)
    r2, r3 = (registrar(trust) for _ in range(2))
    rota, elsewhere = Rota.objects.create(trust=trust, name="Registrars"), Rota.objects.create(trust=trust, name="B")
    duties = {}
    for p in (trainee, r2, r3):
        RotaMember.objects.create(trust=trust, rota=rota, person=p)
        duties[p.pk] = Duty.objects.create(
            trust=trust, rota=rota, person=p, start=start, end=start + dt.timedelta(hours=10)
        )
    RotaMember.objects.create(trust=trust, rota=elsewhere, person=r2)

    def swap(by: Any, **extra: Any) -> ShiftSwap:
        duty = duties[by.pk]
        return ShiftSwap.objects.create(
            trust=trust,
            rota=extra.pop("rota", rota),
            offered_by=by,
            duty=duty,
            duty_start=duty.start,
            duty_end=duty.end,
            grades=[Grade.SPECIALTY_REGISTRAR],
            **extra,
        )

    return {
        "trainee_duty": duties[trainee.pk],
        "swap_to_trainee": swap(r2, to=trainee),
        "swap_open": swap(r2),
        "swap_elsewhere": swap(r2, rota=elsewhere),
        "swap_accepted": swap(trainee, to=r3, taken_by=r3, status="accepted"),
    }


@pytest.mark.parametrize(("perm", "record", "allowed"), EXPECTED, ids=[f"{p.value}@{r}" for p, r, _ in EXPECTED])
def test_the_hand_written_matrix(world: dict[str, Any], perm: Perm, record: str, allowed: set[str]) -> None:
    obj = world["records"][record]
    got = {name for name in IDENTITIES if can(world["users"][name], perm, obj)}
    assert got == allowed, f"unexpected: {sorted(got - allowed)}; missing: {sorted(allowed - got)}"


# Pages a user opens: (identity, page) -> HTTP status. 404 for another trust, 302 to sign-in when signed out.
# A confidential record's page answers 404 to everyone the policy does not name, in the same trust too: whether it
# exists is itself confidential (issue 29); other pages answer the styled 403.
CONFIDENTIAL = {
    "appraisal",
    "an appraisal's PDF",
    "pdp",
    "mentorship",
    "360 report",
    "talent review",
    "exception report",
    "leave request",
    "my rota",
    "a feedback exercise",
    "a feedback exercise's patient cards",
}
# Pages that answer 404 to some who may open the section but not this record: a draft board report, to the board
# members and the responsible officer, who read the trust's reports once issued (issue 31).
HIDDEN_FROM = {"a draft board report": {"ro", "ned"}}
PAGES = {
    "plan": ("/t/{t}/job-plans/{plan}/", {"subject", "cd_in", "md", "hr"}),
    "appraisal": ("/t/{t}/appraisals/{appraisal}/", {"subject", "appraiser", "ro", "hr", "md"}),
    # issue 33: the appraisal's outputs as a PDF, for whoever may read the outputs (ADR 0028)
    "an appraisal's PDF": ("/t/{t}/appraisals/{appraisal}/pdf/", {"subject", "appraiser", "ro", "hr", "md"}),
    "pdp": ("/t/{t}/development/plans/{pdp}/", {"subject", "colleague"}),
    "mentorship": ("/t/{t}/development/mentoring/{mentorship}/", {"subject", "colleague"}),
    "360 report": ("/t/{t}/leadership/360/{cycle}/report/", {"subject"}),
    "talent review": ("/t/{t}/talent/reviews/{review}/", {"cd_in", "md"}),
    "exception report": ("/t/{t}/exception-reports/{report}/", {"trainee", "guardian", "hr"}),
    "leave request": ("/t/{t}/leave/{leave}/", {"trainee", "hr"}),
    # the doctor's own page: no one has a "My rota" of another, a rota coordinator included (issue 32)
    "my rota": ("/t/{t}/my-rota/", {"trainee"}),
    "people": ("/t/{t}/people/", STAFF),
    "a doctor": ("/t/{t}/people/{subject}/", STAFF),
    "a board member": ("/t/{t}/people/{board_member}/", STAFF | {"ned"}),
    "revalidation": ("/t/{t}/revalidation/", {"ro", "hr", "md"}),
    "audit": ("/audit/", {"admin"}),
    "the board's view": ("/t/{t}/board/", {"md", "ro", "ned", "cd_in", "cd_out", "guardian", "hr"}),
    "a draft board report": ("/t/{t}/board/reports/{draft_report}/", {"md"}),
    "an issued board report": ("/t/{t}/board/reports/{issued_report}/", {"md", "ro", "ned"}),
    "an action": ("/t/{t}/board/actions/{action}/", {"subject", "md", "ro", "ned"}),
    "external bodies": ("/t/{t}/board/external/", {"md", "ro"}),
    "fit and proper register": ("/t/{t}/fit-and-proper/", {"ned"}),
    "the board's members": ("/t/{t}/fit-and-proper/board/", {"ned"}),
    "accounts and access": ("/t/{t}/access/", {"admin"}),
    "grants of access": ("/t/{t}/access/requests/", {"admin", "caldicott"}),
    # issue 32: publishing a rota, and a publication's confirmation, are the rota coordinator's
    "publish a rota": ("/t/{t}/rotas/{rota}/publish/", {"hr"}),
    "a rota's publication": ("/t/{t}/rotas/{rota}/publications/{publication}/", {"hr"}),
    # issue 33: an exercise is known to its doctor and its facilitator only (404 for everyone else); the trust's
    # own questionnaires are loaded by the responsible officer and medical staffing
    "a feedback exercise": ("/t/{t}/revalidation-feedback/{feedback_exercise}/", {"subject", "appraiser"}),
    "a feedback exercise's patient cards": (
        "/t/{t}/revalidation-feedback/{feedback_exercise}/cards/",
        {"subject", "appraiser"},
    ),
    "the trust's feedback questionnaires": ("/t/{t}/revalidation-feedback/questionnaires/", {"ro", "hr"}),
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_pages_answer_as_the_table_says(world: dict[str, Any], page: str) -> None:
    pattern, allowed = PAGES[page]
    records = world["records"]
    url = pattern.format(t=records["trust"].code, **{k: getattr(v, "pk", None) for k, v in records.items()})
    for name in IDENTITIES:
        user = world["users"][name]
        if user is None:
            from django.test import Client

            status = Client().get(url).status_code
            assert status == 302, (name, url, status)
            continue
        response = client_for(user).get(url)
        status = response.status_code
        if status == 403 and not url.startswith("/audit/"):
            assert "You cannot open this page" in response.content.decode(), (name, url)  # a page, not a bare 403
        if name in allowed:
            assert status == 200, (name, url, status)
        elif name == "other_md":
            assert status in (403, 404), (name, url, status)
        else:
            hidden = page in CONFIDENTIAL or name in HIDDEN_FROM.get(page, set())
            assert status == (404 if hidden else 403), (name, url, status)


def test_a_fit_and_proper_record_is_found_only_by_those_the_policy_names(world: dict[str, Any]) -> None:
    """Everyone else gets 404 (a record's existence is itself confidential), the superuser included."""
    records = world["records"]
    url = f"/t/{records['trust'].code}/fit-and-proper/assessments/{records['fppt'].pk}/"
    for name in IDENTITIES:
        user = world["users"][name]
        if user is None:
            continue
        status = client_for(user).get(url).status_code
        assert status == (200 if name in {"ned", "md"} else 404), (name, status)


def test_a_case_is_found_only_by_those_named_on_it(world: dict[str, Any]) -> None:
    """Everyone not named on a case gets 404 (its existence is itself confidential), not 403."""
    records = world["records"]
    base = f"/t/{records['trust'].code}/concerns/{records['case'].pk}/"
    for url in (base, base + "audit/"):
        for name in IDENTITIES:
            user = world["users"][name]
            if user is None:
                from django.test import Client

                assert Client().get(url).status_code == 302, (name, url)
                continue
            status = client_for(user).get(url).status_code
            assert status == (200 if name == "md" else 404), (name, url, status)


# Each confidential record, read once by someone the policy names: exactly one audit row for that read, naming
# who and which record, and none of the record's content anywhere in the trail.
READS = [
    ("appraisal", "subject", "/t/{t}/appraisals/{appraisal}/"),
    ("appraisal", "ro", "/t/{t}/appraisals/{appraisal}/"),
    ("appraisal", "md", "/t/{t}/appraisals/{appraisal}/pdf/"),
    ("mentorship", "colleague", "/t/{t}/development/mentoring/{mentorship}/"),
    ("cycle", "subject", "/t/{t}/leadership/360/{cycle}/report/"),
    ("report", "guardian", "/t/{t}/exception-reports/{report}/"),
    ("review", "md", "/t/{t}/talent/reviews/{review}/"),
    ("case", "md", "/t/{t}/concerns/{case}/"),
]


@pytest.mark.parametrize(("record", "who", "pattern"), READS, ids=[f"{r}-by-{w}" for r, w, _ in READS])
def test_every_confidential_read_leaves_one_audit_row_without_content(
    world: dict[str, Any], record: str, who: str, pattern: str
) -> None:
    from medlead.core.audit import AuditEvent

    records = world["records"]
    obj = records[record]
    url = pattern.format(t=records["trust"].code, **{k: getattr(v, "pk", None) for k, v in records.items()})
    user = world["users"][who]
    before = AuditEvent.objects.count()
    assert client_for(user).get(url).status_code == 200
    rows = list(AuditEvent.objects.filter(action="read", object_pk=str(obj.pk), model=obj._meta.label_lower))
    assert len(rows) == 1 and AuditEvent.objects.count() == before + 1
    assert rows[0].actor_id == user.pk and rows[0].changes in ({}, None)


def test_the_audit_trail_names_changed_appraisal_fields_but_never_their_content(world: dict[str, Any]) -> None:
    from medlead.core.audit import AuditEvent
    from medlead.revalidation import services as revalidation

    appraisal = world["records"]["appraisal"]
    secret = "I struggled with burnout this year"
    revalidation.appraisal_update_inputs(actor=world["users"]["subject"], appraisal=appraisal, achievements=secret)
    event = AuditEvent.objects.filter(model="revalidation.appraisal", action="update").latest("pk")
    assert "achievements" in event.changes
    assert secret not in str(event.changes) and event.changes["achievements"][1] == "(withheld)"
    admin = client_for(world["users"]["admin"])
    page = admin.get("/audit/").content.decode()
    # the trust-wide trail: an appraisal is "a confidential record", with neither its kind, its fields nor content
    assert "Updated a confidential record" in page
    assert "revalidation.appraisal" not in page and "achievements" not in page and secret not in page
    # and asking for appraisals by name lists nothing, so the filter cannot tell which confidential rows they are
    filtered = admin.get("/audit/?model=revalidation.appraisal").content.decode()
    assert "Nothing to show." in filtered and "Updated a confidential record" not in filtered


def test_medical_staffing_cannot_sign_an_appraisal_off_and_a_superuser_cannot_write_others_records(
    world: dict[str, Any],
) -> None:
    appraisal = world["records"]["appraisal"]
    url = f"/t/{world['records']['trust'].code}/appraisals/{appraisal.pk}/"
    hr = client_for(world["users"]["hr"])
    page = hr.get(url).content.decode()
    assert 'value="signed_off"' not in page  # not offered
    hr.post(url + "status/", {"status": "signed_off"})
    assert Appraisal.objects.get(pk=appraisal.pk).status == "completed"
    admin = client_for(world["users"]["admin"])
    # the superuser may not read the appraisal, so it is not found, for writing either
    assert admin.post(url + "inputs/", {"achievements": "written by the superuser"}).status_code == 404
    assert admin.post(url + "outputs/", {"summary": "x", "sign_off": "on"}).status_code == 404
    assert "superuser" not in Appraisal.objects.get(pk=appraisal.pk).achievements


def test_a_role_granted_on_the_access_pages_is_audited_with_its_reason(world: dict[str, Any]) -> None:
    from medlead.accounts.models import RoleAssignment
    from medlead.core.audit import AuditEvent

    admin = client_for(world["users"]["admin"])
    target = world["users"]["colleague"]
    trust = world["records"]["trust"]
    data = {"role": "clinical_director", "scope": "trust", "reason": "Appointed clinical director of cardiology"}
    url = f"/t/{trust.code}/access/accounts/{target.pk}/grant-role/"
    assert "Check your answers" in admin.post(url, data).content.decode()
    assert admin.post(url + "confirm/", data).status_code == 302
    grant = RoleAssignment.objects.get(user=target, role="clinical_director")
    event = AuditEvent.objects.get(model="accounts.roleassignment", object_pk=str(grant.pk), action="create")
    assert event.actor_id == world["users"]["admin"].pk and "Appointed clinical director" in event.note
    assert admin.get(f"/admin/accounts/user/{target.pk}/change/").status_code == 404  # not in the admin


def test_the_lists_of_exception_reports_follow_the_same_rule_as_each_report(world: dict[str, Any]) -> None:
    """Hand-written: who finds which of the two reports in their list (version 13 'report', version 12 'report_v12')."""
    from medlead.rota.selectors import exception_reports

    expected = {
        "trainee": {"report", "report_v12"},
        "guardian": {"report", "report_v12"},
        "hr": {"report"},
        "appraiser": {"report_v12"},
        "md": set(),
        "colleague": set(),
        "admin": set(),
    }
    records = world["records"]
    names = {records["report"].pk: "report", records["report_v12"].pk: "report_v12"}
    for who, wanted in expected.items():
        found = {names[r.pk] for r in exception_reports(user=world["users"][who], trust=records["trust"])}
        assert found == wanted, who
