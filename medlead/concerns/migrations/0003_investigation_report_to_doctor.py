"""The day the doctor received the investigation's report (their 10 days for comments count from it), and the
report's due date of every investigation still waiting for its report counted again from the case investigator's
appointment (4 weeks and 5 further days, MHPS Part I as data/mhps.yaml gives it on this migration's date), not
from the day the investigation was recorded as started."""

import datetime as dt
from typing import Any

from django.db import migrations, models

# data/mhps.yaml when this migration was written: investigation.complete_days + investigation.report_further_days
REPORT_DAYS = 28 + 5


def recount(apps: Any, schema_editor: Any) -> None:
    Investigation = apps.get_model("concerns", "Investigation")
    CaseRole = apps.get_model("concerns", "CaseRole")
    first: dict[int, dt.date] = {}
    for case_id, appointed_on in CaseRole.objects.filter(role="case_investigator").values_list(
        "case_id", "appointed_on"
    ):
        first[case_id] = min(appointed_on, first.get(case_id, appointed_on))
    for inv in Investigation.objects.filter(report_received_on__isnull=True):
        if inv.case_id in first:
            inv.report_due = first[inv.case_id] + dt.timedelta(days=REPORT_DAYS)
            inv.save(update_fields=["report_due"])


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0002_auditor_role"),
    ]

    operations = [
        migrations.AddField(
            model_name="investigation",
            name="report_to_doctor_on",
            field=models.DateField(blank=True, null=True, verbose_name="the doctor received the report on"),
        ),
        migrations.RunPython(recount, migrations.RunPython.noop),
    ]
