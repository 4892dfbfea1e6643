"""The demo trust's rules and values in force: its medical workforce lead (``hr``) has confirmed some national
values against the trust's copy of their sources; the rest await the trust's confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from medlead.organisation.models import Trust
from medlead.rulebook import catalogue, services

# (file, key, the document checked, its date, where in it)
CONFIRMED = [
    (
        "guardian_fines.yaml",
        f"calculation.{version}.{key}",
        title,
        date,
        "schedule 5 (fines)",
    )
    for version, title, date in (
        (
            "v12",
            "Terms and conditions of service for NHS doctors and dentists in training (England) 2016",
            dt.date(2016, 8, 3),
        ),
        (
            "v13",
            "Terms and conditions of service for NHS resident doctors (England) 2016, version 13",
            dt.date(2025, 9, 19),
        ),
    )
    for key in ("penalty_multiplier", "doctor_multiplier", "guardian_multiplier")
] + [
    (
        "mhps.yaml",
        "exclusion.immediate_max_days",
        "Maintaining High Professional Standards in the Modern NHS",
        dt.date(2005, 2, 17),
        "Part II, immediate exclusion",
    ),
    (
        "fppt.yaml",
        "checks.qualifications.at",
        "NHS England Fit and Proper Person Test Framework for board members",
        dt.date(2023, 8, 2),
        "annex: checks at appointment and each year",
    ),
]


def build(*, trust: Trust, lead: Any, today: dt.date) -> None:
    """``lead`` (the medical workforce lead) confirms the values above, from 1 April of this financial year."""
    applies_from = dt.date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    for file, key, title, date, detail in CONFIRMED:
        national = catalogue.value(file, key, applies_from)
        if national is None:
            continue
        services.confirm(
            actor=lead,
            trust=trust,
            file=file,
            key=key,
            value=national.value,
            applies_from=applies_from,
            document_title=title,
            document_date=date,
            document_detail=detail,
            note="Checked against the trust's copy.",
        )
