"""Rotas of resident doctors, their duties and breaches, exception reports and guardian fines.

The rules themselves live in the pure engine (``medlead.rota.engine``) and its rule-set files.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from medlead.core.audit import Restricted
from medlead.core.dates import today
from medlead.core.policy import Perm
from medlead.organisation.models import Person, Specialty, TrustOwned
from medlead.rota.engine import in_force, load, names

IN_FORCE = ""  # judge the rota by the rules in force on its first day
RULE_SET_CHOICES = [(IN_FORCE, "The rules in force on the rota's first day"), *names().items()]
TOIL_WITHIN = dt.timedelta(weeks=4)  # time off in lieu is set within 4 weeks of the event [PL1 in rota-rules.md]


class Rota(TrustOwned):
    audit_safe = ("name", "specialty", "rule_set", "checked_at", "checked_rules")

    def audit_label(self) -> str:
        return self.name

    name = models.CharField(max_length=200)
    specialty = models.ForeignKey(Specialty, null=True, blank=True, on_delete=models.SET_NULL, related_name="rotas")
    rule_set = models.CharField(max_length=40, choices=RULE_SET_CHOICES, default=IN_FORCE, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_rules = models.CharField(max_length=40, blank=True, help_text="The rule set the last check used.")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["trust", "name"], name="unique_rota_name")]

    def __str__(self) -> str:
        return self.name

    def rules_id(self, first_day: dt.date | None) -> str:
        """The rule set that judges this rota: the one chosen, or the one in force on its first day."""

        return self.rule_set or in_force(first_day or today())

    @property
    def checked_rules_name(self) -> str:
        return load(self.checked_rules).name if self.checked_rules else ""

    @property
    def published(self) -> bool:
        """Published to its doctors (issue 32): it has a publication (``selectors.published_rotas`` for many)."""
        return self.publications.exists()


class RotaMember(TrustOwned):
    audit_safe = ("rota", "person", "opted_out")

    def audit_label(self) -> str:
        # a rota's membership is not confidential
        return f"{self.person.display_name} on {self.rota.name}"

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="rota_memberships")
    opted_out = models.BooleanField("opted out of the working time regulations' 48-hour limit", default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rota", "person"], name="unique_rota_member")]

    def __str__(self) -> str:
        return f"{self.person} on {self.rota}"


class DutyKind(models.TextChoices):
    SHIFT = "shift", "Shift"
    ON_CALL = "on_call", "On call (non-resident)"
    ON_CALL_WORK = "on_call_work", "Work during on-call"


class Duty(TrustOwned):
    audit_safe = ("rota", "person", "start", "end", "kind")

    def audit_label(self) -> str:
        # who works when: the rota, not a confidential record (an import's dry run lists them)
        return f"{self.person.display_name}: {self.get_kind_display()} {self.start:%d %b %H:%M}"

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="duties")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="duties")
    start = models.DateTimeField()
    end = models.DateTimeField()
    kind = models.CharField(max_length=12, choices=DutyKind.choices, default=DutyKind.SHIFT)

    class Meta:
        ordering = ["start"]
        verbose_name_plural = "duties"
        indexes = [models.Index(fields=["rota", "person", "start"])]

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "The end must be after the start."})

    @property
    def on_call(self) -> bool:
        return self.kind == DutyKind.ON_CALL

    @property
    def worked_on_call(self) -> bool:
        return self.kind == DutyKind.ON_CALL_WORK

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()} {self.start:%d %b %H:%M}"


class RotaBreach(TrustOwned):
    """A breach (or warning) found by the last check of a rota. Replaced whenever the rota changes."""

    audit_safe = ("rota", "person", "rule", "start", "end", "message", "hint", "source", "warning")

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="breaches")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    rule = models.CharField(max_length=60)
    start = models.DateTimeField()
    end = models.DateTimeField()
    message = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    source = models.CharField(max_length=300, blank=True)
    warning = models.BooleanField(default=False)

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


class ReportKind(models.TextChoices):
    HOURS = "hours", "Extra hours worked"
    REST = "rest", "Missed rest"
    BREAKS = "breaks", "Missed breaks"
    EDUCATION = "education", "Missed education or training"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "Awaiting an outcome"
    AGREED = "agreed", "Outcome agreed"


class Outcome(models.TextChoices):
    NO_ACTION = "no_action", "No action"
    PAYMENT = "payment", "Payment for the extra hours"
    TOIL = "toil", "Time off in lieu"
    WORK_SCHEDULE_REVIEW = "work_schedule_review", "Work schedule review"


class Route(models.TextChoices):
    """Who agrees the outcome of an exception report."""

    SUPERVISOR = "supervisor", "The educational supervisor"
    MEDICAL_WORKFORCE = "medical_workforce", "Medical workforce (HR)"
    DIRECTOR_OF_MEDICAL_EDUCATION = "director_of_medical_education", "The director of medical education"


class Preference(models.TextChoices):
    PAY = "pay", "Payment"
    TOIL = "toil", "Time off in lieu"


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


class ExceptionReport(TrustOwned):
    """A resident doctor reports that work varied from their work schedule (2016 TCS Schedule 5)."""

    audit_safe = (
        "doctor",
        "supervisor",
        "rules_version",
        "route",
        "preferred",
        "share_with_supervisor",
        "safe_hours_breach",
        "rota",
        "occurred_on",
        "kind",
        "extra_minutes",
        "status",
        "outcome",
        "toil_hours",
        "toil_by",
        "outcome_at",
        "fine_category",
        "fine_amount",
        "fine_hours",
        "fine_hourly_rate",
        "fine_to_doctor",
        "fine_to_guardian",
    )
    audit_restricted = Restricted(Perm.VIEW_EXCEPTION_REPORT)

    doctor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="exception_reports")
    supervisor = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_exception_reports",
        help_text="The doctor's educational supervisor.",
    )
    # Set at submission from the rules in force on the date of the event (data/exception_reporting.yaml).
    rules_version = models.CharField(max_length=8, default="v12")
    route = models.CharField(max_length=40, choices=Route.choices, default=Route.SUPERVISOR)
    preferred = models.CharField("pay or time off in lieu", max_length=8, choices=Preference.choices, blank=True)
    share_with_supervisor = models.BooleanField("my educational supervisor may see this report", default=False)
    safe_hours_breach = models.BooleanField(
        "safe working hours were breached (time off in lieu is mandated)", default=False
    )
    rota = models.ForeignKey(Rota, null=True, blank=True, on_delete=models.SET_NULL, related_name="exception_reports")
    occurred_on = models.DateField("date of the event")
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    extra_minutes = models.PositiveIntegerField(
        "extra time worked (minutes)", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    description = models.TextField("what happened")
    status = models.CharField(max_length=12, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    toil_hours = models.DecimalField(
        "hours of time off in lieu",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.25"))],
    )
    toil_by = models.DateField("time off to be taken by", null=True, blank=True)
    outcome_note = models.TextField(blank=True)
    # version 13: which tier of evidence confirmed that the additional hours were worked (the version's tiers)
    hours_verified_by = models.CharField("how the hours were confirmed", max_length=20, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    fine_category = models.CharField(max_length=30, blank=True)
    fine_amount = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0.01"))]
    )
    fine_note = models.TextField(blank=True)
    # for a fine computed from the hours of the breach (data/guardian_fines.yaml)
    fine_hours = models.DecimalField("hours of the breach", max_digits=6, decimal_places=2, null=True, blank=True)
    fine_hourly_rate = models.DecimalField("basic hourly rate", max_digits=8, decimal_places=2, null=True, blank=True)
    fine_to_doctor = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    fine_to_guardian = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    fine_payer = models.CharField("paid by", max_length=200, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["trust", "occurred_on"])]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == ReportKind.HOURS and not self.extra_minutes:
            errors["extra_minutes"] = "Give the extra time worked, in minutes."
        if self.route == Route.SUPERVISOR and not self.supervisor_id:
            errors["supervisor"] = "Choose your educational supervisor: under these rules they agree the outcome."
        if self.doctor_id and self.supervisor_id and self.doctor_id == self.supervisor_id:
            errors["supervisor"] = "Choose your educational supervisor, not yourself."
        if self.outcome == Outcome.TOIL:
            if not self.toil_hours:
                errors["toil_hours"] = "Give the hours of time off in lieu."
            if not self.toil_by:
                errors["toil_by"] = "Give the date by which the time off is taken."
            elif self.occurred_on and not (self.occurred_on <= self.toil_by <= self.toil_last_day):
                errors["toil_by"] = self.toil_rule
        if errors:
            raise ValidationError(errors)

    @property
    def toil_last_day(self) -> dt.date:
        """The last day time off in lieu for this event can be set for: 4 weeks after it [PL1]."""
        return self.occurred_on + TOIL_WITHIN

    @property
    def toil_rule(self) -> str:
        """The rule in words, and the way on once its date has passed: payment for the extra hours, the other
        outcome that pays for them (changed from a doctor's own choice of time off only with their consent)."""
        rule = (
            f"Time off in lieu is set within 4 weeks of the event: for this event on {_day(self.occurred_on)}, "
            f"by {_day(self.toil_last_day)}."
        )
        if self.toil_last_day >= today():
            return rule
        return (
            f"{rule} That date has passed, so time off in lieu can no longer be set: agree payment for the extra "
            "hours instead"
            + (
                " (the doctor chose time off, so ask for their consent to payment first)."
                if self.preferred == Preference.TOIL
                else "."
            )
        )

    @property
    def fine_summary(self) -> str:
        """The fine in words: its amount, how it was computed and split, and who pays."""
        if not self.fine_category:
            return ""
        text = f"£{self.fine_amount:,.2f}"
        if self.fine_hours:
            text += (
                f" ({self.fine_hours.normalize():f} hours at the penalty rate on a basic rate of "
                f"£{self.fine_hourly_rate:,.2f} an hour: £{self.fine_to_doctor:,.2f} to the doctor, "
                f"£{self.fine_to_guardian:,.2f} to the guardian's fund)"
            )
        return text + (f". Paid by: {self.fine_payer}." if self.fine_payer else ".")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.occurred_on:%d %b %Y} – {self.doctor}"


class GuardianQuarter(TrustOwned):
    """What the guardian records for a quarter's board report beyond the reports themselves (NHS Employers'
    board-report template under version 13: access to exception reporting, detriment, information breaches [E8])."""

    audit_safe = (
        "year",
        "quarter",
        "doctors_starting",
        "access_late",
        "detriment_survey_responses",
        "detriment_reported",
        "information_breaches",
    )

    year = models.PositiveSmallIntegerField(help_text="The NHS financial year starting 1 April of this year.")
    quarter = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    doctors_starting = models.PositiveIntegerField(
        "resident doctors who started work this quarter", null=True, blank=True
    )
    access_late = models.PositiveIntegerField(
        "of them, not given access to exception reporting within 14 days", null=True, blank=True
    )
    detriment_survey_responses = models.PositiveIntegerField("responses to the detriment survey", null=True, blank=True)
    detriment_reported = models.PositiveIntegerField(
        "doctors reporting detriment for exception reporting", null=True, blank=True
    )
    information_breaches = models.PositiveIntegerField(
        "information breaches (identifiable report data shared without need or consent)", null=True, blank=True
    )
    narrative = models.TextField("the guardian's summary for the board", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trust", "year", "quarter"], name="one_guardian_quarter")]

    def clean(self) -> None:
        if self.quarter and not 1 <= self.quarter <= 4:
            raise ValidationError({"quarter": "A quarter is 1 to 4."})
        if (
            self.access_late is not None
            and self.doctors_starting is not None
            and self.access_late > self.doctors_starting
        ):
            raise ValidationError({"access_late": "This cannot be more than the doctors who started."})
        if (
            self.detriment_reported is not None
            and self.detriment_survey_responses is not None
            and self.detriment_reported > self.detriment_survey_responses
        ):
            raise ValidationError({"detriment_reported": "This cannot be more than the responses to the survey."})

    def __str__(self) -> str:
        return f"Guardian's quarter {self.quarter} of {self.year}"


# ------------------------------------------------------------------------------------------- rota generation


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Not generated yet"
    QUEUED = "queued", "Waiting to start"
    SOLVING = "solving", "Generating"
    DONE = "done", "Generated"
    FAILED = "failed", "No rota found"


class RosterPlan(TrustOwned):
    """What a rota coordinator asks medlead to generate for a rota's doctors: the period, the shifts needed each
    day, leave and requests; and, once generated, the result and why any cover or request was not met."""

    audit_safe = ("rota", "starts_on", "weeks", "template", "time_limit", "status", "locked_weeks", "stop_requested")

    rota = models.OneToOneField(Rota, on_delete=models.CASCADE, related_name="plan")
    starts_on = models.DateField("first day (a Monday)")
    weeks = models.PositiveSmallIntegerField(default=8, validators=[MinValueValidator(1), MaxValueValidator(26)])
    template = models.CharField(max_length=40)
    shifts = models.JSONField(default=list, help_text="Each shift: code, name, start, hours, needed Monday to Sunday.")
    time_limit = models.PositiveSmallIntegerField(
        "time limit in seconds", default=60, validators=[MinValueValidator(5), MaxValueValidator(3600)]
    )
    status = models.CharField(max_length=8, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    progress = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    locked_weeks = models.PositiveSmallIntegerField(default=0)
    stop_requested = models.BooleanField(default=False)
    # when a worker last took the plan from the queue: its trust's turn in the queue (rota.fair) and its wait
    started_at = models.DateTimeField(null=True, blank=True, editable=False)

    def __str__(self) -> str:
        return f"Plan for {self.rota}"

    def day(self, index: int) -> dt.date:
        return self.starts_on + dt.timedelta(days=index)

    @property
    def failed(self) -> bool:
        return self.status == PlanStatus.FAILED

    @property
    def running(self) -> bool:
        return self.status in (PlanStatus.QUEUED, PlanStatus.SOLVING)


class AbsenceReason(models.TextChoices):
    ANNUAL = "annual", "Annual leave"
    STUDY = "study", "Study leave"
    SICK = "sick", "Sick leave"
    TEACHING = "teaching", "Teaching or another fixed commitment"
    OTHER = "other", "Other"


class RosterAbsence(TrustOwned):
    audit_safe = ("plan", "person", "starts_on", "ends_on")

    plan = models.ForeignKey(RosterPlan, on_delete=models.CASCADE, related_name="absences")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField("from")
    ends_on = models.DateField("to (inclusive)")
    reason = models.CharField(max_length=10, choices=AbsenceReason.choices)

    class Meta:
        ordering = ["starts_on", "id"]

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day cannot be before the first."})

    def __str__(self) -> str:
        return f"{self.get_reason_display()} from {self.starts_on:%d %b} to {self.ends_on:%d %b %Y}"


class RosterRequest(TrustOwned):
    audit_safe = ("plan", "person", "on", "shift", "wants", "weight")

    plan = models.ForeignKey(RosterPlan, on_delete=models.CASCADE, related_name="requests")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    on = models.DateField("date")
    shift = models.CharField(max_length=10, blank=True, help_text="Empty: the whole day.")
    wants = models.CharField(max_length=4, choices=[("work", "To work it"), ("off", "Not to work")])
    weight = models.PositiveSmallIntegerField(
        "how much it matters (1 to 10)", default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    class Meta:
        ordering = ["on", "id"]

    @property
    def to_work(self) -> bool:
        return self.wants == "work"

    def __str__(self) -> str:
        return f"Request for {self.on:%d %b %Y}"


# ------------------------------------------------------------------------------- publication (issue 32: publish)


class RotaPublication(TrustOwned):
    """A rota published to its doctors for a rotation: when the work schedule was issued and the rota published,
    against the Code of Practice's standards in force on the day of publication (``data/rota_notice.yaml``, read
    through ``rulebook.selectors.value_for``). A rota is published once it has one; each rotation has its own."""

    audit_safe = (
        "rota",
        "starts_on",
        "work_schedule_issued_on",
        "published_on",
        "published_by",
        "work_schedule_weeks",
        "rota_weeks",
        "work_schedule_on_time",
        "rota_on_time",
        "assumed",
    )

    def audit_label(self) -> str:
        return f"{self.rota.name}, rotation starting {self.starts_on:%d %b %Y}"

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="publications")
    starts_on = models.DateField("the rotation starts on")
    work_schedule_issued_on = models.DateField("the work schedule was issued on")
    published_on = models.DateField("the rota was published on")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # the standards in force on the day of publication, as the trust applied them then
    work_schedule_weeks = models.PositiveSmallIntegerField()
    rota_weeks = models.PositiveSmallIntegerField()
    work_schedule_on_time = models.BooleanField()
    rota_on_time = models.BooleanField()
    # recorded when publication came to medlead, for a rota that already existed: its dates are its creation's, not
    # known, so it counts in no figure (the migration that brought publication)
    assumed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["rota", "starts_on"], name="one_publication_per_rotation")]
        indexes = [models.Index(fields=["trust", "starts_on"])]

    def clean(self) -> None:
        if self.work_schedule_issued_on and self.published_on and self.work_schedule_issued_on > self.published_on:
            raise ValidationError({"work_schedule_issued_on": "The work schedule cannot be issued after today."})

    @property
    def on_time(self) -> bool:
        """Both the work schedule and the rota were issued with the notice the standards ask."""
        return self.work_schedule_on_time and self.rota_on_time

    @property
    def rota_notice_days(self) -> int:
        return (self.starts_on - self.published_on).days

    @property
    def work_schedule_notice_days(self) -> int:
        return (self.starts_on - self.work_schedule_issued_on).days

    def __str__(self) -> str:
        return f"{self.rota}: rotation starting {self.starts_on:%d %b %Y}"


class RotaChange(TrustOwned):
    """A change to a published rota's duties: the doctors it touched were told (one message each per change)."""

    audit_safe = ("rota", "publication", "changed_on", "doctors", "summary")

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="changes")
    publication = models.ForeignKey(RotaPublication, on_delete=models.CASCADE, related_name="changes")
    changed_on = models.DateField()
    doctors = models.PositiveIntegerField("doctors told")
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["-changed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.rota}: {self.summary}"


# ------------------------------------------------------------------------------------- shift swaps (issue 32)


class SwapStatus(models.TextChoices):
    OFFERED = "offered", "Offered, waiting for a colleague"
    ACCEPTED = "accepted", "Accepted, waiting for the rota coordinator"
    APPROVED = "approved", "Approved: the shifts have changed hands"
    DECLINED = "declined", "Declined by the colleague"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REFUSED = "refused", "Refused by the rota coordinator"
    LAPSED = "lapsed", "Lapsed: the shift started or changed"


class ShiftSwap(TrustOwned):
    """A doctor offers one of their future shifts to a named colleague on the same rota or to anyone eligible, as a
    give-away or in return for one of the colleague's shifts (ADR 0025). The times of each shift when offered are
    kept: a shift that changed or started since makes the offer lapse, so no stale swap is approved."""

    audit_safe = (
        "rota",
        "offered_by",
        "duty",
        "duty_start",
        "duty_end",
        "to",
        "in_return",
        "in_return_start",
        "in_return_end",
        "grades",
        "taken_by",
        "status",
        "accepted_at",
        "decided_at",
        "automatic",
        "version",
    )

    def audit_label(self) -> str:
        # who works when: the rota, not a confidential record
        return f"Shift swap {self.pk}: {self.offered_by.display_name}, {self.duty_start:%d %b %H:%M}"

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="swaps")
    offered_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="swaps_offered")
    duty = models.ForeignKey(Duty, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    duty_start = models.DateTimeField()
    duty_end = models.DateTimeField()
    to = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="swaps_to", help_text="Empty: anyone."
    )
    in_return = models.ForeignKey(Duty, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    in_return_start = models.DateTimeField(null=True, blank=True)
    in_return_end = models.DateTimeField(null=True, blank=True)
    grades = models.JSONField(default=list, help_text="The grades that may take the shift.")
    taken_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="swaps_taken")
    status = models.CharField(max_length=10, choices=SwapStatus.choices, default=SwapStatus.OFFERED)
    accepted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField("decided by", max_length=200, blank=True)
    automatic = models.BooleanField("approved automatically (the trust's setting)", default=False)
    reason = models.CharField(max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["duty_start", "pk"]
        indexes = [models.Index(fields=["trust", "status"])]

    def clean(self) -> None:
        if self.to_id and self.to_id == self.offered_by_id:
            raise ValidationError({"to": "Offer the shift to a colleague, not to yourself."})
        if self.in_return_id and not self.to_id:
            raise ValidationError({"in_return": "A swap for a colleague's shift is offered to that colleague."})

    @property
    def open_offer(self) -> bool:
        return self.to_id is None

    @property
    def is_swap(self) -> bool:
        return self.in_return_start is not None

    @property
    def waiting_for_colleague(self) -> bool:
        return self.status == SwapStatus.OFFERED

    @property
    def waiting_for_coordinator(self) -> bool:
        return self.status == SwapStatus.ACCEPTED

    @property
    def approved(self) -> bool:
        return self.status == SwapStatus.APPROVED

    @property
    def live(self) -> bool:
        return self.status in (SwapStatus.OFFERED, SwapStatus.ACCEPTED)

    @property
    def colleague(self) -> Person | None:
        """The colleague on the other side: the one who took it, else the one it is offered to."""
        return self.taken_by or self.to

    def __str__(self) -> str:
        return f"Shift swap of {self.duty_start:%d %b %Y %H:%M}"
