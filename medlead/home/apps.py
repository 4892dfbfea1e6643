from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The pages composed from every app: the trusts list, each trust's home page ("What needs you" and the board's
    picture), the 403 page and the health checks. It sits above the domain apps and nothing imports it."""

    name = "medlead.home"
    label = "home"
    default_auto_field = "django.db.models.BigAutoField"
