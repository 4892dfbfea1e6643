"""Who may see and change rotas, and see, submit and agree exception reports (2016 TCS, Schedule 5; the rules in
force on a report's date route it: ADR 0009). The list filters below are the same rules as query filters."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from medlead.core import policy
from medlead.core.policy import (
    Perm,
    all_of,
    any_of,
    can,
    described,
    holds_post,
    not_,
    person_id,
    rel,
    role,
    roles_for,
    state_is,
)
from medlead.core.roles import EVERY_ROLE
from medlead.core.roles import Role as R
from medlead.organisation.models import TRAINEE_GRADES
from medlead.organisation.permissions import OWN

DOCTOR = rel("doctor_id", "its doctor")
SUPERVISOR = rel("supervisor_id", "the doctor's educational supervisor")


@described("a resident doctor (a doctor in training)")
def _in_training(actor: Any, person: Any) -> bool:
    return getattr(person, "grade", None) in TRAINEE_GRADES


@described(
    "whoever its route names by the rules in force on its date: its educational supervisor (version 12); medical "
    "staffing (HR) for hours, rest and breaks, or the director of medical education for education (version 13)"
)
def _report_approver(actor: Any, report: Any) -> bool:
    """Who agrees an exception report's outcome, by its route (set from the rules in force on its date): the
    educational supervisor (version 12); medical workforce, for hours, rest and breaks, or the director of medical
    education, for education (version 13)."""
    route = getattr(report, "route", None)
    if route == "supervisor":
        return SUPERVISOR(actor, report)
    if route == "medical_workforce":
        return role(R.MEDICAL_STAFFING)(actor, report)
    if route == "director_of_medical_education":
        return holds_post(actor, report.trust_id, "director_of_medical_education")
    return False


@described("under version 12, or once the doctor has shared it")
def _supervisor_may_see(actor: Any, report: Any) -> bool:
    return getattr(report, "rules_version", "v12") == "v12" or bool(getattr(report, "share_with_supervisor", False))


def exception_reports_filter(actor: Any, trust: Any) -> Q:
    """The same rule as ``Perm.VIEW_EXCEPTION_REPORT``, as a query filter for lists of a trust's reports."""
    if can(actor, Perm.VIEW_ALL_EXCEPTION_REPORTS, trust):
        return Q()
    pid = person_id(actor)
    allowed = Q(pk__in=[])
    if pid is not None:
        allowed |= Q(doctor_id=pid) | (Q(supervisor_id=pid) & (Q(rules_version="v12") | Q(share_with_supervisor=True)))
        if holds_post(actor, trust.pk, "director_of_medical_education"):
            allowed |= Q(route="director_of_medical_education")
    if str(R.MEDICAL_STAFFING) in roles_for(actor, trust):
        allowed |= Q(route="medical_workforce")
    return allowed


def exception_reports_to_agree_filter(actor: Any, trust: Any) -> Q:
    """The same rule as ``Perm.AGREE_EXCEPTION_OUTCOME`` (routes), as a query filter: the reports whose outcome
    ``actor`` agrees, never their own."""
    pid = person_id(actor)
    allowed = Q(pk__in=[])
    if pid is not None:
        allowed |= Q(route="supervisor", supervisor_id=pid)
        if holds_post(actor, trust.pk, "director_of_medical_education"):
            allowed |= Q(route="director_of_medical_education")
    if str(R.MEDICAL_STAFFING) in roles_for(actor, trust):
        allowed |= Q(route="medical_workforce")
    return allowed & ~Q(doctor_id=pid) if pid is not None else allowed


policy.register(
    {
        Perm.VIEW_ROTAS: role(*EVERY_ROLE),
        # Rotas are medical staffing's work (the rota coordinator); a system administrator runs the system, not rotas.
        Perm.MANAGE_ROTAS: role(R.MEDICAL_STAFFING),
        # The guardian oversees every report. Identifiable report data goes no further without the doctor's
        # consent (version 13): the supervisor sees a report under version 12, or when the doctor shares it.
        Perm.VIEW_ALL_EXCEPTION_REPORTS: role(R.GUARDIAN),
        # Exception reports are for resident doctors, who submit their own (the object is the doctor).
        Perm.SUBMIT_EXCEPTION_REPORT: all_of(OWN, _in_training),
        Perm.VIEW_EXCEPTION_REPORT: any_of(
            DOCTOR, role(R.GUARDIAN), _report_approver, all_of(SUPERVISOR, _supervisor_may_see)
        ),
        Perm.AGREE_EXCEPTION_OUTCOME: all_of(_report_approver, not_(DOCTOR), state_is("submitted")),
        Perm.FLAG_FINES: role(R.GUARDIAN),
        Perm.VIEW_GUARDIAN_REPORT: role(
            R.GUARDIAN,
            R.MEDICAL_DIRECTOR,
            R.ASSOCIATE_MEDICAL_DIRECTOR,
            R.MEDICAL_STAFFING,
            R.NON_EXECUTIVE,
            R.CHAIR_CEO,
        ),
    }
)


# --- issue 32: publish ---------------------------------------------------------------------------------------------
# Publishing a rota to its doctors is the rota coordinator's decision, as changing it is: medical staffing for the
# trust. (Doctors see a published rota's duties: VIEW_ROTAS.)
policy.register({Perm.PUBLISH_ROTA: role(R.MEDICAL_STAFFING)})
