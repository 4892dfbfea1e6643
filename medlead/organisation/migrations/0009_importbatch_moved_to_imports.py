"""The import batch now belongs to the imports app (``imports.0001``), which took over its table with every row in
it. This removes the model from the organisation app's state only: the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("organisation", "0008_import_checking"),
        ("imports", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ImportBatch")],
            database_operations=[],
        ),
    ]
