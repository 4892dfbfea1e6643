from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "medlead.governance"
    verbose_name = "Board and governance"
    default_auto_field = "django.db.models.BigAutoField"
