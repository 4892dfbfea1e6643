from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from medlead.development.catalogue import load as load_catalogue

    load_catalogue(apps.get_model("development", "Opportunity"), apps.get_model("leadership", "FrameworkItem"))


class Migration(migrations.Migration):
    dependencies = [("development", "0001_initial"), ("leadership", "0002_national_frameworks")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
