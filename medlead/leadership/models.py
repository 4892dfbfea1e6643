"""Leadership frameworks (national ones from data/frameworks/, a trust's own by import), self-assessments
with evidence, and 360 feedback cycles whose raters answer through private links.

Confidentiality: a rater's identity (name, email) is stored on ``Rater`` and shown only to the subject who nominated
them (never with whether they answered) and the approver; reports are built by ``leadership.report`` under the
anonymity rules.
"""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import models

from medlead.core.audit import Restricted
from medlead.core.policy import Perm
from medlead.core.uploads import validate_evidence
from medlead.organisation.models import Person, Trust, TrustOwned


class Framework(models.Model):
    """National when ``trust`` is empty; otherwise a trust's own."""

    audit_safe = ("trust", "code", "name", "version")

    def audit_label(self) -> str:
        return self.name

    trust = models.ForeignKey(Trust, null=True, blank=True, on_delete=models.CASCADE, related_name="frameworks")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    source = models.TextField()
    wording_note = models.TextField(blank=True)
    scale = models.JSONField(help_text="Labels from the lowest level to the highest.")
    scale_note = models.TextField(blank=True)
    targets = models.JSONField(default=dict, blank=True, help_text="Expected level (1-based) by target role.")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["trust", "code", "version"], name="unique_framework_version")]

    def __str__(self) -> str:
        return self.name


class FrameworkItem(models.Model):
    audit_safe = ("framework", "domain", "code", "text", "position")

    def audit_label(self) -> str:
        # a national or trust framework's item: reference data
        return self.code

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    domain = models.CharField(max_length=120)
    code = models.CharField(max_length=60)
    text = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    prompts = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_item_code")]

    def __str__(self) -> str:
        return self.text


class SelfAssessment(TrustOwned):
    audit_safe = ("person", "framework", "target_role", "submitted_at")
    audit_restricted = Restricted(Perm.VIEW_ASSESSMENT)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="self_assessments")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    target_role = models.CharField(max_length=60, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.person}: {self.framework}"


class SelfRating(models.Model):
    audit_safe = ("assessment", "item")
    audit_restricted = Restricted(Perm.VIEW_ASSESSMENT)

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    item = models.ForeignKey(FrameworkItem, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    links = models.TextField(blank=True, help_text="One web address a line.")
    file = models.FileField(upload_to="evidence/%Y/%m/", blank=True, validators=[validate_evidence])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="one_rating_per_item")]

    def __str__(self) -> str:
        return f"Self-rating {self.pk}"


class CycleStatus(models.TextChoices):
    OPEN = "open", "Open for feedback"
    CLOSED = "closed", "Closed"


class FeedbackCycle(TrustOwned):
    audit_safe = ("subject", "framework", "closes_on", "status", "closed_at", "facilitator")
    audit_restricted = Restricted(Perm.VIEW_360_REPORT)

    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_cycles")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    closes_on = models.DateField()
    status = models.CharField(max_length=8, choices=CycleStatus.choices, default=CycleStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    facilitator = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_cycles",
        help_text="A coach or appraiser who sees the report to debrief you.",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"360 feedback for {self.subject} ({self.created_at:%b %Y})"


class RaterGroup(models.TextChoices):
    SELF = "self", "Self"
    LINE_MANAGER = "line_manager", "Line manager"
    PEER = "peer", "Peers"
    DIRECT_REPORT = "direct_report", "Direct reports"
    OTHER = "other", "Other colleagues (including non-clinical)"
    PATIENT = "patient", "Patients"


class Approval(models.TextChoices):
    PENDING = "pending", "Awaiting approval"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class Rater(models.Model):
    """One person asked for feedback. Name and email are confidential: shown to nobody but the subject who typed
    them (with where the nomination stands, never whether they answered) and the approver. A nomination is
    approved by the subject's facilitator or line manager before the invitation goes (issue 13: a subject could
    otherwise fill a group with addresses they control)."""

    audit_safe = (
        "cycle",
        "group",
        "invited_at",
        "reminded_at",
        "send_failed",
        "submitted_at",
        "approval",
        "known",
        "approved_by",
        "approved_at",
    )
    audit_restricted = Restricted(Perm.VIEW_360_REPORT)

    cycle = models.ForeignKey(FeedbackCycle, on_delete=models.CASCADE, related_name="raters")
    group = models.CharField(max_length=20, choices=RaterGroup.choices)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    nonce = models.CharField(max_length=64, default=secrets.token_urlsafe, editable=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    send_failed = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    approval = models.CharField(max_length=10, choices=Approval.choices, default=Approval.PENDING)
    known = models.BooleanField(
        "the address belongs to someone known to the trust", default=False, help_text="Set at nomination."
    )
    approved_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cycle", "email"], name="one_invitation_per_email")]

    def clean(self) -> None:
        if self.group == RaterGroup.SELF:
            return
        subject = self.cycle.subject if self.cycle_id else None
        if subject is not None and subject.email and subject.email.lower() == self.email.lower():
            raise ValidationError({"email": "You cannot nominate yourself as a rater."})

    def __str__(self) -> str:
        return f"Rater {self.pk} ({self.get_group_display()})"


class Response(models.Model):
    audit_safe = ("rater", "item")
    audit_restricted = Restricted(Perm.VIEW_360_REPORT)

    rater = models.ForeignKey(Rater, on_delete=models.CASCADE, related_name="responses")
    item = models.ForeignKey(FrameworkItem, on_delete=models.PROTECT, related_name="+")
    behaviour = models.PositiveSmallIntegerField(null=True, blank=True)
    importance = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rater", "item"], name="one_response_per_item")]

    def __str__(self) -> str:
        return f"Response {self.pk}"


class CycleItemScore(models.Model):
    """Stored at closing, for the trust's aggregated view: others' mean per item (only when at least three
    raters other than the subject answered)."""

    audit_safe = ("cycle", "item", "respondents")
    audit_restricted = Restricted(Perm.VIEW_360_REPORT)

    cycle = models.ForeignKey(FeedbackCycle, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(FrameworkItem, on_delete=models.CASCADE, related_name="+")
    others_mean = models.FloatField()
    respondents = models.PositiveSmallIntegerField()

    def __str__(self) -> str:
        return f"Score {self.pk}"
