"""A trust's confirmation of a national value: the value it applies from a date, who confirmed it and against which
document (ADR 0018). A record is judged by the confirmation in force for its trust on its date, else by the national
value in ``data/``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from medlead.organisation.models import TrustOwned


class ValueConfirmation(TrustOwned):
    file = models.CharField(max_length=100, help_text="The rule file in data/, e.g. guardian_fines.yaml.")
    key = models.CharField(
        max_length=200, help_text="The value's key path in the file, e.g. calculation.doctor_multiplier."
    )
    value = models.JSONField(help_text="The value the trust applies.")
    national_value = models.JSONField(help_text="The national value when the trust confirmed it.")
    applies_from = models.DateField(help_text="Records dated from this day are judged by this value.")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    document_title = models.CharField(max_length=300)
    document_date = models.DateField()
    document_detail = models.TextField(blank=True, help_text="Where in the document (section, page, paragraph).")
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["file", "key", "-applies_from", "-created_at"]
        indexes = [models.Index(fields=["trust", "applies_from"])]

    def __str__(self) -> str:
        return f"{self.file} {self.key} from {self.applies_from}"

    @property
    def changed(self) -> bool:
        return bool(self.value != self.national_value)
