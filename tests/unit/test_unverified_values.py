"""Issue 30's done-when, audited: no value in ``data/`` is used without ``verified: true`` and a source passage, or
a trust confirmation path. Every dated entry (and every file header) whose ``verified`` is not ``true`` must vouch
for values the rules page lists, so that the trust can confirm them and readers take them through
``rulebook.selectors.value_for``, or be named in ``catalogue.NOT_LISTED`` with the reason it is not a value medlead
applies (a file that is not rules: the demo trust, shift patterns to choose from, import headings a trust edits on
their own page).

A second test keeps the readers honest: the only modules that open a rule file the page lists are the ones named
here, each for what it reads there that is not a value (code lists, names, tables) or that it reads through the
rulebook."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from medlead.core.reference_data import DATA_DIR, read
from medlead.rulebook import catalogue

ROOT = Path(__file__).resolve().parents[2]


def _files() -> list[str]:
    return sorted(str(p.relative_to(DATA_DIR)) for p in DATA_DIR.rglob("*.yaml"))


def _unverified(node: Any, path: str) -> Iterator[tuple[str, dt.date | None, str]]:
    """(key path of the entry, its first day, why it is not verified) for each entry not verified: a provenance
    entry by its parameter's key, a list item by its ``code`` or ``id``, the file's header as ""."""
    if isinstance(node, list):
        for item in node:
            if isinstance(item, Mapping):
                name = item.get("code", item.get("id"))
                if name is not None:
                    yield from _unverified(item, f"{path}.{name}" if path else str(name))
        return
    if not isinstance(node, Mapping):
        return
    if "verified" in node and node["verified"] is not True:
        yield path, node.get("applies_from"), str(node["verified"])
    for key, value in node.items():
        if key == "provenance" and isinstance(value, Mapping):
            for parameter, entry in value.items():
                if isinstance(entry, Mapping) and entry.get("verified") is not True:
                    yield str(parameter), entry.get("applies_from"), str(entry["verified"])
            continue
        if key in ("sources", "verified", "applies_from", "applies_until"):
            continue
        yield from _unverified(value, f"{path}.{key}" if path else str(key))


def _listed(file: str, key: str, first: dt.date | None) -> bool:
    """The rules page lists a value this entry vouches for, on its first day (or the file's)."""
    day = max(d for d in (first, read(file)["applies_from"]) if d is not None)
    found = catalogue.values(day, (file,))
    return any(key == "" or v.key == key or v.key.startswith(key + ".") for v in found)


# Values medlead applies that neither a source nor a trust can vouch for yet, each with what is missing: this list
# only shrinks (a test below fails when an entry is put right and not removed).
KNOWN_GAPS: dict[tuple[str, str], str] = {}


def test_every_value_not_verified_can_be_confirmed_by_the_trust_or_is_named_as_not_applied() -> None:
    problems = []
    for file in _files():
        for key, first, why in _unverified(read(file), ""):
            if (file, key) in KNOWN_GAPS or catalogue.not_listed(file, key):
                continue
            if file in catalogue.AREAS and _listed(file, key, first):
                continue
            problems.append(f"{file} {key or '(the whole file)'}: {why}")
    assert not problems, "values not verified that no trust can confirm:\n" + "\n".join(problems)


def test_a_known_gap_put_right_leaves_the_list() -> None:
    found = {(file, key) for file in _files() for key, _, _ in _unverified(read(file), "")}
    assert set(KNOWN_GAPS) <= found


def test_the_on_call_supplement_tables_are_values_a_trust_can_confirm() -> None:
    """Each category's table of the consultant contract's on-call availability supplement is one value on the rules
    page, read as rows (the contract's bands: 1 in 1 to 4, 1 in 5 to 8, 1 in 9 or less often)."""
    day = dt.date(2026, 4, 1)
    listed = {v.key: v for v in catalogue.values(day, ("job_planning.yaml",))}
    category_a = listed["on_call_supplement.A"]
    assert category_a.table and not category_a.verified
    assert category_a.label == "On-call availability supplement, category A"
    assert catalogue.shown(category_a.value) == "1 in 1 to 4: 8%; 1 in 5 to 8: 5%; 1 in 9 or less often: 3%"
    assert catalogue.shown(listed["on_call_supplement.B"].value) == (
        "1 in 1 to 4: 3%; 1 in 5 to 8: 2%; 1 in 9 or less often: 1%"
    )


def test_a_table_of_frequency_rows_is_checked() -> None:
    assert catalogue.row_problems([(4, 10.0), (8, 6.5), (999, 2.0)]) == []
    assert catalogue.row_problems([]) == ["Give at least one row."]
    assert catalogue.row_problems([(8, 5.0), (4, 8.0)]) == [
        "Give the rows with the frequencies rising: each row's 1 in N larger than the row above."
    ]
    assert catalogue.row_problems([(4, 101.0)]) == ["Give each percentage from 0 to 100."]
    assert catalogue.row_problems([(4, -1.0)]) == ["Give each percentage from 0 to 100."]
    assert catalogue.row_problems([(0, 5.0)]) == ["Give each frequency as 1 in a whole number from 1 to 998."]


def test_every_reason_a_value_is_left_off_the_page_is_plain_words() -> None:
    for (file, key), reason in catalogue.NOT_LISTED.items():
        assert (DATA_DIR / file).exists(), file
        assert reason.endswith(".") and "NOT VERIFIED" not in reason and "issue" not in reason.lower(), key


# Modules that open a rule file the rules page lists, and what each reads there that is not a value of the page
# (or reads through ``rulebook.selectors``, which wins over the file).
READERS: dict[str, set[str]] = {
    "medlead/rulebook/catalogue.py": {"*"},  # the catalogue itself
    "medlead/structure/reference_data.py": {"structure_rules.yaml"},  # each rule's words; its threshold via values_on
    "medlead/fitproper/services.py": {"fppt.yaml"},  # check names; timings via value_for
    "medlead/governance/management/commands/spc.py": {"spc.yaml"},  # charts a file for no trust (catalogue's note)
    "medlead/revalidation/selectors.py": {
        "revalidation.yaml",
        "good_medical_practice.yaml",
    },  # code lists, editions' domains (words); numbers and the domain of each type via values_on
    "medlead/organisation/models.py": {"exception_reporting.yaml"},  # version 13's early-adoption date, a name
    "medlead/jobplans/selectors.py": {"job_planning.yaml"},  # the contracts' names and grades; values via values_on
    "medlead/rota/engine/rules.py": {"rota_rules/"},  # the rule sets; values replaced by rota.selectors.trust_rules
    "medlead/rota/selectors.py": {"exception_reporting.yaml", "guardian_fines.yaml"},  # categories, versions' names
    "medlead/awards/services.py": {"awards.yaml"},  # domains and questions (words); numbers via value_for
    "medlead/governance/services.py": {"board_report.yaml"},  # sections and metrics; reminder via reminder_days
    "medlead/governance/selectors.py": {
        "board_report.yaml"
    },  # the report's sections  # domains and questions (words); numbers via value_for
    "medlead/concerns/selectors.py": {"mhps.yaml"},  # code lists; timescales via values_on
}


def test_only_the_known_readers_open_a_rule_file_the_page_lists() -> None:
    opened = re.compile(r"read\(f?\"([^\"]+)\"\)")
    found: dict[str, set[str]] = {}
    for path in (ROOT / "medlead").rglob("*.py"):
        for name in opened.findall(path.read_text()):
            if name in catalogue.AREAS or "RULES_DIR" in name:  # rota_rules/<set>.yaml
                found.setdefault(str(path.relative_to(ROOT)), set()).add(name)
    unknown = sorted(set(found) - set(READERS))
    assert not unknown, f"a new reader of a rule file: read its values through rulebook.selectors ({unknown})"
