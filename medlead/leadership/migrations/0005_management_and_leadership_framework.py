"""Load NHS England's Management and Leadership Framework (data/frameworks/mlf-2025.yaml) into databases migrated
before it was added; the loader is idempotent, so the other national frameworks are left as they are."""

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from medlead.leadership.frameworks import load_national  # inline: a migration loads the data files when it runs

    load_national(apps.get_model("leadership", "Framework"), apps.get_model("leadership", "FrameworkItem"))


class Migration(migrations.Migration):
    dependencies = [("leadership", "0004_rater_approval")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
