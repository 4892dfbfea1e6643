from typing import Any

from django.core.management.base import BaseCommand

from medlead.core.reference_loaders import LOADERS


class Command(BaseCommand):
    help = "Load post types, the portfolio, the national frameworks and the opportunity catalogue from data/."

    def handle(self, *args: Any, **options: Any) -> None:
        counts: dict[str, int] = {}
        for _name, load in LOADERS:
            counts.update(load())
        self.stdout.write(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()) + " loaded.")
