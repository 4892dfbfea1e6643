"""Who may see and change the organisation: the trust, its people and the board; and, until the ``imports`` app
holds them, the import batch's two rules. Also the facts the policy reads from this app's tables (divisions'
specialties, current board seats) and ``OWN``, the rule every app uses for "the doctor the record is about"."""

from __future__ import annotations

from typing import Any

from medlead.core import policy
from medlead.core.policy import Perm, Rule, all_of, any_of, described, person_id, role
from medlead.core.roles import EVERY_ROLE
from medlead.core.roles import Role as R
from medlead.organisation.models import BoardMember, Person, Specialty


@described("the doctor it is about")
def _own(actor: Any, obj: Any) -> bool:
    """The actor is the doctor the record is about (or, for a person, that person)."""
    pid = person_id(actor)
    subject = obj.pk if isinstance(obj, Person) else getattr(obj, "person_id", None)
    return pid is not None and subject == pid


OWN: Rule = _own


@described("about a current board member")
def is_board_member(actor: Any, person: Any) -> bool:
    """The person holds a current board seat (board members' own records are open to the board)."""
    return isinstance(person, Person) and BoardMember.objects.filter(person_id=person.pk, end__isnull=True).exists()


# Everyone but the board's own members (non-executives, the chair and chief executive) and the company secretary
# (who keeps the board's records, not the doctors') sees every doctor; the Caldicott guardian oversees grants of
# access, and sees the trust's people only through another role.
_BOARD_SIDE = (R.NON_EXECUTIVE, R.CHAIR_CEO, R.COMPANY_SECRETARY)
_STAFF_ROLES = tuple(r for r in EVERY_ROLE if r not in (*_BOARD_SIDE, R.CALDICOTT_GUARDIAN))


def _division_specialties(trust_id: int, divisions: frozenset[int]) -> set[int]:
    return set(Specialty.objects.filter(trust_id=trust_id, division_id__in=divisions).values_list("pk", flat=True))


def _board_seats(pid: int) -> list[tuple[int, str, bool]]:
    return list(
        BoardMember.objects.filter(person_id=pid, end__isnull=True)
        .order_by()
        .values_list("trust_id", "role", "senior_independent")
    )


policy.register_facts(division_specialties=_division_specialties, board_seats=_board_seats)

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


# issue 34 (placements): no rule yet, nobody may (the helper building it gives each its rule here).
@policy.described("nobody yet")
def _nobody_yet_placements(actor: object, obj: object) -> bool:
    return False


policy.register(
    {
        Perm.MANAGE_PLACEMENTS: _nobody_yet_placements,
        Perm.VIEW_PLACEMENTS: _nobody_yet_placements,
        Perm.VIEW_PLACEMENT: _nobody_yet_placements,
    }
)
