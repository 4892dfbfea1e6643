from django.apps import AppConfig

from medlead.core.tasks import register_address_book


class OrganisationConfig(AppConfig):
    name = "medlead.organisation"
    label = "organisation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # inline: the selectors import the models, which load only once every app is registered
        from medlead.organisation.selectors import email_addresses

        # the people's addresses that core's email task reads when it sends (core imports no app)
        register_address_book(email_addresses)
