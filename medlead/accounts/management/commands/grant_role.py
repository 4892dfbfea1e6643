from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from medlead.accounts import services
from medlead.accounts.models import AccessRequest, Role, RoleAssignment, User
from medlead.core.actors import SystemActor
from medlead.organisation.models import Region, Trust

# The one change the system makes by itself: the first national system administrator, when nobody holds the role.
BOOTSTRAP = SystemActor("grant_role: the first system administrator")


def acting(username: str | None) -> User:
    """The account a command acts as: the policy decides what it may do, as on the pages."""
    if not username:
        raise CommandError("Say who is acting: --by USERNAME (a system administrator, never for their own account).")
    actor = User.objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"No active account called '{username}' to act as.")
    return actor


class Command(BaseCommand):
    help = (
        "Give an account a role over a trust (--trust CODE), a region (--region CODE) or the country (neither), or "
        "take it away (--revoke), as the system administrator named by --by, with a --reason; audited. Nobody "
        "changes their own roles. A sensitive role (medical director, responsible officer, guardian, company "
        "secretary, Caldicott guardian, system administrator) becomes a request that a second authorised person "
        "approves on the access pages. One bootstrap: while no account holds the system administrator role at all, "
        "the first national system administrator is granted without --by."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--trust", help="the trust's code, e.g. RXX")
        scope.add_argument("--region", help="the region's code")
        parser.add_argument("--revoke", action="store_true", help="remove the role instead of granting it")
        parser.add_argument("--by", help="the username of the system administrator making the change")
        parser.add_argument("--reason", default="", help="why the change is needed (recorded with it)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called '{options['username']}'.")
        trust = region = None
        if options["trust"]:
            trust = Trust.objects.filter(code=options["trust"]).first()
            if trust is None:
                raise CommandError(f"No trust with code '{options['trust']}'.")
        if options["region"]:
            region = Region.objects.filter(code=options["region"]).first()
            if region is None:
                raise CommandError(f"No region with code '{options['region']}'.")
        if not options["reason"].strip():
            raise CommandError("Give a --reason: it is recorded with the change.")
        bootstrap = (
            not options["by"]
            and not options["revoke"]
            and options["role"] == Role.SYSTEM_ADMIN
            and trust is None
            and region is None
            and not RoleAssignment.objects.filter(role=Role.SYSTEM_ADMIN).exists()
        )
        actor: Any = BOOTSTRAP if bootstrap else acting(options["by"])
        where = trust or (f"{region} (region)" if region else "the whole country")
        label = Role(options["role"]).label
        change = dict(
            actor=actor, user=user, role=options["role"], trust=trust, region=region, reason=options["reason"]
        )
        try:
            if options["revoke"]:
                n = services.role_revoke(**change)
                self.stdout.write(f"{user.username}: {label} over {where} removed ({n}).")
                return
            result = services.role_grant(**change)
        except PermissionDenied as exc:
            raise CommandError(f"Refused: {exc}") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if isinstance(result, AccessRequest):
            self.stdout.write(
                f"{user.username}: {label} over {where} asked for (request {result.pk}). It takes effect when a "
                "second authorised person approves it on the access pages."
            )
        else:
            self.stdout.write(f"{user.username}: {label} over {where} granted.")
