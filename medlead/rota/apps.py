from django.apps import AppConfig


class RotaConfig(AppConfig):
    name = "medlead.rota"
    label = "rota"
    verbose_name = "Rotas, exception reports and the guardian of safe working hours"
    default_auto_field = "django.db.models.BigAutoField"
