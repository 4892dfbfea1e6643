from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created
from django.utils.module_loading import autodiscover_modules

from medlead.core import kept
from medlead.core.logs import install_record_cap

# The modules in which each app declares what it adds to core's mechanisms (docs/ARCHITECTURE.md, "Where things
# live"): ``permissions`` (who may do what: ``core.policy.register``), ``workflows`` (record lifecycles), ``work``
# (the home page's "what needs you" items and the board's picture), ``import_kinds`` (import kinds),
# ``reference_data`` (loaders of data/ for ``manage.py load_reference_data``), ``answers`` (its answers to the
# questions of apps below it: ``core.hooks.Question``). Core imports no app: it finds these by name, in the order the
# apps are installed, once every app's models are loaded.
APP_REGISTRY_MODULES = ("permissions", "workflows", "work", "import_kinds", "reference_data", "answers")


class CoreConfig(AppConfig):
    name = "medlead.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        install_record_cap()  # no log record carries a long submitted value (core.logs)
        autodiscover_modules(*APP_REGISTRY_MODULES)
        connection_created.connect(keep_prepared_statements, dispatch_uid="medlead.keep_prepared_statements")
        connection_created.connect(kept.watch, dispatch_uid="medlead.kept_watch")  # what kept values read changes


def keep_prepared_statements(sender: Any, connection: Any, **kwargs: Any) -> None:
    """How many prepared statements a PostgreSQL connection keeps (``MEDLEAD_PG_PREPARED_MAX``), where it prepares
    them (``MEDLEAD_PG_PREPARE_THRESHOLD``, settings)."""
    if connection.vendor == "postgresql" and connection.settings_dict["OPTIONS"].get("prepare_threshold"):
        connection.connection.prepared_max = settings.MEDLEAD_PG_PREPARED_MAX
