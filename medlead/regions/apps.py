from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "medlead.regions"
    label = "regions"
    verbose_name = "The region's view"
    default_auto_field = "django.db.models.BigAutoField"
