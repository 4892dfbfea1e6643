"""The organisation's kind of import: people, from a staff list (medlead's columns or the ESR extract's)."""

from __future__ import annotations

from medlead.core.imports import Kind, register
from medlead.core.policy import Perm
from medlead.organisation.imports import PEOPLE, PEOPLE_OPTIONAL, PEOPLE_REQUIRED

register(
    Kind(
        code="people",
        label="People (ESR-style staff extract)",
        perm=Perm.RUN_IMPORT,
        required=PEOPLE_REQUIRED,
        optional=PEOPLE_OPTIONAL,
        example=(
            (
                "Ada",
                "Lovelace",
                "E1234567",
                "1234567",
                "doctor",
                "ada.lovelace@nhs.net",
                "consultant",
                "",
                "Cardiology",
                "Medicine",
                "permanent",
                "1.0",
                "10",
                "yes",
                "yes",
            ),
        ),
        runner=PEOPLE.run,
        describer=PEOPLE.describe,
        title="Import people",
        about="organisation/import_about.jinja",
        fingerprinted=True,
    )
)
