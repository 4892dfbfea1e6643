from django.apps import AppConfig


class LeadershipConfig(AppConfig):
    name = "medlead.leadership"
    label = "leadership"
    verbose_name = "Leadership frameworks, self-assessment and 360 feedback"
    default_auto_field = "django.db.models.BigAutoField"
