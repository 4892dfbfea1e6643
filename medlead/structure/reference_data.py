"""Load the versioned reference data files in ``data/`` (post types, portfolio) into the database.

Called by a data migration (so a fresh database has them) and by ``manage.py load_reference_data`` (after
a data file changes). Idempotent: rows are matched by ``code`` and updated.
"""

from __future__ import annotations

from typing import Any

from medlead.core.reference_data import cited, read
from medlead.core.reference_loaders import LOADERS
from medlead.structure.models import PortfolioArea, PortfolioFunction, PostType


def load(post_type_model: Any, area_model: Any, function_model: Any) -> dict[str, int]:
    post_types = read("post_types.yaml")
    for item in post_types["post_types"]:
        post_type_model.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "level": item["level"],
                "management": item.get("management", True),
                "board": item.get("board", False),
                "profile": item["profile"],
                "sources": item["sources"],
                "data_version": post_types["version"],
            },
        )
    portfolio = read("portfolio.yaml")
    areas = {}
    for position, item in enumerate(portfolio["areas"]):
        areas[item["code"]], _ = area_model.objects.update_or_create(
            code=item["code"], defaults={"name": item["name"], "source": cited(item), "position": position}
        )
    for position, item in enumerate(portfolio["functions"]):
        function_model.objects.update_or_create(
            code=item["code"],
            defaults={
                "name": item["name"],
                "area": areas[item["area"]],
                "kind": item["kind"],
                "source": cited(item),
                "position": position,
            },
        )
    return {
        "post_types": len(post_types["post_types"]),
        "areas": len(portfolio["areas"]),
        "functions": len(portfolio["functions"]),
    }


def structure_rules() -> dict[str, Any]:
    rules: dict[str, Any] = read("structure_rules.yaml")["rules"]
    return rules


def _load_all() -> dict[str, int]:
    return load(PostType, PortfolioArea, PortfolioFunction)


LOADERS.register("structure", _load_all)
