from django.apps import AppConfig


class TalentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "medlead.talent"
    verbose_name = "Talent and succession"
