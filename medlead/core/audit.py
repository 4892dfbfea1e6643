"""The audit trail and the auditor: services call these after every create, update and delete of domain data.

Explicit calls rather than signals, so bulk operations and imports are audited too (docs/adr/0004). The trail is
one append-only table, no foreign keys, so audited rows can still be deleted. It lives here, in core, because core's
own mechanisms (audited writes, the admin, confidential reads, imports) write it and core imports no app; the
model keeps the ``audit`` app label, so its table, migrations, admin and browse pages stay in the audit app.
Rows are written only by the functions below; nothing offers a way to change or delete them (the model refuses,
the admin is read-only).
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterable
from typing import Any

from django.db import connection, models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from medlead.core.actors import SystemActor


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    READ = "read", "Read"
    IMPORT = "import", "Imported"


class AuditEvent(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    trust_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    model = models.CharField(max_length=100, db_index=True, help_text="app_label.model_name")
    object_pk = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=255, blank=True)
    changes = models.JSONField(default=dict, blank=True, help_text="field: [before, after]")
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        # The audit app owns the table and its migrations; only the code lives in core.
        app_label = "audit"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_pk"]), models.Index(fields=["trust_id", "-at"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError("Audit events are append-only.")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.model} {self.object_repr}"


Snapshot = dict[str, Any]


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


WITHHELD = "(withheld)"


def snapshot(obj: models.Model) -> Snapshot:
    """The stored values of a record's concrete fields (foreign keys as ids), to compare before and after. Never
    stored as it is: ``_event`` withholds confidential fields first."""
    return {f.attname: _jsonable(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}


def _withhold(model: type[models.Model], changes: dict[str, Any]) -> dict[str, Any]:
    """Fields a model lists in ``audit_withheld`` (appraisal content, concerns, 360 answers, mentoring and
    talent-review notes, evidence) are recorded as withheld: the trail says which fields were written, by whom and
    when, never what they say."""
    withheld = getattr(model, "audit_withheld", ())
    return {
        k: [None if v is None else WITHHELD for v in pair] if k in withheld else pair for k, pair in changes.items()
    }


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    ignore = {"updated_at", "created_at"}
    return {k: [before.get(k), after.get(k)] for k in after if k not in ignore and before.get(k) != after.get(k)}


def actor_fields(actor: Any) -> dict[str, Any]:
    """Who acted, as the trail records it: a signed-in person by id and username, the system by the reason it
    gives (``"system: import worker"``). Nobody is not an actor: a write that cannot say who made it is refused
    rather than recorded as anonymous."""
    if isinstance(actor, SystemActor):
        return {"actor_id": None, "actor_username": actor.get_username()}
    if actor is None:
        raise TypeError('No actor given: the system acts as SystemActor("<reason>"), never None.')
    if not getattr(actor, "is_authenticated", False):
        raise TypeError(f'{actor!r} is not signed in: the system acts as SystemActor("<reason>").')
    return {"actor_id": actor.pk, "actor_username": actor.get_username()}


def _values(actor: Any, action: str, obj: models.Model, changes: dict[str, Any], note: str = "") -> dict[str, Any]:
    """An event's fields (all but its time): the one place that says what the trail keeps of a read or write."""
    trust_id = getattr(obj, "trust_id", None) or (obj.pk if obj._meta.label_lower == "organisation.trust" else None)
    return {
        **actor_fields(actor),
        "trust_id": trust_id,
        "action": action,
        "model": obj._meta.label_lower,
        "object_pk": str(obj.pk),
        "object_repr": str(obj)[:255],
        "changes": _withhold(type(obj), changes),
        "note": note[:255],
    }


def _event(actor: Any, action: str, obj: models.Model, changes: dict[str, Any], note: str = "") -> AuditEvent:
    return AuditEvent(**_values(actor, action, obj, changes, note))


def audit_create(*, actor: Any, obj: models.Model, note: str = "") -> None:
    after = snapshot(obj)
    _event(actor, AuditAction.CREATE, obj, {k: [None, v] for k, v in after.items()}, note).save()


def audit_update(*, actor: Any, obj: models.Model, before: Snapshot, note: str = "") -> None:
    changes = diff(before, snapshot(obj))
    if changes:
        _event(actor, AuditAction.UPDATE, obj, changes, note).save()


def audit_delete(*, actor: Any, obj: models.Model, note: str = "") -> None:
    before = snapshot(obj)
    _event(actor, AuditAction.DELETE, obj, {k: [v, None] for k, v in before.items()}, note).save()


def audit_read(*, actor: Any, obj: models.Model, note: str = "") -> None:
    """For confidential records: every read is recorded too."""
    _event(actor, AuditAction.READ, obj, {}, note).save()


def audit_bulk_create(*, actor: Any, objs: Iterable[models.Model], note: str = "") -> None:
    _insert(
        _values(actor, AuditAction.CREATE, obj, {k: [None, v] for k, v in snapshot(obj).items()}, note) for obj in objs
    )


def audit_bulk_update(*, actor: Any, pairs: Iterable[tuple[models.Model, Snapshot]], note: str = "") -> None:
    changed = ((obj, diff(before, snapshot(obj))) for obj, before in pairs)
    _insert(_values(actor, AuditAction.UPDATE, obj, changes, note) for obj, changes in changed if changes)


_COPIED = (
    "at",
    "actor_id",
    "actor_username",
    "trust_id",
    "action",
    "model",
    "object_pk",
    "object_repr",
    "changes",
    "note",
)


def _insert(events: Iterable[dict[str, Any]]) -> None:
    """Many events (``_values``) in one go. On PostgreSQL through COPY: a national import writes hundreds of
    thousands, and COPY takes them in a fraction of the time of INSERTs. In the caller's transaction either way, so a
    failed import leaves none. The rows are made before the COPY starts: making one may read the database (a
    record's name), and the connection can do nothing else while a COPY is open."""
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create([AuditEvent(**e) for e in events], batch_size=1000)
        return
    now = timezone.now()
    rows = [
        (
            now,
            e["actor_id"],
            e["actor_username"],
            e["trust_id"],
            e["action"],
            e["model"],
            e["object_pk"],
            e["object_repr"],
            json.dumps(e["changes"]),
            e["note"],
        )
        for e in events
    ]
    if not rows:
        return
    columns = ", ".join(f'"{c}"' for c in _COPIED)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f'COPY "{AuditEvent._meta.db_table}" ({columns}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(row)
