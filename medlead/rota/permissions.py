"""Who may see and change rotas, and see, submit and agree exception reports (2016 TCS, Schedule 5; the rules in
force on a report's date route it: ADR 0009). The list filters below are the same rules as query filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from medlead.core import dates, policy
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
from medlead.core.roles import EVERY_TRUST_ROLE
from medlead.core.roles import Role as R
from medlead.organisation.models import TRAINEE_GRADES
from medlead.organisation.permissions import OWN
from medlead.rota import placed
from medlead.rota.models import RotaMember

DOCTOR = rel("doctor_id", "its doctor")
SUPERVISOR = rel("supervisor_id", "the doctor's educational supervisor")


@described("a resident doctor (a doctor in training)")
def _in_training(actor: Any, person: Any) -> bool:
    return getattr(person, "grade", None) in TRAINEE_GRADES


def _over_named(roles: tuple[R, ...], actor: Any, report: Any) -> bool:
    """The actor holds one of ``roles`` over a trust the report reaches (``placed.named``): its own trust, unless
    the doctor's placement sends it to their lead employer only; the lead employer, where the placement names it."""
    who = placed.named(report)
    return (who.host and role(*roles)(actor, report)) or (who.lead is not None and role(*roles)(actor, who.lead))


def _post_in_named(actor: Any, report: Any, post_type: str) -> bool:
    who = placed.named(report)
    return (who.host and holds_post(actor, report.trust_id, post_type)) or (
        who.lead is not None and holds_post(actor, who.lead.pk, post_type)
    )


@described(
    "whoever its route names by the rules in force on its date: its educational supervisor (version 12); medical "
    "staffing (HR) for hours, rest and breaks, or the director of medical education for education (version 13), of "
    "the trusts the placement of a placed doctor names (the host's, the lead employer's, or both)"
)
def _report_approver(actor: Any, report: Any) -> bool:
    """Who agrees an exception report's outcome, by its route (set from the rules in force on its date): the
    educational supervisor (version 12); medical workforce, for hours, rest and breaks, or the director of medical
    education, for education (version 13): those of the trusts the report reaches (``placed.named``)."""
    route = getattr(report, "route", None)
    if route == "supervisor":
        return SUPERVISOR(actor, report)
    if route == "medical_workforce":
        return _over_named((R.MEDICAL_STAFFING,), actor, report)
    if route == "director_of_medical_education":
        return _post_in_named(actor, report, "director_of_medical_education")
    return False


@described(
    "of a report that reaches its own trust's guardian (not a placed doctor's report whose placement in force on its "
    "date sends it to their lead employer's guardian only)"
)
def _reaches_own_trust(actor: Any, obj: Any) -> bool:
    """A trust, or a record of one, that is not a report sent to the doctor's lead employer only."""
    return not placed.is_report(obj) or placed.named(obj).host


@described(
    "the guardian of safe working hours of a placed doctor's lead employer, where the placement in force on its "
    "date names the lead employer's guardian"
)
def _lead_employer_guardian(actor: Any, report: Any) -> bool:
    if not placed.is_report(report):
        return False
    lead = placed.named(report).lead
    return lead is not None and _GUARDIAN(actor, lead)


_GUARDIAN = role(R.GUARDIAN)


@described("under version 12, or once the doctor has shared it")
def _supervisor_may_see(actor: Any, report: Any) -> bool:
    return getattr(report, "rules_version", "v12") == "v12" or bool(getattr(report, "share_with_supervisor", False))


# The guardians a report reaches: the trust's own, and a placed doctor's lead employer's as the placement says.
NAMED_GUARDIAN = any_of(all_of(_GUARDIAN, _reaches_own_trust), _lead_employer_guardian)


def exception_reports_filter(actor: Any, trust: Any) -> Q:
    """The same rule as ``Perm.VIEW_EXCEPTION_REPORT``, as a query filter for the lists of a trust's pages (their
    reports ``placed.reaching(trust)``): the guardian's, medical workforce's and the director of medical
    education's only where the arrangement names this trust (``placed.here``)."""
    named_here = placed.here(trust)
    if can(actor, Perm.VIEW_ALL_EXCEPTION_REPORTS, trust):
        return named_here
    pid = person_id(actor)
    allowed = Q(pk__in=[])
    if pid is not None:
        allowed |= Q(doctor_id=pid) | (Q(supervisor_id=pid) & (Q(rules_version="v12") | Q(share_with_supervisor=True)))
        if holds_post(actor, trust.pk, "director_of_medical_education"):
            allowed |= Q(route="director_of_medical_education") & named_here
    if str(R.MEDICAL_STAFFING) in roles_for(actor, trust):
        allowed |= Q(route="medical_workforce") & named_here
    return allowed


def exception_reports_to_agree_filter(actor: Any, trust: Any) -> Q:
    """The same rule as ``Perm.AGREE_EXCEPTION_OUTCOME`` (routes), as a query filter: the reports whose outcome
    ``actor`` agrees, never their own."""
    named_here = placed.here(trust)
    pid = person_id(actor)
    allowed = Q(pk__in=[])
    if pid is not None:
        allowed |= Q(route="supervisor", supervisor_id=pid)
        if holds_post(actor, trust.pk, "director_of_medical_education"):
            allowed |= Q(route="director_of_medical_education") & named_here
    if str(R.MEDICAL_STAFFING) in roles_for(actor, trust):
        allowed |= Q(route="medical_workforce") & named_here
    return allowed & ~Q(doctor_id=pid) if pid is not None else allowed


policy.register(
    {
        Perm.VIEW_ROTAS: role(*EVERY_TRUST_ROLE),
        # Rotas are medical staffing's work (the rota coordinator); a system administrator runs the system, not rotas.
        Perm.MANAGE_ROTAS: role(R.MEDICAL_STAFFING),
        # The guardian oversees every report. Identifiable report data goes no further without the doctor's
        # consent (version 13): the supervisor sees a report under version 12, or when the doctor shares it.
        Perm.VIEW_ALL_EXCEPTION_REPORTS: role(R.GUARDIAN),
        # Exception reports are for resident doctors, who submit their own (the object is the doctor).
        Perm.SUBMIT_EXCEPTION_REPORT: all_of(OWN, _in_training),
        # A placed doctor's report reaches the guardians their placement names (issue 34, ADR 0035).
        Perm.VIEW_EXCEPTION_REPORT: any_of(
            DOCTOR, NAMED_GUARDIAN, _report_approver, all_of(SUPERVISOR, _supervisor_may_see)
        ),
        Perm.AGREE_EXCEPTION_OUTCOME: all_of(_report_approver, not_(DOCTOR), state_is("submitted")),
        Perm.FLAG_FINES: NAMED_GUARDIAN,
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
# ------------------------------------------------------------------------------------- shift swaps (issue 32)
#
# A doctor sees only the swaps they are party to and the open offers they could take; the rota coordinator (medical
# staffing for the trust, or whoever may change the rota) sees their rotas'. Everyone else is answered 404 (ADR 0019).


def _actor_person(actor: Any) -> Any:
    return getattr(actor, "person", None) if person_id(actor) is not None else None


def swap_eligible(person: Any, swap: Any) -> bool:
    """Whether ``person`` may take ``swap``'s shift: a member of its rota other than the doctor who offered it, of a
    grade the shift allows (``swap.grades``: the shift pattern's, else the offering doctor's grade)."""
    if person is None or person.pk == swap.offered_by_id or person.trust_id != swap.trust_id:
        return False
    if swap.grades and person.grade not in swap.grades:
        return False
    return RotaMember.objects.filter(rota_id=swap.rota_id, person_id=person.pk).exists()


@described("any colleague on the same rota of a grade that may work the shift, while it is an open offer")
def _eligible_for_open_offer(actor: Any, swap: Any) -> bool:
    if not hasattr(swap, "offered_by_id"):  # not a swap
        return False
    return swap.to_id is None and swap.status == "offered" and swap_eligible(_actor_person(actor), swap)


@described("the rota's coordinator (whoever may change the rota)")
def _rota_coordinator(actor: Any, obj: Any) -> bool:
    rota = getattr(obj, "rota", None)
    return rota is not None and can(actor, Perm.MANAGE_ROTAS, rota)


@described("before it starts")
def _not_started(actor: Any, duty: Any) -> bool:
    start = getattr(duty, "start", None)
    return isinstance(start, dt.datetime) and start > dates.now() and getattr(duty, "kind", "") != "on_call_work"


SWAP_OFFERER = rel("offered_by_id", "the doctor who offered it")
SWAP_NAMED = rel("to_id", "the colleague it is offered to")
SWAP_TAKER = rel("taken_by_id", "the colleague who took it")
SWAP_COORDINATOR = any_of(role(R.MEDICAL_STAFFING), _rota_coordinator)

policy.register(
    {
        Perm.OFFER_SWAP: all_of(rel("person_id", "the doctor whose shift it is"), _not_started),
        Perm.VIEW_SWAP: any_of(SWAP_OFFERER, SWAP_NAMED, SWAP_TAKER, _eligible_for_open_offer, SWAP_COORDINATOR),
        Perm.ANSWER_SWAP: all_of(any_of(SWAP_NAMED, _eligible_for_open_offer), state_is("offered")),
        Perm.WITHDRAW_SWAP: all_of(SWAP_OFFERER, state_is("offered")),
        # nobody approves a swap they are party to
        Perm.APPROVE_SWAP: all_of(
            SWAP_COORDINATOR,
            not_(any_of(SWAP_OFFERER, SWAP_TAKER), "who is not party to it"),
            state_is("accepted"),
        ),
    }
)
