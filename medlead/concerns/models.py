"""Concerns about a doctor's practice, handled under MHPS: the strictest need-to-know records in medlead.

A case is visible only to the people named on it (``CaseRole``); nobody else learns that it exists (404, not 403).
Every read is audited; the audit trail never copies a case's content (only the fields in ``audit_safe``: dates,
statuses, ids) and keeps the case out of the trust-wide trail (``CASE_TRAIL``)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models

from medlead.core.audit import Restricted
from medlead.core.policy import Perm
from medlead.organisation.models import Person, TrustOwned

# The case and its parts: their events are in the case's own trail (read by its case manager and designated auditor,
# ``Perm.VIEW_CASE_AUDIT``) and never in the trust-wide trail, not even as "a confidential record".
CASE_TRAIL = Restricted(Perm.VIEW_CASE_AUDIT, hidden=True)


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RoleKind(models.TextChoices):
    CASE_MANAGER = "case_manager", "Case manager"
    CASE_INVESTIGATOR = "case_investigator", "Case investigator"
    BOARD_MEMBER = "board_member", "Designated non-executive board member"
    HR_LEAD = "hr_lead", "HR lead"
    AUDITOR = "auditor", "Designated auditor (reads the case's audit trail)"


class Case(TrustOwned):
    audit_safe = ("raised_on", "decision", "decided_on", "status", "closed_on")
    audit_restricted = CASE_TRAIL

    doctor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    raised_by = models.CharField("who raised the concern", max_length=200)
    raised_on = models.DateField("when it was raised")
    categories = models.JSONField(default=list, help_text="conduct, capability, health: one or more")
    source = models.CharField(max_length=20)
    summary = models.TextField("the concern")
    initial_assessment = models.TextField(blank=True)
    decision = models.CharField(max_length=20, blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_on", "-id"]

    def __str__(self) -> str:
        return f"Case {self.pk}"  # never the doctor's name: this string reaches the audit trail


class CaseRole(TrustOwned):
    audit_safe = ("case", "person", "role", "appointed_on", "delegated_by", "health_access")
    audit_restricted = CASE_TRAIL

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="roles")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=RoleKind.choices)
    appointed_on = models.DateField()
    delegated_by = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a delegated case manager.",
    )
    health_access = models.BooleanField("may see health information", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person", "role"], name="one_role_per_person_per_case")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on case {self.case_id}"


class AdviceContact(TrustOwned):
    """A contact with Practitioner Performance Advice (NHS Resolution)."""

    audit_safe = ("case", "contacted_on")
    audit_restricted = CASE_TRAIL

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="advice")
    contacted_on = models.DateField()
    adviser = models.CharField(max_length=200)
    summary = models.TextField("the advice")

    class Meta:
        ordering = ["contacted_on"]

    def __str__(self) -> str:
        return f"Advice on case {self.case_id}"


class MeasureKind(models.TextChoices):
    IMMEDIATE = "immediate", "Immediate exclusion"
    FORMAL = "formal", "Formal exclusion"
    RESTRICTION = "restriction", "Restriction on practice"


class Measure(TrustOwned):
    """An exclusion period or a restriction on practice, each reviewed by ``review_by``."""

    audit_safe = ("case", "kind", "starts_on", "review_by", "reviewed_on", "review_outcome")
    audit_restricted = CASE_TRAIL

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=12, choices=MeasureKind.choices)
    starts_on = models.DateField()
    review_by = models.DateField("review (or end) by")
    details = models.TextField(blank=True, help_text="For a restriction: what the doctor may not do.")
    reviewed_on = models.DateField(null=True, blank=True)
    review_outcome = models.CharField(max_length=12, blank=True)  # renewed, lifted

    class Meta:
        ordering = ["starts_on", "id"]

    def clean(self) -> None:
        if self.starts_on and self.review_by and self.review_by <= self.starts_on:
            raise ValidationError({"review_by": "The review must fall after the start."})

    def is_missed(self, today: dt.date) -> bool:
        return self.reviewed_on is None and today > self.review_by

    @property
    def is_exclusion(self) -> bool:
        """A missed review of an exclusion gives the doctor the right to return to work (MHPS Part II)."""
        return self.kind in (MeasureKind.IMMEDIATE, MeasureKind.FORMAL)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on case {self.case_id}"


class Outcome(models.TextChoices):
    NO_CASE = "no_case", "No case to answer"
    INFORMAL = "informal", "Informal action"
    CONDUCT_PANEL = "conduct_panel", "A conduct panel"
    CAPABILITY_PANEL = "capability_panel", "A capability panel"
    GMC = "gmc", "Referral to the GMC"
    HEALTH = "health", "Referral to occupational health"


class Investigation(TrustOwned):
    """The formal investigation of a case: terms of reference, the report's due date (counted from the case
    investigator's appointment, data/mhps.yaml), the report, the day the doctor received it, the doctor's comments
    and the outcome."""

    audit_safe = ("case", "started_on", "report_due", "report_received_on", "outcome", "outcome_on")
    audit_restricted = CASE_TRAIL

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="investigation")
    terms_of_reference = models.TextField()
    started_on = models.DateField()
    report_due = models.DateField()
    report = models.TextField(blank=True)
    report_received_on = models.DateField(null=True, blank=True)
    report_to_doctor_on = models.DateField("the doctor received the report on", null=True, blank=True)
    doctor_comments = models.TextField("the doctor's comments", blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    appeal = models.TextField(blank=True)

    def report_overdue(self, today: dt.date) -> bool:
        return self.report_received_on is None and today > self.report_due

    def __str__(self) -> str:
        return f"Investigation of case {self.case_id}"


class Evidence(TrustOwned):
    """An entry in a case's evidence log: a document, an interview or another record, with an optional file.
    Health information is a further partition: seen by the case manager and those they name for it."""

    audit_safe = ("case", "kind", "on", "health")
    audit_restricted = CASE_TRAIL

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(
        max_length=12, choices=[("document", "Document"), ("interview", "Interview"), ("other", "Other record")]
    )
    on = models.DateField()
    description = models.TextField()
    file = models.FileField(upload_to="cases/%Y/%m/", blank=True)
    health = models.BooleanField("health information", default=False)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"Evidence on case {self.case_id}"
