"""The versioned reference-data files in ``data/`` (post types, portfolio, rule sets, catalogues), read as YAML.

Every app reads its data files through ``read``; what to do with them (loading into the database, rule
parameters) stays with the app that owns them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"


def read(name: str) -> dict[str, Any]:
    """The parsed contents of ``data/<name>`` (a fresh copy each call: callers may change it)."""
    with (DATA_DIR / name).open(encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data
