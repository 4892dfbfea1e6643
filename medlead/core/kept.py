"""A value a page builds from many tables, kept in the shared cache until a table it read is written (issue 35, item
1; ADR 0039). The trust's home page keeps what it shows each person ("what needs you", the board's picture): built
again only when a record it counted changes, a new day begins, or a moment its provider named passes.

``kept(key, build)`` gives ``build()``'s value, served from the cache while it is still true. How it stays true:

- Every statement Django sends passes ``_watch`` (on every connection). A write (an INSERT, UPDATE or DELETE) moves on
  the version of the table it names once it is committed; any other statement that is not a read (a migration, a
  TRUNCATE, SQL it cannot read) moves on every version (``"*"``). Writes that do not pass through Django's statements
  (a COPY) say so with ``wrote``. Fail closed: what it cannot tell is a change.
- While a value is built, each table a SELECT names has its version read *before* the SELECT runs, and each data file
  read (``reads_file``) its time on disk. The value is kept with those versions and served only while every one is
  unchanged, "*" included: a write that commits after the build read a table moves the version on after it.
- A connection holding writes it has not committed (they may yet be rolled back) neither serves nor keeps a value: it
  builds it. A build that writes is not kept. A value is kept until the moment its build named with ``changes_at``
  (a shift that ends), at most a day; the caller puts the day in the key where the value depends on it.
- Versions live in the same cache as the values, each started at a random number, so a version the cache lost
  never matches a value kept before.
- A kept value used in building another (the trust's structure health, inside a home page) passes what it read on
  to that one, served or built.

Keeping is on where the cache is shared by every process that writes (Redis: ``MEDLEAD_KEEP_PAGES``); elsewhere
(``make run``'s in-memory cache beside a worker process) ``kept`` builds every time.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import hashlib
import logging
import os
import pickle
import re
import secrets
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connections

from medlead.core import dates, memo

logger = logging.getLogger(__name__)

T = TypeVar("T")

EVERY = "*"  # the version every kept value depends on: moved on by a statement whose tables cannot be read
LONGEST = dt.timedelta(days=1)
_READ = re.compile(r"""\b(?:FROM|JOIN)\s+(?:"([^"]+)"|([A-Za-z_][\w.]*))""", re.IGNORECASE)
_WRITE = re.compile(r"""^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:"([^"]+)"|([A-Za-z_][\w.]*))""", re.IGNORECASE)
# An UPDATE's SET clause as Django writes a model's chosen fields: each column given a value ("col" = %s), nothing else.
_SET = re.compile(r"""^\s*UPDATE\s+"([^"]+)"\s+SET\s+((?:"\w+" = %s)(?:, "\w+" = %s)*)\s+WHERE\s""", re.IGNORECASE)
_SET_COLUMN = re.compile(r'"(\w+)" = %s')
_UNSHOWN: dict[str, frozenset[str]] = {}
# Statements that neither read a table nor change one: a transaction's control, a session's settings.
_QUIET = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET ", "SHOW ", "PRAGMA", "DEALLOCATE")


class _Build:
    """One value being built: the versions of the tables it has read (each read before its first SELECT), the data
    files it read, the moment it stops being true, and whether it may not be kept (it wrote, or a version could not
    be read)."""

    def __init__(self, versions: dict[str, int], until: dt.datetime) -> None:
        self.versions = versions
        self.files: dict[str, int] = {}
        self.until = until
        self.spoiled = False

    def absorb(
        self, versions: dict[str, int], files: dict[str, int], until: dt.datetime, *, spoiled: bool = False
    ) -> None:
        """What a value used in this one read (kept itself, or built for keeping): this one depends on it too. A
        version this build read first stays: it is the older, so a change between the two is not missed."""
        for table, version in versions.items():
            self.versions.setdefault(table, version)
        for path, ns in files.items():
            self.files.setdefault(path, ns)
        self.until = min(self.until, until)
        self.spoiled = self.spoiled or spoiled


_building: contextvars.ContextVar[_Build | None] = contextvars.ContextVar("kept_build", default=None)


def enabled() -> bool:
    return bool(getattr(settings, "MEDLEAD_KEEP_PAGES", False))


def kept(key: Hashable, build: Callable[[], T], *, using: str = "default") -> T:
    """``build()``'s value, from the cache while every table and file it read is unchanged and its moment has not
    passed; otherwise built (with a fresh request memo, so that whatever it reads is read, and watched, again) and
    kept. ``key`` names everything else the value depends on: the person, the trust, the day."""
    if not enabled() or _uncommitted(connections[using]):
        return build()  # inside another value's build, what this one reads is watched for that one
    outer = _building.get()
    name = _key(key)
    now = dates.now()
    try:
        entry = cache.get(name)
        versions: dict[str, int] = {}
        if entry is not None:
            kept_versions, files, until, payload = entry
            versions = _versions(kept_versions)
            if versions == kept_versions and now < until and all(_stamp(path) == ns for path, ns in files.items()):
                found: T = pickle.loads(payload)  # noqa: S301 - written by kept itself, in medlead's own cache
                if outer is not None:  # a value built from this one depends on what this one read
                    outer.absorb(kept_versions, files, until)
                return found
        if EVERY not in versions:
            versions |= _versions([EVERY])
    except Exception:  # the cache cannot be reached: the page is built, as without keeping (ADR 0038)
        logger.warning("kept: the cache did not answer; built without it", exc_info=True)
        return build()
    building = _Build(versions, now + LONGEST)
    token = _building.set(building)
    try:
        with memo.fresh():
            value = build()
            payload = _pickled(value, building)  # while watched: a lazy part of the value (a queryset) is read now
    finally:
        _building.reset(token)
    if not building.spoiled and building.until > now:
        timeout = max(1, int((building.until - now).total_seconds()))
        try:
            cache.set(name, (building.versions, building.files, building.until, payload), timeout)
        except Exception:
            logger.warning("kept: the cache did not answer; not kept", exc_info=True)
    if outer is not None:
        outer.absorb(building.versions, building.files, building.until, spoiled=building.spoiled)
    return value


def _pickled(value: object, building: _Build) -> bytes:
    try:
        return pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        logger.warning("kept: a value that cannot be pickled is not kept", exc_info=True)
        building.spoiled = True
        return b""


def watching() -> bool:
    """Whether a value to be kept is being built here (what it reads is watched)."""
    return _building.get() is not None


def changes_at(moment: dt.datetime) -> None:
    """The value being built stops being true at ``moment`` (the end of a shift it names): kept until then."""
    building = _building.get()
    if building is not None and moment < building.until:
        building.until = moment


def reads_file(path: str | os.PathLike[str], modified_ns: int) -> None:
    """The value being built read this file as it was at ``modified_ns``: kept while the file is unchanged."""
    building = _building.get()
    if building is not None:
        building.files.setdefault(str(path), modified_ns)


def wrote(tables: Iterable[str], *, using: str = "default") -> None:
    """Tables written outside Django's statements (a COPY): their versions move on once the transaction commits."""
    _written(set(tables), connections[using])


def unshown(table: str, *columns: str) -> None:
    """Columns of ``table`` that no kept value shows or depends on, written far more often than the rest of their
    rows change (an account's last sign-in, written at every sign-in): an UPDATE that sets these columns alone leaves
    every kept value standing. Declared by the app that owns the table; a value built from one of them is not kept
    true, so none may be."""
    _UNSHOWN[table] = _UNSHOWN.get(table, frozenset()) | frozenset(columns)


def _unshown_only(sql: str) -> bool:
    found = _SET.match(sql)
    if found is None or found.group(1) not in _UNSHOWN:
        return False
    return set(_SET_COLUMN.findall(found.group(2))) <= _UNSHOWN[found.group(1)]


def forget_all() -> None:
    """Every kept value is built again at its next request (``manage.py forget_kept_pages``: after the database
    changed outside medlead, from a backup or by hand)."""
    _move_on([EVERY])


def watch(sender: Any, connection: Any, **kwargs: Any) -> None:
    """Puts ``_watch`` on a new connection (``connection_created``)."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch)


def _watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
    head = sql[:32].lstrip(" \n\t(").upper()
    if head.startswith(("SELECT", "EXPLAIN")):
        building = _building.get()
        if building is not None and not building.spoiled:
            new = {a or b for a, b in _READ.findall(sql)} - building.versions.keys()
            if new:
                try:
                    building.versions |= _versions(new)
                except Exception:  # the cache stopped answering: the value is built, not kept
                    logger.warning("kept: the cache did not answer; not kept", exc_info=True)
                    building.spoiled = True
        return execute(sql, params, many, context)
    if head.startswith(_QUIET):
        return execute(sql, params, many, context)
    result = execute(sql, params, many, context)
    if _UNSHOWN and _unshown_only(sql):
        return result
    found = _WRITE.match(sql)
    _written({found.group(1) or found.group(2)} if found else {EVERY}, context["connection"])
    return result


class _MoveOn:
    """The versions a transaction's writes move on when it commits (one callback a savepoint, however many writes)."""

    def __init__(self, tables: set[str]) -> None:
        self.tables = tables

    def __call__(self) -> None:
        _move_on(self.tables)


def _written(tables: set[str], connection: Any) -> None:
    building = _building.get()
    if building is not None:
        building.spoiled = True
    if not enabled():
        return
    if not connection.in_atomic_block:
        _move_on(tables)
        return
    active = set(connection.savepoint_ids)
    for sids, func, _ in reversed(connection.run_on_commit):
        # a callback registered here or further out survives every rollback this write can suffer
        if isinstance(func, _MoveOn) and sids <= active:
            func.tables |= tables
            return
    connection.on_commit(_MoveOn(set(tables)), robust=True)


def _uncommitted(connection: Any) -> bool:
    """Whether the connection holds writes it has not committed (``_MoveOn`` waits for its commit)."""
    return connection.in_atomic_block and any(isinstance(f, _MoveOn) for _, f, _ in connection.run_on_commit)


def _move_on(tables: Iterable[str]) -> None:
    try:
        for table in tables:
            name = _version_key(table)
            try:
                cache.incr(name)
            except ValueError:  # never moved on, or lost by the cache: a fresh random start
                cache.add(name, _start(), None)
    except Exception:
        # the write stands; values kept from before it may be served until `manage.py forget_kept_pages` (ADR 0039)
        logger.error("kept: a write's tables could not be marked changed: %s", sorted(tables), exc_info=True)


def _versions(tables: Iterable[str]) -> dict[str, int]:
    """The current version of each table, started where the cache has none."""
    names = {_version_key(t): t for t in tables}
    found = cache.get_many(names)
    missing = [n for n in names if n not in found]
    if missing:
        for n in missing:
            cache.add(n, _start(), None)
        found |= cache.get_many(missing)
    return {names[n]: int(v) for n, v in found.items()}


def _start() -> int:
    return secrets.randbits(62)


def _stamp(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _database() -> str:
    return str(connections["default"].settings_dict.get("NAME", ""))


def _version_key(table: str) -> str:
    return f"kept:{_database()}:v:{table}"


@functools.cache
def _code() -> str:
    """What this process's code is, as a short digest of medlead's Python sources: a value is kept as the code that
    built it shaped it, so a value kept before a release is never served by the code after it (a dataclass with a
    new field, a page reading it), and app servers on either side of a rolling release keep apart."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _key(key: Hashable) -> str:
    return f"kept:{_database()}:{_code()}:" + hashlib.sha256(repr(key).encode()).hexdigest()
