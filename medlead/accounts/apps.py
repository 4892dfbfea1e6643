from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "medlead.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medlead.accounts import permissions  # noqa: F401  (registers the rules)
