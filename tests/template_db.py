"""The test database, kept between runs as a PostgreSQL template (issue 35: the suite's time).

Creating the test database runs every migration, about 45 s of Python on these machines, and the demo trust's
snapshot (``tests.demo_db``) takes 20-30 s more to build: each pytest-xdist worker paid both on every run before
its first test. Here the first run that builds them keeps a copy of its test database (``CREATE DATABASE ...
TEMPLATE``): once migrated, and again once the demo's snapshot is in it. A later run with the same fingerprint
copies the fuller one (about a second), Django's migrate finds nothing to apply and the snapshot is there.

The fingerprint covers every file of ``medlead/`` and ``data/`` (the migrations, the code and data files their
reference data and the demo are made from), the test modules that build the demo and say how (its passwords'
hashing), Django's version and today's date (the demo's records are dated from it). Any change gives a new name,
so a copy is never older than what made it; a run that keeps a new one drops those of any other fingerprint.

SQLite, ``--reuse-db`` and ``--create-db`` are left as pytest-django has them.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import django
from django.db import DatabaseError, connection

from medlead.core import dates

ROOT = Path(__file__).resolve().parent.parent
FINGERPRINTED = ("medlead", "data", "tests/demo_db.py", "tests/conftest.py")
PREFIX = "medlead_template_"
DEMO = "_demo"  # the suffix of the template that holds the demo's snapshot too
LOCK = 3503  # a PostgreSQL advisory lock: the workers take turns to copy or keep a template


@cache
def template_name() -> str:
    digest = hashlib.sha256(f"{django.get_version()} {dates.today().isoformat()}".encode())
    for name in FINGERPRINTED:
        top = ROOT / name
        for path in sorted(top.rglob("*")) if top.is_dir() else [top]:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return PREFIX + digest.hexdigest()[:16]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def copy_kept() -> bool:
    """The test database made from the fullest template kept with this fingerprint: True when there was one."""
    if connection.vendor != "postgresql":
        return False
    test_name = connection.creation._get_test_db_name()  # with pytest-xdist's worker suffix
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK])
        try:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [template_name() + "%"])
            kept = {row[0] for row in cursor.fetchall()}
            template = next((name for name in (template_name() + DEMO, template_name()) if name in kept), None)
            if template is None:
                return False
            cursor.execute(f"DROP DATABASE IF EXISTS {_q(test_name)}")
            cursor.execute(f"CREATE DATABASE {_q(test_name)} TEMPLATE {_q(template)}")
            return True
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK])


def keep(*, demo: bool = False) -> None:
    """The test database kept as this fingerprint's template (``demo``: the one with the demo's snapshot in it), and
    the templates of other fingerprints dropped. Best effort: a test database another connection is using (a live
    server's thread) cannot be copied, and is not."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    template = template_name() + (DEMO if demo else "")
    test_name = connection.settings_dict["NAME"]  # the test database's name, once it is set up
    connection.close()  # a database is copied only while nobody is connected to it
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK])
        try:
            cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", [PREFIX + "%"])
            kept = {row[0] for row in cursor.fetchall()}
            if template not in kept:
                try:
                    cursor.execute(f"CREATE DATABASE {_q(template)} TEMPLATE {_q(test_name)}")
                except DatabaseError:
                    return
            for old in kept:
                if not old.startswith(template_name()):
                    try:
                        cursor.execute(f"DROP DATABASE IF EXISTS {_q(old)}")
                    except DatabaseError:  # in use: left for a later run
                        continue
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK])


def drop_copy() -> None:
    """The test database copied from a template, dropped at the end of the run."""
    if connection.vendor != "postgresql":
        return
    test_name = connection.settings_dict["NAME"]
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_q(test_name)} WITH (FORCE)")
