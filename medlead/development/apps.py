from django.apps import AppConfig


class DevelopmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "medlead.development"
    verbose_name = "Leadership development plans"

    def ready(self) -> None:
        from medlead.development.selectors import evidence_counts  # inline: models load only once apps are ready
        from medlead.leadership.hooks import EVIDENCE_COUNTS  # inline: as above

        EVIDENCE_COUNTS.answer_with(evidence_counts)
