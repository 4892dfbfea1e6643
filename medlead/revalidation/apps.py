from django.apps import AppConfig


class RevalidationConfig(AppConfig):
    name = "medlead.revalidation"
    label = "revalidation"
    verbose_name = "Appraisal and revalidation"
    default_auto_field = "django.db.models.BigAutoField"
