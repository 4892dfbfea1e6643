from django.apps import AppConfig


class LeaveConfig(AppConfig):
    name = "medlead.leave"
    label = "leave"
    verbose_name = "Leave for resident doctors"
    default_auto_field = "django.db.models.BigAutoField"
