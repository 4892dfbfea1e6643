from django.apps import AppConfig


class JobplansConfig(AppConfig):
    name = "medlead.jobplans"
    label = "jobplans"
    verbose_name = "Consultant job planning"
    default_auto_field = "django.db.models.BigAutoField"
