from django.apps import AppConfig


class RulebookConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "medlead.rulebook"
    verbose_name = "Rules and values in force (national values and each trust's confirmations)"
