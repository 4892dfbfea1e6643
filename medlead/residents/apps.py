from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "medlead.residents"
    label = "residents"
    verbose_name = "Resident doctors' own rota (My rota and the personal calendar feed)"
