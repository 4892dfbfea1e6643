"""Every permission in medlead, and who holds it. The only place a permission is decided.

A permission is a ``rules`` predicate on (user, object). The object is the trust whose data is touched, or
any record that belongs to a trust (it has ``trust_id``). A role counts for a trust when it is held for that
trust, for the trust's region, or nationally (a role assignment with neither trust nor region).

Pages, the API, commands and tasks all ask ``user.has_perm(Perm.X, trust_or_record)``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

import rules

from medlead.accounts.models import Role

if TYPE_CHECKING:
    from medlead.accounts.models import User


class Perm(StrEnum):
    VIEW_ORGANISATION = "organisation.view"
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
    SIGN_JOB_PLANS_CD = "jobplans.sign_cd"
    SIGN_JOB_PLANS_MD = "jobplans.sign_md"
    VIEW_REVALIDATION = "revalidation.view"
    MANAGE_APPRAISALS = "revalidation.manage_appraisals"
    MAKE_RECOMMENDATIONS = "revalidation.recommend"
    VIEW_CONCERNS = "revalidation.view_concerns"
    VIEW_RO_REPORT = "revalidation.view_report"
    VIEW_LEADERSHIP_AGGREGATE = "leadership.view_aggregate"
    MANAGE_FRAMEWORKS = "leadership.manage_frameworks"
    MANAGE_OPENINGS = "development.manage_openings"
    MANAGE_MENTOR_REGISTER = "development.manage_mentors"
    NOMINATE_TALENT = "talent.nominate"
    MANAGE_TALENT = "talent.manage"


R = Role
EVERY_ROLE = frozenset(Role)

# The permission matrix: which roles grant each permission over a trust in their scope.
MATRIX: dict[Perm, frozenset[Role]] = {
    Perm.VIEW_ORGANISATION: EVERY_ROLE,
    Perm.MANAGE_PEOPLE: frozenset({R.MEDICAL_STAFFING, R.MEDICAL_DIRECTOR, R.SYSTEM_ADMIN}),
    Perm.RUN_IMPORT: frozenset({R.MEDICAL_STAFFING, R.MEDICAL_DIRECTOR, R.SYSTEM_ADMIN}),
    Perm.VIEW_STRUCTURE_HEALTH: frozenset(
        {
            R.MEDICAL_DIRECTOR,
            R.ASSOCIATE_MEDICAL_DIRECTOR,
            R.RESPONSIBLE_OFFICER,
            R.MEDICAL_STAFFING,
            R.CHAIR_CEO,
            R.NON_EXECUTIVE,
            R.SYSTEM_ADMIN,
        }
    ),
    Perm.MANAGE_STRUCTURE: frozenset(
        {R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_STAFFING, R.SYSTEM_ADMIN}
    ),
    Perm.VIEW_AUDIT: frozenset({R.SYSTEM_ADMIN}),
    Perm.VIEW_ROTAS: EVERY_ROLE,
    Perm.MANAGE_ROTAS: frozenset({R.MEDICAL_STAFFING, R.SYSTEM_ADMIN}),
    Perm.VIEW_ALL_EXCEPTION_REPORTS: frozenset({R.GUARDIAN, R.MEDICAL_DIRECTOR, R.SYSTEM_ADMIN}),
    Perm.FLAG_FINES: frozenset({R.GUARDIAN}),
    Perm.VIEW_GUARDIAN_REPORT: frozenset(
        {
            R.GUARDIAN,
            R.MEDICAL_DIRECTOR,
            R.ASSOCIATE_MEDICAL_DIRECTOR,
            R.MEDICAL_STAFFING,
            R.NON_EXECUTIVE,
            R.CHAIR_CEO,
            R.SYSTEM_ADMIN,
        }
    ),
    Perm.VIEW_JOB_PLANS: frozenset(
        {R.CLINICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_DIRECTOR, R.MEDICAL_STAFFING, R.SYSTEM_ADMIN}
    ),
    Perm.MANAGE_JOB_PLANS: frozenset(
        {R.CLINICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_DIRECTOR, R.MEDICAL_STAFFING, R.SYSTEM_ADMIN}
    ),
    Perm.SIGN_JOB_PLANS_CD: frozenset({R.CLINICAL_DIRECTOR}),
    # the medical director or a delegate (associate or deputy medical director)
    Perm.SIGN_JOB_PLANS_MD: frozenset({R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR}),
    # the responsible officer and the revalidation team (in medical staffing) see status, dates and outputs
    Perm.VIEW_REVALIDATION: frozenset({R.RESPONSIBLE_OFFICER, R.MEDICAL_STAFFING, R.MEDICAL_DIRECTOR, R.SYSTEM_ADMIN}),
    Perm.MANAGE_APPRAISALS: frozenset({R.RESPONSIBLE_OFFICER, R.MEDICAL_STAFFING, R.SYSTEM_ADMIN}),
    Perm.MAKE_RECOMMENDATIONS: frozenset({R.RESPONSIBLE_OFFICER}),
    Perm.VIEW_CONCERNS: frozenset({R.RESPONSIBLE_OFFICER}),
    Perm.VIEW_RO_REPORT: frozenset(
        {R.RESPONSIBLE_OFFICER, R.MEDICAL_DIRECTOR, R.MEDICAL_STAFFING, R.NON_EXECUTIVE, R.CHAIR_CEO, R.SYSTEM_ADMIN}
    ),
    # anonymised, aggregated 360 scores across the trust (small numbers suppressed)
    Perm.VIEW_LEADERSHIP_AGGREGATE: frozenset({R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.SYSTEM_ADMIN}),
    Perm.MANAGE_FRAMEWORKS: frozenset({R.MEDICAL_DIRECTOR, R.SYSTEM_ADMIN}),
    # "medical directors and associates post local openings" (issue 4)
    Perm.MANAGE_OPENINGS: frozenset({R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR}),
    Perm.MANAGE_MENTOR_REGISTER: frozenset(
        {R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_STAFFING, R.SYSTEM_ADMIN}
    ),
    # senior leaders spot talent (nhsconfed-2009)
    Perm.NOMINATE_TALENT: frozenset(
        {
            R.CLINICAL_DIRECTOR,
            R.ASSOCIATE_MEDICAL_DIRECTOR,
            R.MEDICAL_DIRECTOR,
            R.RESPONSIBLE_OFFICER,
            R.CHAIR_CEO,
        }
    ),
    # nominations, succession plans and the pipeline dashboard (aggregate diversity only)
    Perm.MANAGE_TALENT: frozenset({R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR}),
}

_CACHE_ATTR = "_medlead_role_scopes"


def role_scopes(user: User) -> list[tuple[str, int | None, int | None]]:
    """(role, trust_id, region_id) for each of the user's role assignments, cached on the user object."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(user.role_assignments.values_list("role", "trust_id", "region_id"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def _trust_and_region(obj: Any) -> tuple[int | None, int | None]:
    from medlead.organisation.models import Trust

    if isinstance(obj, Trust):
        return obj.pk, obj.region_id
    trust_id = getattr(obj, "trust_id", None)
    if trust_id is None:
        return None, None
    trust = getattr(obj, "trust", None)  # usually already loaded with select_related
    return trust_id, trust.region_id if trust is not None else None


def roles_for(user: User, obj: Any) -> set[str]:
    """The roles that ``user`` holds over the trust that ``obj`` is or belongs to."""
    if not user.is_authenticated or not user.is_active:
        return set()
    trust_id, region_id = _trust_and_region(obj)
    if trust_id is None:
        return set()
    held: set[str] = set()
    for role, scope_trust, scope_region in role_scopes(user):
        if (
            (scope_trust is None and scope_region is None)
            or scope_trust == trust_id
            or (scope_region is not None and scope_region == region_id)
        ):
            held.add(role)
    return held


def has_any_role(user: User, *wanted: Role) -> bool:
    """Whether the user holds any of these roles anywhere (used for navigation, never for data access)."""
    return bool(user.is_authenticated) and any(role in wanted for role, _, _ in role_scopes(user))


def _predicate_for(perm: Perm) -> rules.Predicate:
    allowed = {str(r) for r in MATRIX[perm]}

    @rules.predicate(name=f"has_role_for_{perm.value}")
    def check(user: User, obj: Any = None) -> bool:
        if obj is None:
            return False
        return bool(roles_for(user, obj) & allowed)

    return check


for _perm in Perm:
    rules.add_perm(_perm.value, _predicate_for(_perm))


# ---------------------------------------------------------------------------------- need-to-know records


def _person_id(user: User) -> int | None:
    return getattr(user, "person_id", None)


@rules.predicate
def is_report_doctor(user: User, report: Any) -> bool:
    return report is not None and _person_id(user) is not None and report.doctor_id == _person_id(user)


@rules.predicate
def is_report_supervisor(user: User, report: Any) -> bool:
    return report is not None and _person_id(user) is not None and report.supervisor_id == _person_id(user)


can_see_all_reports = _predicate_for(Perm.VIEW_ALL_EXCEPTION_REPORTS)

# An exception report is seen by its doctor, their educational supervisor and those who see all (guardian).
rules.add_perm("rota.view_exception_report", is_report_doctor | is_report_supervisor | can_see_all_reports)
# Only the educational supervisor agrees the outcome (2016 TCS Schedule 5).
rules.add_perm("rota.agree_exception_outcome", is_report_supervisor)


@rules.predicate
def is_plan_owner(user: User, plan: Any) -> bool:
    return plan is not None and _person_id(user) is not None and plan.person_id == _person_id(user)


# A job plan is the doctor's and their managers': the doctor, and those who see or manage all plans.
rules.add_perm("jobplans.view_plan", is_plan_owner | _predicate_for(Perm.VIEW_JOB_PLANS))
rules.add_perm("jobplans.edit_plan", is_plan_owner | _predicate_for(Perm.MANAGE_JOB_PLANS))


@rules.predicate
def is_appraisee(user: User, appraisal: Any) -> bool:
    return appraisal is not None and _person_id(user) is not None and appraisal.person_id == _person_id(user)


@rules.predicate
def is_appraiser(user: User, appraisal: Any) -> bool:
    return appraisal is not None and _person_id(user) is not None and appraisal.appraiser_id == _person_id(user)


# Appraisal content (inputs, reflections, declarations) is the doctor's and the appraiser's only.
rules.add_perm("revalidation.view_appraisal_content", is_appraisee | is_appraiser)
rules.add_perm("revalidation.edit_appraisal_inputs", is_appraisee)
rules.add_perm("revalidation.edit_appraisal_outputs", is_appraiser)
# Status, dates and outputs are also seen by the responsible officer and the revalidation team.
rules.add_perm(
    "revalidation.view_appraisal_outputs", is_appraisee | is_appraiser | _predicate_for(Perm.VIEW_REVALIDATION)
)


@rules.predicate
def is_cycle_subject(user: User, cycle: Any) -> bool:
    return cycle is not None and _person_id(user) is not None and cycle.subject_id == _person_id(user)


@rules.predicate
def is_cycle_facilitator(user: User, cycle: Any) -> bool:
    return cycle is not None and _person_id(user) is not None and cycle.facilitator_id == _person_id(user)


@rules.predicate
def is_cycle_closed(user: User, cycle: Any) -> bool:
    return cycle is not None and cycle.status == "closed"


@rules.predicate
def is_assessment_owner(user: User, assessment: Any) -> bool:
    return assessment is not None and _person_id(user) is not None and assessment.person_id == _person_id(user)


# A 360's running counts are the subject's; its report is the subject's (once closed) and their facilitator's.
# Managers have no rule here: they never see an individual's 360.
rules.add_perm("leadership.manage_cycle", is_cycle_subject)
rules.add_perm("leadership.view_report", (is_cycle_subject | is_cycle_facilitator) & is_cycle_closed)
# A self-assessment is the doctor's own development record.
rules.add_perm("leadership.view_assessment", is_assessment_owner)


# ------------------------------------------------------------------------------------ development records


@rules.predicate
def is_record_owner(user: User, record: Any) -> bool:
    """The doctor whose development record (plan, experience, career plan, share) this is."""
    return record is not None and _person_id(user) is not None and record.person_id == _person_id(user)


@rules.predicate
def is_plan_agreer(user: User, plan: Any) -> bool:
    return plan is not None and _person_id(user) is not None and plan.agreer_id == _person_id(user)


# A development record is the doctor's own; a PDP is also read (and agreed) by the mentor or line manager the
# doctor asked to agree it. Nobody else sees one: managers see development only in aggregate or as shared.
rules.add_perm("development.view_record", is_record_owner)
rules.add_perm("development.view_plan", is_record_owner | is_plan_agreer)
rules.add_perm("development.agree_plan", is_plan_agreer)


@rules.predicate
def is_mentee(user: User, mentorship: Any) -> bool:
    return mentorship is not None and _person_id(user) is not None and mentorship.mentee_id == _person_id(user)


@rules.predicate
def is_mentor(user: User, mentorship: Any) -> bool:
    return (
        mentorship is not None
        and _person_id(user) is not None
        and mentorship.mentor.person_id is not None
        and mentorship.mentor.person_id == _person_id(user)
    )


@rules.predicate
def has_external_mentor(user: User, mentorship: Any) -> bool:
    return mentorship is not None and mentorship.mentor.person_id is None


# The meeting log is private to the pair; the mentor accepts or declines a request. An external mentor has no
# account: they are emailed, and the mentee records their answer.
rules.add_perm("development.view_mentorship", is_mentee | is_mentor)
rules.add_perm("development.respond_mentorship", is_mentor | (is_mentee & has_external_mentor))


@rules.predicate
def is_reviewer(user: User, review: Any) -> bool:
    pid = _person_id(user)
    # reviewers.all() uses a prefetch when the caller made one (lists), else one query
    return review is not None and pid is not None and any(p.pk == pid for p in review.reviewers.all())


@rules.predicate
def is_medical_director_for(user: User, record: Any) -> bool:
    return str(Role.MEDICAL_DIRECTOR) in roles_for(user, record)


# Talent-review notes: the review's reviewers and the medical director only (issue 4).
rules.add_perm("talent.view_review", is_reviewer | is_medical_director_for)
