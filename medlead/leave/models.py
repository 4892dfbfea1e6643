"""Resident doctors' leave: what a doctor asks the rota coordinator for, and what the coordinator records about
the doctor that the entitlement needs (NHS service, start with the trust, days carried over)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from medlead.organisation.models import Person, TrustOwned
from medlead.rota.models import Rota


class LeaveKind(models.TextChoices):
    # the kinds data/leave.yaml names, each with its source
    ANNUAL = "annual", "Annual leave"
    LIFE_EVENT = "life_event", "Annual leave for an important life event"
    STUDY = "study", "Study leave"
    SPECIAL = "special", "Special or compassionate leave"


# The kinds counted against annual leave.
ANNUAL_KINDS = frozenset({LeaveKind.ANNUAL, LeaveKind.LIFE_EVENT})


class LeaveStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CANCEL_ASKED = "cancel_asked", "Approved: cancellation asked"
    CANCELLED = "cancelled", "Cancelled"


# The states in which a coordinator has a decision to make.
TO_DECIDE = (LeaveStatus.WAITING, LeaveStatus.CANCEL_ASKED)
# The states in which the leave stands or may stand (counted against entitlement, and overlapping is refused).
STANDING = (LeaveStatus.WAITING, LeaveStatus.APPROVED, LeaveStatus.CANCEL_ASKED)


class LeaveRequest(TrustOwned):
    """One request for leave from a doctor on a rota, from its first to its last day (whole days)."""

    audit_safe = (
        "person",
        "rota",
        "kind",
        "first_day",
        "last_day",
        "days",
        "short_notice",
        "status",
        "decided_by",
        "decided_at",
    )

    def audit_label(self) -> str:
        return f"Leave request {self.pk}"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="leave_requests")
    rota = models.ForeignKey(Rota, on_delete=models.PROTECT, related_name="leave_requests")
    kind = models.CharField(max_length=12, choices=LeaveKind.choices)
    first_day = models.DateField("first day")
    last_day = models.DateField("last day")
    days = models.PositiveSmallIntegerField(
        "days of leave", default=0, help_text="Weekdays that are not bank holidays, counted when it was asked."
    )
    short_notice = models.BooleanField(default=False)
    reason = models.TextField("the reason", blank=True)
    status = models.CharField(max_length=14, choices=LeaveStatus.choices, default=LeaveStatus.WAITING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField("the reason for the decision", blank=True)
    cancel_reason = models.TextField("why the doctor asks to cancel", blank=True)

    class Meta:
        ordering = ["first_day", "pk"]
        indexes = [models.Index(fields=["trust", "status", "created_at"]), models.Index(fields=["person", "first_day"])]

    def clean(self) -> None:
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": "The last day cannot be before the first."})

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.first_day:%d %b} to {self.last_day:%d %b %Y}"

    @property
    def waiting(self) -> bool:
        return self.status == LeaveStatus.WAITING

    @property
    def to_decide(self) -> bool:
        return self.status in TO_DECIDE

    @property
    def cancellation(self) -> bool:
        """A decision on cancelling approved leave (not on the leave itself)."""
        return self.status == LeaveStatus.CANCEL_ASKED

    @property
    def approved(self) -> bool:
        return self.status in (LeaveStatus.APPROVED, LeaveStatus.CANCEL_ASKED)

    @property
    def annual(self) -> bool:
        return self.kind in ANNUAL_KINDS

    @property
    def life_event(self) -> bool:
        return self.kind == LeaveKind.LIFE_EVENT


class LeaveRecord(TrustOwned):
    """What the entitlement needs that the person record does not hold, recorded by the rota coordinator (medical
    staffing): the start of the doctor's NHS service, their start with the trust and days carried over."""

    audit_safe = ("person", "nhs_service_from", "appointed_on", "carried_over", "carried_into")

    def audit_label(self) -> str:
        return f"Leave record of {self.person.display_name}"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="leave_record")
    nhs_service_from = models.DateField("start of NHS service", null=True, blank=True)
    appointed_on = models.DateField("start with this trust", null=True, blank=True)
    carried_over = models.DecimalField(
        "days carried over",
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(60))],
    )
    carried_into = models.DateField("carried into the leave year starting", null=True, blank=True)

    def __str__(self) -> str:
        return f"Leave record of {self.person}"
