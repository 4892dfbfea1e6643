"""Consultant and SAS job plans: activities on a weekly timetable or annualised, a sign-off workflow and comments.

PA arithmetic and checks are pure (``medlead.jobplans.pa``); the trust's policy values live in
``JobPlanPolicy`` with defaults from ``data/job_planning.yaml``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from medlead.organisation.models import SENIOR_GRADES, Person, Trust, TrustOwned
from medlead.structure.models import Post


class JobPlanPolicy(models.Model):
    """A trust's job-planning settings."""

    audit_safe = (
        "trust",
        "premium_before",
        "premium_after",
        "weekends_premium",
        "spa_threshold",
        "working_weeks",
        "sas_premium_before",
        "sas_premium_after",
        "sas_spa_threshold",
    )

    trust = models.OneToOneField(Trust, on_delete=models.CASCADE, related_name="job_plan_policy")
    premium_before = models.TimeField(default=dt.time(7, 0), help_text="Weekday premium time ends at this time.")
    premium_after = models.TimeField(default=dt.time(19, 0), help_text="Weekday premium time starts at this time.")
    weekends_premium = models.BooleanField(default=True)
    spa_threshold = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.5"))
    working_weeks = models.PositiveSmallIntegerField(
        default=42, validators=[MinValueValidator(30), MaxValueValidator(52)]
    )
    # the 2021 specialty doctor and specialist contracts: NOT VERIFIED defaults (data/job_planning.yaml)
    sas_premium_before = models.TimeField(
        "specialty doctors and specialists: weekday premium time ends at", default=dt.time(7, 0)
    )
    sas_premium_after = models.TimeField(
        "specialty doctors and specialists: weekday premium time starts at", default=dt.time(21, 0)
    )
    sas_spa_threshold = models.DecimalField(
        "specialty doctors and specialists: SPA threshold", max_digits=4, decimal_places=2, default=Decimal("1")
    )

    def __str__(self) -> str:
        return f"Job-planning policy of {self.trust}"


class State(models.TextChoices):
    DRAFT = "draft", "Draft"
    DISCUSSION = "discussion", "In discussion"
    AGREED = "agreed", "Agreed by the doctor"
    SIGNED_CD = "signed_cd", "Signed by the clinical director"
    SIGNED = "signed", "Signed off"
    MEDIATION = "mediation", "In mediation"
    APPEAL = "appeal", "At appeal"


# Who has a job plan: consultants (consultant contract 2003, schedule 3) and SAS doctors (specialty doctor and
# specialist contracts 2021, schedule 4; associate specialist 2008).
JOB_PLAN_GRADES = SENIOR_GRADES


class OnCallCategory(models.TextChoices):
    NONE = "", "No on-call"
    A = "A", "Category A (typically return to site immediately)"
    B = "B", "Category B (typically advice by telephone)"


# The fields of a job plan that its users edit, and that next year's plan copies.
PLAN_EDITABLE_FIELDS = [
    "contracted_pas",
    "on_call_category",
    "on_call_every_n",
    "objectives",
    "resources",
    "intends_to_return",
]


class JobPlan(TrustOwned):
    audit_safe = (
        "person",
        "year",
        "state",
        "contracted_pas",
        "on_call_category",
        "on_call_every_n",
        "intends_to_return",
        "version",
        "pas_dcc",
        "pas_spa",
        "pas_anr",
        "pas_ext",
        "pas_management",
        "pas_total",
        "cd_signed_by",
        "cd_signed_at",
        "md_signed_by",
        "md_signed_at",
    )

    def audit_label(self) -> str:
        # whose plan, which year: never its objectives or resources
        return f"{self.person.display_name} – job plan {self.year_label}"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="job_plans")
    year = models.PositiveSmallIntegerField(help_text="The job-plan year starting 1 April of this year.")
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    contracted_pas = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("10"))
    on_call_category = models.CharField(max_length=1, choices=OnCallCategory.choices, blank=True)
    on_call_every_n = models.PositiveSmallIntegerField(
        "on call 1 in N", null=True, blank=True, validators=[MinValueValidator(1)]
    )
    objectives = models.TextField(blank=True, help_text="Objectives linked to the trust's priorities.")
    resources = models.TextField("supporting resources needed", blank=True)
    intends_to_return = models.BooleanField("intends to return to clinical practice", default=True)
    version = models.PositiveIntegerField(default=1)
    # PAs computed from the activities by the services (medlead.jobplans.pa), stored for the trust's dashboards
    pas_dcc = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    pas_spa = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    pas_anr = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    pas_ext = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    pas_management = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    pas_total = models.DecimalField(max_digits=5, decimal_places=2, default=Decimal("0"))
    cd_signed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cd_signed_at = models.DateTimeField(null=True, blank=True)
    md_signed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    md_signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "person__last_name"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="one_job_plan_per_year")]
        indexes = [models.Index(fields=["trust", "year", "state"])]

    @property
    def is_signed_off(self) -> bool:
        return self.state == State.SIGNED

    @property
    def year_label(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    def clean(self) -> None:
        if self.on_call_category and not self.on_call_every_n:
            raise ValidationError({"on_call_every_n": "Give the on-call frequency (1 in N)."})

    def __str__(self) -> str:
        return f"{self.person} – job plan {self.year_label}"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    ONE_IN_N = "one_in_n", "1 in N weeks"
    ANNUALISED = "annualised", "Annualised hours"


class Activity(TrustOwned):
    # A timetable entry's title and place ("Clinic", "Ward round") say what a doctor does, not what anyone thinks:
    # safe to copy, and how an import's dry run names the activities it would add.
    audit_safe = (
        "job_plan",
        "title",
        "location",
        "category",
        "post",
        "frequency",
        "every_n_weeks",
        "weekday",
        "start",
        "end",
        "annual_hours",
        "annual_premium_hours",
        "on_public_holidays",
    )

    def audit_label(self) -> str:
        return self.title

    job_plan = models.ForeignKey(JobPlan, on_delete=models.CASCADE, related_name="activities")
    category = models.CharField(
        max_length=3,
        choices=[
            ("dcc", "Direct clinical care"),
            ("spa", "Supporting professional activities"),
            ("anr", "Additional NHS responsibilities"),
            ("ext", "External duties"),
        ],
    )
    title = models.CharField(max_length=200)
    location = models.CharField(max_length=200, blank=True)
    post = models.ForeignKey(
        Post,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="job_plan_activities",
        help_text="The management post this time is for.",
    )
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.WEEKLY)
    every_n_weeks = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    weekday = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(6)],
        choices=[
            (i, d) for i, d in enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
        ],
    )
    start = models.TimeField(null=True, blank=True)
    end = models.TimeField(null=True, blank=True)
    annual_hours = models.DecimalField(
        max_digits=6, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(Decimal("0.5"))]
    )
    annual_premium_hours = models.DecimalField(
        "of which in premium time",
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Annualised hours worked in premium time, such as unpredictable on-call work at night or at "
        "weekends: 3 of them make a PA (consultant contract 2003, schedule 3).",
    )
    on_public_holidays = models.BooleanField(
        "also worked on public holidays",
        default=False,
        help_text="Time on a public holiday is premium time: 3 hours make a PA.",
    )

    class Meta:
        ordering = ["weekday", "start", "title"]
        verbose_name_plural = "activities"

    @property
    def details(self) -> str:
        """What the timetable says in brackets after the title: the category (unless the title already is it,
        as "Supporting professional activities" is), how often, and where."""
        parts = []
        category = str(self.get_category_display())
        if self.title.strip().lower() != category.lower():
            parts.append(category)
        if self.frequency == Frequency.ONE_IN_N:
            parts.append(f"1 in {self.every_n_weeks} weeks")
        if self.location:
            parts.append(self.location)
        return ", ".join(parts)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.frequency == Frequency.ANNUALISED:
            if not self.annual_hours:
                errors["annual_hours"] = "Give the hours a year."
            elif self.annual_premium_hours and self.annual_premium_hours > self.annual_hours:
                errors["annual_premium_hours"] = "The hours in premium time cannot be more than the hours a year."
        else:
            for name in ("weekday", "start", "end"):
                if getattr(self, name) is None:
                    errors[name] = "A timetabled activity needs a day, a start and an end."
            if self.start is not None and self.end is not None and self.start == self.end:
                errors["end"] = "The end must differ from the start."
            if self.frequency == Frequency.ONE_IN_N and self.every_n_weeks < 2:
                errors["every_n_weeks"] = "For 1 in N weeks, N is at least 2."
        if self.post_id and self.category != "anr":
            errors["category"] = "Time for a management post is an additional NHS responsibility."
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return self.title


class Comment(TrustOwned):
    audit_safe = ("job_plan", "author")

    job_plan = models.ForeignKey(JobPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Comment on {self.job_plan}"
