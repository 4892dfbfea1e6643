from django.apps import AppConfig


class FitProperConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "medlead.fitproper"
    verbose_name = "Fit and proper person test (board members)"
