from typing import Any

from django.core.management.base import BaseCommand

from medlead.development import catalogue
from medlead.development.models import Opportunity
from medlead.leadership.frameworks import load_national
from medlead.leadership.models import Framework, FrameworkItem
from medlead.structure import reference_data
from medlead.structure.models import PortfolioArea, PortfolioFunction, PostType


class Command(BaseCommand):
    help = "Load post types, the portfolio, the national frameworks and the opportunity catalogue from data/."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = reference_data.load(PostType, PortfolioArea, PortfolioFunction)
        counts["frameworks"] = load_national(Framework, FrameworkItem)
        counts["opportunities"] = catalogue.load(Opportunity, FrameworkItem)
        self.stdout.write(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()) + " loaded.")
