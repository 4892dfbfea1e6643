"""The board's view (issue 16): aggregates and board business, no one's confidential record. Metrics for the
medical director's office and the board; reports written by the medical director, frozen once issued; an action
seen and updated by its owner wherever they sit."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from medlead.core import policy
from medlead.core.policy import Perm, all_of, any_of, can, person_id, rel, role, state_is
from medlead.core.roles import Role as R

# Who reads what the board reads: the medical director's office and the board itself.
BOARD_READERS = (R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.RESPONSIBLE_OFFICER, R.NON_EXECUTIVE, R.CHAIR_CEO)
# Who writes the medical director's board report, and so alone reads its drafts (issue 31): the medical director's
# office. The board reads a version once it is issued.
REPORT_AUTHORS = (R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR)


def actions_filter(actor: Any, trust: Any) -> Q:
    """The same rule as ``Perm.VIEW_ACTION``, as a query filter for a trust's action log."""
    if can(actor, Perm.VIEW_MEETINGS, trust):
        return Q()
    pid = person_id(actor)
    return Q(owner_id=pid) if pid is not None else Q(pk__in=[])


policy.register(
    {
        # The regional medical director reads each trust of the region's board metrics and their comparison: figures,
        # never a record (issue 34).
        Perm.VIEW_METRICS: role(
            *BOARD_READERS, R.CLINICAL_DIRECTOR, R.GUARDIAN, R.MEDICAL_STAFFING, R.REGIONAL_MEDICAL_DIRECTOR
        ),
        Perm.MANAGE_METRICS: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_STAFFING),
        Perm.VIEW_BOARD_REPORTS: role(*BOARD_READERS),
        # The medical director reports to the board (nhsi-fmlm-2017); a deputy may draft. An issued report is frozen.
        Perm.EDIT_BOARD_REPORT: all_of(role(*REPORT_AUTHORS), state_is("draft")),
        Perm.VIEW_BOARD_REPORT: any_of(role(*REPORT_AUTHORS), all_of(role(*BOARD_READERS), state_is("issued"))),
        Perm.VIEW_MEETINGS: role(*BOARD_READERS),
        Perm.MANAGE_MEETINGS: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.CHAIR_CEO),
        Perm.VIEW_ACTION: any_of(rel("owner_id"), role(*BOARD_READERS)),
        Perm.UPDATE_ACTION: all_of(
            any_of(rel("owner_id"), role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.CHAIR_CEO)),
            state_is("open"),
        ),
        Perm.VIEW_EXTERNAL: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.RESPONSIBLE_OFFICER, R.CHAIR_CEO),
        Perm.MANAGE_EXTERNAL: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR),
    }
)
