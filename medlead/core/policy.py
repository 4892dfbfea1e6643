"""Who may do what: the one place medlead decides it.

Every permission is a member of ``Perm``. Each has one rule, a function of (actor, object) built from three
kinds of fact, and nothing else:

- **a role over the object's trust** (``role(...)``): a role held for that trust, for its region, or nationally;
- **the actor's area** (``role(..., area=True)``): clinical directors and associate medical directors act only
  within the specialties their current posts cover (``area_of``); other roles cover the whole trust;
- **a relationship to the record** (``rel("person_id")`` and friends): the doctor whose record it is, their
  appraiser, the person asked to agree a plan, a mentor, a reviewer.

``can(actor, perm, obj)`` answers; ``require(actor, perm, obj)`` refuses with ``Forbidden`` (a
``PermissionDenied`` that says, in plain words, what the actor cannot do). Services call ``require`` before they
read confidential data or write; views, the API, commands and tasks reach records only through services and
selectors, and templates ask ``can(perm, obj)``.

**No account bypasses this.** Django's superuser flag (which makes ``user.has_perm`` answer yes to
everything) is never consulted: a superuser may run the Django admin, but sees a doctor's appraisal, a 360 or a
talent review only if a rule here names them. Record lifecycles (states, moves and who may make each) are in
``medlead.core.workflows``, built on the permissions here. The rule for every role, with its sources, is written
out in ``docs/permissions.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import StrEnum
from typing import Any

from django.core.exceptions import PermissionDenied

from medlead.accounts.models import Role

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
    VIEW_MEETINGS = "governance.view_meetings"
    MANAGE_MEETINGS = "governance.manage_meetings"
    VIEW_EXTERNAL = "governance.view_external"
    MANAGE_EXTERNAL = "governance.manage_external"
    MANAGE_FPPT = "fitproper.manage"
    SUBMIT_FPPT_RETURN = "fitproper.submit_return"
    VIEW_AWARDS = "awards.view_all"
    VIEW_AWARDS_SUMMARY = "awards.view_summary"
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
    Perm.VIEW_MEETINGS: "see the board's meetings, decisions and action log",
    Perm.MANAGE_MEETINGS: "record meetings, decisions or actions",
    Perm.VIEW_EXTERNAL: "see the register of external bodies",
    Perm.MANAGE_EXTERNAL: "change the register of external bodies",
    Perm.VIEW_ACTION: "see this action",
    Perm.UPDATE_ACTION: "update this action: its owner or the medical director does",
    Perm.MANAGE_FPPT: "keep board members' fit and proper records: the chair and the company secretary do",
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
}


class Forbidden(PermissionDenied):
    """A refusal that says what was refused: shown on the 403 page and in API answers."""

    def __init__(self, perm: Perm | None = None, message: str = "") -> None:
        self.perm = perm
        self.message = message or (f"You cannot {DOING[perm]}." if perm else "You cannot do this.")
        super().__init__(self.message)


# ------------------------------------------------------------------------------------------- who the actor is

_SCOPES = "_policy_role_scopes"
_AREAS = "_policy_areas"
_POSTS = "_policy_posts"
_SEATS = "_policy_board_seats"


def role_scopes(user: Any) -> list[tuple[str, int | None, int | None]]:
    """(role, trust_id, region_id) for each of the user's role assignments, cached on the user object."""
    cached = getattr(user, _SCOPES, None)
    if cached is None:
        cached = list(user.role_assignments.values_list("role", "trust_id", "region_id"))
        setattr(user, _SCOPES, cached)
    return cached


def forget(user: Any) -> None:
    """Drop what is cached on ``user`` (after its roles or posts change)."""
    for attr in (_SCOPES, _AREAS, _POSTS, _SEATS):
        if hasattr(user, attr):
            delattr(user, attr)


def _trust_and_region(obj: Any) -> tuple[int | None, int | None]:
    from medlead.organisation.models import Trust

    if isinstance(obj, Trust):
        return obj.pk, obj.region_id
    trust_id = getattr(obj, "trust_id", None)
    if trust_id is None:
        return None, None
    trust = getattr(obj, "trust", None)  # usually already loaded with select_related
    return trust_id, trust.region_id if trust is not None else None


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


def has_any_role(user: Any, *wanted: Role) -> bool:
    """Whether the user holds any of these roles anywhere (for navigation only, never for data access)."""
    return bool(user.is_authenticated) and any(r in wanted for r, _, _ in role_scopes(user))


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
    """(post type code, specialty id, division id) of each post the actor holds in this trust today: one query,
    once per actor and trust (cached on the actor)."""
    cache: dict[int, list[tuple[str, int | None, int | None]]] = getattr(actor, _POSTS, None) or {}
    if trust_id not in cache:
        pid = person_id(actor)
        held: list[tuple[str, int | None, int | None]] = []
        if pid is not None:
            from django.db.models import Q

            from medlead.core.dates import today as local_today
            from medlead.structure.models import Holding

            today = local_today()
            held = list(
                Holding.objects.filter(
                    Q(end__isnull=True) | Q(end__gte=today), person_id=pid, trust_id=trust_id, start__lte=today
                ).values_list("post__post_type__code", "post__specialty_id", "post__division_id")
            )
        cache[trust_id] = held
        setattr(actor, _POSTS, cache)
    return cache[trust_id]


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
        divisions = {d for _, s, d in held if s is None and d is not None}
        if divisions:
            from medlead.organisation.models import Specialty

            specialties |= set(
                Specialty.objects.filter(trust_id=trust_id, division_id__in=divisions).values_list("pk", flat=True)
            )
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
    from medlead.organisation.models import Trust

    if isinstance(obj, Trust):
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


# -------------------------------------------------------------------------------------------- rule builders


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

    return rule


def rel(attr: str) -> Rule:
    """The actor is the person the record names in ``attr`` (e.g. ``person_id``, ``appraiser_id``)."""

    def rule(actor: Any, obj: Any) -> bool:
        pid = person_id(actor)
        return pid is not None and obj is not None and getattr(obj, attr, None) == pid

    return rule


def any_of(*rules: Rule) -> Rule:
    return lambda actor, obj: any(r(actor, obj) for r in rules)


def all_of(*rules: Rule) -> Rule:
    return lambda actor, obj: all(r(actor, obj) for r in rules)


def not_(rule: Rule) -> Rule:
    return lambda actor, obj: not rule(actor, obj)


def state_is(*states: str) -> Rule:
    return lambda actor, obj: getattr(obj, "status", None) in states


# ------------------------------------------------------------------------------------------------- the rules

R = Role
EVERY_ROLE = tuple(Role)


def _own(actor: Any, obj: Any) -> bool:
    """The actor is the doctor the record is about (or, for a person, that person)."""
    from medlead.organisation.models import Person

    pid = person_id(actor)
    subject = obj.pk if isinstance(obj, Person) else getattr(obj, "person_id", None)
    return pid is not None and subject == pid


OWN: Rule = _own


def _is_mentor(actor: Any, mentorship: Any) -> bool:
    mentor = getattr(mentorship, "mentor", None)
    return mentor is not None and mentor.person_id is not None and mentor.person_id == person_id(actor)


def _external_mentor(actor: Any, mentorship: Any) -> bool:
    mentor = getattr(mentorship, "mentor", None)
    return mentor is not None and mentor.person_id is None


def _is_reviewer(actor: Any, review: Any) -> bool:
    # reviewers.all() uses a prefetch when the caller made one (lists), else one query
    pid = person_id(actor)
    reviewers = getattr(review, "reviewers", None)
    return pid is not None and reviewers is not None and any(p.pk == pid for p in reviewers.all())


def _in_training(actor: Any, person: Any) -> bool:
    from medlead.organisation.models import TRAINEE_GRADES

    return getattr(person, "grade", None) in TRAINEE_GRADES


def _report_approver(actor: Any, report: Any) -> bool:
    """Who agrees an exception report's outcome, by its route (set from the rules in force on its date): the
    educational supervisor (version 12); medical workforce, for hours, rest and breaks, or the director of medical
    education, for education (version 13)."""
    route = getattr(report, "route", None)
    if route == "supervisor":
        return rel("supervisor_id")(actor, report)
    if route == "medical_workforce":
        return role(R.MEDICAL_STAFFING)(actor, report)
    if route == "director_of_medical_education":
        return _holds_post(actor, report.trust_id, "director_of_medical_education")
    return False


def _on_case(actor: Any, case: Any, roles: tuple[str, ...] | None) -> bool:
    """``actor`` is named on ``case`` (in one of ``roles``, or in any role)."""
    pid = person_id(actor)
    if pid is None or getattr(case, "pk", None) is None:
        return False
    from medlead.concerns.models import CaseRole

    qs = CaseRole.objects.filter(case_id=case.pk, person_id=pid)
    return (qs.filter(role__in=roles) if roles else qs).exists()


def cases_filter(actor: Any) -> Any:
    """The same rule as ``Perm.VIEW_CASE``, as a query filter for lists of cases."""
    from django.db.models import Q

    pid = person_id(actor)
    return Q(roles__person_id=pid) if pid is not None else Q(pk__in=[])


def _line_manages_subject(actor: Any, cycle: Any) -> bool:
    from medlead.structure.selectors import line_managers

    pid = person_id(actor)
    return pid is not None and getattr(cycle, "subject", None) is not None and pid in line_managers(cycle.subject)


def _supervisor_may_see(actor: Any, report: Any) -> bool:
    return getattr(report, "rules_version", "v12") == "v12" or bool(getattr(report, "share_with_supervisor", False))


def _holds_post(actor: Any, trust_id: int, post_type: str) -> bool:
    return any(code == post_type for code, _, _ in posts_held(actor, trust_id))


def exception_reports_filter(actor: Any, trust: Any) -> Any:
    """The same rule as ``Perm.VIEW_EXCEPTION_REPORT``, as a query filter for lists of a trust's reports."""
    from django.db.models import Q

    if can(actor, Perm.VIEW_ALL_EXCEPTION_REPORTS, trust):
        return Q()
    pid = person_id(actor)
    allowed = Q(pk__in=[])
    if pid is not None:
        allowed |= Q(doctor_id=pid) | (Q(supervisor_id=pid) & (Q(rules_version="v12") | Q(share_with_supervisor=True)))
        if _holds_post(actor, trust.pk, "director_of_medical_education"):
            allowed |= Q(route="director_of_medical_education")
    if str(Role.MEDICAL_STAFFING) in roles_for(actor, trust):
        allowed |= Q(route="medical_workforce")
    return allowed


def exception_reports_to_agree_filter(actor: Any, trust: Any) -> Any:
    """The same rule as ``Perm.AGREE_EXCEPTION_OUTCOME`` (routes), as a query filter: the reports whose outcome
    ``actor`` agrees, never their own."""
    from django.db.models import Q

    pid = person_id(actor)
    allowed = Q(pk__in=[])
    if pid is not None:
        allowed |= Q(route="supervisor", supervisor_id=pid)
        if _holds_post(actor, trust.pk, "director_of_medical_education"):
            allowed |= Q(route="director_of_medical_education")
    if str(Role.MEDICAL_STAFFING) in roles_for(actor, trust):
        allowed |= Q(route="medical_workforce")
    return allowed & ~Q(doctor_id=pid) if pid is not None else allowed


def _is_board_member(actor: Any, person: Any) -> bool:
    from medlead.organisation.models import BoardMember, Person

    return isinstance(person, Person) and BoardMember.objects.filter(person_id=person.pk, end__isnull=True).exists()


def _is_consultant(actor: Any, person: Any) -> bool:
    return getattr(person, "grade", None) == "consultant"


def board_seats(actor: Any) -> list[tuple[int, str, bool]]:
    """(trust id, board role, senior independent director?) of each current board seat of the actor's person: one
    query, once per actor (cached on the actor)."""
    cached = getattr(actor, _SEATS, None)
    if cached is None:
        from medlead.organisation.models import BoardMember

        pid = person_id(actor)
        cached = (
            []
            if pid is None
            else list(
                BoardMember.objects.filter(person_id=pid, end__isnull=True)
                .order_by()
                .values_list("trust_id", "role", "senior_independent")
            )
        )
        setattr(actor, _SEATS, cached)
    return cached


def _board_seat(actor: Any, obj: Any, *, role: str | None = None, senior_independent: bool | None = None) -> bool:
    """``actor`` holds a current seat on the board of ``obj``'s trust (in this ``role``; as senior independent
    director)."""
    trust_id = getattr(obj, "pk", None) if type(obj).__name__ == "Trust" else getattr(obj, "trust_id", None)
    if person_id(actor) is None or trust_id is None:
        return False
    return any(
        seat_trust == trust_id
        and (role is None or seat_role == role)
        and (senior_independent is None or sid == senior_independent)
        for seat_trust, seat_role, sid in board_seats(actor)
    )


def has_board_seat(actor: Any, trust: Any) -> bool:
    return _board_seat(actor, trust)


def _is_chair(actor: Any, obj: Any) -> bool:
    return _board_seat(actor, obj, role="chair")


def _fppt_member(obj: Any) -> Any:
    """The board seat a fit and proper record is about (an assessment, a check or a leaver's reference)."""
    record = getattr(obj, "assessment", obj)
    return getattr(record, "member", None)


def _fppt_subject(actor: Any, obj: Any) -> bool:
    member = _fppt_member(obj)
    pid = person_id(actor)
    return member is not None and pid is not None and member.person_id == pid


def _fppt_signer(actor: Any, assessment: Any) -> bool:
    """The chair signs each member's assessment off; the senior independent director signs off the chair's."""
    member = _fppt_member(assessment)
    if member is None:
        return False
    if member.role == "chair":
        return _board_seat(actor, assessment, senior_independent=True)
    return _is_chair(actor, assessment)


def _may_run_import(actor: Any, batch: Any) -> bool:
    from medlead.core.imports import KINDS

    kind = KINDS.get(getattr(batch, "kind", ""))
    return kind is not None and can(actor, kind.perm, batch)


def _import_stuck(actor: Any, batch: Any) -> bool:
    from django.conf import settings
    from django.utils import timezone

    waited = timezone.now() - batch.updated_at
    return waited > dt.timedelta(minutes=settings.MEDLEAD_IMPORT_STUCK_MINUTES)


JOB_PLAN_READERS = (R.CLINICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_DIRECTOR, R.MEDICAL_STAFFING)
JOB_PLAN_MANAGERS = (R.CLINICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_DIRECTOR, R.MEDICAL_STAFFING)
# Who reads what the board reads: the medical director's office and the board itself.
AWARD_EMPLOYER = (R.MEDICAL_DIRECTOR, R.MEDICAL_STAFFING)
BOARD_READERS = (R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.RESPONSIBLE_OFFICER, R.NON_EXECUTIVE, R.CHAIR_CEO)
_job_plan_manager = all_of(role(*JOB_PLAN_MANAGERS, area=True), not_(OWN))

RULES: dict[Perm, Rule] = {
    # --- the organisation --------------------------------------------------------------------------------
    Perm.VIEW_ORGANISATION: role(*EVERY_ROLE),
    # Board members see board-level pictures and named board members, not every doctor (issue 11).
    Perm.VIEW_PEOPLE: role(*(r for r in EVERY_ROLE if r not in (R.NON_EXECUTIVE, R.CHAIR_CEO))),
    Perm.VIEW_PERSON: any_of(
        OWN,
        role(*(r for r in EVERY_ROLE if r not in (R.NON_EXECUTIVE, R.CHAIR_CEO))),
        all_of(role(R.NON_EXECUTIVE, R.CHAIR_CEO), _is_board_member),
    ),
    # Staff and staff numbers, email addresses, contracts and hours: the people who manage them.
    Perm.VIEW_PERSONAL_DETAILS: any_of(
        OWN,
        role(R.MEDICAL_STAFFING, R.MEDICAL_DIRECTOR, R.RESPONSIBLE_OFFICER, R.SYSTEM_ADMIN),
        role(R.CLINICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, area=True),
    ),
    Perm.MANAGE_PEOPLE: role(R.MEDICAL_STAFFING, R.MEDICAL_DIRECTOR, R.SYSTEM_ADMIN),
    Perm.RUN_IMPORT: role(R.MEDICAL_STAFFING, R.MEDICAL_DIRECTOR, R.SYSTEM_ADMIN),
    # An import is confirmed by whoever may run that kind of import (people: medical staffing; a rota: …).
    Perm.CONFIRM_IMPORT: all_of(_may_run_import, state_is("checked")),
    # A batch queued for longer than MEDLEAD_IMPORT_STUCK_MINUTES (its worker lost, the queue down) can be put back
    # to "checked" and confirmed again; the task's row lock makes a late first run and the retry safe together.
    Perm.RETRY_IMPORT: all_of(_may_run_import, state_is("queued"), _import_stuck),
    # --- structure --------------------------------------------------------------------------------------
    Perm.VIEW_STRUCTURE_HEALTH: role(
        R.MEDICAL_DIRECTOR,
        R.ASSOCIATE_MEDICAL_DIRECTOR,
        R.RESPONSIBLE_OFFICER,
        R.MEDICAL_STAFFING,
        R.CHAIR_CEO,
        R.NON_EXECUTIVE,
        R.SYSTEM_ADMIN,
    ),
    Perm.MANAGE_STRUCTURE: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_STAFFING, R.SYSTEM_ADMIN),
    Perm.VIEW_AUDIT: role(R.SYSTEM_ADMIN),
    # --- rotas and exception reports (2016 TCS, Schedule 5) ---------------------------------------------
    Perm.VIEW_ROTAS: role(*EVERY_ROLE),
    Perm.MANAGE_ROTAS: role(R.MEDICAL_STAFFING, R.SYSTEM_ADMIN),
    # The guardian oversees every report. Identifiable report data goes no further without the doctor's consent
    # (version 13): the supervisor sees a report under version 12, or when the doctor shares it.
    Perm.VIEW_ALL_EXCEPTION_REPORTS: role(R.GUARDIAN),
    # Exception reports are for resident doctors, who submit their own (the object is the doctor).
    Perm.SUBMIT_EXCEPTION_REPORT: all_of(OWN, _in_training),
    Perm.VIEW_EXCEPTION_REPORT: any_of(
        rel("doctor_id"), role(R.GUARDIAN), _report_approver, all_of(rel("supervisor_id"), _supervisor_may_see)
    ),
    Perm.AGREE_EXCEPTION_OUTCOME: all_of(_report_approver, not_(rel("doctor_id")), state_is("submitted")),
    Perm.FLAG_FINES: role(R.GUARDIAN),
    Perm.VIEW_GUARDIAN_REPORT: role(
        R.GUARDIAN,
        R.MEDICAL_DIRECTOR,
        R.ASSOCIATE_MEDICAL_DIRECTOR,
        R.MEDICAL_STAFFING,
        R.NON_EXECUTIVE,
        R.CHAIR_CEO,
    ),
    # --- job planning (consultant contract 2003, schedule 3; NHS Employers' job-planning guidance) ------
    Perm.VIEW_JOB_PLANS: role(*JOB_PLAN_READERS),
    Perm.MANAGE_JOB_PLANS: role(*JOB_PLAN_MANAGERS),
    Perm.VIEW_JOB_PLAN: any_of(OWN, role(*JOB_PLAN_READERS, area=True)),
    Perm.EDIT_JOB_PLAN: any_of(OWN, role(*JOB_PLAN_MANAGERS, area=True)),
    Perm.AGREE_JOB_PLAN: OWN,
    Perm.REFER_JOB_PLAN: any_of(OWN, role(*JOB_PLAN_MANAGERS, area=True)),
    Perm.RESUME_JOB_PLAN: _job_plan_manager,
    Perm.APPEAL_JOB_PLAN: OWN,
    # Never one's own plan; a clinical director only in their specialties, an associate in their area.
    Perm.SIGN_JOB_PLAN_CD: all_of(role(R.CLINICAL_DIRECTOR, area=True), not_(OWN)),
    Perm.SIGN_JOB_PLAN_MD: all_of(role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, area=True), not_(OWN)),
    Perm.DECIDE_JOB_PLAN_APPEAL: all_of(role(R.MEDICAL_DIRECTOR), not_(OWN)),
    # --- appraisal and revalidation (GMC; Medical Appraisal Guide 2022) ---------------------------------
    # The responsible officer and the revalidation team (in medical staffing) see status, dates and outputs.
    Perm.VIEW_REVALIDATION: role(R.RESPONSIBLE_OFFICER, R.MEDICAL_STAFFING, R.MEDICAL_DIRECTOR),
    Perm.MANAGE_APPRAISALS: role(R.RESPONSIBLE_OFFICER, R.MEDICAL_STAFFING),
    Perm.MAKE_RECOMMENDATIONS: role(R.RESPONSIBLE_OFFICER),
    Perm.VIEW_CONCERNS: role(R.RESPONSIBLE_OFFICER),
    # The board's picture: aggregates only, for the board and the medical director's team.
    # Concerns under MHPS: recorded by the medical director or the responsible officer; a case is seen only by the
    # people named on it (case manager, investigators, the designated board member, the HR lead), superusers and
    # other roles included; its case manager manages it.
    Perm.OPEN_CASE: role(R.MEDICAL_DIRECTOR, R.RESPONSIBLE_OFFICER),
    Perm.VIEW_CASE: lambda actor, case: _on_case(actor, case, None),
    Perm.MANAGE_CASE: all_of(lambda actor, case: _on_case(actor, case, ("case_manager",)), state_is("open")),
    Perm.VIEW_CASE_AUDIT: lambda actor, case: _on_case(actor, case, ("case_manager", "auditor")),
    Perm.VIEW_BOARD_PICTURE: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.NON_EXECUTIVE, R.CHAIR_CEO),
    Perm.VIEW_RO_REPORT: role(
        R.RESPONSIBLE_OFFICER, R.MEDICAL_DIRECTOR, R.MEDICAL_STAFFING, R.NON_EXECUTIVE, R.CHAIR_CEO
    ),
    Perm.VIEW_APPRAISAL_OUTPUTS: any_of(
        OWN, rel("appraiser_id"), role(R.RESPONSIBLE_OFFICER, R.MEDICAL_STAFFING, R.MEDICAL_DIRECTOR)
    ),
    # Appraisal content (inputs, reflections, declarations) is the doctor's and the appraiser's only.
    Perm.VIEW_APPRAISAL_CONTENT: any_of(OWN, rel("appraiser_id")),
    Perm.EDIT_APPRAISAL_INPUTS: OWN,
    Perm.EDIT_APPRAISAL_OUTPUTS: all_of(rel("appraiser_id"), not_(OWN)),
    Perm.SIGN_OFF_APPRAISAL: all_of(rel("appraiser_id"), not_(OWN)),
    Perm.ARRANGE_APPRAISAL: role(R.RESPONSIBLE_OFFICER, R.MEDICAL_STAFFING),
    # Whether a missed or incomplete appraisal is approved is the responsible officer's decision.
    Perm.DECIDE_MISSED_APPRAISAL: all_of(role(R.RESPONSIBLE_OFFICER), state_is("missed")),
    # --- leadership: self-assessment and 360 ------------------------------------------------------------
    Perm.VIEW_LEADERSHIP_AGGREGATE: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR),
    Perm.MANAGE_FRAMEWORKS: role(R.MEDICAL_DIRECTOR, R.SYSTEM_ADMIN),
    Perm.VIEW_ASSESSMENT: OWN,
    # A 360's running counts are the subject's; its report is the subject's and their facilitator's once
    # closed. Managers never see an individual's 360.
    Perm.MANAGE_CYCLE: rel("subject_id"),
    Perm.CLOSE_CYCLE: all_of(any_of(rel("subject_id"), rel("facilitator_id")), state_is("open")),
    Perm.VIEW_360_REPORT: all_of(any_of(rel("subject_id"), rel("facilitator_id")), state_is("closed")),
    # Nominations are approved before invitations go, by the facilitator or one of the subject's line managers
    # (the holders of the posts over the subject's specialty, up the reporting lines); never by the subject.
    Perm.APPROVE_RATERS: all_of(
        any_of(rel("facilitator_id"), _line_manages_subject), not_(rel("subject_id")), state_is("open")
    ),
    # --- development ------------------------------------------------------------------------------------
    Perm.VIEW_DEVELOPMENT_RECORD: OWN,
    Perm.EDIT_DEVELOPMENT_RECORD: OWN,
    Perm.VIEW_PDP: any_of(OWN, rel("agreer_id")),
    Perm.AGREE_PDP: all_of(rel("agreer_id"), not_(OWN), state_is("awaiting")),
    # The meeting log is private to the pair. An external mentor has no account: the mentee records their answer.
    Perm.VIEW_MENTORSHIP: any_of(rel("mentee_id"), _is_mentor),
    Perm.RESPOND_MENTORSHIP: all_of(
        any_of(_is_mentor, all_of(rel("mentee_id"), _external_mentor)), state_is("requested")
    ),
    # "Medical directors and associates post local openings" (issue 4).
    Perm.MANAGE_OPENINGS: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR),
    Perm.DECIDE_OPENING: all_of(role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR), state_is("open")),
    Perm.MANAGE_MENTOR_REGISTER: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_STAFFING),
    # --- talent (nhsconfed-2009: senior leaders spot talent) -------------------------------------------
    Perm.NOMINATE_TALENT: role(
        R.CLINICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_DIRECTOR, R.RESPONSIBLE_OFFICER, R.CHAIR_CEO
    ),
    Perm.MANAGE_TALENT: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR),
    # Talent-review notes: the review's reviewers and the medical director only.
    Perm.VIEW_TALENT_REVIEW: any_of(_is_reviewer, role(R.MEDICAL_DIRECTOR)),
    # --- the board's view (issue 16): aggregates and board business, no one's confidential record ------------
    Perm.VIEW_METRICS: role(*BOARD_READERS, R.CLINICAL_DIRECTOR, R.GUARDIAN, R.MEDICAL_STAFFING),
    Perm.MANAGE_METRICS: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_STAFFING),
    Perm.VIEW_BOARD_REPORTS: role(*BOARD_READERS),
    # The medical director reports to the board (nhsi-fmlm-2017); a deputy may draft. An issued report is frozen.
    Perm.EDIT_BOARD_REPORT: all_of(role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR), state_is("draft")),
    Perm.VIEW_MEETINGS: role(*BOARD_READERS),
    Perm.MANAGE_MEETINGS: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.CHAIR_CEO),
    Perm.VIEW_ACTION: any_of(rel("owner_id"), role(*BOARD_READERS)),
    Perm.UPDATE_ACTION: all_of(
        any_of(rel("owner_id"), role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.CHAIR_CEO)),
        state_is("open"),
    ),
    Perm.VIEW_EXTERNAL: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.RESPONSIBLE_OFFICER, R.CHAIR_CEO),
    Perm.MANAGE_EXTERNAL: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR),
    # --- fit and proper person records (issue 17): the chair, the company secretary and the member only -----
    Perm.MANAGE_FPPT: any_of(role(R.COMPANY_SECRETARY), _is_chair),
    Perm.SUBMIT_FPPT_RETURN: _is_chair,
    Perm.VIEW_FPPT: any_of(role(R.COMPANY_SECRETARY), _is_chair, _fppt_subject),
    Perm.ATTEST_FPPT: all_of(_fppt_subject, state_is("pending")),
    Perm.SIGN_OFF_FPPT: all_of(_fppt_signer, not_(_fppt_subject), state_is("pending")),
    # --- National Clinical Impact Awards, the employer's part (issue 17) ------------------------------------
    Perm.VIEW_AWARDS: role(*AWARD_EMPLOYER),
    Perm.VIEW_AWARDS_SUMMARY: role(R.MEDICAL_DIRECTOR),
    Perm.PREPARE_AWARD: all_of(OWN, _is_consultant),
    Perm.EDIT_AWARD: all_of(rel("person_id"), state_is("draft")),
    Perm.VIEW_AWARD: any_of(
        rel("person_id"), all_of(role(R.MEDICAL_DIRECTOR, R.MEDICAL_STAFFING), not_(state_is("draft")))
    ),
    Perm.VERIFY_AWARD: all_of(
        role(R.MEDICAL_DIRECTOR, R.MEDICAL_STAFFING), not_(rel("person_id")), state_is("submitted")
    ),
    Perm.RECORD_AWARD_OUTCOME: all_of(
        role(R.MEDICAL_DIRECTOR, R.MEDICAL_STAFFING), not_(rel("person_id")), state_is("verified")
    ),
}


def actions_filter(actor: Any, trust: Any) -> Any:
    """The same rule as ``Perm.VIEW_ACTION``, as a query filter for a trust's action log."""
    from django.db.models import Q

    if can(actor, Perm.VIEW_MEETINGS, trust):
        return Q()
    pid = person_id(actor)
    return Q(owner_id=pid) if pid is not None else Q(pk__in=[])


# ----------------------------------------------------------------------------------------------- the answer


def can(actor: Any, perm: Perm, obj: Any) -> bool:
    """Whether ``actor`` may do ``perm`` to ``obj`` (a trust, or a record of a trust). Never true for a signed-out
    or inactive user, or without an object: every permission is about something."""
    if obj is None or actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return bool(RULES[perm](actor, obj))


def require(actor: Any, perm: Perm, obj: Any) -> None:
    """Refuse (``Forbidden``, a 403 that says what) unless ``actor`` may do ``perm`` to ``obj``.

    ``actor`` None is the system itself (a worker or a command acting for nobody): it is allowed, and the audit
    trail records no actor."""
    if actor is None:
        return
    if not can(actor, perm, obj):
        raise Forbidden(perm)


def read(actor: Any, perm: Perm, obj: Any, *, why: str) -> None:
    """``require``, then record the read in the audit trail (who, when, which record, why): for every read of a
    confidential record (appraisal content, 360 reports, mentoring logs, evidence, exception reports, talent
    reviews, concerns), by anyone, the record's own doctor included. The trail never copies the content."""
    require(actor, perm, obj)
    from medlead.core import audit as auditor

    auditor.audit_read(actor=actor, obj=obj, note=why)
