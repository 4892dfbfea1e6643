"""On SQLite too, the audit table refuses UPDATE and DELETE at the database, bulk ``QuerySet.update()`` and
``.delete()`` included (the model's own ``save`` and ``delete`` refuse single rows; PostgreSQL has had its trigger
since 0002). SQLite has no TRUNCATE and no way to switch a trigger off: a deliberate purge drops the triggers first
(``DROP``), which is itself visible. The test suite, which empties every table between some tests, does exactly
that around its flush (tests/conftest.py)."""

from django.db import migrations

CREATE = (
    "CREATE TRIGGER IF NOT EXISTS audit_append_only_update BEFORE UPDATE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: UPDATE is refused'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_append_only_delete BEFORE DELETE ON audit_auditevent "
    "BEGIN SELECT RAISE(ABORT, 'The audit trail is append-only: DELETE is refused'); END",
)
DROP = (
    "DROP TRIGGER IF EXISTS audit_append_only_update",
    "DROP TRIGGER IF EXISTS audit_append_only_delete",
)


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        for sql in CREATE:
            schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "sqlite":
        for sql in DROP:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [migrations.RunPython(forwards, backwards)]
