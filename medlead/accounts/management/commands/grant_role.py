from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from medlead.accounts import services
from medlead.accounts.models import Role, User
from medlead.core.actors import SystemActor
from medlead.organisation.models import Region, Trust

# Whoever runs a management command is not signed in: the trail records the command as the system's reason.
COMMAND = SystemActor("grant_role command")


class Command(BaseCommand):
    help = (
        "Give a user a role over a trust (--trust CODE), a region (--region CODE) or the country (neither), or "
        "take it away (--revoke). Audited as the system, for the grant_role command."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--trust", help="the trust's code, e.g. RXX")
        scope.add_argument("--region", help="the region's code")
        parser.add_argument("--revoke", action="store_true", help="remove the role instead of granting it")

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
        where = trust or (f"{region} (region)" if region else "the whole country")
        label = Role(options["role"]).label
        try:
            if options["revoke"]:
                n = services.role_revoke(actor=COMMAND, user=user, role=options["role"], trust=trust, region=region)
                self.stdout.write(f"{user.username}: {label} over {where} removed ({n}).")
            else:
                services.role_grant(actor=COMMAND, user=user, role=options["role"], trust=trust, region=region)
                self.stdout.write(f"{user.username}: {label} over {where} granted.")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
