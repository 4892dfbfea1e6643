"""Every record with a lifecycle, as one typed workflow: its states, the moves between them, who may make each
move (a ``Perm`` of ``medlead.core.policy``), and the states in which the record may be edited.

Services call ``WORKFLOW.move(actor, record, to)`` before they change a state and ``WORKFLOW.require_edit(actor,
record)`` before they change anything else; pages list ``WORKFLOW.moves_for(actor, record)`` as buttons and ask
``WORKFLOW.editable(record)``. No view, template, form or admin compares states itself.

A move whose permission is ``None`` is made by the system only (a worker finishing an import), acting as a
``core.actors.SystemActor``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError

from medlead.core.actors import SystemActor
from medlead.core.policy import Forbidden, Perm, can, require
from medlead.development.models import MentorshipStatus, OpeningStatus, PlanStatus
from medlead.jobplans.models import State as JobPlanState
from medlead.leadership.models import CycleStatus
from medlead.revalidation.models import AppraisalStatus
from medlead.rota.models import ReportStatus


@dataclass(frozen=True)
class Move:
    source: str
    target: str
    perm: Perm | None
    label: str
    forward: bool = True  # False for a step back or aside (reopen, mediation, appeal): a secondary button


@dataclass(frozen=True)
class Workflow:
    name: str
    state_field: str
    states: type[Any]
    moves: tuple[Move, ...]
    editable_in: frozenset[str] = frozenset()
    edit_perm: Perm | None = None
    _index: dict[tuple[str, str], Move] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        known = set(self.states.values)
        for m in self.moves:
            if m.source not in known or m.target not in known:
                raise ValueError(f"{self.name}: {m.source} → {m.target} names an unknown state")
            self._index[(m.source, m.target)] = m
        if not self.editable_in <= known:
            raise ValueError(f"{self.name}: an editable state is unknown")

    def state(self, record: Any) -> str:
        return str(getattr(record, self.state_field))

    def label(self, value: str) -> str:
        return str(dict(self.states.choices).get(value, value))

    def editable(self, record: Any) -> bool:
        return self.state(record) in self.editable_in

    def can_edit(self, actor: Any, record: Any) -> bool:
        return self.editable(record) and (self.edit_perm is None or can(actor, self.edit_perm, record))

    def require_edit(self, actor: Any, record: Any) -> None:
        if self.edit_perm is not None:
            require(actor, self.edit_perm, record)
        if not self.editable(record):
            raise ValidationError(
                f"This {self.name} is {self.label(self.state(record)).lower()}: it can no longer be changed."
            )

    def move(self, actor: Any, record: Any, to: str) -> Move:
        """The move from the record's state to ``to``, if it exists and ``actor`` may make it (else a
        ValidationError for a move that does not exist, Forbidden for one the actor may not make)."""
        current = self.state(record)
        found = self._index.get((current, str(to)))
        if found is None:
            raise ValidationError(f"A {self.name} cannot move from '{self.label(current)}' to '{self.label(str(to))}'.")
        if found.perm is None:
            if not isinstance(actor, SystemActor):
                raise Forbidden(message=f"Only medlead itself moves a {self.name} to '{self.label(found.target)}'.")
        else:
            require(actor, found.perm, record)
        return found

    def may_move(self, actor: Any, record: Any, to: str) -> bool:
        found = self._index.get((self.state(record), str(to)))
        return found is not None and found.perm is not None and can(actor, found.perm, record)

    def moves_for(self, actor: Any, record: Any) -> list[Move]:
        """The moves ``actor`` may make from the record's current state, in the order declared."""
        current = self.state(record)
        return [m for m in self.moves if m.source == current and m.perm is not None and can(actor, m.perm, record)]

    def sources_of(self, target: str) -> frozenset[str]:
        return frozenset(m.source for m in self.moves if m.target == target)


def _moves(
    sources: Iterable[str], target: str, perm: Perm | None, label: str, forward: bool = True
) -> tuple[Move, ...]:
    return tuple(Move(str(s), str(target), perm, label, forward) for s in sources)


J = JobPlanState
JOB_PLAN = Workflow(
    name="job plan",
    state_field="state",
    states=J,
    editable_in=frozenset({J.DRAFT, J.DISCUSSION}),
    edit_perm=Perm.EDIT_JOB_PLAN,
    moves=(
        Move(J.DRAFT, J.DISCUSSION, Perm.REFER_JOB_PLAN, "Start discussion"),
        Move(J.DISCUSSION, J.AGREED, Perm.AGREE_JOB_PLAN, "Agree this job plan"),
        Move(J.AGREED, J.SIGNED_CD, Perm.SIGN_JOB_PLAN_CD, "Sign as clinical director"),
        Move(J.SIGNED_CD, J.SIGNED, Perm.SIGN_JOB_PLAN_MD, "Sign off as medical director"),
        *_moves((J.AGREED, J.SIGNED_CD), J.DISCUSSION, Perm.REFER_JOB_PLAN, "Reopen for discussion", False),
        *_moves((J.DISCUSSION, J.AGREED, J.SIGNED_CD), J.MEDIATION, Perm.REFER_JOB_PLAN, "Refer to mediation", False),
        Move(J.MEDIATION, J.DISCUSSION, Perm.RESUME_JOB_PLAN, "Reopen for discussion", False),
        Move(J.MEDIATION, J.APPEAL, Perm.APPEAL_JOB_PLAN, "Appeal", False),
        Move(J.APPEAL, J.DISCUSSION, Perm.DECIDE_JOB_PLAN_APPEAL, "Reopen for discussion", False),
        Move(J.APPEAL, J.SIGNED, Perm.DECIDE_JOB_PLAN_APPEAL, "Sign off as medical director"),
    ),
)

A = AppraisalStatus
_OPEN_APPRAISAL = (A.NOT_STARTED, A.PREPARING, A.BOOKED, A.COMPLETED)
APPRAISAL = Workflow(
    name="appraisal",
    state_field="status",
    states=A,
    editable_in=frozenset(s for s in A.values if s != A.SIGNED_OFF),
    moves=(
        Move(A.NOT_STARTED, A.PREPARING, Perm.EDIT_APPRAISAL_INPUTS, "Start preparing"),
        *_moves((A.NOT_STARTED, A.PREPARING), A.BOOKED, Perm.ARRANGE_APPRAISAL, "Book the meeting"),
        Move(A.BOOKED, A.PREPARING, Perm.ARRANGE_APPRAISAL, "Cancel the booking"),
        *_moves((A.NOT_STARTED, A.PREPARING, A.BOOKED), A.COMPLETED, Perm.EDIT_APPRAISAL_OUTPUTS, "Complete"),
        *_moves((A.PREPARING, A.BOOKED, A.COMPLETED), A.SIGNED_OFF, Perm.SIGN_OFF_APPRAISAL, "Sign off"),
        *_moves(_OPEN_APPRAISAL, A.MISSED, Perm.ARRANGE_APPRAISAL, "Record as missed or incomplete"),
        Move(A.MISSED, A.PREPARING, Perm.ARRANGE_APPRAISAL, "Reopen"),
        Move(A.MISSED, A.BOOKED, Perm.ARRANGE_APPRAISAL, "Book the meeting"),
    ),
)

P = PlanStatus
DEVELOPMENT_PLAN = Workflow(
    name="development plan",
    state_field="status",
    states=P,
    # Changing an agreed plan's goals or actions returns it to draft: it must be agreed again.
    editable_in=frozenset({P.DRAFT, P.AWAITING, P.AGREED}),
    edit_perm=Perm.EDIT_DEVELOPMENT_RECORD,
    moves=(
        *_moves((P.DRAFT, P.AWAITING), P.AWAITING, Perm.EDIT_DEVELOPMENT_RECORD, "Ask for agreement"),
        *_moves((P.AWAITING, P.AGREED), P.DRAFT, Perm.EDIT_DEVELOPMENT_RECORD, "Back to draft"),
        Move(P.AWAITING, P.AGREED, Perm.AGREE_PDP, "Agree this plan"),
        *_moves((P.DRAFT, P.AWAITING, P.AGREED), P.CLOSED, Perm.EDIT_DEVELOPMENT_RECORD, "Close this plan"),
    ),
)

M = MentorshipStatus
MENTORSHIP = Workflow(
    name="mentoring relationship",
    state_field="status",
    states=M,
    editable_in=frozenset({M.ACTIVE}),
    edit_perm=Perm.VIEW_MENTORSHIP,
    moves=(
        Move(M.REQUESTED, M.ACTIVE, Perm.RESPOND_MENTORSHIP, "Accept"),
        Move(M.REQUESTED, M.DECLINED, Perm.RESPOND_MENTORSHIP, "Decline"),
        Move(M.ACTIVE, M.ENDED, Perm.VIEW_MENTORSHIP, "End the mentoring"),
    ),
)

O = OpeningStatus  # noqa: E741
OPENING = Workflow(
    name="opening",
    state_field="status",
    states=O,
    editable_in=frozenset({O.OPEN}),
    edit_perm=Perm.DECIDE_OPENING,
    moves=(
        Move(O.OPEN, O.DECIDED, Perm.DECIDE_OPENING, "Select"),
        Move(O.OPEN, O.WITHDRAWN, Perm.DECIDE_OPENING, "Withdraw"),
    ),
)

C = CycleStatus
FEEDBACK_CYCLE = Workflow(
    name="360",
    state_field="status",
    states=C,
    editable_in=frozenset({C.OPEN}),
    edit_perm=Perm.MANAGE_CYCLE,
    moves=(Move(C.OPEN, C.CLOSED, Perm.CLOSE_CYCLE, "Close and see the report"),),
)

E = ReportStatus
EXCEPTION_REPORT = Workflow(
    name="exception report",
    state_field="status",
    states=E,
    moves=(Move(E.SUBMITTED, E.AGREED, Perm.AGREE_EXCEPTION_OUTCOME, "Agree the outcome"),),
)

ALL: tuple[Workflow, ...] = (
    JOB_PLAN,
    APPRAISAL,
    DEVELOPMENT_PLAN,
    MENTORSHIP,
    OPENING,
    FEEDBACK_CYCLE,
    EXCEPTION_REPORT,
)
