from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "medlead.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from medlead.accounts.models import User
        from medlead.core import kept

        # written at every sign-in, by anyone in any trust; shown by no kept page (ADR 0039)
        kept.unshown(User._meta.db_table, "last_login")
