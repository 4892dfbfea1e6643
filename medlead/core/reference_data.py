"""The versioned reference-data files in ``data/`` (post types, portfolio, rule sets, catalogues), read as YAML.

Every app reads its data files through ``read``; what to do with them (loading into the database, rule
parameters) stays with the app that owns them.

Pages read these files on every request (the structure rules, the MHPS timescales…): each file is parsed once per
process, with libyaml where PyYAML has it, and parsed again only when it changes on disk. Measured on the medical
director's home page: four reads took 29 ms of a 147 ms page."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.lru_cache(maxsize=128)
def _parsed(path: str, modified_ns: int) -> Any:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LOADER)  # noqa: S506 - a safe loader (libyaml's or PyYAML's own)


def read(name: str) -> dict[str, Any]:
    """The parsed contents of ``data/<name>`` (a fresh copy each call: callers may change it)."""
    path = DATA_DIR / name
    data: dict[str, Any] = copy.deepcopy(_parsed(str(path), path.stat().st_mtime_ns))
    return data
