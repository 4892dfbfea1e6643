from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "medlead.concerns"
    verbose_name = "Concerns about practice (MHPS)"
