"""The opportunity catalogue (data/opportunities.yaml), loaded by ``manage.py load_reference_data`` after the
national frameworks it points at."""

from __future__ import annotations

from medlead.core.reference_loaders import LOADERS
from medlead.development import catalogue
from medlead.development.models import Opportunity
from medlead.leadership.models import FrameworkItem


def _load() -> dict[str, int]:
    return {"opportunities": catalogue.load(Opportunity, FrameworkItem)}


LOADERS.register("development", _load)
