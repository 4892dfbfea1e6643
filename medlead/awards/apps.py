from django.apps import AppConfig


class AwardsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "medlead.awards"
    verbose_name = "National Clinical Impact Awards (the employer's part)"
