from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "medlead.feedback"
    label = "feedback"
    verbose_name = "Colleague and patient feedback for revalidation"
    default_auto_field = "django.db.models.BigAutoField"
