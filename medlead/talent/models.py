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
from medlead.organisation.models import Person, TrustOwned
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
