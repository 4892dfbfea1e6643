"""Leadership's kind of import: a framework of the trust's own, with its name, code and scale."""

from __future__ import annotations

from medlead.core.imports import Kind, register
from medlead.core.policy import Perm
from medlead.leadership.forms import FrameworkImportOptions
from medlead.leadership.services import IMPORT_OPTIONAL, IMPORT_REQUIRED, framework_import_run

register(
    Kind(
        code="framework",
        label="A leadership framework of the trust's own",
        perm=Perm.MANAGE_FRAMEWORKS,
        required=IMPORT_REQUIRED,
        optional=IMPORT_OPTIONAL,
        example=(("Setting direction", "SD1", "Sets a clear direction for the service", ""),),
        runner=framework_import_run,
        options=FrameworkImportOptions,
        title="Import a framework",
        section="leadership",
    )
)
