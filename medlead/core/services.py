"""Audited, validated writes shared by every app's services."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction

from medlead.core import audit as auditor

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def create(*, actor: Any, obj: M, note: str = "") -> M:
    """Validate (``full_clean``), save and audit a new record."""
    obj.full_clean()
    obj.save()
    auditor.audit_create(actor=actor, obj=obj, note=note)
    return obj


@transaction.atomic
def update(*, actor: Any, obj: M, data: dict[str, Any], note: str = "") -> M:
    """Apply ``data`` to a record, validate, save and audit what changed.

    The "before" side comes from the database, not from ``obj``: a ModelForm has already written the new
    values onto its instance by the time a view calls this."""
    before = auditor.snapshot(type(obj)._default_manager.get(pk=obj.pk))
    for name, value in data.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    auditor.audit_update(actor=actor, obj=obj, before=before, note=note)
    return obj


@transaction.atomic
def delete(*, actor: Any, obj: models.Model, note: str = "") -> None:
    auditor.audit_delete(actor=actor, obj=obj, note=note)
    obj.delete()
