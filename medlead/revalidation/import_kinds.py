"""Revalidation's kind of import: the GMC connection list (medlead's columns or GMC Connect's)."""

from __future__ import annotations

from medlead.core.imports import Kind, register
from medlead.core.policy import Perm
from medlead.revalidation.services import IMPORT_OPTIONAL, IMPORT_REQUIRED, connections_import_run

register(
    Kind(
        code="connections",
        label="GMC connections (designated body connection list)",
        perm=Perm.MANAGE_APPRAISALS,
        required=IMPORT_REQUIRED,
        optional=IMPORT_OPTIONAL,
        example=(("1234567", "2027-03-31", "2022-04-01", "Dr Ada Lovelace"),),
        runner=connections_import_run,
        title="Import the connection list",
        section="revalidation",
        about="revalidation/import_about.jinja",
    )
)
