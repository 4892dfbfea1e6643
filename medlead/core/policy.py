"""Who may do what: the one mechanism medlead decides it with.

Every permission is a member of ``Perm``. Each has one rule, a function of (actor, object), registered by the app
that owns the record (``<app>/permissions.py`` calls ``register({...})`` when the app loads: core finds those
modules by name and imports no app). A rule is built from three kinds of fact, and nothing else:

- **a role over the object's trust** (``role(...)``): a role held for that trust, for its region, or nationally;
- **the actor's area** (``role(..., area=True)``): clinical directors and associate medical directors act only
  within the specialties their current posts cover (``area_of``); other roles cover the whole trust;
- **a relationship to the record** (``rel("person_id")`` and friends): the doctor whose record it is, their
  appraiser, the person asked to agree a plan, a mentor, a reviewer.

The facts core cannot read itself, because they live in apps' tables (the posts a person holds today, the
specialties of a division, current board seats), are supplied by those apps through ``register_facts``. A
permission no app has given a rule answers no (fail closed); ``unruled()`` lists them, and a system check and a
test report any.

``can(actor, perm, obj)`` answers; ``require(actor, perm, obj)`` refuses with ``Forbidden`` (a
``PermissionDenied`` that says, in plain words, what the actor cannot do). A confidential record is different:
whether it exists is itself confidential, so ``read`` and ``require_known`` answer ``Http404`` (the same page as a
record that does not exist) to anyone who may not read it, within a trust as across trusts; the 403 stays for an
action on a record the actor may read. Services call ``require`` before they
read confidential data or write; views, the API, commands and tasks reach records only through services and
selectors, and templates ask ``can(request.user, Perm.X, obj)`` with a ``Perm`` member, never a string.

**No account bypasses this.** Django's superuser flag (which makes ``user.has_perm`` answer yes to
everything) is never consulted: a superuser may run the Django admin, but sees a doctor's appraisal, a 360 or a
talent review only if a rule names them. The system acts as a ``SystemActor`` (``core.actors``): ``require`` and
``read`` let it through, ``can`` never answers yes for it, and ``None`` is refused. Record lifecycles (states,
moves and who may make each) are built on the permissions here. The rule for every role, with its sources, is
written out in ``docs/permissions.md``.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

from django.core import checks
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404

from medlead.core import audit as auditor
from medlead.core import dates
from medlead.core.actors import SystemActor
from medlead.core.roles import Role

Rule = Callable[[Any, Any], bool]


class Perm(StrEnum):
    # --- over a trust (held through a role) --------------------------------------------------------------
    VIEW_ORGANISATION = "organisation.view"
    VIEW_PEOPLE = "organisation.view_people"
    VIEW_PERSONAL_DETAILS = "organisation.view_personal_details"
    MANAGE_PEOPLE = "organisation.manage_people"
    RUN_IMPORT = "organisation.run_import"
    VIEW_STRUCTURE_HEALTH = "structure.view_health"
    MANAGE_STRUCTURE = "structure.manage"
    VIEW_AUDIT = "audit.view"
    VIEW_ROTAS = "rota.view"
    MANAGE_ROTAS = "rota.manage"
    VIEW_ALL_EXCEPTION_REPORTS = "rota.view_all_exception_reports"
    FLAG_FINES = "rota.flag_fines"
    VIEW_GUARDIAN_REPORT = "rota.view_guardian_report"
    VIEW_JOB_PLANS = "jobplans.view_all"
    MANAGE_JOB_PLANS = "jobplans.manage"
    VIEW_REVALIDATION = "revalidation.view"
    MANAGE_APPRAISALS = "revalidation.manage_appraisals"
    MAKE_RECOMMENDATIONS = "revalidation.recommend"
    VIEW_CONCERNS = "revalidation.view_concerns"
    OPEN_CASE = "concerns.open_case"
    VIEW_CASE = "concerns.view_case"
    MANAGE_CASE = "concerns.manage_case"
    VIEW_CASE_AUDIT = "concerns.view_case_audit"
    VIEW_CASE_HEALTH = "concerns.view_case_health"
    VIEW_RO_REPORT = "revalidation.view_report"
    VIEW_BOARD_PICTURE = "organisation.view_board_picture"
    VIEW_LEADERSHIP_AGGREGATE = "leadership.view_aggregate"
    MANAGE_FRAMEWORKS = "leadership.manage_frameworks"
    MANAGE_OPENINGS = "development.manage_openings"
    MANAGE_MENTOR_REGISTER = "development.manage_mentors"
    NOMINATE_TALENT = "talent.nominate"
    MANAGE_TALENT = "talent.manage"
    VIEW_METRICS = "governance.view_metrics"
    MANAGE_METRICS = "governance.manage_metrics"
    VIEW_BOARD_REPORTS = "governance.view_board_reports"
    EDIT_BOARD_REPORT = "governance.edit_board_report"
    VIEW_BOARD_REPORT = "governance.view_board_report"
    VIEW_MEETINGS = "governance.view_meetings"
    MANAGE_MEETINGS = "governance.manage_meetings"
    VIEW_EXTERNAL = "governance.view_external"
    MANAGE_EXTERNAL = "governance.manage_external"
    MANAGE_FPPT = "fitproper.manage"
    MANAGE_BOARD = "fitproper.manage_board"
    SUBMIT_FPPT_RETURN = "fitproper.submit_return"
    VIEW_AWARDS = "awards.view_all"
    VIEW_AWARDS_SUMMARY = "awards.view_summary"
    VIEW_VALUES = "rulebook.view_values"
    CONFIRM_VALUES = "rulebook.confirm_values"
    # --- over one record ---------------------------------------------------------------------------------
    VIEW_PERSON = "organisation.view_person"
    SUBMIT_EXCEPTION_REPORT = "rota.submit_exception_report"
    VIEW_EXCEPTION_REPORT = "rota.view_exception_report"
    AGREE_EXCEPTION_OUTCOME = "rota.agree_exception_outcome"
    VIEW_JOB_PLAN = "jobplans.view_plan"
    EDIT_JOB_PLAN = "jobplans.edit_plan"
    AGREE_JOB_PLAN = "jobplans.agree"
    REFER_JOB_PLAN = "jobplans.refer"
    RESUME_JOB_PLAN = "jobplans.resume_after_mediation"
    APPEAL_JOB_PLAN = "jobplans.appeal"
    SIGN_JOB_PLAN_CD = "jobplans.sign_cd"
    SIGN_JOB_PLAN_MD = "jobplans.sign_md"
    DECIDE_JOB_PLAN_APPEAL = "jobplans.decide_appeal"
    VIEW_APPRAISAL_OUTPUTS = "revalidation.view_appraisal_outputs"
    VIEW_APPRAISAL_CONTENT = "revalidation.view_appraisal_content"
    EDIT_APPRAISAL_INPUTS = "revalidation.edit_appraisal_inputs"
    EDIT_APPRAISAL_OUTPUTS = "revalidation.edit_appraisal_outputs"
    SIGN_OFF_APPRAISAL = "revalidation.sign_off_appraisal"
    ARRANGE_APPRAISAL = "revalidation.arrange_appraisal"
    DECIDE_MISSED_APPRAISAL = "revalidation.decide_missed"
    VIEW_ASSESSMENT = "leadership.view_assessment"
    MANAGE_CYCLE = "leadership.manage_cycle"
    CLOSE_CYCLE = "leadership.close_cycle"
    APPROVE_RATERS = "leadership.approve_raters"
    VIEW_360_REPORT = "leadership.view_report"
    VIEW_DEVELOPMENT_RECORD = "development.view_record"
    EDIT_DEVELOPMENT_RECORD = "development.edit_record"
    VIEW_PDP = "development.view_plan"
    AGREE_PDP = "development.agree_plan"
    VIEW_MENTORSHIP = "development.view_mentorship"
    RESPOND_MENTORSHIP = "development.respond_mentorship"
    DECIDE_OPENING = "development.decide_opening"
    VIEW_TALENT_REVIEW = "talent.view_review"
    CONFIRM_IMPORT = "organisation.confirm_import"
    RETRY_IMPORT = "organisation.retry_import"
    VIEW_ACTION = "governance.view_action"
    UPDATE_ACTION = "governance.update_action"
    VIEW_FPPT = "fitproper.view"
    ATTEST_FPPT = "fitproper.attest"
    SIGN_OFF_FPPT = "fitproper.sign_off"
    PREPARE_AWARD = "awards.prepare"
    EDIT_AWARD = "awards.edit"
    VIEW_AWARD = "awards.view"
    VERIFY_AWARD = "awards.verify"
    RECORD_AWARD_OUTCOME = "awards.record_outcome"
    CHANGE_ACCESS = "accounts.change_access"
    MANAGE_ACCESS = "accounts.manage_access"
    VIEW_ACCESS_REQUESTS = "accounts.view_access_requests"
    VIEW_ACCESS_REQUEST = "accounts.view_access_request"
    DECIDE_ACCESS_REQUEST = "accounts.decide_access_request"
    WITHDRAW_ACCESS_REQUEST = "accounts.withdraw_access_request"
    # --- issue 32: leave ---
    MANAGE_LEAVE = "leave.manage"
    REQUEST_LEAVE = "leave.request"
    VIEW_LEAVE = "leave.view"
    DECIDE_LEAVE = "leave.decide"
    WITHDRAW_LEAVE = "leave.withdraw"
    CANCEL_LEAVE = "leave.ask_cancel"
    # --- issue 32: myrota ---
    VIEW_MY_ROTA = "residents.view_my_rota"
    MANAGE_CALENDAR_FEED = "residents.manage_calendar_feed"
    # --- issue 32: publish ---
    PUBLISH_ROTA = "rota.publish"
    # --- issue 32: swaps ---
    OFFER_SWAP = "rota.offer_swap"
    VIEW_SWAP = "rota.view_swap"
    ANSWER_SWAP = "rota.answer_swap"
    WITHDRAW_SWAP = "rota.withdraw_swap"
    APPROVE_SWAP = "rota.approve_swap"
    # --- issue 33: colleague and patient feedback for revalidation ---
    START_FEEDBACK_EXERCISE = "feedback.start"
    VIEW_FEEDBACK_EXERCISE = "feedback.view_exercise"
    INVITE_COLLEAGUES = "feedback.invite"
    PRINT_PATIENT_CARDS = "feedback.print_cards"
    MANAGE_FEEDBACK_EXERCISE = "feedback.manage"
    RELEASE_FEEDBACK_REPORT = "feedback.release"
    VIEW_FEEDBACK_REPORT = "feedback.view_report"
    REFLECT_ON_FEEDBACK = "feedback.reflect"
    VIEW_FEEDBACK_STATUS = "feedback.view_status"
    MANAGE_FEEDBACK_ADMINISTRATORS = "feedback.manage_administrators"
    # --- issue 34: across trusts, the information transfer between responsible officers ---
    REQUEST_INFORMATION_TRANSFER = "transfers.request"
    COMPLETE_INFORMATION_TRANSFER = "transfers.complete"
    READ_INFORMATION_TRANSFER = "transfers.read"
    VIEW_INFORMATION_TRANSFER = "transfers.view"
    WITHDRAW_INFORMATION_TRANSFER = "transfers.withdraw"
    # --- issue 34: across trusts, lead employers and host trusts ---
    MANAGE_PLACEMENTS = "organisation.manage_placements"
    VIEW_PLACEMENTS = "organisation.view_placements"
    VIEW_PLACEMENT = "organisation.view_placement"
    # --- issue 34: across trusts, development ---
    JOIN_TALENT_POOL = "talent.join_pool"
    SEARCH_TALENT_POOL = "talent.search_pool"
    PUBLISH_OPENING = "development.publish_opening"
    VIEW_APPLICATION = "development.view_application"
    VIEW_SECONDMENT = "structure.view_secondment"
    AGREE_SECONDMENT = "structure.agree_secondment"
    # --- issue 34: across trusts, the region's view ---
    VIEW_REGION = "regions.view"


# What each refusal tells the user: "You cannot <this>."
DOING: dict[Perm, str] = {
    Perm.VIEW_ORGANISATION: "see this trust",
    Perm.VIEW_PEOPLE: "see the trust's people directory",
    Perm.VIEW_PERSONAL_DETAILS: "see people's personal and contract details",
    Perm.MANAGE_PEOPLE: "add or change people",
    Perm.RUN_IMPORT: "import files for this trust",
    Perm.VIEW_STRUCTURE_HEALTH: "see structure health",
    Perm.MANAGE_STRUCTURE: "change posts, holders or the portfolio",
    Perm.VIEW_AUDIT: "see the audit trail",
    Perm.VIEW_ROTAS: "see rotas",
    Perm.MANAGE_ROTAS: "change rotas",
    Perm.VIEW_ALL_EXCEPTION_REPORTS: "see every exception report",
    Perm.FLAG_FINES: "record guardian fines",
    Perm.VIEW_GUARDIAN_REPORT: "see the guardian's quarterly report",
    Perm.VIEW_JOB_PLANS: "see the trust's job plans",
    Perm.MANAGE_JOB_PLANS: "start or import job plans",
    Perm.VIEW_REVALIDATION: "see appraisal and revalidation",
    Perm.MANAGE_APPRAISALS: "arrange appraisals",
    Perm.MAKE_RECOMMENDATIONS: "make revalidation recommendations",
    Perm.VIEW_CONCERNS: "see concerns about doctors",
    Perm.OPEN_CASE: "record a concern about a doctor's practice: the medical director or responsible officer does",
    Perm.VIEW_CASE: "see this case: only the people named on it do",
    Perm.MANAGE_CASE: "manage this case: its case manager does",
    Perm.VIEW_CASE_AUDIT: "read this case's audit trail: its case manager and designated auditor do",
    Perm.VIEW_CASE_HEALTH: "see this case's health information: its case manager and those they name for it do",
    Perm.VIEW_RO_REPORT: "see the responsible officer's annual report",
    Perm.VIEW_BOARD_PICTURE: "see the board's picture of the medical workforce (aggregates only)",
    Perm.VIEW_LEADERSHIP_AGGREGATE: "see the trust's anonymised 360 results",
    Perm.MANAGE_FRAMEWORKS: "import leadership frameworks",
    Perm.MANAGE_OPENINGS: "post or decide openings",
    Perm.MANAGE_MENTOR_REGISTER: "change the register of mentors and coaches",
    Perm.NOMINATE_TALENT: "nominate colleagues for development",
    Perm.VIEW_METRICS: "see the trust's metrics",
    Perm.MANAGE_METRICS: "add metrics or their values",
    Perm.VIEW_BOARD_REPORTS: "see the medical director's board reports",
    Perm.EDIT_BOARD_REPORT: "change this board report: the medical director and associates write drafts",
    Perm.VIEW_BOARD_REPORT: "open this board report: a draft is seen only by the medical director's office",
    Perm.VIEW_MEETINGS: "see the board's meetings, decisions and action log",
    Perm.MANAGE_MEETINGS: "record meetings, decisions or actions",
    Perm.VIEW_EXTERNAL: "see the register of external bodies",
    Perm.MANAGE_EXTERNAL: "change the register of external bodies",
    Perm.VIEW_ACTION: "see this action",
    Perm.UPDATE_ACTION: "update this action: its owner or the medical director does",
    Perm.MANAGE_FPPT: "keep board members' fit and proper records: the chair and the company secretary do",
    Perm.MANAGE_BOARD: "change the board's members: the company secretary and the chair do, never their own seat",
    Perm.SUBMIT_FPPT_RETURN: "submit the fit and proper annual return: the chair does",
    Perm.VIEW_FPPT: "see this fit and proper record: the chair, the company secretary and the member do",
    Perm.ATTEST_FPPT: "make this self-attestation: the board member does",
    Perm.SIGN_OFF_FPPT: "sign this assessment off: the chair does (the senior independent director for the chair)",
    Perm.VIEW_AWARDS: "see the trust's award applications: the medical director and medical staffing do",
    Perm.VIEW_AWARDS_SUMMARY: "see the summary of award applications: the medical director does",
    Perm.PREPARE_AWARD: "apply for a National Clinical Impact Award: consultants apply for themselves",
    Perm.EDIT_AWARD: "change this application: its consultant does, until it is submitted",
    Perm.VIEW_AWARD: "see this application",
    Perm.VERIFY_AWARD: "verify this application: the employer does, never for its own application",
    Perm.RECORD_AWARD_OUTCOME: "record this application's outcome",
    Perm.CHANGE_ACCESS: "change this account's access: a system administrator covering it does, never their own",
    Perm.MANAGE_ACCESS: "manage accounts and access for this trust: its system administrators do",
    Perm.VIEW_ACCESS_REQUESTS: "see grants of access: the trust's system administrators and Caldicott guardian do",
    Perm.VIEW_ACCESS_REQUEST: "see this request for access",
    Perm.DECIDE_ACCESS_REQUEST: "decide this request: a second approver does, never the requester or its account",
    Perm.WITHDRAW_ACCESS_REQUEST: "withdraw this request: the person who asked does, while it waits",
    Perm.VIEW_VALUES: "see the rules and values in force for this trust",
    Perm.CONFIRM_VALUES: "confirm or change a national value for this trust: the medical director and the medical "
    "workforce lead do",
    Perm.MANAGE_TALENT: "see or change talent reviews, succession plans and the pipeline",
    Perm.VIEW_PERSON: "see this person's record",
    Perm.SUBMIT_EXCEPTION_REPORT: "submit an exception report: resident doctors submit their own",
    Perm.VIEW_EXCEPTION_REPORT: "see this exception report",
    Perm.AGREE_EXCEPTION_OUTCOME: "agree the outcome of this exception report: the person its rules route it to does",
    Perm.VIEW_JOB_PLAN: "see this job plan",
    Perm.EDIT_JOB_PLAN: "change this job plan",
    Perm.AGREE_JOB_PLAN: "agree this job plan: only the doctor agrees their own",
    Perm.REFER_JOB_PLAN: "move this job plan to discussion or mediation",
    Perm.RESUME_JOB_PLAN: "return this job plan from mediation",
    Perm.APPEAL_JOB_PLAN: "appeal this job plan: only the doctor appeals their own",
    Perm.SIGN_JOB_PLAN_CD: "sign this job plan: a clinical director signs plans in their own specialties only",
    Perm.SIGN_JOB_PLAN_MD: "sign this job plan off: the medical director, or an associate in their own area, does",
    Perm.DECIDE_JOB_PLAN_APPEAL: "decide this appeal: the medical director does",
    Perm.VIEW_APPRAISAL_OUTPUTS: "see this appraisal",
    Perm.VIEW_APPRAISAL_CONTENT: "read this appraisal's content: only the doctor and their appraiser do",
    Perm.EDIT_APPRAISAL_INPUTS: "change this appraisal's inputs: only the doctor does",
    Perm.EDIT_APPRAISAL_OUTPUTS: "write this appraisal's outputs: only the appraiser does",
    Perm.SIGN_OFF_APPRAISAL: "sign this appraisal off: only the appraiser does",
    Perm.ARRANGE_APPRAISAL: "book this appraisal or record it as missed",
    Perm.DECIDE_MISSED_APPRAISAL: "approve or not a missed appraisal: the responsible officer does",
    Perm.VIEW_ASSESSMENT: "see this self-assessment",
    Perm.MANAGE_CYCLE: "manage this 360",
    Perm.CLOSE_CYCLE: "close this 360",
    Perm.APPROVE_RATERS: "approve the raters of this 360: the subject's facilitator or line manager does",
    Perm.VIEW_360_REPORT: "see this 360 report",
    Perm.VIEW_DEVELOPMENT_RECORD: "see this development record",
    Perm.EDIT_DEVELOPMENT_RECORD: "change this development record: only its doctor does",
    Perm.VIEW_PDP: "see this development plan",
    Perm.AGREE_PDP: "agree this development plan: only the person asked to agree it does",
    Perm.VIEW_MENTORSHIP: "see this mentoring record: it is private to the pair",
    Perm.RESPOND_MENTORSHIP: "answer this mentoring request",
    Perm.DECIDE_OPENING: "decide or withdraw this opening",
    Perm.VIEW_TALENT_REVIEW: "see this talent review",
    Perm.CONFIRM_IMPORT: "confirm this import",
    Perm.RETRY_IMPORT: "retry this import: it can be retried once it has waited longer than expected",
    # --- issue 32: leave ---
    Perm.MANAGE_LEAVE: "see the leave requests of the trust's rotas or record doctors' service: their rota "
    "coordinators do",
    Perm.REQUEST_LEAVE: "request leave for this doctor: resident doctors request their own",
    Perm.VIEW_LEAVE: "see this leave request",
    Perm.DECIDE_LEAVE: "decide this leave request: its rota's coordinator does, while it waits",
    Perm.WITHDRAW_LEAVE: "withdraw this leave request: its doctor does, while it waits",
    Perm.CANCEL_LEAVE: "ask to cancel this leave: its doctor does, once it is approved",
    # --- issue 32: myrota ---
    Perm.VIEW_MY_ROTA: "see this rota page: each resident doctor on a rota sees only their own",
    Perm.MANAGE_CALENDAR_FEED: "change this calendar address: each resident doctor on a rota changes only their own",
    # --- issue 32: publish ---
    Perm.PUBLISH_ROTA: "publish this rota to its doctors: its rota coordinator (medical staffing) does",
    # --- issue 32: swaps ---
    Perm.OFFER_SWAP: "offer this shift to a colleague: the doctor whose shift it is does, before it starts",
    Perm.VIEW_SWAP: "see this shift swap",
    Perm.ANSWER_SWAP: "answer this offer: the colleague it is made to, or any eligible colleague for an open offer",
    Perm.WITHDRAW_SWAP: "withdraw this offer: the doctor who made it does, before it is accepted",
    Perm.APPROVE_SWAP: "approve or refuse this swap: the rota coordinator does, once a colleague has accepted it",
    # issue 33: colleague and patient feedback for revalidation
    Perm.START_FEEDBACK_EXERCISE: "start a colleague and patient feedback exercise: doctors connected to the trust "
    "start their own",
    Perm.VIEW_FEEDBACK_EXERCISE: "see this feedback exercise: its doctor and its facilitator do",
    Perm.INVITE_COLLEAGUES: "invite colleagues to this feedback exercise: its doctor does, while it is open",
    Perm.PRINT_PATIENT_CARDS: "print patient cards for this feedback exercise: its doctor and facilitator do",
    Perm.MANAGE_FEEDBACK_EXERCISE: "run this feedback exercise: its facilitator does, never the doctor",
    Perm.RELEASE_FEEDBACK_REPORT: "release this feedback report: its facilitator does, once the exercise has closed",
    Perm.VIEW_FEEDBACK_REPORT: "read this feedback report: its facilitator, and its doctor once released, do",
    Perm.REFLECT_ON_FEEDBACK: "reflect on this feedback report: its doctor does, once it is released",
    Perm.VIEW_FEEDBACK_STATUS: "see whether doctors have done their colleague and patient feedback: the "
    "responsible officer does",
    Perm.MANAGE_FEEDBACK_ADMINISTRATORS: "name the trust's feedback administrators: the responsible officer and "
    "medical staffing do",
    # issue 34: across trusts, the information transfer between responsible officers
    Perm.REQUEST_INFORMATION_TRANSFER: "ask a doctor's previous designated body for their information transfer: the "
    "responsible officer does",
    Perm.COMPLETE_INFORMATION_TRANSFER: "complete this information transfer: the previous designated body's "
    "responsible officer does, until it is sent",
    Perm.READ_INFORMATION_TRANSFER: "read this information transfer: only the responsible officer of the trust that "
    "asked for it does, once it is sent",
    Perm.VIEW_INFORMATION_TRANSFER: "see this information transfer",
    Perm.WITHDRAW_INFORMATION_TRANSFER: "withdraw this request for an information transfer: the responsible officer "
    "of the trust that asked does, while it waits",
    # issue 34: across trusts, lead employers and host trusts
    Perm.MANAGE_PLACEMENTS: "record placements of the trust's resident doctors in host trusts: the lead employer's "
    "medical staffing does",
    Perm.VIEW_PLACEMENTS: "see where the trust's resident doctors are placed",
    Perm.VIEW_PLACEMENT: "see this placement",
    # issue 34: across trusts, development
    Perm.JOIN_TALENT_POOL: "join or leave the regional talent pool: doctors decide for themselves",
    Perm.SEARCH_TALENT_POOL: "search the regional talent pool: the region's and each trust's medical directors do",
    Perm.PUBLISH_OPENING: "publish this opening to other trusts: its trust's medical director and associates, or "
    "the regional medical director, do while it is open",
    Perm.VIEW_APPLICATION: "see this application: its applicant and the deciding trust's medical director and "
    "associates do (the applicant's own trust only if they share it)",
    Perm.VIEW_SECONDMENT: "see this secondment: the structure managers of the host and the home trust do",
    Perm.AGREE_SECONDMENT: "agree or decline this secondment: the home trust's structure managers do, while it waits",
    # issue 34: across trusts, the region's view
    Perm.VIEW_REGION: "see this region's trusts side by side: the regional medical director does",
}


class Forbidden(PermissionDenied):
    """A refusal that says what was refused: shown on the 403 page and in API answers."""

    def __init__(self, perm: Perm | None = None, message: str = "") -> None:
        self.perm = perm
        self.message = message or (f"You cannot {DOING[perm]}." if perm else "You cannot do this.")
        super().__init__(self.message)


# ------------------------------------------------------------------------------------- the rules, by app

_RULES: dict[Perm, Rule] = {}
# Every registered rule, read-only: for tests and the system check. Rules are added only through ``register``.
RULES: Mapping[Perm, Rule] = MappingProxyType(_RULES)
# The module that registered each rule (``medlead.<app>.permissions``): docs/permissions.md groups rules by app.
_OWNERS: dict[Perm, str] = {}
OWNERS: Mapping[Perm, str] = MappingProxyType(_OWNERS)


def register(rules: Mapping[Perm, Rule]) -> None:
    """Give each permission its rule: called once by the app that owns the record, from its ``permissions``
    module. A permission has one rule from one app, so a second registration is a mistake, refused at start-up."""
    for perm, rule in rules.items():
        if not isinstance(perm, Perm):
            raise TypeError(f"Permissions are Perm members, not {perm!r}.")
        if perm in _RULES:
            raise ImproperlyConfigured(f"{perm!r} already has a rule: each permission's rule is given by one app.")
        if not callable(rule):
            raise TypeError(f"The rule for {perm!r} is not a function of (actor, object).")
    frame = inspect.currentframe()
    caller = frame.f_back if frame is not None else None
    owner = str(caller.f_globals.get("__name__", "")) if caller is not None else ""
    _RULES.update(rules)
    _OWNERS.update(dict.fromkeys(rules, owner))


def unruled() -> list[Perm]:
    """The permissions no app has given a rule (each answers no to everyone)."""
    return [perm for perm in Perm if perm not in _RULES]


@checks.register(checks.Tags.security)
def check_every_permission_has_a_rule(**kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"{perm!r} has no rule, so nobody may do it.",
            hint="Register its rule in the owning app's permissions.py with core.policy.register.",
            id="medlead.E001",
        )
        for perm in unruled()
    ]


# ------------------------------------------------------------------- facts that only apps' tables hold

# The specialty ids of these divisions of a trust.
DivisionSpecialties = Callable[[int, frozenset[int]], set[int]]


@dataclass(frozen=True)
class PersonFact:
    """A fact about a person that lives in an app's table, as rows: ``rows(person_id, today)`` is a queryset of the
    person's rows on that day, and ``text``, ``trust``, ``first`` and ``second`` name the fields that give each row's
    words (a code), its trust, and up to two numbers (ids, or a yes or no). Every fact of the actor is read in one
    query, the first time any is needed in a request (``facts_of``). The queryset depends on its two arguments
    alone: the query is built once and only its values change (``_prepared``). Take the day from the argument, never
    from the clock: a value read any other way would be frozen at its first value, unseen by the check there."""

    rows: Callable[[int, dt.date], Any]
    trust: str
    text: str | None = None
    first: str | None = None
    second: str | None = None


# One row of a fact: (text, trust id, first number, second number).
FactRow = tuple[str, int | None, int | None, int | None]

_FACTS: dict[str, Any] = {}
ROLES = "roles"  # the actor's role assignments, the one fact core reads from its own relation


def register_facts(*, division_specialties: DivisionSpecialties | None = None, **person_facts: PersonFact) -> None:
    """Supply a fact the mechanisms read from an app's tables: about a person (``PersonFact``: structure's
    ``posts_held``, organisation's ``board_seats``, and any app's own), or the specialties of a trust's divisions
    (organisation). Each fact comes from one app, once; until it is given, the fact is empty and the rules that
    read it answer no."""
    given: dict[str, Any] = {"division_specialties": division_specialties, **person_facts}
    for name, provider in given.items():
        if provider is None:
            continue
        if name in _FACTS or name == ROLES:
            raise ImproperlyConfigured(f"The fact {name!r} is already supplied: each fact comes from one app.")
        if name != "division_specialties" and not isinstance(provider, PersonFact):
            raise ImproperlyConfigured(f"The fact {name!r} about a person is given as a PersonFact (its rows).")
        _FACTS[name] = provider
    _PREPARED.clear()  # the facts query is built again with the new fact


def _fact_rows(
    name: str, queryset: Any, *, trust: str, text: str | None, first: str | None = None, second: str | None = None
) -> Any:
    """``queryset`` as rows of the one shape every fact shares (``FactRow``), tagged with the fact's name."""
    from django.db.models import BigIntegerField, BooleanField, CharField, F, IntegerField, Value
    from django.db.models.functions import Cast

    def number(field: str | None) -> Any:  # ids are 64-bit (BigAutoField); a yes or no is 1 or 0
        if not field:
            return Cast(Value(None, output_field=BigIntegerField()), BigIntegerField())
        value: Any = F(field)
        if "__" not in field and isinstance(queryset.model._meta.get_field(field), BooleanField):
            value = Cast(value, IntegerField())  # PostgreSQL casts a boolean to integer, not to bigint
        return Cast(value, BigIntegerField())

    return (
        queryset.order_by()
        .annotate(
            fact_name=Value(name, output_field=CharField()),
            fact_text=Cast(F(text), CharField()) if text else Value("", output_field=CharField()),
            fact_trust=number(trust),
            fact_first=number(first),
            fact_second=number(second),
        )
        .values_list("fact_name", "fact_text", "fact_trust", "fact_first", "fact_second")
    )


# ------------------------------------------------------------------------------------------- who the actor is

_CACHED = "_policy_facts"
_AREAS = "_policy_areas"


def facts_of(actor: Any) -> dict[str, list[FactRow]]:
    """Every fact about the actor, by name: their role assignments and each registered fact about their person, read
    in one query (``UNION ALL``) the first time any is needed, and kept on the actor (a request's user) for the
    request."""
    cached: dict[str, list[FactRow]] | None = getattr(actor, _CACHED, None)
    if cached is None:
        from django.db import connection

        assignments = getattr(actor, "role_assignments", None)  # a user's; the system and a visitor have none
        pid = person_id(actor)
        cached = {ROLES: [], **{name: [] for name, f in _FACTS.items() if isinstance(f, PersonFact)}}
        if assignments is not None or pid is not None:
            user_id = assignments.instance.pk if assignments is not None else None
            on = connection.ops.adapt_datefield_value(dates.today())
            sql, params = _prepared(assignments, pid is not None).bind(user_id, pid, on)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                for name, text, trust, first, second in cursor.fetchall():
                    cached[name].append((text, trust, first, second))
        setattr(actor, _CACHED, cached)
    return cached


@dataclass(frozen=True)
class _Prepared:
    """The facts query's SQL for one shape of actor, and where the actor's own values go in its parameters: building
    and compiling the query through the ORM cost more than running it, on every request."""

    sql: str
    params: tuple[Any, ...]
    slots: tuple[int | None, ...]  # for each parameter, which of (user id, person id, today) it is, or None

    def bind(self, user_id: int | None, pid: int | None, on: Any) -> tuple[str, list[Any]]:
        given = (user_id, pid, on)
        return self.sql, [p if slot is None else given[slot] for p, slot in zip(self.params, self.slots, strict=True)]


# Two sets of stand-in values (user id, person id, today) that no real record has: the query is built with each, and
# the parameters that differ between the two are where the actor's values go.
_PROBES = ((-900_000_001, -900_000_002, dt.date(1901, 2, 3)), (-900_000_003, -900_000_004, dt.date(1902, 4, 5)))
_PREPARED: dict[tuple[Any, ...], _Prepared] = {}


def _prepared(assignments: Any, with_person: bool) -> _Prepared:
    from django.db import connection

    relation = None if assignments is None else (assignments.model, assignments.field.attname)
    key = (connection.alias, relation, with_person)
    if key not in _PREPARED:
        built = []
        for user_id, pid, on in _PROBES:
            parts = []
            if assignments is not None:
                mine = assignments.model._default_manager.filter(**{assignments.field.attname: user_id})
                parts.append(_fact_rows(ROLES, mine, text="role", trust="trust_id", first="region_id"))
            if with_person:
                parts += [
                    _fact_rows(name, f.rows(pid, on), text=f.text, trust=f.trust, first=f.first, second=f.second)
                    for name, f in _FACTS.items()
                    if isinstance(f, PersonFact)
                ]
            union = parts[0].union(*parts[1:], all=True)
            built.append(union.query.get_compiler(connection=connection).as_sql())
        (sql, params), (other_sql, other) = built
        if sql != other_sql or len(params) != len(other):
            raise ImproperlyConfigured(f"A fact's query changes shape with the person or the day: {sql}")
        slots = []
        # as the database is given them (SQLite is given a date as text)
        given = [(u, p, connection.ops.adapt_datefield_value(on)) for u, p, on in _PROBES]
        for a, b in zip(params, other, strict=True):
            slot = next((k for k in range(3) if a == given[0][k] and b == given[1][k]), None)
            if slot is None and a != b:
                raise ImproperlyConfigured(f"A fact about a person depends on more than the person and the day: {sql}")
            slots.append(slot)
        _PREPARED[key] = _Prepared(sql, tuple(params), tuple(slots))
    return _PREPARED[key]


def person_fact(actor: Any, name: str) -> list[FactRow]:
    """The rows of one registered fact about the actor's person (none for an actor without a person)."""
    return facts_of(actor).get(name, [])


def role_scopes(user: Any) -> list[tuple[str, int | None, int | None]]:
    """(role, trust_id, region_id) for each of the user's role assignments."""
    return [(role, trust, region) for role, trust, region, _ in facts_of(user)[ROLES]]


def forget(user: Any) -> None:
    """Drop what is cached on ``user`` (after its roles or posts change)."""
    for attr in (_CACHED, _AREAS):
        if hasattr(user, attr):
            delattr(user, attr)


def is_trust(obj: Any) -> bool:
    """Whether ``obj`` is a trust itself rather than one of its records: a trust is its own ``trust`` (duck typing,
    so that core need not import the organisation app)."""
    return obj is not None and getattr(obj, "trust", None) is obj


def _trust_and_region(obj: Any) -> tuple[int | None, int | None]:
    # A trust answers ``trust_id`` and ``trust`` for itself; any other record through its foreign key.
    trust_id = getattr(obj, "trust_id", None)
    if trust_id is None:
        return None, None
    trust = getattr(obj, "trust", None)  # usually already loaded with select_related
    return trust_id, getattr(trust, "region_id", None) if trust is not None else None


def roles_for(user: Any, obj: Any) -> set[str]:
    """The roles that ``user`` holds over the trust that ``obj`` is or belongs to."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    trust_id, region_id = _trust_and_region(obj)
    if trust_id is None:
        return set()
    held: set[str] = set()
    for role_name, scope_trust, scope_region in role_scopes(user):
        if (
            (scope_trust is None and scope_region is None)
            or scope_trust == trust_id
            or (scope_region is not None and scope_region == region_id)
        ):
            held.add(role_name)
    return held


def person_id(actor: Any) -> int | None:
    return getattr(actor, "person_id", None) if actor is not None else None


# ---------------------------------------------------------------------------------------------- the actor's area

# Roles whose reach is their area, not the whole trust: a clinical director signs plans only in the specialties
# their post covers; an associate medical director only in theirs (issue 11, "scope that follows the structure").
AREA_ROLES = frozenset({Role.CLINICAL_DIRECTOR, Role.ASSOCIATE_MEDICAL_DIRECTOR})
# Posts whose holder's area is the post's specialty, or every specialty of the post's division.
AREA_POSTS = frozenset(
    {"clinical_director", "clinical_lead", "divisional_medical_director", "associate_medical_director"}
)
# Posts whose holder's area is the whole trust.
TRUST_WIDE_POSTS = frozenset({"deputy_medical_director", "medical_director"})


def posts_held(actor: Any, trust_id: int) -> list[tuple[str, int | None, int | None]]:
    """(post type code, specialty id, division id) of each post the actor holds in this trust today (the
    ``posts_held`` fact, read with the actor's other facts)."""
    return [
        (code, specialty, division)
        for code, trust, specialty, division in person_fact(actor, "posts_held")
        if trust == trust_id
    ]


def holds_post(actor: Any, trust_id: int, post_type: str) -> bool:
    """Whether the actor holds a post of this type (by code) in this trust today."""
    return any(code == post_type for code, _, _ in posts_held(actor, trust_id))


def area_of(actor: Any, trust_id: int) -> frozenset[int] | None:
    """The specialty ids the actor's current management posts in this trust cover; ``None`` for the whole trust.

    Two queries at most, once per actor and trust (cached on the actor)."""
    cache: dict[int, frozenset[int] | None] = getattr(actor, _AREAS, None) or {}
    if trust_id in cache:
        return cache[trust_id]
    held = [post for post in posts_held(actor, trust_id) if post[0] in AREA_POSTS | TRUST_WIDE_POSTS]
    area: frozenset[int] | None
    if any(code in TRUST_WIDE_POSTS for code, _, _ in held):
        area = None
    else:
        specialties = {s for _, s, _ in held if s is not None}
        divisions = frozenset(d for _, s, d in held if s is None and d is not None)
        provider = _FACTS.get("division_specialties")
        if divisions and provider is not None:
            specialties |= set(provider(trust_id, divisions))
        area = frozenset(specialties)
    cache[trust_id] = area
    setattr(actor, _AREAS, cache)
    return area


def specialty_of(obj: Any) -> int | None:
    """The specialty a record belongs to, for area checks: its doctor's, or its own."""
    person = getattr(obj, "person", None)
    if person is not None:
        return getattr(person, "specialty_id", None)
    return getattr(obj, "specialty_id", None)


def in_area(actor: Any, obj: Any) -> bool:
    """Whether the record falls within the actor's area (always, for a trust as a whole: callers then filter)."""
    if is_trust(obj):
        return True
    trust_id, _ = _trust_and_region(obj)
    if trust_id is None:
        return False
    area = area_of(actor, trust_id)
    return area is None or specialty_of(obj) in area


def area_for(actor: Any, trust: Any, roles: tuple[Role, ...]) -> frozenset[int] | None:
    """For lists: the specialties in which ``actor``, through any of ``roles`` over ``trust``, may act; ``None``
    for the whole trust, empty for nowhere."""
    held = roles_for(actor, trust) & {str(r) for r in roles}
    if held - AREA_ROLES:
        return None
    return area_of(actor, trust.pk) if held else frozenset()


# ------------------------------------------------------------------------------------------ board seats


def board_seats(actor: Any) -> list[tuple[int, str, bool]]:
    """(trust id, board role, senior independent director?) of each current board seat of the actor's person (the
    ``board_seats`` fact, read with the actor's other facts)."""
    return [(trust, role, bool(sid)) for role, trust, sid, _ in person_fact(actor, "board_seats") if trust is not None]


def board_seat(actor: Any, obj: Any, *, role: str | None = None, senior_independent: bool | None = None) -> bool:
    """``actor`` holds a current seat on the board of ``obj``'s trust (in this ``role``; as senior independent
    director)."""
    trust_id = getattr(obj, "trust_id", None)  # a trust's own id, for a trust
    if person_id(actor) is None or trust_id is None:
        return False
    return any(
        seat_trust == trust_id
        and (role is None or seat_role == role)
        and (senior_independent is None or sid == senior_independent)
        for seat_trust, seat_role, sid in board_seats(actor)
    )


def has_board_seat(actor: Any, trust: Any) -> bool:
    return board_seat(actor, trust)


# -------------------------------------------------------------------------------------------- rule builders
#
# Every rule says, in plain words, whom it lets through, so that docs/permissions.md is written from the rules
# themselves (``core.permissions_doc``; ``manage.py permissions_doc``). The builders below carry their words; a
# rule an app writes itself carries them through ``described``. A rule without words fails the documentation test.

_WORDS = "policy_words"
_KIND = "policy_kind"  # "any", "all", "not", or absent for a rule that is one fact
_PARTS = "policy_parts"
_ROLES = "policy_roles"  # the roles a role(...) rule lets through
_NEGATED = "policy_negated"  # a fact's words when it is negated

R = TypeVar("R", bound=Callable[..., bool])


def described(words: str) -> Callable[[R], R]:
    """Give a rule an app writes itself its words, for the documentation: whom it lets through, in plain English
    that completes "who may: ...", e.g. ``@described("the chair of the board")``."""

    def mark(rule: R) -> R:
        setattr(rule, _WORDS, words)
        return rule

    return mark


def _built(rule: Rule, *, words: str | None = None, kind: str | None = None, parts: tuple[Rule, ...] = ()) -> Rule:
    if words is not None:
        setattr(rule, _WORDS, words)
    if kind is not None:
        setattr(rule, _KIND, kind)
        setattr(rule, _PARTS, parts)
    return rule


def role_words(r: Role | str) -> str:
    """A role as a rule's words name its holder ("the medical director", "an associate or deputy medical
    director"); a role added without words here is named by its label."""
    known = {
        Role.DOCTOR: "a doctor",
        Role.CLINICAL_DIRECTOR: "a clinical director",
        Role.ASSOCIATE_MEDICAL_DIRECTOR: "an associate or deputy medical director",
        Role.MEDICAL_DIRECTOR: "the medical director",
        Role.RESPONSIBLE_OFFICER: "the responsible officer",
        Role.GUARDIAN: "the guardian of safe working hours",
        Role.MEDICAL_STAFFING: "medical staffing (HR)",
        Role.NON_EXECUTIVE: "a non-executive director",
        Role.CHAIR_CEO: "the chair or chief executive",
        Role.COMPANY_SECRETARY: "the company secretary",
        Role.SYSTEM_ADMIN: "a system administrator",
    }
    value = Role(str(r))
    return known.get(value) or f"a {str(value.label).lower()}"


def listed(words: list[str], last: str = "or") -> str:
    """``a, b or c``: the serial comma once any item has "or" in it, so that each item reads as one."""
    if len(words) <= 1:
        return "".join(words)
    comma = "," if len(words) > 2 and any(" or " in w or " and " in w for w in words) else ""
    return f"{', '.join(words[:-1])}{comma} {last} {words[-1]}"


def _roles_words(roles: frozenset[str], area: bool) -> str:
    every = [r for r in Role]
    missing = [r for r in every if str(r) not in roles]
    if not missing:
        text = "anyone with a role in the trust"
    elif len(missing) <= 3 < len(roles):
        text = "anyone with a role in the trust except " + listed([role_words(r) for r in missing], "and")
    else:
        text = listed([role_words(r) for r in every if str(r) in roles])
    if area and roles & AREA_ROLES:
        limited = [role_words(r) for r in every if str(r) in roles & AREA_ROLES]
        text += (
            " (only within their own area)"
            if roles <= AREA_ROLES
            else f" ({listed(limited)} only within their own area)"
        )
    return text


def role(*roles: Role, area: bool = False) -> Rule:
    """Holds one of ``roles`` over the object's trust; with ``area``, a clinical or associate medical director
    only for records in their area."""
    allowed = frozenset(str(r) for r in roles)

    def rule(actor: Any, obj: Any) -> bool:
        held = roles_for(actor, obj) & allowed
        if not held:
            return False
        if not area or held - AREA_ROLES:
            return True
        return in_area(actor, obj)

    setattr(rule, _ROLES, allowed)
    return _built(rule, words=_roles_words(allowed, area))


def rel(attr: str, words: str | None = None) -> Rule:
    """The actor is the person the record names in ``attr`` (e.g. ``person_id``, ``appraiser_id``); ``words`` name
    that person for the documentation (by default "its <attr>")."""

    def rule(actor: Any, obj: Any) -> bool:
        pid = person_id(actor)
        return pid is not None and obj is not None and getattr(obj, attr, None) == pid

    return _built(rule, words=words or f"its {attr.removesuffix('_id').replace('_', ' ')}")


def any_of(*rules: Rule) -> Rule:
    return _built(lambda actor, obj: any(r(actor, obj) for r in rules), kind="any", parts=rules)


def all_of(*rules: Rule) -> Rule:
    return _built(lambda actor, obj: all(r(actor, obj) for r in rules), kind="all", parts=rules)


def not_(rule: Rule, words: str | None = None) -> Rule:
    """Not ``rule``; ``words`` say it positively where "not ..." reads badly."""
    return _built(lambda actor, obj: not rule(actor, obj), words=words, kind="not", parts=(rule,))


def state_is(*states: str) -> Rule:
    rule = _built(
        lambda actor, obj: getattr(obj, "status", None) in states,
        words="while it is " + listed([s.replace("_", " ") for s in states]),
    )
    setattr(rule, _NEGATED, "while it is not " + listed([s.replace("_", " ") for s in states]))
    return rule


class Undescribed(Exception):
    """Rules that do not say whom they let through (their functions' names)."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(", ".join(names))


def describe(rule: Rule) -> str:
    """Whom ``rule`` lets through, in plain words; ``Undescribed`` naming each part that has no words."""
    missing: list[str] = []
    text = _describe(rule, missing)
    if missing:
        raise Undescribed(missing)
    return text


def _describe(rule: Rule, missing: list[str]) -> str:
    words = getattr(rule, _WORDS, None)
    kind = getattr(rule, _KIND, None)
    if words:
        return str(words)
    if kind is None:
        missing.append(getattr(rule, "__qualname__", repr(rule)))
        return "?"
    parts: tuple[Rule, ...] = getattr(rule, _PARTS)
    if kind == "not":
        (inner,) = parts
        negated = getattr(inner, _NEGATED, None)
        return str(negated) if negated else "not " + _bracketed(inner, missing)
    if kind == "any":
        flat = _flatten(parts, "any")
        texts = [_bracketed(p, missing) if getattr(p, _KIND, None) == "any" else _describe(p, missing) for p in flat]
        return "; or ".join(texts)
    flat = _flatten(parts, "all")
    text = ""
    for i, p in enumerate(flat):
        part = _bracketed(p, missing)
        text += part if i == 0 else (", " if part.startswith("while ") else ", and ") + part
    return text


def _bracketed(rule: Rule, missing: list[str]) -> str:
    text = _describe(rule, missing)
    return f"({text})" if getattr(rule, _KIND, None) in ("any", "all") and not getattr(rule, _WORDS, None) else text


def _flatten(parts: tuple[Rule, ...], kind: str) -> list[Rule]:
    out: list[Rule] = []
    for p in parts:
        if getattr(p, _KIND, None) == kind and not getattr(p, _WORDS, None):
            out.extend(_flatten(getattr(p, _PARTS), kind))
        else:
            out.append(p)
    return out


def roles_in(rule: Rule) -> set[str]:
    """The roles whose holders a rule can let through by their role (not through a ``not_``): for the
    documentation's view by role."""
    found: set[str] = set(getattr(rule, _ROLES, ()))
    if getattr(rule, _KIND, None) in ("any", "all"):
        for p in getattr(rule, _PARTS):
            found |= roles_in(p)
    return found


# ----------------------------------------------------------------------------------------------- the answer


def can(actor: Any, perm: Perm, obj: Any) -> bool:
    """Whether ``actor`` may do ``perm`` to ``obj`` (a trust, or a record of a trust). Never true for a signed-out
    or inactive user (the system included: it passes ``require``, never ``can``), without an object (every
    permission is about something), or for a permission no app has given a rule."""
    if obj is None or actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    rule = _RULES.get(perm)
    return rule is not None and bool(rule(actor, obj))


def require(actor: Any, perm: Perm, obj: Any) -> None:
    """Refuse (``Forbidden``, a 403 that says what) unless ``actor`` may do ``perm`` to ``obj``.

    A ``SystemActor`` (a worker or a command acting for a stated reason) is let through: the code that made it has
    decided. ``None`` is refused, so a caller that lost its user fails closed."""
    if isinstance(actor, SystemActor):
        return
    if not can(actor, perm, obj):
        raise Forbidden(perm)


def require_known(actor: Any, obj: Any, *perms: Perm) -> None:
    """For a confidential record: answer ``Http404``, exactly as for a record that does not exist, unless ``actor``
    may do at least one of ``perms`` to it (the permissions that let someone read it). Whether a confidential
    record exists is itself confidential, so a refusal must not confirm it (issue 29). Call it where the record is
    loaded, before the action's own ``require``: that one stays a 403, for an action on a record the actor may read.

    A ``SystemActor`` is let through, as by ``require``."""
    if not perms:
        raise TypeError("require_known needs the permissions that let someone read the record.")
    if isinstance(actor, SystemActor):
        return
    if not any(can(actor, perm, obj) for perm in perms):
        raise Http404


def read(actor: Any, perm: Perm, obj: Any, *, why: str) -> None:
    """Read a confidential record: ``Http404`` (as for a record that does not exist) unless ``actor`` may
    ``perm`` it, then record the read in the audit trail (who, when, which record, why): for every read of a
    confidential record (appraisal content, 360 reports, mentoring logs, evidence, exception reports, talent
    reviews, concerns, fit and proper records, award applications), by anyone, the record's own doctor included.
    The trail never copies the content."""
    require_known(actor, obj, perm)
    auditor.audit_read(actor=actor, obj=obj, note=why)
