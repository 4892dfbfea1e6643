from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "medlead.transfers"
    label = "transfers"
    verbose_name = "Information transfers between responsible officers"
    default_auto_field = "django.db.models.BigAutoField"
