"""Each app declares its records' workflows in its own ``workflows.py``; core finds them all by name."""

from __future__ import annotations

from medlead.core.workflows import named, registered
from medlead.development.workflows import DEVELOPMENT_PLAN, MENTORSHIP, OPENING
from medlead.imports.workflows import IMPORT_BATCH
from medlead.jobplans.workflows import JOB_PLAN
from medlead.leadership.workflows import FEEDBACK_CYCLE
from medlead.revalidation.workflows import APPRAISAL
from medlead.rota.workflows import EXCEPTION_REPORT


def test_every_apps_workflow_is_registered_once_under_its_name() -> None:
    declared = (
        JOB_PLAN,
        APPRAISAL,
        DEVELOPMENT_PLAN,
        MENTORSHIP,
        OPENING,
        FEEDBACK_CYCLE,
        EXCEPTION_REPORT,
        IMPORT_BATCH,
    )
    assert set(declared) <= set(registered())
    assert len({w.name for w in registered()}) == len(registered())
    for workflow in declared:
        assert named(workflow.name) is workflow
