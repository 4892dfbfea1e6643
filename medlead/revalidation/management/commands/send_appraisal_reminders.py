from typing import Any

from django.core.management.base import BaseCommand

from medlead.core import dates
from medlead.organisation.models import Trust
from medlead.revalidation.tasks import send_appraisal_reminders


class Command(BaseCommand):
    help = "Queue appraisal reminders for every trust (run daily, e.g. from cron or Celery beat)."

    def handle(self, *args: Any, **options: Any) -> None:
        today = dates.today().isoformat()
        for trust_id in Trust.objects.values_list("pk", flat=True):
            send_appraisal_reminders.delay(trust_id, today)
        self.stdout.write("Reminders queued.")
