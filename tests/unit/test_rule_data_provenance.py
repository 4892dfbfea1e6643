"""Every rule medlead reads from data/ carries its source and the date it applies from (issue 13)."""

from __future__ import annotations

import datetime as dt

from medlead.core.reference_data import read


def test_every_exception_reporting_version_has_sources_and_a_date() -> None:
    for version in read("exception_reporting.yaml")["versions"]:
        assert version["sources"] and isinstance(version["in_force_from"], dt.date), version["code"]


def test_every_guardian_fine_has_a_source_and_a_date() -> None:
    for category in read("guardian_fines.yaml")["categories"]:
        assert category["source"] and isinstance(category["applies_from"], dt.date), category["code"]


def test_every_revalidation_rule_has_a_source_and_a_date() -> None:
    data = read("revalidation.yaml")
    provenance = data["provenance"]
    keys = [k for k in data if k not in ("version", "provenance")]
    for key in keys:
        nested = data[key]
        names = [f"{key}.{k}" for k in nested] if isinstance(nested, dict) else [key]
        for name in names:
            entry = provenance.get(name) or provenance.get(key)
            assert entry and entry["source"] and isinstance(entry["applies_from"], dt.date), name
