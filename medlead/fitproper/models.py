"""Board members' fit and proper person records (NHS England's FPPT framework, data/fppt.yaml): an assessment at
appointment and each year, each check with its date, outcome, evidence and who checked it; the member's
self-attestation; the chair's sign-off (the senior independent director's for the chair); the annual return to the
body that receives it; leavers' references.

Confidential: seen by the chair, the company secretary and the member only; every read is audited, the evidence
never copied into the audit trail (only the ``audit_safe`` fields are), and the trust-wide trail shows "a
confidential record" (``audit_restricted``); nothing here is in the Django admin."""

from __future__ import annotations

from django.db import models

from medlead.core.audit import Restricted
from medlead.core.policy import Perm
from medlead.organisation.models import BoardMember, Person, TrustOwned


class Kind(models.TextChoices):
    APPOINTMENT = "appointment", "Full assessment at appointment"
    ANNUAL = "annual", "Annual assessment"


class Outcome(models.TextChoices):
    PENDING = "pending", "Not yet decided"
    FIT = "fit", "Fit and proper"
    NOT_FIT = "not_fit", "Not fit and proper"


class CheckOutcome(models.TextChoices):
    SATISFACTORY = "satisfactory", "Satisfactory"
    CONCERN = "concern", "A concern found"
    NOT_APPLICABLE = "not_applicable", "Does not apply"


class Assessment(TrustOwned):
    audit_safe = ("member", "kind", "year", "due_on", "attested_on", "decided_on", "decided_by")
    audit_restricted = Restricted(Perm.VIEW_FPPT)

    member = models.ForeignKey(BoardMember, on_delete=models.PROTECT, related_name="fppt_assessments")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(help_text="For an annual assessment, the year it is for.")
    due_on = models.DateField()
    attested_on = models.DateField(null=True, blank=True)
    attestation_note = models.TextField(blank=True)
    outcome = models.CharField(max_length=8, choices=Outcome.choices, default=Outcome.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["member", "kind", "year"], name="one_fppt_assessment_a_year")]

    @property
    def annual(self) -> bool:
        return self.kind == Kind.ANNUAL

    def is_overdue(self, today: object) -> bool:
        return self.outcome == Outcome.PENDING and self.due_on < today  # type: ignore[operator]

    @property
    def status(self) -> str:
        """The workflow state the policy reads: pending until signed off."""
        return self.outcome

    def __str__(self) -> str:  # never the member's name or outcome: this string reaches the audit trail
        return f"Fit and proper assessment {self.pk}"


class Check(TrustOwned):
    audit_safe = ("assessment", "code", "done_on", "checked_by")
    audit_restricted = Restricted(Perm.VIEW_FPPT)

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="checks")
    code = models.CharField(max_length=40)
    done_on = models.DateField("date of the check")
    outcome = models.CharField(max_length=16, choices=CheckOutcome.choices)
    evidence = models.TextField("evidence", help_text="What was seen and where it is kept.")
    checked_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["assessment", "code"]
        constraints = [models.UniqueConstraint(fields=["assessment", "code"], name="one_record_per_check")]

    @property
    def found_concern(self) -> bool:
        return self.outcome == CheckOutcome.CONCERN

    def __str__(self) -> str:
        return f"Check {self.code} on assessment {self.assessment_id}"


class LeaverReference(TrustOwned):
    """The board member reference completed for every leaver and kept until they are 75 (S27)."""

    audit_safe = ("member", "completed_on", "completed_by", "keep_until")
    audit_restricted = Restricted(Perm.VIEW_FPPT)

    member = models.OneToOneField(BoardMember, on_delete=models.PROTECT, related_name="leaver_reference")
    completed_on = models.DateField()
    completed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    content = models.TextField(
        "the reference",
        help_text="On the national board member reference template, including any complaints or disciplinary "
        "matters, ongoing or discontinued.",
    )
    keep_until = models.DateField(null=True, blank=True, help_text="The day the member turns 75.")

    def __str__(self) -> str:
        return f"Leaver's reference {self.pk}"


class AnnualReturn(TrustOwned):
    """The chair's annual submission to the body that receives it (``organisation.receivers``, dated): each member's
    outcome."""

    audit_safe = ("year", "submitted_on", "submitted_by")
    audit_restricted = Restricted(Perm.MANAGE_FPPT)

    year = models.PositiveSmallIntegerField()
    submitted_on = models.DateField()
    submitted_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    rows = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trust", "year"], name="one_fppt_return_a_year")]

    def __str__(self) -> str:
        return f"Fit and proper annual return {self.year}"
