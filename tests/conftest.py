from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from _pytest.nodeid import NodeId
from django.test import Client
from hypothesis import settings as hypothesis_settings

from medlead.accounts.models import Role, User
from medlead.organisation.models import Trust
from tests import template_db
from tests.demo_db import _demo_snapshot, demo_trust  # noqa: F401 (fixtures)
from tests.factories import TrustFactory, make_user

# Hypothesis: the suite's properties try 100 examples each, with no per-example deadline (a loaded machine is not a
# failure); `HYPOTHESIS_PROFILE=thorough pytest tests/unit` tries 1,000 each (ADR 0029). A property that sets its own
# max_examples keeps it under both.
hypothesis_settings.register_profile("suite", max_examples=100, deadline=None)
hypothesis_settings.register_profile("thorough", max_examples=1000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by tests are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Keeps each ``xdist_group`` on one worker. pytest-xdist 3.8 (``--dist loadgroup``) marks a grouped test by
    writing ``<node id>@<group>`` to the item's ``_nodeid``, which pytest 9.2 no longer reads (a node's id is its
    ``_id``); without this, a group is spread over the workers like any other test. The scheduler sends the largest
    group first, so a group must not use the test database: a transactional test's flush empties the migrations'
    reference data for the ordinary tests after it (ADR 0029, update). Only the deployment test is grouped."""
    for item in items:
        grouped = item.__dict__.get("_nodeid")
        if grouped and grouped != item.nodeid:
            assert not any(item.iter_markers("django_db")), f"{item.nodeid}: a group on the test database"
            item._id = NodeId.parse(grouped)


@pytest.fixture(scope="session", autouse=True)
def _every_page_module_imported() -> None:
    """Every view, service and selector imported before the first test, as a server has them after its first
    request. 47 modules bind ``today`` from ``medlead.core.dates`` when imported: one first imported inside a test
    that replaces ``dates.today`` (``monkeypatch``) would keep that test's day for the rest of the session."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (importing every urls module imports the views and what they use)
    # A test process keeps what it imported for the whole run: out of the garbage collector's sight (``gc.freeze``),
    # and its young generations collected less often, a form sweep and the job-plan tests ran 7-10% faster (ADR 0029,
    # 7 December 2026). Garbage in a cycle is still collected, later; only how often the test process looks changes.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


def _flush_steps_around_the_audit_triggers() -> None:
    """Emptying every table between tests (pytest-django's flush, the demo snapshot's restore) deletes audit rows,
    which SQLite's append-only triggers refuse (audit/migrations/0003). Here, and only here, the flush drops the
    triggers, empties the tables and puts the triggers back, in its one transaction; PostgreSQL's flush is a
    TRUNCATE, which its row trigger does not see. Every test still runs with the triggers in force."""
    from importlib import import_module

    from django.db.backends.sqlite3.base import DatabaseWrapper  # its module imports the operations' module

    DatabaseOperations = DatabaseWrapper.ops_class
    triggers = import_module("medlead.audit.migrations.0003_append_only_on_sqlite")
    flush = DatabaseOperations.sql_flush

    def sql_flush(self: Any, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements = flush(self, style, tables, **kwargs)
        if "audit_auditevent" not in tables or not statements:
            return statements
        return [*triggers.DROP, *statements, *triggers.CREATE]

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]


_flush_steps_around_the_audit_triggers()


def _flush_only_tables_with_rows_on_postgresql() -> None:
    """After each transactional test (the browser walks, single sign-on) pytest-django flushes the database:
    PostgreSQL's flush is one TRUNCATE of every table, 117 of them, 3-10 s a test on these machines, most of them
    already empty. Here the flush finds the tables holding rows (one query) and DELETEs their rows in its one
    transaction (foreign keys are checked at its end); the audit trail, whose trigger refuses DELETE, is still
    truncated. The tables end empty as before; a flush that resets sequences is left as Django writes it."""
    from django.db import connections

    operations = type(connections["default"].ops)
    if connections["default"].vendor != "postgresql":
        return
    flush = operations.sql_flush

    def sql_flush(self: Any, style: Any, tables: Any, *, reset_sequences: bool = False, **kwargs: Any) -> list[str]:
        if reset_sequences or not tables:
            return flush(self, style, tables, reset_sequences=reset_sequences, **kwargs)
        quote = self.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute(
                " UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(table)})" for table in tables),
                list(tables),
            )
            full = [row[0] for row in cursor.fetchall()]
        audit = [f"TRUNCATE {quote(table)} CASCADE" for table in full if table == "audit_auditevent"]
        return [*audit, *(f"DELETE FROM {quote(table)}" for table in full if table != "audit_auditevent")]

    operations.sql_flush = sql_flush  # type: ignore[method-assign]


_flush_only_tables_with_rows_on_postgresql()


@pytest.fixture(scope="session")
def django_db_keepdb(
    request: pytest.FixtureRequest, django_db_modify_db_settings: None, django_db_blocker: Any
) -> bool:
    """Keeps the test database (pytest-django's ``--reuse-db``), or makes it from the migrated template an earlier
    run kept (``tests.template_db``): Django's migrate then finds nothing to apply."""
    if request.config.getvalue("reuse_db") or request.config.getvalue("create_db"):
        return bool(request.config.getvalue("reuse_db")) and not request.config.getvalue("create_db")
    with django_db_blocker.unblock():
        return template_db.copy_kept()


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_keepdb: bool, django_db_blocker: Any, request: pytest.FixtureRequest
) -> Iterator[None]:
    """pytest-django's test database; a freshly migrated one is kept as the template for later runs, and one copied
    from a template is dropped at the end, as pytest-django drops one it made."""
    copied = django_db_keepdb and not request.config.getvalue("reuse_db")
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            template_db.keep()
    yield
    if copied:
        with django_db_blocker.unblock():
            template_db.drop_copy()


@pytest.fixture(autouse=True, scope="session")
def _demo_first(request: pytest.FixtureRequest) -> None:
    """The demo's snapshot, when any test collected asks for the demo, made before the first test: while nothing else
    (a live server's thread) is connected to the test database, so that it can be kept with the snapshot in it."""
    if any("demo_trust" in getattr(item, "fixturenames", ()) for item in request.session.items):
        request.getfixturevalue("_demo_snapshot")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> None:
    """Tests sign in thousands of times: hash with MD5 here (never in production), not a million PBKDF2 rounds."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _files_of_this_worker(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Uploaded files and file-based emails go to a folder of this test process (each pytest-xdist worker has its
    own, under pytest's temporary folder), never to var/, which `make run` and the other workers share."""
    from django.conf import settings

    folder = tmp_path_factory.mktemp("var")
    settings.MEDIA_ROOT = folder / "media"
    settings.EMAIL_FILE_PATH = str(folder / "mail")


@pytest.fixture(autouse=True, scope="session")
def _pages_kept() -> None:
    """Pages keep what they build (``core.kept``) in every test run, as in production: a test process is one process,
    so its in-memory cache is shared by all that writes (`make test` runs without MEDLEAD_ENV, where the default
    would be off)."""
    from django.conf import settings

    settings.MEDLEAD_KEEP_PAGES = True


@pytest.fixture(autouse=True, scope="session")
def _tasks_inline() -> None:
    """Tests run tasks in the caller (eagerly), not on the task queue `make run` starts; a test of the queue itself
    (a real worker) sends its tasks to a broker of its own."""
    from django.conf import settings

    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: what one test's pages kept (``core.kept``, under that test's settings and
    clock) is not served in the next, and one test's sign-in attempts are not counted in another's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def trust(db: None) -> Trust:
    return TrustFactory()


@pytest.fixture
def other_trust(db: None) -> Trust:
    return TrustFactory()


@pytest.fixture
def md_user(trust: Trust) -> User:
    return make_user((Role.MEDICAL_DIRECTOR, trust), username="md-test")


@pytest.fixture
def doctor_user(trust: Trust) -> User:
    return make_user((Role.DOCTOR, trust), username="doctor-test")


def text_of(html: str) -> str:
    """The page's words, without tags or runs of white space."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
