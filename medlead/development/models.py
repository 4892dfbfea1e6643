"""A doctor's leadership development: personal development plans, the opportunity catalogue and the trust's
openings, the experience log, mentoring and coaching, and career, exit and re-entry plans.

A doctor's development record is theirs (issue 4): others see it only when the doctor shares a readiness
report, or in aggregate. Who may see what is decided in ``core.policy``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from medlead.core.audit import Restricted
from medlead.core.policy import Perm
from medlead.core.uploads import validate_evidence
from medlead.leadership.models import FrameworkItem
from medlead.organisation.models import Person, Trust, TrustOwned
from medlead.structure.models import PostType

PA_VALIDATORS = [MinValueValidator(0), MaxValueValidator(20)]


class Effort(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class Opportunity(models.Model):
    """An entry in the national catalogue (data/opportunities.yaml)."""

    audit_safe = ("code", "title", "category", "effort", "duration", "data_version")

    def audit_label(self) -> str:
        return self.title

    code = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=80)
    description = models.TextField()
    source = models.TextField()
    effort = models.CharField(max_length=8, choices=Effort.choices)
    duration = models.CharField(max_length=80)
    audience = models.JSONField(default=list, help_text="consultant, trainee or both")
    roles = models.JSONField(default=list, help_text="Post type codes of the target roles it suits most.")
    items = models.ManyToManyField(FrameworkItem, related_name="opportunities", blank=True)
    data_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["category", "title"]
        verbose_name_plural = "opportunities"

    def __str__(self) -> str:
        return self.title


class OpeningKind(models.TextChoices):
    SHADOWING = "shadowing", "Shadowing slot"
    COMMITTEE = "committee", "Committee seat"
    QI_LEAD = "qi_lead", "Quality improvement lead"
    JOB_SHARE = "job_share", "Job share"
    PROJECT = "project", "Project role"
    # openings that cross trusts (issue 34): a secondment, a learning set with peers of other trusts, a programme
    SECONDMENT = "secondment", "Secondment"
    LEARNING_SET = "learning_set", "Learning set"
    PROGRAMME = "programme", "Regional programme"
    OTHER = "other", "Other"


class OpeningStatus(models.TextChoices):
    OPEN = "open", "Open"
    DECIDED = "decided", "Decided"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Opening(TrustOwned):
    """An opening posted by the medical director or an associate: a shadowing slot, a committee seat… It belongs to
    its host trust, whose medical director and associates decide it; published to other trusts (``publications``,
    issue 34), their doctors see it and apply too."""

    audit_safe = ("title", "kind", "opportunity", "places", "closes_on", "posted_by", "status", "decided_at")

    def audit_label(self) -> str:
        return self.title

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=OpeningKind.choices)
    description = models.TextField()
    opportunity = models.ForeignKey(
        Opportunity,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="openings",
        help_text="The kind of opportunity in the catalogue, so it counts towards the same framework items.",
    )
    places = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(50)])
    closes_on = models.DateField()
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=OpeningStatus.choices, default=OpeningStatus.OPEN)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["closes_on", "title"]
        indexes = [models.Index(fields=["trust", "status", "closes_on"])]

    def takes_interest_on(self, day: dt.date) -> bool:
        return self.status == OpeningStatus.OPEN and self.closes_on >= day

    def __str__(self) -> str:
        return self.title


class OpeningPublication(models.Model):
    """An opening published to another trust of the installation (issue 34): that trust's doctors see it in their
    openings and apply with the same flow; the host trust decides. Published by the host's medical director or an
    associate, or by the regional medical director to trusts of their region; a confirmed decision."""

    audit_safe = ("opening", "to_trust", "published_by", "created_at")

    def audit_label(self) -> str:
        return f"{self.opening.title} published to {self.to_trust.name}"

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="publications")
    to_trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="openings_published_here")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["to_trust__name"]
        constraints = [models.UniqueConstraint(fields=["opening", "to_trust"], name="one_publication_per_trust")]

    # the host trust's record (its audit trail): the policy and the auditor read ``trust_id``
    @property
    def trust_id(self) -> int:
        return self.opening.trust_id

    def clean(self) -> None:
        if self.opening_id and self.to_trust_id and self.opening.trust_id == self.to_trust_id:
            raise ValidationError({"to_trust": "An opening is already open to its own trust's doctors."})

    def __str__(self) -> str:
        return f"Publication {self.pk}"


class InterestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    SELECTED = "selected", "Selected"
    NOT_SELECTED = "not_selected", "Not selected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Interest(models.Model):
    """An application for an opening (an expression of interest). The host trust's decision-makers see it; an
    applicant from another trust may share it with their own trust's medical director (``shared_with_home``), who
    otherwise sees nothing of it (issue 34)."""

    audit_safe = ("opening", "person", "status", "shared_with_home")
    audit_restricted = Restricted(Perm.VIEW_APPLICATION)

    def audit_label(self) -> str:
        return f"Application {self.pk}"

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="interests")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="opening_interests")
    statement = models.TextField(help_text="Why you want it and what you would bring.")
    status = models.CharField(max_length=14, choices=InterestStatus.choices, default=InterestStatus.PENDING)
    shared_with_home = models.BooleanField(
        "shared with the applicant's own trust",
        default=False,
        help_text="For an opening of another trust: the applicant lets their own medical director see it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["opening", "person"], name="one_interest_per_opening")]

    # An application is the host trust's record: the policy's roles (its decision-makers) and the audit trail read
    # the opening's trust.
    @property
    def trust_id(self) -> int:
        return self.opening.trust_id

    @property
    def trust(self) -> Trust:
        return self.opening.trust

    @property
    def is_selected(self) -> bool:
        return self.status == InterestStatus.SELECTED

    @property
    def from_another_trust(self) -> bool:
        return self.person.trust_id != self.opening.trust_id

    def __str__(self) -> str:
        return f"Interest {self.pk}"


# ------------------------------------------------------------------------------ personal development plan


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING = "awaiting", "Waiting for agreement"
    AGREED = "agreed", "Agreed"
    CLOSED = "closed", "Closed"


class DevelopmentPlan(TrustOwned):
    """A personal development plan (PDP) for a period, usually a year, usable as the PDP in appraisal.

    Changing an agreed plan's goals or actions returns it to draft: it must be agreed again. Every change is
    in the audit trail, which is the plan's history."""

    audit_safe = ("person", "target_role", "starts_on", "ends_on", "status", "agreer", "agreed_at")
    audit_restricted = Restricted(Perm.VIEW_PDP)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="development_plans")
    target_role = models.ForeignKey(PostType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    agreer = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans_to_agree",
        help_text="Your mentor or line manager, who agrees the plan.",
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["trust", "person", "status"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gt=models.F("starts_on")), name="plan_ends_after_start")
        ]

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": "The plan must end after it starts."})
        if self.agreer_id is not None and self.agreer_id == self.person_id:
            raise ValidationError({"agreer": "Someone else (your mentor or line manager) agrees your plan."})

    @property
    def is_agreed(self) -> bool:
        return self.status == PlanStatus.AGREED

    def __str__(self) -> str:
        return f"Development plan {self.starts_on:%Y}–{self.ends_on:%Y}"


class GoalOrigin(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", "Self-assessment gap"
    FEEDBACK_360 = "feedback_360", "360 feedback"
    TARGET_ROLE = "target_role", "Target role"
    OWN = "own", "My own goal"


class Goal(models.Model):
    audit_safe = ("plan", "item", "origin")
    audit_restricted = Restricted(Perm.VIEW_PDP)

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(max_length=300)
    item = models.ForeignKey(FrameworkItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    origin = models.CharField(max_length=16, choices=GoalOrigin.choices, default=GoalOrigin.OWN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Action(models.Model):
    audit_safe = ("goal", "opportunity", "due_on", "status", "completed_on")
    audit_restricted = Restricted(Perm.VIEW_PDP)

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=300)
    opportunity = models.ForeignKey(Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text


class PlanReview(models.Model):
    audit_safe = ("plan", "reviewed_on", "reviewer", "actions_done", "actions_total")
    audit_restricted = Restricted(Perm.VIEW_PDP)

    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    reviewer = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    notes = models.TextField()
    actions_done = models.PositiveSmallIntegerField(default=0)
    actions_total = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Review {self.reviewed_on}"


# ------------------------------------------------------------------------------------------ experience log


class ExperienceKind(models.TextChoices):
    SHADOWING = "shadowing", "Shadowing"
    COMMITTEE = "committee", "Committee or board"
    COURSE = "course", "Course"
    PROGRAMME = "programme", "Taught programme or qualification"
    PROJECT = "project", "Project or improvement work"
    ROLE = "role", "Role held"
    EXTERNAL = "external", "External or system work"
    OTHER = "other", "Other"


class Experience(TrustOwned):
    """Something a doctor did, with reflection and evidence; counts as evidence in self-assessment and
    readiness for the framework items it is linked to."""

    audit_safe = ("person", "kind", "started_on", "ended_on", "opportunity", "action")
    audit_restricted = Restricted(Perm.VIEW_DEVELOPMENT_RECORD)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="experiences")
    kind = models.CharField(max_length=10, choices=ExperienceKind.choices)
    title = models.CharField(max_length=200)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="Leave empty for a single day or if ongoing.")
    reflection = models.TextField(help_text="What you learned and what you will do differently.")
    evidence = models.FileField(upload_to="experience/%Y/%m/", blank=True, validators=[validate_evidence])
    opportunity = models.ForeignKey(Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="experiences")
    items = models.ManyToManyField(FrameworkItem, related_name="+", blank=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        indexes = [models.Index(fields=["trust", "person", "started_on"])]

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "The end date must be on or after the start date."})

    def __str__(self) -> str:
        return self.title


# --------------------------------------------------------------------------------- mentoring and coaching


class MentorKind(models.TextChoices):
    MENTOR = "mentor", "Mentor"
    COACH = "coach", "Coach"
    BOTH = "both", "Mentor and coach"


class MdExperience(models.TextChoices):
    NONE = "", "No"
    CURRENT = "current", "Current medical director"
    FORMER = "former", "Former medical director"


class Mentor(TrustOwned):
    """The trust's register of mentors and coaches, internal (a person of the trust) or external."""

    audit_safe = ("person", "kind", "md_experience", "capacity", "active", "in_regional_bank", "bank_agreed_on")

    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="mentor_entries")
    name = models.CharField(max_length=200, blank=True, help_text="For an external mentor or coach.")
    email = models.EmailField(blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=6, choices=MentorKind.choices)
    md_experience = models.CharField(max_length=8, choices=MdExperience.choices, blank=True)
    areas = models.TextField(help_text="What they can help with, in words.")
    items = models.ManyToManyField(FrameworkItem, related_name="+", blank=True)
    capacity = models.PositiveSmallIntegerField(default=2, validators=[MaxValueValidator(20)])
    active = models.BooleanField(default=True)
    # the region's mentor and coach bank (issue 34): offered by the trust's register keepers, with the mentor's
    # agreement recorded on the day it was given; doctors of every trust of the region may then ask them
    in_regional_bank = models.BooleanField("in the region's bank", default=False)
    bank_agreed_on = models.DateField("agreed to mentor across the region on", null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]

    def clean(self) -> None:
        if self.person_id is None and not self.name.strip():
            raise ValidationError({"name": "Choose a person of the trust, or give an external mentor's name."})
        if self.person_id is None and not self.email:
            raise ValidationError({"email": "Give an external mentor's email address, so they can be contacted."})
        if self.in_regional_bank and self.bank_agreed_on is None:
            raise ValidationError("A mentor joins the region's bank only with their agreement, recorded with its date.")

    @property
    def display_name(self) -> str:
        return self.person.display_name if self.person is not None else self.name

    def __str__(self) -> str:
        return self.display_name


class MentorshipStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ACTIVE = "active", "Active"
    DECLINED = "declined", "Declined"
    ENDED = "ended", "Ended"


class Mentorship(TrustOwned):
    audit_safe = ("mentee", "mentor", "status", "responded_at", "ended_at")
    audit_restricted = Restricted(Perm.VIEW_MENTORSHIP)

    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentorships")
    mentor = models.ForeignKey(Mentor, on_delete=models.CASCADE, related_name="mentorships")
    goals = models.TextField(help_text="What you would like help with.")
    status = models.CharField(max_length=10, choices=MentorshipStatus.choices, default=MentorshipStatus.REQUESTED)
    responded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Mentoring {self.pk}"


class MentoringMeeting(models.Model):
    """Private to the pair: not even the medical director reads it."""

    audit_safe = ("mentorship", "met_on")
    audit_restricted = Restricted(Perm.VIEW_MENTORSHIP)

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="meetings")
    met_on = models.DateField()
    notes = models.TextField()
    next_steps = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-met_on", "-pk"]

    def __str__(self) -> str:
        return f"Meeting {self.met_on}"


# ----------------------------------------------------------------------------- career, exit and re-entry


class CareerPlan(TrustOwned):
    """A doctor's career plan: the next target role, later roles, the planned split of clinical and management
    time, and (for holders of large management posts) how they will leave the post and return to practice."""

    audit_safe = ("person", "target_role", "protected_clinical_pas", "review_on")
    audit_restricted = Restricted(Perm.VIEW_DEVELOPMENT_RECORD)

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="career_plan")
    target_role = models.ForeignKey(
        PostType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Your next role."
    )
    later_roles = models.ManyToManyField(PostType, blank=True, related_name="+")
    aspirations = models.TextField(blank=True)
    skills_to_maintain = models.TextField(blank=True, help_text="Clinical skills you will keep up while in post.")
    retraining = models.TextField(blank=True, help_text="Retraining or refreshing you will need to return.")
    protected_clinical_pas = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True, validators=PA_VALIDATORS
    )
    exit_plan = models.TextField(blank=True, help_text="How and when you expect to leave the management post.")
    review_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Career plan of {self.person}"


class CareerYear(models.Model):
    audit_safe = ("plan", "year", "clinical_pas", "management_pas")
    audit_restricted = Restricted(Perm.VIEW_DEVELOPMENT_RECORD)

    plan = models.ForeignKey(CareerPlan, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    clinical_pas = models.DecimalField(max_digits=4, decimal_places=2, validators=PA_VALIDATORS)
    management_pas = models.DecimalField(max_digits=4, decimal_places=2, validators=PA_VALIDATORS)

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="one_split_per_year")]

    def __str__(self) -> str:
        return str(self.year)


class ReadinessShare(TrustOwned):
    """The doctor's choice to let one person read their readiness report for a role."""

    audit_safe = ("person", "target_role", "shared_with", "revoked_at")
    audit_restricted = Restricted(Perm.VIEW_DEVELOPMENT_RECORD)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="readiness_shares")
    target_role = models.ForeignKey(PostType, on_delete=models.CASCADE, related_name="+")
    shared_with = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="readiness_shared_with_me")
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def clean(self) -> None:
        if self.shared_with_id is not None and self.shared_with_id == self.person_id:
            raise ValidationError({"shared_with": "Choose someone other than yourself."})

    def __str__(self) -> str:
        return f"Readiness share {self.pk}"
