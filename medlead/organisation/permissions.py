"""Who may see and change the organisation: the trust, its people and the board; and, until the ``imports`` app
holds them, the import batch's two rules. Also the facts the policy reads from this app's tables (divisions'
specialties, current board seats) and ``OWN``, the rule every app uses for "the doctor the record is about"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from medlead.core import policy
from medlead.core.memo import once_per_request
from medlead.core.policy import Perm, PersonFact, Rule, all_of, any_of, described, not_, person_id, role
from medlead.core.roles import EVERY_ROLE, EVERY_TRUST_ROLE
from medlead.core.roles import Role as R
from medlead.organisation.models import BoardMember, Person, Placement, Specialty


@described("the doctor it is about")
def _own(actor: Any, obj: Any) -> bool:
    """The actor is the doctor the record is about (or, for a person, that person)."""
    pid = person_id(actor)
    subject = obj.pk if isinstance(obj, Person) else getattr(obj, "person_id", None)
    return pid is not None and subject == pid


OWN: Rule = _own


def _seated(trust_id: int) -> set[int]:
    """The people of the trust who hold a current board seat (one query, once a request: a page naming the board
    asks of each member)."""
    return once_per_request(
        ("board_seated", trust_id),
        lambda: set(
            BoardMember.objects.filter(person__trust_id=trust_id, end__isnull=True).values_list("person_id", flat=True)
        ),
    )


@described("about a current board member")
def is_board_member(actor: Any, person: Any) -> bool:
    """The person holds a current board seat (board members' own records are open to the board)."""
    return isinstance(person, Person) and person.pk in _seated(person.trust_id)


# Everyone but the board's own members (non-executives, the chair and chief executive) and the company secretary
# (who keeps the board's records, not the doctors') sees every doctor; the Caldicott guardian oversees grants of
# access, and sees the trust's people only through another role.
_BOARD_SIDE = (R.NON_EXECUTIVE, R.CHAIR_CEO, R.COMPANY_SECRETARY)
_STAFF_ROLES = tuple(r for r in EVERY_TRUST_ROLE if r not in (*_BOARD_SIDE, R.CALDICOTT_GUARDIAN))


def _division_specialties(trust_id: int, divisions: frozenset[int]) -> set[int]:
    return set(Specialty.objects.filter(trust_id=trust_id, division_id__in=divisions).values_list("pk", flat=True))


def _board_seats(pid: int, today: dt.date) -> QuerySet[BoardMember]:
    """The person's current board seats: (board role, trust, senior independent director?)."""
    return BoardMember.objects.filter(person_id=pid, end__isnull=True)


policy.register_facts(
    division_specialties=_division_specialties,
    board_seats=PersonFact(rows=_board_seats, text="role", trust="trust_id", first="senior_independent"),
)

policy.register(
    {
        Perm.VIEW_ORGANISATION: role(*EVERY_ROLE),
        # Board members see board-level pictures and named board members, not every doctor (issue 11).
        Perm.VIEW_PEOPLE: role(*_STAFF_ROLES),
        Perm.VIEW_PERSON: any_of(
            OWN,
            role(*_STAFF_ROLES),
            all_of(role(*_BOARD_SIDE), is_board_member),
        ),
        # Staff and staff numbers, email addresses, contracts and hours: the people who manage them.
        Perm.VIEW_PERSONAL_DETAILS: any_of(
            OWN,
            role(R.MEDICAL_STAFFING, R.MEDICAL_DIRECTOR, R.RESPONSIBLE_OFFICER, R.SYSTEM_ADMIN),
            role(R.CLINICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, area=True),
        ),
        Perm.MANAGE_PEOPLE: role(R.MEDICAL_STAFFING, R.MEDICAL_DIRECTOR, R.SYSTEM_ADMIN),
        # The board's picture: aggregates only, for the board and the medical director's team.
        Perm.VIEW_BOARD_PICTURE: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.NON_EXECUTIVE, R.CHAIR_CEO),
        # Importing the trust's people and posts (each import kind names the permission it needs).
        Perm.RUN_IMPORT: role(R.MEDICAL_STAFFING, R.MEDICAL_DIRECTOR, R.SYSTEM_ADMIN),
    }
)


# --- issue 34: lead employers and host trusts (placements) --------------------------------------------------------
#
# A placement is the lead employer's record (``Placement.trust`` is the lead employer): its medical staffing records
# them, and its medical staffing, guardian and medical director see where its resident doctors are placed. The
# host's medical staffing, guardian and medical director see the placements into their trust. Everyone else, the
# doctor included, is answered 404 for a placement (ADR 0035).
_PLACEMENT_ROLES = (R.MEDICAL_STAFFING, R.GUARDIAN, R.MEDICAL_DIRECTOR)
_SEES_PLACEMENTS = role(*_PLACEMENT_ROLES)


@described("medical staffing (HR), the guardian of safe working hours or the medical director of the host trust")
def _at_the_host(actor: Any, placement: Any) -> bool:
    """The actor holds one of the placement roles over the placement's host trust."""
    return isinstance(placement, Placement) and _SEES_PLACEMENTS(actor, placement.host)


@described("the doctor placed")
def _the_doctor_placed(actor: Any, placement: Any) -> bool:
    pid = person_id(actor)
    return pid is not None and pid in (
        getattr(placement, "employee_id", None),
        getattr(placement, "placed_as_id", None),
    )


policy.register(
    {
        # over the lead employer (a trust, or one of its placements); never a placement of oneself
        Perm.MANAGE_PLACEMENTS: all_of(
            role(R.MEDICAL_STAFFING), not_(_the_doctor_placed, "who is not the doctor placed")
        ),
        # over a trust: the lead employer's placements out, and the host's placements in, on one page
        Perm.VIEW_PLACEMENTS: _SEES_PLACEMENTS,
        Perm.VIEW_PLACEMENT: any_of(_SEES_PLACEMENTS, _at_the_host),
    }
)
