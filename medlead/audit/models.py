"""The audit trail: one append-only table, no foreign keys, so audited rows can still be deleted.

See docs/adr/0004-audit-trail.md. Rows are written only by ``medlead.audit.services``; the app offers no way
to change or delete them (the model refuses, the admin is read-only).
"""

from __future__ import annotations

from typing import Any

from django.db import models


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
