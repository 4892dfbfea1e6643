"""The demo trust for tests, built once per session and copied into each test that asks for it.

Building the demo trust through the services takes seconds; many tests (every browser walk, the plain-English
and dead-end crawls) want the same one. The session builds it once, copies every table into a snapshot beside
the test database (a schema on PostgreSQL, an attached database on SQLite), and puts the database back as it
was. The ``demo_trust`` fixture then empties the tables and copies the snapshot in, inside one transaction:
rolled back after a ``django_db`` test, flushed after a transactional one, as any other data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.backends.signals import connection_created

from tests import template_db

DEMO_DOCTORS = 300
AUDIT_TABLE = "audit_auditevent"  # append-only (audit/migrations/0002, 0003)


class Snapshot:
    """A copy of every Django table, taken and put back with plain SQL (the same on both backends)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
        self.sqlite = connection.vendor == "sqlite"
        self._uri = f"file:{name}?mode=memory&cache=shared"
        self._keeper: sqlite3.Connection | None = None

    def _q(self, table: str) -> str:
        return connection.ops.quote_name(table)

    def _attach(self, sender: Any = None, connection: Any = None, **kwargs: Any) -> None:
        """SQLite: the snapshot is an in-memory database attached to each new connection (Django reconnects
        after a transactional test); attaching is refused inside a transaction, and a new connection has none."""
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA database_list")
                if self.name not in {row[1] for row in cursor.fetchall()}:
                    cursor.execute(f"ATTACH DATABASE '{self._uri}' AS {self.name}")

    def exists(self) -> bool:
        """Whether the test database came with this snapshot (PostgreSQL: copied from a kept template)."""
        if self.sqlite:
            return False
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [self.name])
            return cursor.fetchone() is not None

    def take(self) -> None:
        if self.sqlite:
            self._keeper = sqlite3.connect(self._uri, uri=True)  # holds the in-memory database for the session
            connection_created.connect(self._attach, weak=False)
            self._attach(connection=connection)
        with connection.cursor() as cursor:
            if not self.sqlite:
                cursor.execute(f"DROP SCHEMA IF EXISTS {self.name} CASCADE")
                cursor.execute(f"CREATE SCHEMA {self.name}")
            for table in self.tables:
                cursor.execute(f"CREATE TABLE {self.name}.{self._q(table)} AS SELECT * FROM {self._q(table)}")

    def _tables_with_rows(self, cursor: Any) -> list[str]:
        """The tables that hold any row, in one query (at a test's start: the few the migrations fill)."""
        exists = " UNION ALL ".join(
            f"SELECT '{table}' WHERE EXISTS (SELECT 1 FROM {self._q(table)})" for table in self.tables
        )
        cursor.execute(exists)
        return [row[0] for row in cursor.fetchall()]

    def _emptying(self, cursor: Any) -> list[str]:
        """Statements that empty every table. Only the tables holding rows are touched: a flush of all of them
        (TRUNCATE on PostgreSQL) cost 4 s a test there, and as much again to roll back, where a DELETE of the
        migrations' few rows costs 20 ms. The audit trail refuses DELETE (its append-only trigger): when it has
        rows (the session's own restore, after building the demo), those tables are flushed as before."""
        full = self._tables_with_rows(cursor)
        if AUDIT_TABLE in full:
            return list(connection.ops.sql_flush(no_style(), full, allow_cascade=True))
        return [f"DELETE FROM {self._q(table)}" for table in full]

    def restore(self) -> None:
        """Every table emptied and filled from the snapshot, in one transaction (foreign keys are checked at
        its end), then the id sequences moved past the copied rows."""
        models = apps.get_models(include_auto_created=True)
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in self._emptying(cursor):
                cursor.execute(sql)
            for table in self.tables:
                cursor.execute(f"INSERT INTO {self._q(table)} SELECT * FROM {self.name}.{self._q(table)}")
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
        ContentType.objects.clear_cache()

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DETACH DATABASE {self.name}" if self.sqlite else f"DROP SCHEMA {self.name} CASCADE")
        if self._keeper is not None:
            connection_created.disconnect(self._attach)
            self._keeper.close()


@pytest.fixture(scope="session")
def _demo_snapshot(
    django_db_setup: Any, django_db_blocker: Any, _fast_password_hashing: None, _tasks_inline: None
) -> Iterator[Snapshot]:
    """The demo built as the tests see it (its passwords hashed as the tests hash them, its tasks run inline)."""
    with django_db_blocker.unblock():
        demo = Snapshot("medlead_demo")
        if not demo.exists():
            before = Snapshot("medlead_before_demo")
            before.take()
            call_command("demo_trust", "--doctors", str(DEMO_DOCTORS))
            demo.take()
            before.restore()
            before.drop()
            template_db.keep(demo=True)  # later runs copy the test database with the snapshot in it
    yield demo
    with django_db_blocker.unblock():
        demo.drop()


@pytest.fixture
def demo_trust(_demo_snapshot: Snapshot, request: pytest.FixtureRequest) -> None:
    """The demo trust (``DEMO_DOCTORS`` doctors, trust DEM001, the demo accounts) in this test's database."""
    if not any(request.node.iter_markers("django_db")):
        request.getfixturevalue("db")
    _demo_snapshot.restore()
