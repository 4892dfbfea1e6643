"""The structure's kind of import: posts and their holders."""

from __future__ import annotations

from medlead.core.imports import Kind, register
from medlead.core.policy import Perm
from medlead.structure.imports import POST_OPTIONAL, POST_REQUIRED, POSTS

register(
    Kind(
        code="posts",
        label="Posts and holders",
        perm=Perm.RUN_IMPORT,
        required=POST_REQUIRED,
        optional=POST_OPTIONAL,
        example=(
            (
                "CD-CARD",
                "Clinical director, cardiology",
                "clinical_director",
                "Medicine",
                "Cardiology",
                "2",
                "2.5",
                "yes",
                "AMD-MED",
                "1234567",
                "2025-04-01",
                "",
                "no",
            ),
        ),
        runner=POSTS.run,
        describer=POSTS.describe,
        title="Import posts and holders",
        about="structure/import_about.jinja",
    )
)
