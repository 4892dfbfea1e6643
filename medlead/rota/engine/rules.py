"""Rule sets: versioned data files in ``data/rota_rules/`` (parameters plus the source of each rule)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath
from typing import Any

from medlead.core import reference_data
from medlead.core.reference_data import as_people_read, provenance
from medlead.rulebook.unconfirmed import Unconfirmed

RULES_DIR = "rota_rules"
DEFAULT_RULE_SET = "tcs2016-2019"

RULE_IDS = (
    "max_avg_weekly_hours",
    "max_hours_in_168",
    "max_shift_length",
    "min_rest_between_shifts",
    "max_consecutive_shifts",
    "rest_after_consecutive_shifts",
    "max_consecutive_long_shifts",
    "rest_after_long_shifts",
    "max_consecutive_nights",
    "rest_after_nights",
    "max_consecutive_long_evenings",
    "rest_after_long_evenings",
    "max_weekend_frequency",
    "max_on_call_length",
    "max_on_calls_in_7_days",
    "consecutive_on_calls",
    "max_shift_after_on_call",
    "non_resident_rest_total",
    "non_resident_rest_continuous",
)


def _clock(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 3600 + int(minutes) * 60


@dataclass(frozen=True)
class RuleSet:
    id: str
    name: str
    definitions: dict[str, Any]
    rules: dict[str, dict[str, Any]]
    applies_from: dt.date = dt.date(2016, 8, 3)
    breaks: dict[str, Any] = field(default_factory=dict)
    # the rules whose values are national defaults the trust has not confirmed (pages say so)
    unconfirmed: tuple[str, ...] = ()

    @property
    def notice(self) -> Unconfirmed:
        """ "These rules' values are the national defaults; your trust has not confirmed them yet." where any rule's
        value awaits the trust's confirmation, else nothing."""
        return Unconfirmed("rule's value", len(self.unconfirmed), "rules' values")

    def param(self, rule: str, name: str) -> Any:
        return self.rules[rule][name]

    def source(self, rule: str) -> str:
        """The rule's sources as a page shows them, with "to be confirmed by the trust" where no primary source
        confirms its value."""
        # a rule's own ``verified`` says when its value is not confirmed; the rule set's is about the set as a whole
        return as_people_read({"verified": True, **self.rules[rule]})

    @property
    def night_start(self) -> int:
        return _clock(self.definitions["night_window"][0])

    @property
    def night_end(self) -> int:
        return _clock(self.definitions["night_window"][1])

    @property
    def long_evening_after(self) -> int:
        return _clock(self.definitions["long_evening_finishes_after"])


def with_values(
    rules: RuleSet, values: Mapping[str, Any], settled: Iterable[str], unconfirmed: Iterable[str]
) -> RuleSet:
    """``rules`` with the trust's values: ``values`` by key path (``rules.max_shift_length.limit_hours``,
    ``definitions.night_window``, ``breaks.minutes``), as the trust's confirmations give them. A rule all of whose
    values are in ``settled`` (verified from the source or confirmed by the trust) no longer says it is to be
    confirmed; ``unconfirmed`` are the key paths still national defaults the trust has not confirmed."""
    parts = {"definitions": copy.deepcopy(rules.definitions), "rules": copy.deepcopy(rules.rules)}
    parts["breaks"] = copy.deepcopy(rules.breaks)
    for key, value in values.items():
        section, *path = key.split(".")
        node = parts[section]
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
    settled_keys, waiting = set(settled), tuple(unconfirmed)
    for rule_id, rule in parts["rules"].items():
        keys = {f"rules.{rule_id}.{name}" for name in rule if f"rules.{rule_id}.{name}" in settled_keys}
        if keys and not any(k.startswith(f"rules.{rule_id}.") for k in waiting):
            rule["verified"] = True
    return dataclasses.replace(
        rules,
        definitions=parts["definitions"],
        rules=parts["rules"],
        breaks=parts["breaks"],
        unconfirmed=tuple(dict.fromkeys(k.split(".")[1] if k.startswith("rules.") else k for k in waiting)),
    )


def available() -> list[str]:
    return sorted(PurePath(n).stem for n in reference_data.names(RULES_DIR))


def names() -> dict[str, str]:
    """Each rule set's id and its name, oldest first."""
    sets = sorted((load(r) for r in available()), key=lambda r: r.applies_from)
    return {r.id: r.name for r in sets}


def in_force(day: dt.date) -> str:
    """The id of the rule set in force on ``day``: the one whose dates hold it (the latest, should two), or the
    earliest set for a day before any applies."""
    sets = sorted((reference_data.read(f"{RULES_DIR}/{r}.yaml") for r in available()), key=lambda r: r["applies_from"])
    found = reference_data.in_force(sets, day)
    return str((found[-1] if found else sets[0])["id"])


def breaks_due(rules: RuleSet, duration_s: int, night: bool) -> int:
    """How many 30-minute breaks a shift of ``duration_s`` seconds entitles the doctor to (information only)."""
    b = rules.breaks
    if not b:
        return 0
    hours = duration_s / 3600
    count = (hours > b["one_after_hours"]) + (hours > b["two_after_hours"])
    third = b.get("three_after_hours")
    if third is not None and night and hours >= third:
        count += 1
    return int(count)


@cache
def load(rule_set: str = DEFAULT_RULE_SET) -> RuleSet:
    if rule_set not in available():
        raise ValueError(f"Unknown rule set {rule_set!r}; choose one of: {', '.join(available())}")
    data = reference_data.read(f"{RULES_DIR}/{rule_set}.yaml")
    missing = [r for r in RULE_IDS if r not in data["rules"]]
    if missing:
        raise ValueError(f"Rule set {rule_set!r} lacks rules: {', '.join(missing)}")
    return RuleSet(
        id=data["id"],
        name=data["name"],
        definitions=data["definitions"],
        rules=data["rules"],
        applies_from=provenance(data).applies_from,
        breaks=data.get("breaks", {}),
    )
