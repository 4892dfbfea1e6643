"""On PostgreSQL, the audit table refuses UPDATE and DELETE at the database: not even code or a person with direct
SQL access through medlead's own database role can rewrite a row of the trail. (SQLite, for `make run` only, has
no such guard.) TRUNCATE is left to privileges: production revokes it from medlead's role (README, "Deploying at
scale"); the test suite's database flush uses it. A deliberate purge under a retention policy must drop the
trigger first, which is itself visible."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION medlead_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit trail is append-only: % is refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION medlead_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS medlead_audit_append_only();
"""


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
