"""The Celery application: workers run ``celery -A medlead.config.celery worker``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medlead.config.settings")

app = Celery("medlead")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from medlead.core.logs import connect_celery  # noqa: E402

connect_celery()
