"""The Medical Practice Information Transfer between responsible officers (issue 34): when a doctor joins a trust,
its responsible officer asks the doctor's previous designated body for what its responsible officer knew; the
previous responsible officer completes the national form (its content is data: data/information_transfer.yaml) and
sends it.

The record belongs to the trust that asked (the new designated body, ``trust``); the trust asked is
``previous_trust``. Confidential (ADR 0034): once sent, only the new trust's responsible officer reads the answers,
every read audited without content; both responsible officers and the doctor see that it exists, its dates and its
status; anyone else is answered as if it did not exist. The answers, the request's note and the reasons given are
never copied into the audit trail (only the ``audit_safe`` fields are), and the trust-wide trail shows the record as
"a confidential record"."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from medlead.core.audit import Restricted
from medlead.core.policy import Perm
from medlead.organisation.models import Person, StaffKind, Trust, TrustOwned


class Status(models.TextChoices):
    REQUESTED = "requested", "Waiting for the previous responsible officer"
    SENT = "sent", "Sent"
    NOT_CONNECTED = "not_connected", "Declined: the doctor was not connected to them"
    WITHDRAWN = "withdrawn", "Withdrawn"


class InformationTransfer(TrustOwned):
    """One request for a doctor's information transfer, and the transfer once sent."""

    audit_safe = (
        "previous_trust",
        "doctor",
        "previous_person",
        "requested_by",
        "requested_on",
        "joined_on",
        "status",
        "sent_by",
        "sent_on",
        "closed_on",
        "first_read_on",
    )
    audit_restricted = Restricted(Perm.READ_INFORMATION_TRANSFER)

    def audit_label(self) -> str:  # never the doctor's name: a confidential record's label reaches its own trail
        return f"Information transfer {self.pk}"

    previous_trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="+")
    doctor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="information_transfers")
    # the same doctor's record in the previous trust, found by GMC number when the request was made (none where that
    # trust holds no record with the number): medlead's facts for the previous responsible officer come from it
    previous_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="information_transfers_out"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_on = models.DateField()
    joined_on = models.DateField(
        "joined the trust on", help_text="The day the doctor's prescribed connection moved to the trust that asks."
    )
    note = models.TextField("note to the previous responsible officer", blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    form = models.CharField(max_length=40, help_text="The version of the form (data/information_transfer.yaml).")
    answers = models.JSONField(default=dict, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True, help_text="Sent, declined or withdrawn on.")
    reason = models.TextField("reason", blank=True, help_text="Why it was declined or withdrawn.")
    first_read_on = models.DateField(null=True, blank=True, help_text="First read by the new responsible officer.")

    class Meta:
        ordering = ["-requested_on", "-pk"]
        indexes = [
            models.Index(fields=["trust", "status"]),
            models.Index(fields=["previous_trust", "status"]),
            models.Index(fields=["doctor", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(trust=models.F("previous_trust")), name="transfer_from_another_trust"
            ),
        ]

    @property
    def waiting(self) -> bool:
        return self.status == Status.REQUESTED

    @property
    def sent(self) -> bool:
        return self.status == Status.SENT

    @property
    def declined(self) -> bool:
        return self.status == Status.NOT_CONNECTED

    @property
    def withdrawn(self) -> bool:
        return self.status == Status.WITHDRAWN

    @property
    def has_draft(self) -> bool:
        return self.waiting and bool(self.answers)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.trust_id and self.previous_trust_id and self.trust_id == self.previous_trust_id:
            errors["previous_trust"] = "Choose another trust: the doctor's previous designated body, not your own."
        if self.doctor_id and self.trust_id:
            if self.doctor.trust_id != self.trust_id:
                errors["doctor"] = "The doctor must be one of the trust's people."
            elif self.doctor.kind != StaffKind.DOCTOR or not self.doctor.gmc_number:
                errors["doctor"] = "Choose a doctor with a GMC number."
        previous = self.previous_person if self.previous_person_id else None
        if previous is not None and self.previous_trust_id:
            if previous.trust_id != self.previous_trust_id:
                errors["previous_person"] = "The previous record must be one of the previous trust's people."
            elif self.doctor_id and previous.gmc_number != self.doctor.gmc_number:
                errors["previous_person"] = "The previous record must have the doctor's GMC number."
        if self.sent_on and self.sent_on < self.requested_on:
            errors["sent_on"] = "A transfer cannot be sent before it was asked for."
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:  # never the doctor's name or the answers
        return f"Information transfer {self.pk}"
