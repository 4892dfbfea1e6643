"""Who acts when no person does: a worker finishing an import, a nightly reminder, a management command.

The system is never ``None``: it acts as a ``SystemActor`` that says why, and the audit trail records that reason
as the actor. ``core.policy.require`` lets a ``SystemActor`` through (the code that made it has already decided,
for a stated reason) and refuses ``None``, so a view that forgot its user fails closed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SystemActor:
    """The system acting for a stated reason (``"import worker"``, ``"appraisal reminders"``)."""

    reason: str
    # Never a signed-in person: every role, relationship and area check answers no.
    is_authenticated: bool = False
    is_active: bool = False
    pk: None = None
    person_id: None = None

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("A system actor says why it acts.")

    def get_username(self) -> str:
        return f"system: {self.reason}"[:150]

    def __str__(self) -> str:
        return self.get_username()
