"""Every file under data/ follows the one schema and is read through ``in_force`` (issue 28; issue 13 before it: every
rule carries its source and the date it applies from, and an unconfirmed one says why)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from medlead.core.reference_data import (
    DATA_DIR,
    RuleFileError,
    dated_entries,
    in_force,
    provenance,
    read,
    validate,
)

# Found by walking the folder, not from a list kept by hand: a new file is checked the day it is added.
FILES = sorted(str(p.relative_to(DATA_DIR)) for p in DATA_DIR.rglob("*") if p.is_file())
DAY = dt.timedelta(days=1)


def test_the_walk_finds_the_data_files() -> None:
    assert "rota_rules/tcs2016.yaml" in FILES and "frameworks/hlm.yaml" in FILES and len(FILES) >= 25


@pytest.mark.parametrize("name", FILES)
def test_every_data_file_follows_the_schema_and_reads_through_in_force(name: str) -> None:
    assert name.endswith(".yaml"), "data/ holds YAML rule files only"
    data = read(name)
    header = provenance(data)
    entries = dated_entries(data)
    assert entries and entries[0] is data, "the file's own header is its first dated entry"
    for entry in entries:
        p = provenance(entry)
        assert p.sources and all(s.strip() for s in p.sources), name
        assert p.verified is True or p.unverified_reason.strip(), name
    first = min(provenance(e).applies_from for e in entries)
    assert in_force(entries, first - DAY) == [], f"{name}: nothing is in force before the first applies_from"
    assert header in [provenance(e) for e in in_force(entries, max(header.applies_from, first))]
    for entry in entries:
        p = provenance(entry)
        assert entry in in_force(entries, p.applies_from)
        if p.applies_until:
            assert entry in in_force(entries, p.applies_until - DAY)
            assert entry not in in_force(entries, p.applies_until), "applies_until is exclusive"


@pytest.mark.parametrize("name", FILES)
def test_not_verified_is_said_only_in_a_verified_field(name: str) -> None:
    for number, line in enumerate((DATA_DIR / name).read_text(encoding="utf-8").splitlines(), start=1):
        if "NOT VERIFIED" in line:
            assert "verified:" in line, f"data/{name}, line {number}: give the reason in a 'verified' field"


def test_a_parameter_file_gives_every_parameter_a_dated_entry() -> None:
    for name in FILES:
        data = read(name)
        for key in data.get("provenance", {}):
            assert provenance(data["provenance"][key]).applies_from, (name, key)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version: 1\nsources: [S1]\napplies_from: 2020-01-01\n", "needs verified"),
        ("version: 1\nsources: [S1]\napplies_from: 2020-01-01\nverified: false\n", "the reason"),
        ("version: 1\nsources: S1\napplies_from: 2020-01-01\nverified: true\n", "list of citations"),
        ("version: 1\nsources: [S1]\napplies_from: 2020\nverified: true\n", "must be a date"),
        (
            "version: 1\nsources: [S1]\napplies_from: 2020-01-01\napplies_until: 2019-01-01\nverified: true\n",
            "after applies_from",
        ),
        ("version: 1\nsources: [S1]\napplies_from: 2020-01-01\nverified: true\nx: {source: S1}\n", "older spelling"),
        ("version: 1\nsources: [S1]\napplies_from: 2020-01-01\nverified: true\nx: 'S1, NOT VERIFIED'\n", "free text"),
        (
            "version: 1\nsources: [S1]\napplies_from: 2020-01-01\nverified: true\nx: 1\ny: 2\n"
            "provenance:\n  x: {sources: [S1], applies_from: 2020-01-01, verified: true}\n",
            "y has no entry",
        ),
        (
            "version: 1\nsources: [S1]\napplies_from: 2020-01-01\nverified: true\nx: {a: 1, b: 2}\n"
            "provenance:\n  x.a: {sources: [S1], applies_from: 2020-01-01, verified: true}\n",
            "x.b has no entry",
        ),
    ],
)
def test_the_loader_refuses_a_file_off_the_schema(text: str, message: str) -> None:
    with pytest.raises(RuleFileError, match=message):
        validate("example.yaml", yaml.safe_load(text))


def test_in_force_gives_the_newer_version_after_it_starts_and_nothing_before_the_first() -> None:
    versions = read("exception_reporting.yaml")["versions"]
    assert in_force(versions, dt.date(2016, 8, 2)) == []
    assert [v["code"] for v in in_force(versions, dt.date(2020, 1, 1))] == ["v12"]
    assert [v["code"] for v in in_force(versions, dt.date(2026, 2, 3))] == ["v12"]
    assert [v["code"] for v in in_force(versions, dt.date(2026, 2, 4))] == ["v13"]
    rule_sets = [read(f"rota_rules/{n}.yaml") for n in ("tcs2016", "tcs2016-2019")]
    assert in_force(rule_sets, dt.date(2016, 8, 2)) == []
    assert [r["id"] for r in in_force(rule_sets, dt.date(2018, 1, 1))] == ["tcs2016"]
    assert [r["id"] for r in in_force(rule_sets, dt.date(2020, 1, 1))] == ["tcs2016-2019"]
    fines = read("guardian_fines.yaml")["categories"]
    # the six 2016 fines, the missed-breaks fine from 7 August 2019, and version 13's two new fines from 4 February 2026
    assert len(in_force(fines, dt.date(2019, 8, 6))) == 6 and len(in_force(fines, dt.date(2019, 8, 7))) == 7
    assert len(in_force(fines, dt.date(2026, 2, 3))) == 7 and len(in_force(fines, dt.date(2026, 2, 4))) == 9
    calculation = read("guardian_fines.yaml")["calculation"]
    assert [c["code"] for c in in_force(calculation, dt.date(2026, 2, 3))] == ["v12"]
    assert [c["code"] for c in in_force(calculation, dt.date(2026, 2, 4))] == ["v13"]


# What issue 13's provenance test asked of particular files, in the one schema.


def _unverified(entry: dict[str, Any]) -> bool:
    return "NOT VERIFIED" in provenance(entry).unverified_reason


def test_every_revalidation_and_job_planning_and_mhps_parameter_has_its_dated_entry() -> None:
    for name in ("revalidation.yaml", "job_planning.yaml", "mhps.yaml", "fppt.yaml", "board_report.yaml", "spc.yaml"):
        data = read(name)
        for key in data:
            if key not in ("version", "provenance", "sources", "applies_from", "verified"):
                assert key in data["provenance"] or any(k.startswith(f"{key}.") for k in data["provenance"]), key
    for code, contract in read("job_planning.yaml")["contracts"].items():
        assert _unverified(contract), code  # both contracts' dates are unconfirmed


def test_every_year_of_public_holidays_has_a_source_and_unconfirmed_years_say_so() -> None:
    data = read("public_holidays.yaml")
    for year in data["england"]:
        entry = data["provenance"][f"england.{year}"]
        assert provenance(entry).applies_from == dt.date(year, 1, 1), year
        if entry["sources"] != ["GOV.UK"]:
            assert _unverified(entry), year


def test_the_unconfirmed_rules_still_say_so() -> None:
    assert all(_unverified(version) for version in read("guardian_fines.yaml")["calculation"])
    assert _unverified(next(c for c in read("guardian_fines.yaml")["categories"] if c["code"] == "missed_breaks"))
    v13 = next(v for v in read("exception_reporting.yaml")["versions"] if v["code"] == "v13")
    assert v13["early_adoption_sources"] and all(_unverified(t) for t in v13["verification_tiers"])
    # the award questions are the GOV.UK guidance's for the 2025 round, each citing its passage (issue 30)
    awards = read("awards.yaml")
    assert all(
        q["verified"] is True and q["sources"][0].startswith("ncia-guidance-2025: ") for q in awards["verification"]
    )
    # the GMC reference number's system was confirmed in NHS England's FHIR implementation guide (issue 30); the
    # UK Core profiles and the ODS system are still unconfirmed
    fhir = read("fhir.yaml")["provenance"]
    assert fhir["gmc_reference_number_system"]["verified"] is True
    assert all(_unverified(v) for k, v in fhir.items() if k != "gmc_reference_number_system")
    for layout in read("import_layouts.yaml")["layouts"]:
        assert _unverified(layout), f"{layout['code']}: no layout has been confirmed against a live download"


def test_every_rota_rule_set_has_a_source_and_a_date_and_each_rule_a_source() -> None:
    from medlead.rota.engine import available, load

    for rule_set in available():
        rules = load(rule_set)
        assert isinstance(rules.applies_from, dt.date), rule_set
        for rule in rules.rules:
            assert rules.source(rule), (rule_set, rule)
    # a value no primary source confirms is shown as the trust's to confirm, never with the developers' note
    shown = load("tcs2016-2019").source("non_resident_rest_total")
    assert shown.endswith("(to be confirmed by the trust)") and "NOT VERIFIED" not in shown
    assert load("tcs2016-2019").source("max_shift_length").count("(to be confirmed by the trust)") == 0


def test_a_local_value_is_the_trusts_to_confirm_never_verified() -> None:
    text = "version: 1\nsources: [S1]\napplies_from: 2020-01-01\nverified: true\n"
    text += "x: {sources: ['local: our own choice'], applies_from: 2020-01-01, verified: true}\n"
    with pytest.raises(RuleFileError, match="trust's to confirm"):
        validate("example.yaml", yaml.safe_load(text))


def test_a_value_only_secondary_sources_give_is_never_verified() -> None:
    text = "version: 1\nsources: [S1]\napplies_from: 2020-01-01\nverified: true\n"
    for sources in ("['M1: pro rata']", "['C1', 'B1 (2019)']", "['S30']"):
        entry = f"x: {{sources: {sources}, applies_from: 2020-01-01, verified: true}}\n"
        with pytest.raises(RuleFileError, match="secondary"):
            validate("example.yaml", yaml.safe_load(text + entry))
        listed = f"x: [{{code: a, sources: {sources}, verified: true}}]\n"
        with pytest.raises(RuleFileError, match="secondary"):
            validate("example.yaml", yaml.safe_load(text + listed))
    # one primary source beside them is enough; and a reason in `verified` is always allowed
    validate(
        "example.yaml", yaml.safe_load(text + "x: {sources: ['M1', 'E1'], applies_from: 2020-01-01, verified: true}\n")
    )
    validate("example.yaml", yaml.safe_load(text + "x: {sources: ['M1'], applies_from: 2020-01-01, verified: why}\n"))


def test_every_source_has_a_title_and_a_kind() -> None:
    names = read("sources.yaml")["names"]
    assert all(
        set(entry) == {"title", "kind"} and entry["kind"] in ("primary", "secondary") for entry in names.values()
    )
    # the secondary sources the issue names, and a primary one of each kind of publisher
    assert {k for k in ("B1", "M1", "C1", "HS2", "S30", "S32", "B5") if names[k]["kind"] == "secondary"} == {
        "B1",
        "M1",
        "C1",
        "HS2",
        "S30",
        "S32",
        "B5",
    }
    assert {names[k]["kind"] for k in ("E1", "E6", "S25", "S34", "P1", "mhps", "nhs-dd")} == {"primary"}


def test_the_fit_and_proper_checks_and_award_domains_keep_their_values() -> None:
    data = read("fppt.yaml")
    assert provenance(data).applies_from == dt.date(2023, 9, 30)
    for check in data["checks"]:
        assert set(check["at"]) <= {"appointment", "annual"}, check["code"]
    assert [d["name"] for d in read("awards.yaml")["domains"]] == [
        "Service delivery and development",
        "Leadership",
        "Education, training and people development",
        "Innovation and research",
        "Additional national impact",
    ]


def test_only_the_loader_opens_a_data_file() -> None:
    root = Path(__file__).resolve().parents[2] / "medlead"
    for path in root.rglob("*.py"):
        if path.relative_to(root).as_posix() in ("core/reference_data.py", "config/settings.py"):
            continue  # the loader itself; the settings name the folder (DATA_DIR) and open nothing
        text = path.read_text(encoding="utf-8")
        assert "yaml.safe_load" not in text and "yaml.load(" not in text, path
        assert '/ "data"' not in text, path
