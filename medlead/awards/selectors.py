"""Reads for award applications: the medical director's summary, with equality data in aggregate only and small
numbers suppressed (core.stats.suppress_small)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from medlead.awards.models import Application, Status
from medlead.awards.services import rules
from medlead.concerns.selectors import doctor_has_open_case
from medlead.core.policy import Perm, can
from medlead.core.stats import suppress_small
from medlead.organisation.models import EthnicGroup, Sex


def summary(*, trust: Any) -> dict[str, Any]:
    """Applications by round and status, awards by level, and applicants and awardees by sex and ethnic group,
    counts under the threshold hidden. Two queries."""

    fields = ("round_year", "status", "level_awarded", "person__equality__sex", "person__equality__ethnic_group")
    apps: list[dict[str, Any]] = [
        dict(zip(fields, row, strict=True))
        for row in Application.objects.filter(trust=trust).exclude(status=Status.DRAFT).values_list(*fields)
    ]
    minimum = int(rules()["suppress_below"])
    status_names = dict(Status.choices)
    rounds: dict[int, Counter[str]] = {}
    for a in apps:
        rounds.setdefault(a["round_year"], Counter())[status_names[a["status"]]] += 1
    awarded = [a for a in apps if a["status"] == Status.AWARDED]
    sexes, groups = dict(Sex.choices), dict(EthnicGroup.choices)

    def by(key: str, names: dict[str, str], rows: list[dict[str, Any]]) -> dict[str, int | None]:
        counts = Counter(names.get(r[key] or "", "Not stated") for r in rows)
        return suppress_small(dict(counts), minimum)

    return {
        "rounds": sorted(((year, dict(c)) for year, c in rounds.items()), reverse=True),
        "levels": suppress_small(dict(Counter(a["level_awarded"] for a in awarded)), minimum),
        "equality": [
            ("Applicants by sex", by("person__equality__sex", sexes, apps)),
            ("Awardees by sex", by("person__equality__sex", sexes, awarded)),
            ("Applicants by ethnic group", by("person__equality__ethnic_group", groups, apps)),
            ("Awardees by ethnic group", by("person__equality__ethnic_group", groups, awarded)),
        ],
        "minimum": minimum,
    }


def open_case_known(actor: Any, app: Application) -> bool:
    """Whether to tell the verifier that an open MHPS case exists (never its content): as the responsible officer's
    queue is told."""

    return can(actor, Perm.VERIFY_AWARD, app) and doctor_has_open_case(app.person)
