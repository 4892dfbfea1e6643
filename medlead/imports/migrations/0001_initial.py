"""The import batch moves here from the organisation app, keeping its table (``organisation_importbatch``) and every
row in it: this changes Django's state only. ``organisation.0009`` removes the model from the organisation app's state
and depends on this migration, so the model is never in both apps, nor in neither, whichever app migrates first."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("organisation", "0008_import_checking"),  # the table as it stands
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ImportBatch",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("kind", models.CharField(max_length=20)),
                        ("filename", models.CharField(max_length=255)),
                        ("content", models.BinaryField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("checking", "Being checked"),
                                    ("checked", "Checked (dry run)"),
                                    ("invalid", "Has errors"),
                                    ("queued", "Queued"),
                                    ("applied", "Imported"),
                                    ("failed", "Failed: nothing changed"),
                                ],
                                default="checked",
                                max_length=10,
                            ),
                        ),
                        ("summary", models.JSONField(default=dict)),
                        ("params", models.JSONField(blank=True, default=dict)),
                        (
                            "created_by",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "trust",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="organisation.trust",
                            ),
                        ),
                    ],
                    options={"db_table": "organisation_importbatch", "ordering": ["-created_at"]},
                ),
            ],
            database_operations=[],
        ),
    ]
