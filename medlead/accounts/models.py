"""Users and the roles they hold, each role scoped to a trust, a region or the whole country."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models

# The roles are the policy's vocabulary (core.roles); re-exported here, where they are stored.
from medlead.core import kept
from medlead.core.roles import Role as Role
from medlead.organisation.models import BoardRole


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


# written at every sign-in, by anyone in any trust, and shown by no kept page (core.kept, ADR 0039)
kept.unshown(User._meta.db_table, "last_login")


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


# Roles whose rules open confidential records (MHPS cases, fit and proper records, revalidation concerns, exception
# reports, the audit trail, or every grant of access): a grant of one waits for a second approver (issue 29).
SENSITIVE_ROLES = frozenset(
    {
        Role.MEDICAL_DIRECTOR,
        Role.RESPONSIBLE_OFFICER,
        Role.GUARDIAN,
        Role.COMPANY_SECRETARY,
        Role.CALDICOTT_GUARDIAN,
        Role.SYSTEM_ADMIN,
    }
)


class AccessRequest(models.Model):
    """A change to an account's access that opens confidential records: a sensitive role, a person link (a person
    may be named on an MHPS case or sit on the board), or a way into an account that holds either (a single sign-on
    identifier, reactivation). It takes effect only when a second authorised person approves it: not the person who
    asked, and not the account's holder."""

    class Kind(models.TextChoices):
        ROLE = "role", "Grant a role"
        PERSON = "person", "Link a person"
        SSO = "sso", "Set the single sign-on identifier"
        REACTIVATE = "reactivate", "Reactivate the account"
        # A seat on the board that opens others' fit and proper records (docs/adr/0020): about a person, who may
        # have no account; the seat is made on approval from the fields below.
        BOARD_SEAT = "board_seat", "Seat someone on the board"
        SENIOR_INDEPENDENT = "senior_independent", "Name the senior independent director"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a second approver"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # The trust whose approvers decide (a trust-scoped role's trust, a person's trust); none for a regional or
    # national role, which only a system administrator covering that scope approves.
    trust = models.ForeignKey(
        "organisation.Trust", null=True, blank=True, on_delete=models.CASCADE, related_name="access_requests"
    )
    # The account whose access changes; none for a board seat, which is a person's (``person``), account or not.
    account = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="access_requests")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    role = models.CharField(max_length=40, choices=Role.choices, blank=True)
    role_trust = models.ForeignKey(
        "organisation.Trust", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    role_region = models.ForeignKey(
        "organisation.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey("organisation.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    sso_subject = models.CharField("single sign-on identifier", max_length=255, blank=True)
    # A board seat asked for (``BOARD_SEAT``: the person is ``person``), or the seat to name senior independent
    # director (``SENIOR_INDEPENDENT``: ``person`` is its member).
    board_role = models.CharField(max_length=30, choices=BoardRole.choices, blank=True)
    board_seat = models.ForeignKey(
        "organisation.BoardMember", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    seat_start = models.DateField(null=True, blank=True)
    seat_term_ends = models.DateField(null=True, blank=True)
    seat_interim = models.BooleanField(default=False)
    seat_voting = models.BooleanField(default=True)
    seat_senior_independent = models.BooleanField(default=False)
    reason = models.TextField()
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    # The trail names these fields, never their words: a reason may say why someone needs a case's records.
    audit_withheld = ("reason", "decision_note", "sso_subject")

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["trust", "status"], name="access_request_trust_status")]
        constraints = [
            models.CheckConstraint(
                condition=~(models.Q(role_trust__isnull=False) & models.Q(role_region__isnull=False)),
                name="access_request_scope_is_trust_or_region_or_national",
            ),
        ]

    @property
    def scope_label(self) -> str:
        if self.role_trust_id:
            return str(self.role_trust)
        if self.role_region_id:
            return f"{self.role_region} (region)"
        return "National"

    @property
    def what(self) -> str:
        """The change asked for, in words (never the reason)."""
        if self.kind == self.Kind.ROLE:
            return f"{self.get_role_display()} – {self.scope_label}"
        if self.kind == self.Kind.PERSON:
            return f"Link to {self.person.display_name if self.person else 'a person'}"
        if self.kind == self.Kind.SSO:
            return "Set the single sign-on identifier"
        if self.kind == self.Kind.BOARD_SEAT:
            sid = ", senior independent director" if self.seat_senior_independent else ""
            interim = " (interim)" if self.seat_interim else ""
            return f"Seat {self._person_name} on the board as {self.get_board_role_display().lower()}{interim}{sid}"
        if self.kind == self.Kind.SENIOR_INDEPENDENT:
            return f"Name {self._person_name} the senior independent director"
        return "Reactivate the account"

    @property
    def _person_name(self) -> str:
        return self.person.display_name if self.person else "a person"

    @property
    def waiting(self) -> bool:
        """Still waiting for a second person's decision: nothing has changed yet."""
        return self.status == self.Status.PENDING

    @property
    def about(self) -> str:
        """Whose access changes, in words: the account, or the person a board seat is for."""
        if self.account is not None:
            full = self.account.get_full_name()
            return f"{self.account.username} ({full})" if full else self.account.username
        return self._person_name

    def __str__(self) -> str:
        return f"Access request {self.pk}"


@dataclass(frozen=True)
class AccessTarget:
    """What a change of access reaches, for the policy (``Perm.CHANGE_ACCESS``): an account, and the scope the
    change is made in (a trust; a region; neither: the country). ``whole_account`` for a change that opens or closes
    everything the account holds (single sign-on, deactivation, reactivation): the changer must then cover every
    scope the account holds."""

    account: User
    trust: Any = None
    region: Any = None
    whole_account: bool = False

    @property
    def trust_id(self) -> int | None:  # the policy reads a record's trust through ``trust_id``
        return self.trust.pk if self.trust is not None else None
