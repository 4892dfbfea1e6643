from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from medlead.structure import reference_data

    reference_data.load(
        apps.get_model("structure", "PostType"),
        apps.get_model("structure", "PortfolioArea"),
        apps.get_model("structure", "PortfolioFunction"),
    )


class Migration(migrations.Migration):
    dependencies = [("structure", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
