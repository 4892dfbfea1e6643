"""The board's kind of import: values of the trust's own metrics (incidents, complaints, mortality...)."""

from __future__ import annotations

from medlead.core.imports import Kind, register
from medlead.core.policy import Perm
from medlead.governance.services import IMPORT_OPTIONAL, IMPORT_REQUIRED, values_import_run

register(
    Kind(
        code="metric_values",
        label="Metric values (incidents, complaints, mortality and the trust's other measures)",
        perm=Perm.MANAGE_METRICS,
        required=IMPORT_REQUIRED,
        optional=IMPORT_OPTIONAL,
        example=(("shmi", "2026-04-01", "1.02"), ("incidents", "2026-04-01", "312")),
        runner=values_import_run,
        title="Import metric values",
        section="board",
        about="governance/import_about.jinja",
    )
)
