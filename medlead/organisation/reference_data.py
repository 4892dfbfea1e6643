"""Who receives what (``data/receivers.yaml``, issue 34): the national rows, loaded by the data migration
``organisation/0011_receivers`` and by ``manage.py load_reference_data``. Idempotent: a row already there (the same
kind, national, from the same day) is left as it is, so a change made in the Django admin is kept."""

from __future__ import annotations

from typing import Any

from medlead.core.reference_data import read
from medlead.core.reference_loaders import LOADERS
from medlead.organisation.models import Receiver


def load_receivers(model: Any) -> int:
    """Create the file's rows that are missing; the number of rows in the file."""
    rows = read("receivers.yaml")["receivers"]
    for item in rows:
        model.objects.get_or_create(
            kind=item["kind"],
            trust=None,
            region=None,
            applies_from=item["applies_from"],
            defaults={
                "body": item["body"],
                "source_title": item["source_title"],
                "source_url": item.get("source_url", ""),
                "verified": item["verified"] is True,
            },
        )
    return len(rows)


def _load() -> dict[str, int]:
    return {"receivers": load_receivers(Receiver)}


LOADERS.register("organisation", _load)
