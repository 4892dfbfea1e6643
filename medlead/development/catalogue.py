"""Load the national opportunity catalogue (data/opportunities.yaml).

Called by a data migration and by ``manage.py load_reference_data``. Idempotent: matched by code. A tag
naming no framework item is refused, so the catalogue cannot silently drift from the frameworks.
"""

from __future__ import annotations

from typing import Any

from medlead.core.reference_data import cited, read

AUDIENCES = {"consultant", "trainee"}
EFFORTS = {"low", "medium", "high"}


class CatalogueError(ValueError):
    pass


def load(opportunity_model: Any, item_model: Any, data: dict[str, Any] | None = None) -> int:
    """Load the catalogue (``data`` defaults to data/opportunities.yaml); all or nothing."""
    data = data if data is not None else read("opportunities.yaml")
    items = {
        f"{fw}/{code}": pk
        for pk, fw, code in item_model.objects.filter(framework__trust__isnull=True).values_list(
            "pk", "framework__code", "code"
        )
    }
    errors = []
    for n, entry in enumerate(data["opportunities"], start=1):
        where = f"opportunity {n} ({entry.get('code', '?')})"
        for tag in entry["builds"]:
            if tag not in items:
                errors.append(f"{where}: 'builds' names {tag!r}, which is no framework item")
        if entry["effort"] not in EFFORTS:
            errors.append(f"{where}: 'effort' must be one of {sorted(EFFORTS)}")
        if not set(entry["audience"]) <= AUDIENCES or not entry["audience"]:
            errors.append(f"{where}: 'audience' must be consultant and/or trainee")
        if not entry.get("sources"):
            errors.append(f"{where}: every opportunity needs its source")
    if errors:
        raise CatalogueError("; ".join(errors))
    for entry in data["opportunities"]:
        opp, _ = opportunity_model.objects.update_or_create(
            code=entry["code"],
            defaults={
                "title": entry["title"],
                "category": entry["category"],
                "description": entry["description"],
                "source": cited(entry),
                "effort": entry["effort"],
                "duration": entry["duration"],
                "audience": entry["audience"],
                "roles": entry.get("roles", []),
                "data_version": data["version"],
            },
        )
        opp.items.set([items[t] for t in entry["builds"]])
    return len(data["opportunities"])
