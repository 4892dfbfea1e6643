"""The audit trail and the auditor: services call these after every create, update and delete of domain data.

Explicit calls rather than signals, so bulk operations and imports are audited too (docs/adr/0004). The trail is
one append-only table, no foreign keys, so audited rows can still be deleted. It lives here, in core, because core's
own mechanisms (audited writes, the admin, confidential reads, imports) write it and core imports no app; the
model keeps the ``audit`` app label, so its table, migrations, admin and browse pages stay in the audit app.
Rows are written only by the functions below; nothing offers a way to change or delete them (the model refuses;
on both PostgreSQL and SQLite a trigger refuses UPDATE and DELETE at the database).

The trail fails closed (docs/adr/0004):

- **Values by allow-list.** Every change records the *names* of the fields that changed; their values only for the
  fields the model declares safe to copy (``audit_safe``, field names; default: none, the record's id apart).
  Every other value is stored as ``WITHHELD``, so a new field is withheld until someone decides it is safe.
- **Labels from safe fields.** ``object_repr`` is "<verbose name> <pk>" ("Appraisal 12"), or what the model's
  ``audit_label()`` builds from non-confidential fields. Never ``str(obj)``: a ``__str__`` may show content.
- **Restricted records.** A model that declares ``audit_restricted = Restricted(perm)`` is confidential: the
  trust-wide trail shows its events as "a confidential record" (no kind, id or label), or with ``hidden=True``
  (the MHPS case and its parts) not at all; its own trail is read only by those ``perm`` names.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection, models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from medlead.core import kept
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


@dataclass(frozen=True)
class Restricted:
    """A confidential model's place in the trail (``audit_restricted`` on the model). The trust-wide trail shows
    its events as "a confidential record", or, ``hidden``, not at all (an MHPS case: nobody not named on it may
    learn it exists). ``perm`` (a ``core.policy.Perm``) is the permission that reads the record's own trail."""

    perm: str
    hidden: bool = False


# Events whose kind of record medlead no longer knows (a model since removed or renamed): treated as confidential.
UNKNOWN = Restricted(perm="", hidden=False)


def snapshot(obj: models.Model) -> Snapshot:
    """The stored values of a record's concrete fields (foreign keys as ids), to compare before and after. Never
    stored as it is: ``_event`` keeps only the values of the model's ``audit_safe`` fields."""
    return {f.attname: _jsonable(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}


@cache
def safe_fields(model: type[models.Model]) -> frozenset[str]:
    """The stored names (``attname``: ``doctor_id`` for ``doctor``) of the fields whose values the trail may copy:
    the record's id and those the model lists in ``audit_safe``. A name that is not a field is a mistake, refused."""
    names = {model._meta.pk.attname} if model._meta.pk is not None else set()
    for name in getattr(model, "audit_safe", ()):
        field = model._meta.get_field(name)  # FieldDoesNotExist for a mistyped name
        names.add(getattr(field, "attname", name))
    return frozenset(names)


def _withhold(model: type[models.Model], action: str, changes: dict[str, Any]) -> dict[str, Any]:
    """The changes as the trail keeps them: every changed field's name; its values only if the field is safe to
    copy, otherwise ``WITHHELD`` (the side that does not exist, before a create or after a delete, stays None)."""
    safe = safe_fields(model)
    withheld = [None if action == AuditAction.CREATE else WITHHELD, None if action == AuditAction.DELETE else WITHHELD]
    return {k: pair if k in safe else list(withheld) for k, pair in changes.items()}


def label(obj: models.Model) -> str:
    """The record as the trail names it: what the model's ``audit_label()`` builds from its non-confidential
    fields, or "<verbose name> <pk>". Never ``str(obj)``."""
    plain = f"{str(obj._meta.verbose_name).capitalize()} {obj.pk}"
    own = getattr(obj, "audit_label", None)
    try:
        text = own() if callable(own) else plain
    except (ObjectDoesNotExist, AttributeError, TypeError, ValueError):
        text = plain  # a label from a related record not (or no longer) there, or a field not yet set: never a failure

    return str(text)[:255]


def restriction(model_label: str) -> Restricted | None:
    """How the trust-wide trail treats events about ``model_label`` ("app_label.model_name"): None for an ordinary
    record, the model's ``Restricted`` for a confidential one, ``UNKNOWN`` (confidential) for a kind medlead does
    not know."""
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return UNKNOWN
    return getattr(model, "audit_restricted", None)


def hidden_models() -> list[str]:
    """The kinds of record whose events never appear in the trust-wide trail (the MHPS case and its parts)."""
    return sorted(
        m._meta.label_lower for m in apps.get_models() if getattr(getattr(m, "audit_restricted", None), "hidden", False)
    )


CONFIDENTIAL = "a confidential record"


def _safe_by_label(model_label: str) -> frozenset[str]:
    try:
        model: type[models.Model] = apps.get_model(model_label)
    except (LookupError, ValueError):
        return frozenset()
    return safe_fields(model)


@dataclass(frozen=True)
class Row:
    """One event as a trail page shows it."""

    at: Any
    actor: str
    action: str
    what: str
    record: str
    changes: list[tuple[str, str]]
    note: str


def _said(name: str, pair: Any, safe: frozenset[str]) -> tuple[str, str]:
    """A changed field as a page says it: its values, or plainly "changed" when the trail withheld them or the
    field is not safe to copy now (a row written before the allow-list, or before the field was withdrawn from it)."""
    before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, None)
    if WITHHELD in (before, after) or name not in safe:
        return name, "changed"
    return name, f"{'' if before is None else before} → {'' if after is None else after}"


def rows(events: Iterable[AuditEvent], *, own_trail: bool = False) -> list[Row]:
    """Events as a trail page shows them: for an update, each changed field with its values or "changed". In the
    trust-wide trail (not ``own_trail``) a confidential record (``audit_restricted``, or a kind medlead no longer
    knows) is only "a confidential record": who acted, when and how, never its kind, id, label, fields or note."""
    out = []
    for e in events:
        actor, action = e.actor_username or "medlead", e.get_action_display()
        if not own_trail and restriction(e.model) is not None:
            out.append(Row(e.at, actor, action, CONFIDENTIAL, "", [], ""))
            continue
        changed = e.changes if e.action == AuditAction.UPDATE and isinstance(e.changes, dict) else {}
        safe = _safe_by_label(e.model)
        said = [_said(k, v, safe) for k, v in changed.items()]
        out.append(Row(e.at, actor, action, e.model, e.object_repr, said, e.note))
    return out


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
        "object_repr": label(obj),
        "changes": _withhold(type(obj), action, changes),
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
    kept.wrote([AuditEvent._meta.db_table])  # a COPY does not pass Django's statements, which kept watches
