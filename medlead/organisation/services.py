"""Writes to organisation data. Every one validates and is audited."""

from __future__ import annotations

from typing import Any

from medlead.core import services as core
from medlead.organisation.models import Person, Trust


def person_create(*, actor: Any, trust: Trust, **data: Any) -> Person:
    return core.create(actor=actor, obj=Person(trust=trust, **data))


def person_update(*, actor: Any, person: Person, **data: Any) -> Person:
    return core.update(actor=actor, obj=person, data=data)
