"""A consultant's application for a National Clinical Impact Award, as the employer handles it: the consultant
prepares it in the five domains from what medlead holds; the employer verifies their obligations, investigations
and sanctions and records its statement; the outcome is recorded when announced (data/awards.yaml)."""

from __future__ import annotations

from django.db import models

from medlead.core.audit import Restricted
from medlead.core.policy import Perm
from medlead.organisation.models import Person, TrustOwned


class Status(models.TextChoices):
    DRAFT = "draft", "Being prepared"
    SUBMITTED = "submitted", "Waiting for the employer's verification"
    VERIFIED = "verified", "Verified by the employer"
    AWARDED = "awarded", "Awarded"
    NOT_AWARDED = "not_awarded", "Not awarded"


class Application(TrustOwned):
    audit_safe = (
        "person",
        "round_year",
        "level",
        "status",
        "submitted_on",
        "verified_by",
        "verified_on",
        "level_awarded",
        "starts_on",
    )
    audit_restricted = Restricted(Perm.VIEW_AWARD)

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="award_applications")
    round_year = models.PositiveSmallIntegerField("award round")
    level = models.CharField("level applied for", max_length=4)
    domains = models.JSONField(default=dict, blank=True, help_text="The consultant's evidence in each domain.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    submitted_on = models.DateField(null=True, blank=True)
    checks = models.JSONField(default=dict, blank=True, help_text="The employer's verification, item by item.")
    investigations_note = models.TextField(blank=True)
    statement = models.TextField("the employer's statement", blank=True)
    verified_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    verified_on = models.DateField(null=True, blank=True)
    level_awarded = models.CharField(max_length=4, blank=True)
    starts_on = models.DateField(
        "award starts on", null=True, blank=True, help_text="From the 2025 round, 1 April of the year after the round."
    )

    class Meta:
        ordering = ["-round_year", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "round_year"], name="one_application_a_round")]

    @property
    def outcome_recorded(self) -> bool:
        """Whether the national committee's outcome (awarded or not) is recorded."""
        return self.status in (Status.AWARDED, Status.NOT_AWARDED)

    def __str__(self) -> str:
        return f"Award application {self.pk}"
