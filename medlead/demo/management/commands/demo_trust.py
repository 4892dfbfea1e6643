import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from medlead.demo.generator import DemoDataRefused, generate
from medlead.organisation.models import Trust


class Command(BaseCommand):
    help = "Build the demo trust (about 1,500 doctors) and the demo accounts; --trusts N for national-size data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trusts", type=int, default=1)
        parser.add_argument("--doctors", type=int, default=1500, help="Doctors per trust.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when demo trusts already exist.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Trust.objects.filter(is_demo=True).exists():
            self.stdout.write("Demo data already loaded.")
            return
        if options["trusts"] < 1 or options["doctors"] < 50:
            raise CommandError("--trusts must be at least 1 and --doctors at least 50.")
        started = time.perf_counter()
        try:
            result = generate(trusts=options["trusts"], doctors=options["doctors"], seed=options["seed"])
        except DemoDataRefused as exc:
            raise CommandError(str(exc)) from exc
        accounts = ", ".join(result["accounts"]) or "already present"
        self.stdout.write(
            f"Built {result['trusts']} demo trust(s) with {result['doctors_per_trust']} doctors each in "
            f"{time.perf_counter() - started:.1f}s. Demo accounts: {accounts}."
        )
