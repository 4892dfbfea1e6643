"""Medical management posts, who holds them, reporting lines and the medical director's portfolio.

Post types, portfolio areas and portfolio functions are national reference data loaded from versioned
files in ``data/`` (``manage.py load_reference_data``). Posts, holdings, dotted lines and portfolio
assignments belong to a trust.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from medlead.organisation.models import GMC_NUMBER_VALIDATOR, Division, Person, Specialty, Trust, TrustOwned


class PostType(models.Model):
    audit_safe = ("code", "name", "level", "management", "board", "data_version")

    def audit_label(self) -> str:
        return self.name

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    level = models.PositiveSmallIntegerField(help_text="Rung on the ladder of medical management roles.")
    management = models.BooleanField(default=True)
    board = models.BooleanField(default=False, help_text="An executive board post.")
    profile = models.TextField()
    sources = models.JSONField(default=list)
    data_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-level", "name"]

    def __str__(self) -> str:
        return self.name


class PortfolioArea(models.Model):
    audit_safe = ("code", "name", "position")

    def audit_label(self) -> str:
        return self.name

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    source = models.CharField(max_length=255)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class FunctionKind(models.TextChoices):
    CORE = "core", "Core to the role"
    DELEGATED = "delegated", "Sometimes delegated"
    VARIED = "varied", "Held by some medical directors"


class PortfolioFunction(models.Model):
    audit_safe = ("code", "name", "area", "kind", "position")

    def audit_label(self) -> str:
        return self.name

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=160)
    area = models.ForeignKey(PortfolioArea, on_delete=models.PROTECT, related_name="functions")
    kind = models.CharField(max_length=10, choices=FunctionKind.choices)
    source = models.CharField(max_length=255)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["area__position", "position"]

    def __str__(self) -> str:
        return self.name


PA_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("15"))]


class Post(TrustOwned):
    """A medical management post in a trust, held by none, one or (a job share) several people."""

    audit_safe = (
        "post_type",
        "title",
        "code",
        "division",
        "specialty",
        "pas_allocated",
        "pas_required",
        "has_job_description",
        "reports_to",
    )

    def audit_label(self) -> str:
        return self.title

    post_type = models.ForeignKey(PostType, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(max_length=200)
    code = models.CharField(
        max_length=40, help_text="A short reference unique within the trust, used by imports (e.g. CD-SURG)."
    )
    division = models.ForeignKey(Division, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts")
    specialty = models.ForeignKey(Specialty, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts")
    pas_allocated = models.DecimalField(
        "PAs allocated",
        max_digits=4,
        decimal_places=2,
        default=Decimal("0"),
        validators=PA_VALIDATORS,
        help_text="Programmed activities (sessions) a week the post is paid for.",
    )
    pas_required = models.DecimalField(
        "PAs the job description needs",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PA_VALIDATORS,
        help_text="Time the job description needs a week, if assessed.",
    )
    has_job_description = models.BooleanField(default=False)
    reports_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_reports",
        help_text="Solid reporting line.",
    )

    class Meta:
        ordering = ["-post_type__level", "title"]
        constraints = [models.UniqueConstraint(fields=["trust", "code"], name="unique_post_code")]
        indexes = [models.Index(fields=["trust", "post_type"])]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.reports_to is not None:
            if self.pk and self.reports_to_id == self.pk:
                errors["reports_to"] = "A post cannot report to itself."
            elif self.reports_to.trust_id != self.trust_id:
                errors["reports_to"] = "The post it reports to must be in the same trust."
            elif self.pk and self._reporting_cycle():
                errors["reports_to"] = "This reporting line would make a loop."
        for name in ("division", "specialty"):
            related = getattr(self, name)
            if related is not None and related.trust_id != self.trust_id:
                errors[name] = f"The {name} must belong to the same trust."
        if errors:
            raise ValidationError(errors)

    def _reporting_cycle(self) -> bool:
        seen = {self.pk}
        current = self.reports_to
        while current is not None:
            if current.pk in seen:
                return True
            seen.add(current.pk)
            current = current.reports_to
        return False

    def __str__(self) -> str:
        return self.title


class Holding(TrustOwned):
    """A person holding a post from ``start`` until ``end`` (open-ended when empty). Two current holdings of
    one post are a job share."""

    audit_safe = ("post", "person", "start", "end", "interim")

    def audit_label(self) -> str:
        return f"{self.person.display_name} – {self.post.title}"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="holdings")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="holdings")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    interim = models.BooleanField(default=False)

    class Meta:
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="holding_end_after_start",
            )
        ]
        indexes = [models.Index(fields=["trust", "end"])]

    def is_current(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or self.end >= on)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = "The end date must be on or after the start date."
        if self.person_id and self.trust_id and self.person.trust_id != self.trust_id:
            errors["person"] = "The person must work in the same trust as the post."
        if errors:
            raise ValidationError(errors)

    def __str__(self) -> str:
        return f"{self.person} – {self.post}"


class DottedLine(TrustOwned):
    """A dotted (secondary) reporting line from one post to another."""

    audit_safe = ("post", "to_post")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="dotted_lines")
    to_post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="dotted_reports")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "to_post"], name="unique_dotted_line")]

    def __str__(self) -> str:
        return f"{self.post} ⋯ {self.to_post}"


class PortfolioAssignment(TrustOwned):
    """Which post holds a function of the medical director's portfolio in a trust."""

    audit_safe = ("function", "post")

    function = models.ForeignKey(PortfolioFunction, on_delete=models.PROTECT, related_name="assignments")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="portfolio")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trust", "function"], name="one_holder_per_function")]

    def __str__(self) -> str:
        return f"{self.function} – {self.post}"


class SecondmentStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for the home trust"
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Declined by the home trust"


class Secondment(TrustOwned):
    """A doctor seconded from their home trust to a post in a host trust for a period (issue 34), recorded in both
    structures. ``trust`` is the host: its structure managers propose it, naming the doctor by GMC number; the home
    trust's structure managers agree it (or decline), naming the substantive post the doctor keeps at home, if they
    hold one there. On agreement the host's post gets a holding for the doctor's host person record (found or made
    by GMC number) until the secondment ends; the home holding stays as it is, shown as "seconded to <host> until
    <date>", so the post is never counted vacant at home."""

    audit_safe = (
        "home_trust",
        "gmc_number",
        "host_post",
        "starts_on",
        "ends_on",
        "status",
        "proposed_by",
        "decided_by",
        "decided_at",
        "home_person",
        "home_holding",
        "host_person",
        "host_holding",
    )

    def audit_label(self) -> str:
        return f"Secondment to {self.host_post.title}"

    home_trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="secondments_out")
    gmc_number = models.CharField("GMC number", max_length=7, validators=[GMC_NUMBER_VALIDATOR])
    host_post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="secondments_in")
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=SecondmentStatus.choices, default=SecondmentStatus.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # set when the home trust agrees: the doctor in each trust, and the holdings in each structure
    home_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="secondments_away"
    )
    home_holding = models.ForeignKey(
        Holding, null=True, blank=True, on_delete=models.SET_NULL, related_name="secondments_away"
    )
    host_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="secondments_hosted"
    )
    host_holding = models.OneToOneField(
        Holding, null=True, blank=True, on_delete=models.SET_NULL, related_name="secondment_hosted"
    )

    class Meta:
        ordering = ["-starts_on", "pk"]
        indexes = [models.Index(fields=["home_trust", "status"]), models.Index(fields=["trust", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="secondment_dates"),
            models.CheckConstraint(
                condition=~models.Q(home_trust=models.F("trust")), name="secondment_to_another_trust"
            ),
        ]

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The secondment must end on or after the day it starts."
        if self.home_trust_id and self.trust_id and self.home_trust_id == self.trust_id:
            errors["home_trust"] = "A secondment is to another trust: choose the doctor's home trust."
        if self.host_post_id and self.trust_id and self.host_post.trust_id != self.trust_id:
            errors["host_post"] = "Choose a post of the host trust."
        if self.home_holding_id and self.home_holding is not None and self.home_holding.trust_id != self.home_trust_id:
            errors["home_holding"] = "The post kept at home must be one of the home trust's."
        if errors:
            raise ValidationError(errors)

    @property
    def is_proposed(self) -> bool:
        return self.status == SecondmentStatus.PROPOSED

    def __str__(self) -> str:
        return f"Secondment {self.pk}"
