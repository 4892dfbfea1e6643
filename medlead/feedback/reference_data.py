"""The national colleague and patient questionnaires in data/feedback/, loaded by ``manage.py load_reference_data``."""

from __future__ import annotations

from medlead.core.reference_loaders import LOADERS
from medlead.feedback.questionnaires import load_national


def _load() -> dict[str, int]:
    return {"feedback questionnaires": load_national()}


LOADERS.register("feedback", _load)
