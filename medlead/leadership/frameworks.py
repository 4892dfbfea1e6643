"""Load the national frameworks (data/frameworks/*.yaml) and import a trust's own framework from a file."""

from __future__ import annotations

from typing import Any

from medlead.core.reference_data import cited, names, read


def load_national(framework_model: Any, item_model: Any) -> int:
    """Create or update every national framework from its data file (idempotent, matched by code and version)."""
    count = 0
    for name in names("frameworks"):
        data = read(name)
        fw, _ = framework_model.objects.update_or_create(
            trust=None,
            code=data["code"],
            version=data["version"],
            defaults={
                "name": data["name"],
                "source": cited(data),
                "wording_note": data.get("wording_note", ""),
                "scale": data["scale"],
                "scale_note": data.get("scale_note", ""),
                "targets": data.get("targets", {}),
            },
        )
        for position, item in enumerate(data["items"]):
            item_model.objects.update_or_create(
                framework=fw,
                code=item["code"],
                defaults={
                    "domain": item["domain"],
                    "text": item["text"],
                    "description": item.get("description", ""),
                    "prompts": item.get("prompts", []),
                    "position": position,
                },
            )
        count += 1
    return count
