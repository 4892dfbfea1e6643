"""The national leadership frameworks in data/frameworks/, loaded by ``manage.py load_reference_data``."""

from __future__ import annotations

from medlead.core.reference_loaders import LOADERS
from medlead.leadership.frameworks import load_national
from medlead.leadership.models import Framework, FrameworkItem


def _load() -> dict[str, int]:
    return {"frameworks": load_national(Framework, FrameworkItem)}


LOADERS.register("leadership", _load)
