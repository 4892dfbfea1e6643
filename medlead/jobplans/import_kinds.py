"""Job planning's kind of import: job-plan activities, one row each."""

from __future__ import annotations

from medlead.core.imports import Kind, register
from medlead.core.policy import Perm
from medlead.jobplans.services import IMPORT_OPTIONAL, IMPORT_REQUIRED, plans_import_run

register(
    Kind(
        code="job_plans",
        label="Job-plan activities",
        perm=Perm.MANAGE_JOB_PLANS,
        required=IMPORT_REQUIRED,
        optional=IMPORT_OPTIONAL,
        example=(
            # doctor, year, category, title, frequency, weekday, start, end, every_n_weeks, annual_hours,
            # annual_premium_hours, location, post_code
            ("1234567", "2026", "dcc", "Clinic", "weekly", "monday", "09:00", "13:00", "", "", "", "OPD", ""),
            ("1234567", "2026", "spa", "Audit and governance", "annualised", "", "", "", "", "84", "", "", ""),
            ("1234567", "2026", "dcc", "On-call work", "annualised", "", "", "", "", "126", "84", "", ""),
        ),
        runner=plans_import_run,
        title="Import job plans",
        section="jobplans",
        about="jobplans/import_about.jinja",
    )
)
