from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from medlead.leadership.frameworks import load_national

    load_national(apps.get_model("leadership", "Framework"), apps.get_model("leadership", "FrameworkItem"))


class Migration(migrations.Migration):
    dependencies = [("leadership", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
