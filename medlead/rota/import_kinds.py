"""The rota's kind of import: a whole rota, one row per shift or on-call period, with its name and rules."""

from __future__ import annotations

from medlead.core.imports import Kind, register
from medlead.core.policy import Perm
from medlead.rota.forms import RotaImportOptions
from medlead.rota.services import IMPORT_OPTIONAL, IMPORT_REQUIRED, rota_import_run

register(
    Kind(
        code="rota",
        label="A rota",
        perm=Perm.MANAGE_ROTAS,
        required=IMPORT_REQUIRED,
        optional=IMPORT_OPTIONAL,
        example=(
            ("1234567", "2026-01-05T08:00", "2026-01-05T17:00", "shift", "false"),
            ("1234567", "2026-01-06T17:00", "2026-01-07T09:00", "on_call", "false"),
        ),
        runner=rota_import_run,
        options=RotaImportOptions,
        title="Import a rota",
        section="rotas",
        about="rota/import_about.jinja",
    )
)
