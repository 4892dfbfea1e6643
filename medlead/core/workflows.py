"""Every record with a lifecycle, as one typed workflow: its states, the moves between them, who may make each
move (a ``Perm`` of ``medlead.core.policy``), and the states in which the record may be edited.

Core holds the mechanism only; each app declares its records' workflows in ``<app>/workflows.py`` (found by
``core.apps`` at startup), and each workflow registers itself by name when it is built, so that whatever needs
them all (documentation, tests) asks ``registered()`` without knowing the apps.

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

_REGISTRY: dict[str, Workflow] = {}


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
        # A second workflow of the same name would make pages and documentation ambiguous: refuse it at startup.
        if self.name in _REGISTRY:
            raise ValueError(f"A workflow named '{self.name}' is already declared.")
        _REGISTRY[self.name] = self

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


def moves_from(
    sources: Iterable[str], target: str, perm: Perm | None, label: str, forward: bool = True
) -> tuple[Move, ...]:
    """The same move from each of several states (a "reopen" or "close" offered from many)."""
    return tuple(Move(str(s), str(target), perm, label, forward) for s in sources)


def registered() -> tuple[Workflow, ...]:
    """Every app's workflows, in the order they were declared (complete once Django has started)."""
    return tuple(_REGISTRY.values())


def named(name: str) -> Workflow:
    """The workflow of this name (``"job plan"``); KeyError if no app declares it."""
    return _REGISTRY[name]
