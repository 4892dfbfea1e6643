from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from medlead.accounts import services
from medlead.accounts.management.commands.grant_role import acting
from medlead.accounts.models import AccessRequest, User
from medlead.organisation.models import Trust


class Command(BaseCommand):
    help = (
        "Link a medlead account to the identity provider's identifier for its holder (the claim set by "
        "MEDLEAD_OIDC_MATCH_CLAIM, 'sub' unless set), so that single sign-on opens it; --unlink removes the link. "
        "Made as the system administrator named by --by (never for their own account), with a --reason; audited. "
        "For an account linked to a person or holding a sensitive role, a link becomes a request that a second "
        "authorised person approves on the access pages."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("subject", nargs="?", default="", help="the provider's identifier for this person")
        parser.add_argument("--unlink", action="store_true")
        parser.add_argument("--by", help="the username of the system administrator making the change")
        parser.add_argument("--reason", default="", help="why the change is needed (recorded with it)")
        parser.add_argument("--trust", help="the trust whose approvers decide, when the change waits for one")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user called '{options['username']}'.")
        if not options["unlink"] and not options["subject"].strip():
            raise CommandError("Give the provider's identifier for this person, or --unlink.")
        if not options["reason"].strip():
            raise CommandError("Give a --reason: it is recorded with the change.")
        actor = acting(options["by"])
        trust = None
        if options["trust"]:
            trust = Trust.objects.filter(code=options["trust"]).first()
            if trust is None:
                raise CommandError(f"No trust with code '{options['trust']}'.")
        try:
            result = services.sso_link(
                actor=actor,
                user=user,
                subject="" if options["unlink"] else options["subject"],
                reason=options["reason"],
                trust=trust,
            )
        except PermissionDenied as exc:
            raise CommandError(f"Refused: {exc}") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if isinstance(result, AccessRequest):
            self.stdout.write(
                f"{user.username}: link asked for (request {result.pk}). It takes effect when a second authorised "
                "person approves it on the access pages."
            )
        else:
            self.stdout.write(f"{user.username}: {'unlinked' if options['unlink'] else 'linked'}.")
