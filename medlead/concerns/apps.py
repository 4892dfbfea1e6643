from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "medlead.concerns"
    verbose_name = "Concerns about practice (MHPS)"

    def ready(self) -> None:
        from medlead.concerns.selectors import doctor_has_open_case  # inline: models load only once apps are ready
        from medlead.revalidation.hooks import OPEN_MHPS_CASE  # inline: as above

        OPEN_MHPS_CASE.answer_with(doctor_has_open_case)
