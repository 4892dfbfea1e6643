"""Talent spotting and succession: nominations by senior leaders, talent reviews of readiness for next roles,
and a succession plan for every medical management post.

Talent-review notes are visible to the review's reviewers and the medical director only (issue 4); the
nominations and succession plans to the medical director and associates (``core.policy``).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from medlead.core.audit import Restricted
from medlead.core.policy import Perm
from medlead.organisation.models import Person, Region, TrustOwned
from medlead.structure.models import Post, PostType


class Readiness(models.TextChoices):
    """The three horizons of the succession plan (issue 4)."""

    READY_NOW = "now", "Ready now"
    ONE_TO_TWO = "1-2", "Ready in 1–2 years"
    THREE_PLUS = "3+", "Ready in 3 or more years"


class NominationStatus(models.TextChoices):
    OPEN = "open", "Open"
    REVIEWED = "reviewed", "Taken to talent review"
    CLOSED = "closed", "Closed"


class Nomination(TrustOwned):
    """A senior leader spots someone for a leadership role: some of the best do not put themselves forward
    (nhsconfed-2009: 'Medical directors need to be involved in talent spotting')."""

    audit_safe = ("nominee", "role", "nominated_by", "status")
    audit_restricted = Restricted(Perm.MANAGE_TALENT)

    nominee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="nominations")
    role = models.ForeignKey(PostType, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(help_text="What you have seen that makes them a future leader.")
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=NominationStatus.choices, default=NominationStatus.OPEN)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["trust", "status"])]

    def __str__(self) -> str:
        return f"Nomination {self.pk}"


class TalentReview(TrustOwned):
    audit_safe = ("person", "reviewed_on", "created_by")
    audit_restricted = Restricted(Perm.VIEW_TALENT_REVIEW)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="talent_reviews")
    reviewed_on = models.DateField()
    reviewers = models.ManyToManyField(Person, related_name="talent_reviews_done")
    notes = models.TextField(help_text="Confidential: seen by the reviewers and the medical director only.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"Talent review {self.pk}"


class ReviewedRole(models.Model):
    audit_safe = ("review", "role", "readiness")
    audit_restricted = Restricted(Perm.VIEW_TALENT_REVIEW)

    review = models.ForeignKey(TalentReview, on_delete=models.CASCADE, related_name="roles")
    role = models.ForeignKey(PostType, on_delete=models.PROTECT, related_name="+")
    readiness = models.CharField(max_length=4, choices=Readiness.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "role"], name="one_readiness_per_role")]

    def __str__(self) -> str:
        return f"{self.role}: {self.get_readiness_display()}"


class Successor(TrustOwned):
    """One candidate in a post's succession plan."""

    audit_safe = ("post", "person", "readiness")
    audit_restricted = Restricted(Perm.MANAGE_TALENT)

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="successors")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="succession_candidacies")
    readiness = models.CharField(max_length=4, choices=Readiness.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["readiness", "pk"]
        constraints = [models.UniqueConstraint(fields=["post", "person"], name="one_candidacy_per_post")]
        indexes = [models.Index(fields=["trust", "post"])]

    def clean(self) -> None:
        if self.post_id and self.person_id and self.post.trust_id != self.person.trust_id:
            raise ValidationError({"person": "The successor must be a person of the post's trust."})

    def __str__(self) -> str:
        return f"Successor {self.pk}"


class PoolMember(TrustOwned):
    """A doctor in their region's talent pool (issue 34): they join and leave themselves, and leaving deletes this
    row at once. What the region's medical director and each trust's medical director in the region see: the
    doctor's name, trust, grade, specialty and current posts, and, only if the doctor chose (``share_career``), the
    target role and aspirations of their career plan. ``trust`` is the doctor's trust."""

    audit_safe = ("person", "region", "share_career", "joined_at")

    def audit_label(self) -> str:
        return f"Talent pool: {self.person.display_name}"

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="talent_pool")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="talent_pool")
    share_career = models.BooleanField(
        "share my target role and aspirations",
        default=False,
        help_text="From your career plan, so that medical directors can see what you are aiming for.",
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__last_name", "person__first_name", "pk"]
        indexes = [models.Index(fields=["region", "trust"])]

    def clean(self) -> None:
        if self.person_id and self.trust_id and self.person.trust_id != self.trust_id:
            raise ValidationError({"person": "A doctor joins from their own trust."})
        if self.region_id and self.trust_id and self.trust.region_id != self.region_id:
            raise ValidationError({"region": "A doctor joins their own trust's region's pool."})

    def __str__(self) -> str:
        return f"Pool member {self.pk}"
