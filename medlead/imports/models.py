"""An uploaded file on its way through the import pipeline (``core.imports``): checked in a dry run, confirmed,
then applied all or nothing by a worker.

The table is the one the organisation app created (``organisation_importbatch``): the model moved to this app
without moving its rows (the migrations change Django's state only)."""

from __future__ import annotations

from django.db import models

from medlead.organisation.models import TrustOwned


class ImportStatus(models.TextChoices):
    CHECKING = "checking", "Being checked"
    CHECKED = "checked", "Checked (dry run)"
    INVALID = "invalid", "Has errors"
    QUEUED = "queued", "Queued"
    APPLIED = "applied", "Imported"
    FAILED = "failed", "Failed: nothing changed"


class ImportBatch(TrustOwned):
    """An uploaded file: checked in a dry run, then applied all-or-nothing by a worker."""

    audit_safe = ("kind", "created_by", "status")

    kind = models.CharField(max_length=20)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    created_by = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKED)
    summary = models.JSONField(default=dict)
    # what the upload form added to the file (a rota's name and rule set, a framework's name and scale)
    params = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "organisation_importbatch"
        ordering = ["-created_at"]

    @property
    def is_queued(self) -> bool:
        return self.status == ImportStatus.QUEUED

    @property
    def is_checking(self) -> bool:
        return self.status == ImportStatus.CHECKING

    @property
    def is_applied(self) -> bool:
        return self.status == ImportStatus.APPLIED

    def __str__(self) -> str:
        return f"{self.kind} import {self.filename} ({self.get_status_display()})"
