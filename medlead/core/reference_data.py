"""The versioned reference-data files in ``data/`` (post types, portfolio, rule sets, catalogues), read as YAML.

``read`` is the only code that opens a file under ``data/``: every app reads its data files through it, and what to
do with them (loading into the database, rule parameters) stays with the app that owns them. ``in_force`` is the
only way a rule's dates are read.

Pages read these files on every request (the structure rules, the MHPS timescales…): each file is parsed once per
process, with libyaml where PyYAML has it, and parsed again only when it changes on disk. Measured on the medical
director's home page: four reads took 29 ms of a 147 ms page.

The one schema every file follows (checked when a file is parsed, so a malformed file fails at once, not on the
page that happens to read the broken part):

- The file is a mapping with an integer ``version`` and a header saying where the file as a whole comes from:
  ``sources``, ``applies_from`` and ``verified`` (below). A reference list that is not a dated rule (a catalogue,
  the role profiles, the demo trust's shape) carries only this header.
- A *dated entry* is any mapping with ``applies_from`` (an ISO date) or ``applies_until``: a rule, one version of
  a rule set, a list item. It carries ``sources``, ``applies_from`` and ``verified``, and ``applies_until`` where
  the rule ended (the day its successor took over; the rule no longer applies on that day).
- ``sources`` is a non-empty list of citations, each written as ``core.sources.cite`` reads them (short source
  keys, then what the source says: ``"E1, E3 (fine 3): no shift longer than 13 h"``). A mapping that only cites
  (a catalogue entry's quotation, one rule of a versioned rule set) carries ``sources`` alone, or ``sources`` and
  ``verified``.
- ``verified`` is ``true``, or a string giving why the value is not verified (the words a person reads).
- A number cannot carry fields, so a file of parameters gives each parameter's dated entry under ``provenance``,
  keyed by the parameter's name (``defer.reasons`` names a key inside ``defer``); every parameter of such a file
  has one. A rule the code holds (MHPS's case manager) may cite its source there too.
- ``source``, ``in_force_from`` and "NOT VERIFIED" written in free text are the older spellings, and refused.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml

from medlead.core import kept
from medlead.core.memo import once_per_request

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

HEADER = ("sources", "applies_from", "verified", "applies_until")
_OLD_KEYS = ("source", "in_force_from", "note")
_NOT_VERIFIED = "NOT VERIFIED"
# A citation that is medlead's or the trust's own choice, not a primary source, starts so.
LOCAL = "local"
# What people read beside a value no primary source confirms (never the developers' reason, which stays here).
TRUST_TO_CONFIRM = "to be confirmed by the trust"

E = TypeVar("E", bound=Mapping[str, Any])


class RuleFileError(ValueError):
    """A data file that does not follow the schema above; the message names the file and the place."""


@dataclasses.dataclass(frozen=True)
class Provenance:
    """Where a rule comes from and when it applies: one dated entry's own fields."""

    sources: tuple[str, ...]
    applies_from: dt.date
    verified: Literal[True] | str
    applies_until: dt.date | None = None

    @property
    def unverified_reason(self) -> str:
        """Why the rule is not verified ('' when it is)."""
        return "" if self.verified is True else str(self.verified)

    @classmethod
    def of(cls, entry: Mapping[str, Any], where: str) -> Provenance:
        """The dated entry's fields, or a ``RuleFileError`` saying what is wrong with them."""
        missing = [k for k in ("sources", "applies_from", "verified") if k not in entry]
        if missing:
            raise RuleFileError(f"{where}: a dated entry needs {', '.join(missing)}")
        sources = _sources(entry["sources"], where)
        start, until = entry["applies_from"], entry.get("applies_until")
        if not _is_date(start):
            raise RuleFileError(f"{where}: applies_from must be a date (YYYY-MM-DD), not {start!r}")
        if until is not None and (not _is_date(until) or until <= start):
            raise RuleFileError(f"{where}: applies_until must be a date after applies_from, not {until!r}")
        verified = _verified(entry["verified"], where)
        if verified is True:
            _primary_needed(sources, where)
        return cls(sources, start, verified, until)


def _primary_needed(sources: tuple[str, ...], where: str) -> None:
    """Refuse ``verified: true`` where no primary source vouches for the value: a local value, or one whose sources
    are all secondary (``data/sources.yaml`` says which are)."""
    if all(source.startswith(LOCAL) for source in sources):
        raise RuleFileError(
            f"{where}: no primary source gives a local value, so it is the trust's to confirm: give `verified` "
            "the reason instead of true"
        )
    if where.startswith("data/sources.yaml"):
        return  # the list of sources itself (reading it here would read it while it is being read)
    if secondary_only(sources):
        raise RuleFileError(
            f"{where}: every source is a secondary one (data/sources.yaml), so it cannot verify the value: find the "
            "primary passage, or give `verified` the reason instead of true"
        )


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _sources(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(s, str) and s.strip() for s in value):
        raise RuleFileError(f"{where}: sources must be a non-empty list of citations, not {value!r}")
    return tuple(value)


def _verified(value: Any, where: str) -> Literal[True] | str:
    # ``false`` would say "not verified" without saying why: a reason is what a reader needs to check it.
    if value is True:
        return True
    if isinstance(value, str) and value.strip():
        return value
    raise RuleFileError(f"{where}: verified must be true or the reason it is not verified, not {value!r}")


def _check(node: Any, where: str) -> None:
    """Every mapping in the file: dated entries complete, citations as lists, no older spelling."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            _check(item, f"{where}[{i}]")
        return
    if isinstance(node, str):
        if _NOT_VERIFIED in node:
            raise RuleFileError(f"{where}: say NOT VERIFIED in a 'verified' field, with the reason, not in free text")
        return
    if not isinstance(node, dict):
        return
    old = [k for k in _OLD_KEYS if k in node]
    if old:
        raise RuleFileError(f"{where}: {', '.join(old)} is an older spelling: use sources, applies_from, verified")
    if where.endswith(".provenance"):
        pass  # a mapping of parameter names, not an entry: each of its entries is checked in turn
    elif "applies_from" in node or "applies_until" in node:
        Provenance.of(node, where)
    else:
        if "sources" in node:
            _sources(node["sources"], where)
        if "verified" in node:
            if "sources" not in node:
                raise RuleFileError(f"{where}: a 'verified' field needs the sources it was checked against")
            if _verified(node["verified"], where) is True:
                _primary_needed(_sources(node["sources"], where), where)
    for key, value in node.items():
        if key == "verified":
            continue  # the one place the words "NOT VERIFIED" may appear
        _check(value, f"{where}.{key}")


def _keys(data: Mapping[str, Any]) -> Iterable[str]:
    """The parameters of a file: its top-level keys, and a nested mapping's keys as ``outer.inner``."""
    for key, value in data.items():
        if key in ("version", "provenance", *HEADER):
            continue
        yield str(key)
        if isinstance(value, dict):
            yield from (f"{key}.{inner}" for inner in value)


def validate(name: str, data: Any) -> None:
    """Raise ``RuleFileError`` unless ``data`` (the parsed ``data/<name>``) follows the schema."""
    where = f"data/{name}"
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        raise RuleFileError(f"{where}: a data file is a mapping with an integer version")
    Provenance.of(data, where)
    _check(data, where)
    provenance = data.get("provenance")
    if provenance is None:
        return
    if not isinstance(provenance, dict):
        raise RuleFileError(f"{where}.provenance: a mapping of each parameter to its dated entry")
    keys = set(_keys(data))
    for key, entry in provenance.items():
        if not isinstance(entry, dict):
            raise RuleFileError(f"{where}.provenance.{key}: a dated entry")
        Provenance.of(entry, f"{where}.provenance.{key}")
    # a parameter is covered by its own entry, or by one for each key inside it (``defer.reasons``...)
    for key in sorted(keys):
        outer = key.split(".")[0]
        if key not in provenance and outer not in provenance and (key != outer or not _split(outer, provenance)):
            raise RuleFileError(f"{where}: {key} has no entry under provenance")


def _split(key: str, provenance: Mapping[str, Any]) -> bool:
    """Whether ``key``'s provenance is given key by key inside it (then every inner key is checked on its own)."""
    return any(str(p).startswith(f"{key}.") for p in provenance)


@functools.lru_cache(maxsize=128)
def _parsed(path: str, modified_ns: int) -> Any:
    with open(path, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_LOADER)  # noqa: S506 - a safe loader (libyaml's or PyYAML's own)
    validate(str(Path(path).relative_to(DATA_DIR)), data)
    return data


def stamp(name: str) -> int:
    """When ``data/<name>`` last changed on disk (for a reader that remembers what it computed from the file): asked
    of the disk once a request (a page judging a trust's doctors asks thousands of times), every time outside one."""
    modified: int = once_per_request(("data_file_stamp", name), lambda: (DATA_DIR / name).stat().st_mtime_ns)
    kept.reads_file(DATA_DIR / name, modified)
    return modified


def read(name: str) -> dict[str, Any]:
    """The parsed contents of ``data/<name>`` (a fresh copy each call: callers may change it), checked against the
    schema once each time the file changes on disk."""
    path = DATA_DIR / name
    modified = path.stat().st_mtime_ns
    kept.reads_file(path, modified)
    data: dict[str, Any] = copy.deepcopy(_parsed(str(path), modified))
    return data


def names(folder: str = "") -> list[str]:
    """The data files under ``data/<folder>`` (all of them when no folder), as ``read`` takes them, sorted."""
    return sorted(str(p.relative_to(DATA_DIR)) for p in (DATA_DIR / folder).rglob("*.yaml"))


def provenance(entry: Mapping[str, Any]) -> Provenance:
    """A dated entry's fields (the file's own header when given a whole file)."""
    return Provenance.of(entry, str(entry.get("code", entry.get("id", "entry"))))


def dated_entries(data: Any) -> list[dict[str, Any]]:
    """Every dated entry in a parsed file, the file's own header first, in the order the file gives them."""
    found: list[dict[str, Any]] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            if "applies_from" in node and key != "provenance":
                found.append(node)
            for inner, value in node.items():
                walk(value, str(inner))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


def in_force(entries: Iterable[E], day: dt.date) -> list[E]:
    """The dated entries in force on ``day``, in their own order: those that apply from ``day`` or before, and,
    where one gives ``applies_until``, only before that day. ``applies_until`` is exclusive: it is the day the
    rule stopped applying, the same day its successor's ``applies_from`` names, so that on any one day exactly one
    of the two is in force. A day before every entry's ``applies_from`` gives nothing."""
    return [
        e for e in entries if e["applies_from"] <= day and (e.get("applies_until") is None or day < e["applies_until"])
    ]


def cited(entry: Mapping[str, Any]) -> str:
    """An entry's sources as one line (the citations joined by '; ', as a page shows them through ``cite``)."""
    return "; ".join(entry.get("sources") or ())


def as_people_read(entry: Mapping[str, Any]) -> str:
    """An entry's sources as a page shows them, and, where no primary source confirms the value, that the trust
    is to confirm it: people read sources' titles, never the developers' note on why a value is unconfirmed."""
    confirmed = entry.get("verified") is True
    return cited(entry) if confirmed else f"{cited(entry)} ({TRUST_TO_CONFIRM})"


# The sources (``data/sources.yaml``): each key's title and kind. ``core.sources.cite`` writes citations out from
# them; the loader reads the kinds to refuse ``verified: true`` where every source is secondary.
PRIMARY, SECONDARY = "primary", "secondary"


@dataclasses.dataclass(frozen=True)
class SourceIndex:
    titles: dict[str, str]
    kinds: dict[str, str]
    key: re.Pattern[str]  # a key, optionally in square brackets


@functools.cache
def source_index() -> SourceIndex:
    """Every source key with its title and kind, and a pattern that finds the keys in a citation."""
    titles: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for k, v in read("sources.yaml")["names"].items():
        if not isinstance(v, dict) or v.get("kind") not in (PRIMARY, SECONDARY) or not str(v.get("title", "")).strip():
            raise RuleFileError(f"data/sources.yaml: names.{k} needs a title and a kind (primary or secondary)")
        titles[str(k)], kinds[str(k)] = str(v["title"]), str(v["kind"])
    keys = "|".join(re.escape(k) for k in sorted(titles, key=len, reverse=True))
    return SourceIndex(titles, kinds, re.compile(r"\[?(?<![\w-])(" + keys + r")(?![\w-])\]?"))


def secondary_citation(citation: str) -> bool:
    """Whether the citation names sources and all of them are secondary."""
    index = source_index()
    found = index.key.findall(citation)
    return bool(found) and all(index.kinds[k] == SECONDARY for k in found)


def secondary_only(citations: Iterable[str]) -> bool:
    """Whether every citation names sources and all of them are secondary: nothing primary vouches for the value.
    (A citation without a key, a document's title written out, is taken as it reads.)"""
    listed = list(citations)
    return bool(listed) and all(secondary_citation(c) for c in listed)
