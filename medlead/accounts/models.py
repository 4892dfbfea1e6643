"""Users and the roles they hold, each role scoped to a trust, a region or the whole country."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models

# The roles are the policy's vocabulary (core.roles); re-exported here, where they are stored.
from medlead.core.roles import Role as Role


class UserManager(DjangoUserManager["User"]):
    """Every account is read with its person record: each page's header and policy checks ask for it, and the
    signed-in user is loaded through this manager (by Django's password backend and the single sign-on one)."""

    def get_queryset(self) -> models.QuerySet[User]:
        return super().get_queryset().select_related("person")


class User(AbstractUser):
    """A person who signs in. Linked to their ``Person`` record in a trust when they have one."""

    audit_safe = (
        "username",
        "first_name",
        "last_name",
        "is_active",
        "is_staff",
        "is_superuser",
        "person",
        "is_demo",
        "date_joined",
    )

    objects = UserManager()  # type: ignore[misc]

    person = models.OneToOneField(
        "organisation.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    is_demo = models.BooleanField(default=False, help_text="Created by the demo-data generator.")
    sso_subject = models.CharField(
        "single sign-on identifier",
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        help_text="The identity provider's stable identifier for this person (its 'sub' claim unless configured "
        "otherwise). Signing in through the provider opens this account and no other.",
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class RoleAssignment(models.Model):
    """A role held by a user over one trust, one region (all its trusts) or, with neither, the country."""

    audit_safe = ("user", "role", "trust", "region")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=40, choices=Role.choices)
    trust = models.ForeignKey("organisation.Trust", null=True, blank=True, on_delete=models.CASCADE)
    region = models.ForeignKey("organisation.Region", null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(trust__isnull=False) & models.Q(region__isnull=False)),
                name="role_scope_is_trust_or_region_or_national",
            ),
            models.UniqueConstraint(fields=["user", "role", "trust", "region"], name="unique_role_assignment"),
        ]

    @property
    def scope_label(self) -> str:
        if self.trust_id:
            return str(self.trust)
        if self.region_id:
            return f"{self.region} (region)"
        return "National"

    def __str__(self) -> str:
        return f"{self.user}: {self.get_role_display()} – {self.scope_label}"
