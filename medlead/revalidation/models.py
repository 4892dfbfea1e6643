"""Appraisal and revalidation: prescribed connections, appraisals and their supporting information,
appraisers and conflicts of interest, the responsible officer's recommendations and concerns.

Rules and their sources live in ``data/revalidation.yaml``; allocation and due-date arithmetic in pure modules.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from medlead.core import dates
from medlead.core.audit import Restricted
from medlead.core.policy import Perm
from medlead.organisation.models import Person, TrustOwned


class Connection(TrustOwned):
    """A doctor's prescribed connection to the trust as designated body, and their revalidation submission date."""

    audit_safe = ("person", "connected_on", "disconnected_on", "submission_date")

    def audit_label(self) -> str:
        # a prescribed connection is not confidential (the GMC connection import lists them)
        return f"{self.person.display_name} connected from {self.connected_on:%d %b %Y}"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="connections")
    connected_on = models.DateField()
    disconnected_on = models.DateField(null=True, blank=True)
    submission_date = models.DateField("revalidation submission date")
    disconnection_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["submission_date"]
        indexes = [models.Index(fields=["trust", "submission_date"])]

    @property
    def active(self) -> bool:
        return self.disconnected_on is None

    def clean(self) -> None:
        if self.disconnected_on and self.disconnected_on < self.connected_on:
            raise ValidationError({"disconnected_on": "A disconnection cannot come before the connection."})

    def __str__(self) -> str:
        return f"{self.person} connected from {self.connected_on:%d %b %Y}"


class AppraisalStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    PREPARING = "preparing", "Preparing inputs"
    BOOKED = "booked", "Meeting booked"
    COMPLETED = "completed", "Completed"
    SIGNED_OFF = "signed_off", "Signed off"
    MISSED = "missed", "Missed or incomplete"


class Appraisal(TrustOwned):
    audit_safe = ("person", "year", "appraiser", "status", "meeting_date", "missed_approved", "signed_off_on")
    audit_restricted = Restricted(Perm.VIEW_APPRAISAL_CONTENT)

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appraisals")
    year = models.PositiveSmallIntegerField(help_text="The appraisal year starting 1 April of this year.")
    appraiser = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="appraisees")
    status = models.CharField(max_length=12, choices=AppraisalStatus.choices, default=AppraisalStatus.NOT_STARTED)
    meeting_date = models.DateField(null=True, blank=True)
    # inputs (Medical Appraisal Guide 2022: scope of work, supporting information, review of the previous PDP,
    # achievements, challenges and aspirations; probity and health declarations)
    scope_of_work = models.TextField(blank=True)
    previous_pdp_review = models.TextField("review of the previous PDP", blank=True)
    achievements = models.TextField("achievements, challenges and aspirations", blank=True)
    probity_declared = models.BooleanField("probity statement made", default=False)
    health_declared = models.BooleanField("health statement made", default=False)
    colleague_feedback = models.ForeignKey(
        "leadership.FeedbackCycle",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appraisals",
        help_text="A completed 360 of the doctor's, attached as feedback from colleagues.",
    )
    # Good medical practice 2024 (ADR 0028): for an appraisal judged on or after 30 January 2024, the doctor's
    # reflection and the appraiser's summary under each domain, keyed by the domain's code in
    # data/good_medical_practice.yaml (an earlier appraisal keeps the undivided fields alone)
    domain_reflections = models.JSONField("reflections by domain", default=dict, blank=True)
    domain_summaries = models.JSONField("summary of the discussion by domain", default=dict, blank=True)
    # outputs
    summary = models.TextField("summary of the discussion", blank=True)
    new_pdp = models.TextField("personal development plan", blank=True)
    statements_confirmed = models.BooleanField("the appraiser's statements are confirmed", default=False)
    signed_off_on = models.DateField("signed off on", null=True, blank=True)
    # missed or incomplete appraisals
    missed_reason = models.CharField(max_length=300, blank=True)
    missed_approved = models.BooleanField(null=True, blank=True, help_text="Approved by the responsible officer?")

    class Meta:
        ordering = ["-year", "person__last_name"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="one_appraisal_per_year")]
        indexes = [models.Index(fields=["trust", "year", "status"])]

    @property
    def is_missed(self) -> bool:
        return self.status == AppraisalStatus.MISSED

    @property
    def is_signed_off(self) -> bool:
        return self.status == AppraisalStatus.SIGNED_OFF

    @property
    def year_label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.appraiser_id and self.appraiser_id == self.person_id:
            errors["appraiser"] = "A doctor cannot appraise themselves."
        if self.status == AppraisalStatus.MISSED and not self.missed_reason:
            errors["missed_reason"] = "Give the reason the appraisal was missed or is incomplete."
        if self.status == AppraisalStatus.BOOKED and not self.meeting_date:
            errors["meeting_date"] = "Give the date of the meeting."
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return f"{self.person} – appraisal {self.year_label}"


class SupportingInfo(TrustOwned):
    audit_safe = ("appraisal", "kind", "date", "domain")
    audit_restricted = Restricted(Perm.VIEW_APPRAISAL_CONTENT)

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="supporting_info")
    kind = models.CharField(max_length=30)  # a code from data/revalidation.yaml
    # the Good medical practice domain it is filed under (a code from data/good_medical_practice.yaml), for an
    # appraisal organised by domain: the type's usual domain unless the doctor chose another; "" otherwise
    domain = models.CharField(max_length=30, blank=True)
    title = models.CharField(max_length=200)
    date = models.DateField(null=True, blank=True)
    reflection = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "date"]

    def __str__(self) -> str:
        return self.title


class Appraiser(TrustOwned):
    audit_safe = ("person", "trained_on", "refreshed_on", "max_appraisees", "active")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appraiser_roles")
    trained_on = models.DateField()
    refreshed_on = models.DateField(null=True, blank=True)
    max_appraisees = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Leave empty for the default.")
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trust", "person"], name="one_appraiser_record")]

    def __str__(self) -> str:
        return str(self.person)


class ConflictOfInterest(TrustOwned):
    audit_safe = ("appraiser", "doctor")

    appraiser = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    doctor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.appraiser} / {self.doctor}: {self.reason}"


class RecommendationKind(models.TextChoices):
    REVALIDATE = "revalidate", "Revalidate"
    DEFER = "defer", "Defer"
    NON_ENGAGEMENT = "non_engagement", "Non-engagement"


class Recommendation(TrustOwned):
    audit_safe = ("connection", "person", "kind", "due_date", "made_on", "made_by", "defer_to", "submitted_on")
    audit_restricted = Restricted(Perm.MAKE_RECOMMENDATIONS)

    connection = models.ForeignKey(Connection, on_delete=models.PROTECT, related_name="recommendations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="revalidation_recommendations")
    kind = models.CharField(max_length=20, choices=RecommendationKind.choices)
    due_date = models.DateField(help_text="The submission date this recommendation answered.")
    made_on = models.DateField(default=dates.today)
    made_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    defer_to = models.DateField(null=True, blank=True)
    defer_reason = models.CharField(max_length=30, blank=True)
    criteria_confirmed = models.JSONField(default=list, blank=True)
    evidence = models.TextField(help_text="What the recommendation rests on.")
    # medlead does not send a recommendation to the GMC: the responsible officer submits it on GMC Connect and marks it
    # submitted here; until then it is on their "what needs you" and the doctor's next one is not offered.
    submitted_on = models.DateField("submitted to the GMC on", null=True, blank=True)

    class Meta:
        ordering = ["-made_on", "-id"]

    @property
    def on_time(self) -> bool:
        return self.made_on <= self.due_date

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.person} ({self.made_on:%d %b %Y})"


class Concern(TrustOwned):
    """A concern about a doctor known to the responsible officer. Confidential: only the responsible officer
    sees it, and every read and write is audited."""

    audit_safe = ("person", "raised_on", "resolved_on")
    audit_restricted = Restricted(Perm.VIEW_CONCERNS)

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(default=dates.today)
    summary = models.TextField()
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_on"]

    def __str__(self) -> str:
        return f"Concern about {self.person} ({self.raised_on:%d %b %Y})"
