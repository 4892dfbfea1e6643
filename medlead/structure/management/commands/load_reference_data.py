from typing import Any

from django.core.management.base import BaseCommand

from medlead.structure import reference_data
from medlead.structure.models import PortfolioArea, PortfolioFunction, PostType


class Command(BaseCommand):
    help = "Load post types and the medical director's portfolio from the data/ files."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reference_data.load(PostType, PortfolioArea, PortfolioFunction)
        self.stdout.write(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()) + " loaded.")
