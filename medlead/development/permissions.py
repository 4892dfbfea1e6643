"""Who may see and change development records, plans, mentoring and openings: a doctor's own record; a plan also
the person asked to agree it; the meeting log private to the mentoring pair (ADR 0007), across trusts too; an
application to another trust's opening seen by the deciding trust and, only if its applicant shares it, by their own
trust's medical director (issue 34, ADR 0036)."""

from __future__ import annotations

from typing import Any

from medlead.core import policy
from medlead.core.policy import Perm, all_of, any_of, described, not_, person_id, rel, role, roles_for, state_is
from medlead.core.roles import Role as R
from medlead.organisation.permissions import OWN

AGREER = rel("agreer_id", "the person asked to agree it")
MENTEE = rel("mentee_id", "the mentee")


@described("the mentor (with an account)")
def _is_mentor(actor: Any, mentorship: Any) -> bool:
    mentor = getattr(mentorship, "mentor", None)
    return mentor is not None and mentor.person_id is not None and mentor.person_id == person_id(actor)


@described("for a mentor outside medlead")
def _external_mentor(actor: Any, mentorship: Any) -> bool:
    mentor = getattr(mentorship, "mentor", None)
    return mentor is not None and mentor.person_id is None


_DECIDERS = (R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR)


@described("the applicant's own trust's medical director or an associate, once the applicant shares it with them")
def _home_when_shared(actor: Any, interest: Any) -> bool:
    """An application the applicant shared with their own trust (their person record's), read by its medical
    director's office; the host trust's roles are the application's own (``Interest.trust``)."""
    person = getattr(interest, "person", None)
    return (
        bool(getattr(interest, "shared_with_home", False))
        and person is not None
        and bool(roles_for(actor, person) & {str(r) for r in _DECIDERS})
    )


policy.register(
    {
        Perm.VIEW_DEVELOPMENT_RECORD: OWN,
        Perm.EDIT_DEVELOPMENT_RECORD: OWN,
        Perm.VIEW_PDP: any_of(OWN, AGREER),
        Perm.AGREE_PDP: all_of(AGREER, not_(OWN), state_is("awaiting")),
        # The meeting log is private to the pair. An external mentor has no account: the mentee records their answer.
        Perm.VIEW_MENTORSHIP: any_of(MENTEE, _is_mentor),
        Perm.RESPOND_MENTORSHIP: all_of(any_of(_is_mentor, all_of(MENTEE, _external_mentor)), state_is("requested")),
        # "Medical directors and associates post local openings" (issue 4); the regional medical director posts one
        # for a host trust of their region, which then decides it (issue 34).
        Perm.MANAGE_OPENINGS: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.REGIONAL_MEDICAL_DIRECTOR),
        Perm.DECIDE_OPENING: all_of(role(*_DECIDERS), state_is("open")),
        Perm.PUBLISH_OPENING: all_of(
            role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.REGIONAL_MEDICAL_DIRECTOR), state_is("open")
        ),
        # An application: its applicant, and the host trust's decision-makers (an application is the host's record);
        # the applicant's own trust only when the applicant shares it. Never the region, never anyone else.
        Perm.VIEW_APPLICATION: any_of(OWN, role(*_DECIDERS), _home_when_shared),
        Perm.MANAGE_MENTOR_REGISTER: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_STAFFING),
    }
)
