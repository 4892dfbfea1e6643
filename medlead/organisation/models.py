"""The organisation: regions, trusts, their sites, divisions and specialties, the board and its committees,
and the people (doctors and non-medical managers) who work there.

Every record below ``Trust`` belongs to one trust (``TrustOwned``); queries are scoped to the trusts a user
may see by ``medlead.organisation.selectors.visible_trusts``.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from medlead.core.audit import Restricted
from medlead.core.policy import Perm
from medlead.core.reference_data import read

GMC_NUMBER_VALIDATOR = RegexValidator(r"^\d{7}$", "A GMC number is exactly 7 digits, for example 1234567.")


class Region(models.Model):
    audit_safe = ("code", "name")

    def audit_label(self) -> str:
        return self.name

    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrustKind(models.TextChoices):
    ACUTE = "acute", "Acute"
    MENTAL_HEALTH = "mental_health", "Mental health"
    COMMUNITY = "community", "Community"
    AMBULANCE = "ambulance", "Ambulance"
    SPECIALIST = "specialist", "Specialist"


class Trust(models.Model):
    audit_safe = ("code", "name", "kind", "region", "is_demo", "exception_reporting_v13_from")

    def audit_label(self) -> str:
        return self.name

    code = models.CharField(
        max_length=10,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]{3,10}$", "Use the trust's ODS code: 3 to 10 capitals or digits.")],
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=TrustKind.choices, default=TrustKind.ACUTE)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="trusts")
    is_demo = models.BooleanField(default=False)
    exception_reporting_v13_from = models.DateField(
        "adopted version 13 of exception reporting early, from",
        null=True,
        blank=True,
        help_text="Only for an early adopter: version 13 applies to every trust from 4 February 2026.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    # A trust answers for itself what each of its records answers through its foreign key, so the policy (in core,
    # which imports no app) finds "the trust this is or belongs to" the same way for both.
    @property
    def trust_id(self) -> int:
        return self.pk

    @property
    def trust(self) -> Trust:
        return self

    def clean(self) -> None:
        day = self.exception_reporting_v13_from
        if day:
            v13 = next(v for v in read("exception_reporting.yaml")["versions"] if v.get("early_adoption_from"))
            first, last = v13["early_adoption_from"], v13["applies_from"]
            if not (first <= day < last):
                raise ValidationError(
                    {
                        "exception_reporting_v13_from": f"Version 13 could be adopted early from {first:%-d %B %Y} "
                        f"until it applied to every trust on {last:%-d %B %Y}: give a date in between."
                    }
                )


class TrustOwned(models.Model):
    """Base for every record that belongs to a trust."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Site(TrustOwned):
    audit_safe = ("name",)

    def audit_label(self) -> str:
        return self.name

    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["trust", "name"], name="unique_site_name")]

    def __str__(self) -> str:
        return self.name


class Division(TrustOwned):
    audit_safe = ("name",)

    def audit_label(self) -> str:
        return self.name

    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["trust", "name"], name="unique_division_name")]

    def __str__(self) -> str:
        return self.name


class Specialty(TrustOwned):
    """A directorate or specialty within a division."""

    audit_safe = ("name", "division")

    def audit_label(self) -> str:
        return self.name

    name = models.CharField(max_length=200)
    division = models.ForeignKey(Division, on_delete=models.PROTECT, related_name="specialties")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "specialties"
        constraints = [models.UniqueConstraint(fields=["trust", "name"], name="unique_specialty_name")]

    def clean(self) -> None:
        if self.division_id and self.trust_id and self.division.trust_id != self.trust_id:
            raise ValidationError({"division": "The division must belong to the same trust."})

    def __str__(self) -> str:
        return self.name


class StaffKind(models.TextChoices):
    DOCTOR = "doctor", "Doctor"
    MANAGER = "manager", "Non-medical manager"


class Grade(models.TextChoices):
    CONSULTANT = "consultant", "Consultant"
    SPECIALIST = "specialist", "Specialist (SAS)"
    SPECIALTY_DOCTOR = "specialty_doctor", "Specialty doctor (SAS)"
    ASSOCIATE_SPECIALIST = "associate_specialist", "Associate specialist (SAS)"
    LOCALLY_EMPLOYED = "locally_employed", "Locally employed doctor"
    FOUNDATION = "foundation", "Foundation doctor (FY1–FY2)"
    CORE_TRAINEE = "core_trainee", "Core trainee (CT1–CT3)"
    SPECIALTY_REGISTRAR = "specialty_registrar", "Specialty registrar (ST3+)"


TRAINEE_GRADES = frozenset({Grade.FOUNDATION, Grade.CORE_TRAINEE, Grade.SPECIALTY_REGISTRAR})
# Consultants and SAS doctors: the grades with a consultant or SAS job plan, and the person picker's "senior" scope.
SENIOR_GRADES = frozenset({Grade.CONSULTANT, Grade.SPECIALIST, Grade.SPECIALTY_DOCTOR, Grade.ASSOCIATE_SPECIALIST})


class Contract(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed term"
    TRAINING = "training", "Training contract"
    LOCUM = "locum", "Locum"
    HONORARY = "honorary", "Honorary"


# The fields of a person that users edit: by form, API and import alike.
PERSON_EDITABLE_FIELDS = (
    "kind",
    "first_name",
    "last_name",
    "email",
    "gmc_number",
    "staff_number",
    "grade",
    "job_title",
    "specialty",
    "contract",
    "ltft_fraction",
    "contracted_pas",
)


class Person(TrustOwned):
    """A doctor or a non-medical manager in a trust."""

    audit_safe = (
        "kind",
        "first_name",
        "last_name",
        "gmc_number",
        "grade",
        "job_title",
        "specialty",
        "contract",
        "ltft_fraction",
        "contracted_pas",
        "active",
    )

    def audit_label(self) -> str:
        return self.display_name

    kind = models.CharField(max_length=10, choices=StaffKind.choices, default=StaffKind.DOCTOR)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(blank=True)
    staff_number = models.CharField(
        max_length=20, blank=True, help_text="ESR assignment or employee number; unique within the trust."
    )
    gmc_number = models.CharField(max_length=7, blank=True, validators=[GMC_NUMBER_VALIDATOR])
    grade = models.CharField(max_length=30, choices=Grade.choices, blank=True)
    job_title = models.CharField(max_length=200, blank=True, help_text="For non-medical managers.")
    specialty = models.ForeignKey(Specialty, null=True, blank=True, on_delete=models.SET_NULL, related_name="people")
    contract = models.CharField(max_length=20, choices=Contract.choices, default=Contract.PERMANENT)
    ltft_fraction = models.DecimalField(
        "less-than-full-time fraction",
        max_digits=3,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.10")), MaxValueValidator(Decimal("1.00"))],
        help_text="1.00 is full time; 0.60 is 60% of full time.",
    )
    contracted_pas = models.DecimalField(
        "contracted PAs",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20"))],
        help_text="Programmed activities a week in the contract (consultants and SAS doctors).",
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "gmc_number"], condition=~models.Q(gmc_number=""), name="unique_gmc_in_trust"
            ),
            models.UniqueConstraint(
                fields=["trust", "staff_number"], condition=~models.Q(staff_number=""), name="unique_staff_no"
            ),
        ]
        indexes = [
            models.Index(fields=["trust", "last_name", "first_name"]),
            # the same doctor's records in other trusts, found by GMC number across the installation (issue 34)
            models.Index(fields=["gmc_number"], name="person_gmc_number"),
        ]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.kind == StaffKind.DOCTOR:
            if not self.gmc_number:
                errors["gmc_number"] = "Enter the doctor's 7-digit GMC number."
            if not self.grade:
                errors["grade"] = "Select the doctor's grade."
        elif self.grade:
            errors["grade"] = "A non-medical manager has no medical grade."
        if self.specialty is not None and self.trust_id and self.specialty.trust_id != self.trust_id:
            errors["specialty"] = "The specialty must belong to the same trust."
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def display_name(self) -> str:
        return f"Dr {self.full_name}" if self.kind == StaffKind.DOCTOR else self.full_name

    def __str__(self) -> str:
        return self.display_name


class ExceptionReportingBy(models.TextChoices):
    """Whose guardian of safe working hours a placed resident doctor's exception reports reach: the trusts record it
    for each placement (a lead employer may run exception reporting for hosts with few resident doctors)."""

    HOST = "host", "The host trust's guardian"
    LEAD_EMPLOYER = "lead_employer", "The lead employer's guardian"
    BOTH = "both", "Both guardians"


class Placement(models.Model):
    """A resident doctor employed by a lead employer and placed in a host trust for a period (issue 34).

    The doctor has a person record in each trust with the same GMC number: ``employee`` in the lead employer (their
    employment) and ``placed_as`` in the host (on the host's rotas, judged by the same rules). The arrangement the
    trusts record says whose guardian their exception reports reach."""

    audit_safe = (
        "lead_employer",
        "host",
        "employee",
        "placed_as",
        "starts_on",
        "ends_on",
        "exception_reporting",
        "created_at",
    )

    def audit_label(self) -> str:
        return f"Placement of {self.employee.display_name} at {self.host.name}"

    lead_employer = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="placements_out")
    host = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="placements_in")
    employee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="placements")
    placed_as = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="hosted_placements")
    starts_on = models.DateField()
    ends_on = models.DateField()
    exception_reporting = models.CharField(
        "exception reports go to", max_length=20, choices=ExceptionReportingBy.choices
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        indexes = [
            models.Index(fields=["lead_employer", "starts_on"]),
            models.Index(fields=["host", "starts_on"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="placement_dates"),
            models.CheckConstraint(
                condition=~models.Q(lead_employer=models.F("host")), name="placement_host_is_another_trust"
            ),
        ]

    # The policy reads a record's trust through ``trust_id``/``trust``: a placement is the lead employer's record.
    @property
    def trust_id(self) -> int:
        return self.lead_employer_id

    @property
    def trust(self) -> Trust:
        return self.lead_employer

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.employee_id and self.lead_employer_id and self.employee.trust_id != self.lead_employer_id:
            errors["employee"] = "The doctor must be one of the lead employer's people."
        if self.placed_as_id and self.host_id and self.placed_as.trust_id != self.host_id:
            errors["placed_as"] = "The host's record must be one of the host trust's people."
        if (
            self.employee_id
            and self.placed_as_id
            and self.employee.gmc_number
            and self.employee.gmc_number != self.placed_as.gmc_number
        ):
            errors["placed_as"] = "The host's record must have the same GMC number as the lead employer's."
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The placement must end on or after the day it starts."
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return f"Placement {self.pk}"


class BoardRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    NON_EXECUTIVE = "non_executive", "Non-executive director"
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"
    MEDICAL_DIRECTOR = "medical_director", "Medical director"
    NURSING_DIRECTOR = "nursing_director", "Director of nursing"
    FINANCE_DIRECTOR = "finance_director", "Director of finance"
    HR_DIRECTOR = "hr_director", "Director of people (HR)"
    OPERATIONS_DIRECTOR = "operations_director", "Director of operations"
    OTHER_EXECUTIVE = "other_executive", "Other executive director"


EXECUTIVE_BOARD_ROLES = frozenset(
    {
        BoardRole.CHIEF_EXECUTIVE,
        BoardRole.MEDICAL_DIRECTOR,
        BoardRole.NURSING_DIRECTOR,
        BoardRole.FINANCE_DIRECTOR,
        BoardRole.HR_DIRECTOR,
        BoardRole.OPERATIONS_DIRECTOR,
        BoardRole.OTHER_EXECUTIVE,
    }
)


# The seats that open no one else's confidential records, so a company secretary's or chair's change takes effect
# at once: an allow-list (a new board role waits for a second approver until it is listed here). The chair keeps and
# signs off every member's fit and proper record, and the senior independent director signs off the chair's: those
# seats wait for a second approver (``organisation.services``; docs/adr/0020).
SEATS_TAKING_EFFECT_AT_ONCE = EXECUTIVE_BOARD_ROLES | {BoardRole.NON_EXECUTIVE}


def seat_opens_records(role: str, senior_independent: bool) -> bool:
    """Whether holding this seat opens other people's confidential records (and so waits for a second approver)."""
    return senior_independent or role not in SEATS_TAKING_EFFECT_AT_ONCE


class BoardMember(TrustOwned):
    """A seat on the trust board (nhsi-fmlm-2017 guide, "The board": chair, executive and non-executive
    directors in a unitary board). Set on the board register (``/t/<trust>/board-members/``), never in the admin."""

    audit_safe = ("role", "person", "voting", "start", "end", "senior_independent", "interim", "term_ends")

    def audit_label(self) -> str:
        return f"{self.get_role_display()} seat {self.pk}"

    role = models.CharField(max_length=30, choices=BoardRole.choices)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="board_seats")
    voting = models.BooleanField(default=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    senior_independent = models.BooleanField(
        "senior independent director", default=False, help_text="Signs off the chair's fit and proper assessment."
    )
    interim = models.BooleanField(default=False)
    term_ends = models.DateField("term of office ends", null=True, blank=True)

    class Meta:
        ordering = ["role", "person__last_name"]

    @property
    def is_executive(self) -> bool:
        return self.role in EXECUTIVE_BOARD_ROLES

    @property
    def opens_records(self) -> bool:
        return seat_opens_records(self.role, self.senior_independent)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.person_id and self.trust_id and self.person.trust_id != self.trust_id:
            errors["person"] = "The board member must be one of this trust's people."
        if self.senior_independent and self.role != BoardRole.NON_EXECUTIVE:
            errors["senior_independent"] = "The senior independent director is one of the non-executive directors."
        if self.start and self.term_ends and self.term_ends < self.start:
            errors["term_ends"] = "The term of office ends after it starts."
        if self.start and self.end and self.end < self.start:
            errors["end"] = "A term ends on or after the day it started."
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.person}"


class Committee(TrustOwned):
    """The board and its committees (e.g. quality, audit, finance, people, remuneration)."""

    audit_safe = ("name", "reports_to", "chair")

    def audit_label(self) -> str:
        return self.name

    name = models.CharField(max_length=200)
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="sub_committees"
    )
    chair = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    members = models.ManyToManyField(Person, blank=True, related_name="committees")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["trust", "name"], name="unique_committee_name")]

    def __str__(self) -> str:
        return self.name


class ImportLayout(TrustOwned):
    """A trust's own column headings for a national file layout (``core.layouts``), where its file differs from
    medlead's default."""

    audit_safe = ("code",)

    def audit_label(self) -> str:
        return f"{self.code} layout"

    code = models.CharField(max_length=30)
    headings = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trust", "code"], name="one_layout_per_trust_and_code")]

    def __str__(self) -> str:
        return f"{self.code} layout of {self.trust_id}"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_STATED = "not_stated", "Not stated"


class EthnicGroup(models.TextChoices):
    """The five high-level ethnic groups of the 2021 Census for England and Wales, as in ESR's equality data."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    NOT_STATED = "not_stated", "Not stated"


class EqualityMonitoring(TrustOwned):
    """Equality monitoring data from ESR. Special category data: shown only in aggregate, with small numbers
    suppressed (``talent.selectors.pipeline_diversity``), never against a name."""

    audit_safe = ("person",)
    audit_restricted = Restricted(Perm.MANAGE_TALENT)

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="equality")
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.NOT_STATED)
    ethnic_group = models.CharField(max_length=10, choices=EthnicGroup.choices, default=EthnicGroup.NOT_STATED)

    def __str__(self) -> str:
        return f"Equality monitoring {self.pk}"


# --- issue 34: who receives what, as dated reference data (the region's view's helper) ------------------------------

import datetime as dt  # noqa: E402  (kept with the block it serves)
from typing import Any  # noqa: E402

from medlead.organisation.receiving import REGION as REGION_KIND  # noqa: E402
from medlead.organisation.receiving import Row, region_on  # noqa: E402


class ReceiverKind(models.TextChoices):
    FPPT_RETURN = "fppt_return", "Receives the fit and proper person test annual return"
    HIGHER_LEVEL_RO = "higher_level_ro", "The responsible officer's higher-level responsible officer"
    REGION = REGION_KIND, "The region the trust belongs to"


class Receiver(models.Model):
    """Who receives a trust's returns, and where a trust belongs, from a date (issue 34): reference data, kept in the
    Django admin, so that a change (NHS England's regions folded into the Department of Health and Social Care, a
    trust moving region) is entered ahead of its date and takes effect on it without a release.

    A row is national (neither a trust nor a region), for one region's trusts, or for one trust; on a day the most
    specific row in force wins (``organisation.receiving``, read through ``organisation.receivers``). A row of kind
    ``region`` names the region a trust (or every trust of a region) belongs to from its date; ``Trust.region`` is
    kept in step with it each day and whenever a row is saved (``organisation.receivers_sync``)."""

    audit_safe = (
        "kind",
        "trust",
        "region",
        "body",
        "belongs_to",
        "moves_from",
        "applies_from",
        "source_title",
        "source_url",
        "verified",
    )

    def audit_label(self) -> str:
        answer = self.belongs_to.name if self.belongs_to_id and self.belongs_to else self.body
        return f"{self.get_kind_display()}: {answer}, from {self.applies_from:%-d %B %Y}"

    kind = models.CharField(max_length=20, choices=ReceiverKind.choices)
    trust = models.ForeignKey(
        Trust,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="For this trust only. Leave empty for a region's trusts, or for every trust.",
    )
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="for the trusts of",
        help_text="For this region's trusts. Leave empty for one trust, or for every trust.",
    )
    body = models.CharField(
        "who receives it",
        max_length=200,
        blank=True,
        help_text="For a return or a higher-level responsible officer, for example: NHS England's regional director.",
    )
    belongs_to = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="belongs to the region",
        help_text="For the region a trust belongs to.",
    )
    # where a trust belonged the day before its own region row took effect (filled when the row is saved)
    moves_from = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    applies_from = models.DateField(help_text="The day it takes effect: enter a change ahead of it.")
    source_title = models.CharField("source", max_length=300, help_text="The document that says so, by its title.")
    source_url = models.URLField("source's address", max_length=500, blank=True)
    verified = models.BooleanField(
        "checked against the source's own words",
        default=False,
        help_text="Leave unticked until someone has read the passage: pages then say it is to be confirmed.",
    )

    class Meta:
        ordering = ["kind", "applies_from", "pk"]
        indexes = [models.Index(fields=["kind", "applies_from"])]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.trust_id and self.region_id:
            errors["region"] = "Name one trust or one region, not both."
        if self.kind == ReceiverKind.REGION:
            if not self.belongs_to_id:
                errors["belongs_to"] = "Choose the region the trust belongs to from this date."
            if not self.trust_id and not self.region_id:
                errors["trust"] = "Name the trust that moves, or the region whose trusts move together."
            if self.region_id and self.region_id == self.belongs_to_id:
                errors["belongs_to"] = "Choose the region its trusts move to: it is the region they are in now."
            if self.body:
                errors["body"] = "A region row names a region, not who receives something: leave this empty."
        elif self.kind:
            if not self.body.strip():
                errors["body"] = "Say who receives it."
            if self.belongs_to_id:
                errors["belongs_to"] = "Only a region row names a region: leave this empty."
        scope = models.Q(trust__isnull=True) if self.trust_id is None else models.Q(trust_id=self.trust_id)
        scope &= models.Q(region__isnull=True) if self.region_id is None else models.Q(region_id=self.region_id)
        same = Receiver.objects.filter(scope, kind=self.kind, applies_from=self.applies_from).exclude(pk=self.pk)
        if self.kind and self.applies_from and same.exists():
            errors["applies_from"] = "A row for the same trusts already takes effect on this day: change that one."
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.kind == ReceiverKind.REGION and self.trust_id and self.applies_from:
            # where the trust belonged the day before this row, as the other rows say
            others = [receiving_row(r) for r in Receiver.objects.filter(kind=ReceiverKind.REGION).exclude(pk=self.pk)]
            home = Trust.objects.filter(pk=self.trust_id).values_list("region_id", flat=True).first()
            self.moves_from_id = region_on(self.trust_id, home, others, self.applies_from - dt.timedelta(days=1))
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.audit_label()


def receiving_row(r: Receiver) -> Row:
    """A row as the pure rule reads it."""
    return Row(r.pk or 0, r.kind, r.trust_id, r.region_id, r.applies_from, r.belongs_to_id, r.moves_from_id)
