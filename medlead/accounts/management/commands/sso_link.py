from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from medlead.accounts import services
from medlead.accounts.models import User
from medlead.core.actors import SystemActor


class Command(BaseCommand):
    help = (
        "Link a medlead account to the identity provider's identifier for its holder (the claim set by "
        "MEDLEAD_OIDC_MATCH_CLAIM, 'sub' unless set), so that single sign-on opens it; --unlink removes the link. "
        "Audited as the system, for the sso_link command."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("subject", nargs="?", default="", help="the provider's identifier for this person")
        parser.add_argument("--unlink", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called '{options['username']}'.")
        if not options["unlink"] and not options["subject"].strip():
            raise CommandError("Give the provider's identifier for this person, or --unlink.")
        try:
            services.sso_link(
                actor=SystemActor("sso_link command"),
                user=user,
                subject="" if options["unlink"] else options["subject"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"{user.username}: {'unlinked' if options['unlink'] else 'linked'}.")
