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


def _every_key_has_provenance(name: str) -> None:
    data = read(name)
    provenance = data["provenance"]
    for key in data:
        if key in ("version", "provenance", "source"):
            continue
        entry = provenance.get(key)
        assert entry and entry["source"] and isinstance(entry["applies_from"], dt.date), f"{name}: {key}"


def test_every_job_planning_value_and_contract_has_a_source_and_a_date() -> None:
    _every_key_has_provenance("job_planning.yaml")
    for code, contract in read("job_planning.yaml")["contracts"].items():
        assert contract["source"] and isinstance(contract["applies_from"], dt.date), code


def test_every_mhps_rule_has_a_source_and_a_date() -> None:
    _every_key_has_provenance("mhps.yaml")


def test_every_year_of_public_holidays_has_a_source_and_unconfirmed_years_say_so() -> None:
    data = read("public_holidays.yaml")
    for year in data["england"]:
        entry = data["provenance"][year]
        assert entry["source"] and entry["applies_from"] == dt.date(year, 1, 1), year
        if entry["source"] != "GOV.UK":
            assert entry.get("note") == "NOT VERIFIED", year


def test_the_fine_calculation_and_the_v13_additions_have_sources() -> None:
    calculation = read("guardian_fines.yaml")["calculation"]
    assert "NOT VERIFIED" in calculation["source"] and isinstance(calculation["applies_from"], dt.date)
    v13 = next(v for v in read("exception_reporting.yaml")["versions"] if v["code"] == "v13")
    assert v13["early_adoption_source"] and "NOT VERIFIED" in v13["verification_tiers_source"]


def test_every_rota_rule_set_has_a_source_and_a_date_and_each_rule_a_source() -> None:
    from medlead.rota.engine import available, load

    for rule_set in available():
        rules = load(rule_set)
        assert isinstance(rules.applies_from, dt.date), rule_set
        for rule in rules.rules:
            assert rules.source(rule), (rule_set, rule)


def test_every_fit_and_proper_check_has_a_source_and_the_framework_its_date() -> None:
    data = read("fppt.yaml")
    assert data["applies_from"] == dt.date(2023, 9, 30)
    for check in data["checks"]:
        assert check["source"] and set(check["at"]) <= {"appointment", "annual"}, check["code"]
    _every_key_has_provenance("fppt.yaml")


def test_every_board_report_section_and_metric_and_spc_parameter_has_a_source() -> None:
    _every_key_has_provenance("board_report.yaml")
    for metric in read("board_report.yaml")["computed"]:
        assert metric["source"], metric["code"]
    _every_key_has_provenance("spc.yaml")


def test_the_award_domains_and_verification_have_sources() -> None:
    data = read("awards.yaml")
    assert [d["name"] for d in data["domains"]] == [
        "Service delivery and development",
        "Leadership",
        "Education, training and people development",
        "Innovation and research",
        "Additional national impact",
    ]
    _every_key_has_provenance("awards.yaml")
    assert "NOT VERIFIED" in data["provenance"]["verification"]["source"]


def test_the_fhir_identifier_systems_have_sources_and_say_they_are_unconfirmed() -> None:
    _every_key_has_provenance("fhir.yaml")
    assert all("NOT VERIFIED" in v["source"] for v in read("fhir.yaml")["provenance"].values())


def test_every_entry_of_the_new_rule_lists_carries_its_source_and_date_and_unconfirmed_ones_say_so() -> None:
    entries = [
        *read("fppt.yaml")["checks"],
        *read("awards.yaml")["domains"],
        *read("awards.yaml")["verification"],
        *read("board_report.yaml")["sections"],
        *read("board_report.yaml")["computed"],
        *next(v for v in read("exception_reporting.yaml")["versions"] if v["code"] == "v13")["verification_tiers"],
    ]
    for entry in entries:
        assert entry["source"] and isinstance(entry["applies_from"], dt.date), entry["code"]
    for item in read("awards.yaml")["verification"]:
        assert "NOT VERIFIED" in item["source"], item["code"]
    for tier in next(v for v in read("exception_reporting.yaml")["versions"] if v["code"] == "v13")[
        "verification_tiers"
    ]:
        assert "NOT VERIFIED" in tier["source"], tier["code"]


def test_every_national_file_layout_has_a_source_a_date_and_says_whether_it_was_verified() -> None:
    for layout in read("import_layouts.yaml")["layouts"]:
        assert layout["source"] and isinstance(layout["applies_from"], dt.date), layout["code"]
        assert layout["verified"] is False, f"{layout['code']}: no layout has been confirmed against a live download"
