"""Writes to organisation data. Every one validates and is audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.core import services as core
from medlead.core.imports import KINDS
from medlead.core.layouts import layouts
from medlead.core.policy import Perm, require
from medlead.organisation.models import ImportLayout, Person, Trust


def person_create(*, actor: Any, trust: Trust, **data: Any) -> Person:
    require(actor, Perm.MANAGE_PEOPLE, trust)
    return core.create(actor=actor, obj=Person(trust=trust, **data))


def person_update(*, actor: Any, person: Person, **data: Any) -> Person:
    require(actor, Perm.MANAGE_PEOPLE, person)
    return core.update(actor=actor, obj=person, data=data)


@transaction.atomic
def import_layout_save(*, actor: Any, trust: Trust, code: str, headings: dict[str, str]) -> Any:
    """The trust's own headings for a national layout, where its file names a column differently. A heading left
    empty goes back to medlead's default."""
    default = layouts()[code]
    require(actor, KINDS[default.kind].perm, trust)
    known = default.headings()
    unknown = sorted(set(headings) - set(known))
    if unknown:
        raise ValidationError(f"The {default.label} layout has no column {', '.join(unknown)}.")
    changed = {c: " ".join(h.split()) for c, h in headings.items() if h.strip() and " ".join(h.split()) != known[c]}
    too_long = [c for c, h in changed.items() if len(h) > 200]
    if too_long:
        raise ValidationError({too_long[0]: "A heading is at most 200 characters."})
    layout = ImportLayout.objects.select_for_update().filter(trust=trust, code=code).first()
    if layout is None:
        layout = core.create(actor=actor, obj=ImportLayout(trust=trust, code=code, headings=changed))
    else:
        layout = core.update(actor=actor, obj=layout, data={"headings": changed})
    return layout
