"""Rule sets: versioned data files in ``data/rota_rules/`` (parameters plus the source of each rule)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

RULES_DIR = Path(__file__).resolve().parents[3] / "data" / "rota_rules"
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

    def param(self, rule: str, name: str) -> Any:
        return self.rules[rule][name]

    def source(self, rule: str) -> str:
        return str(self.rules[rule]["source"])

    @property
    def night_start(self) -> int:
        return _clock(self.definitions["night_window"][0])

    @property
    def night_end(self) -> int:
        return _clock(self.definitions["night_window"][1])

    @property
    def long_evening_after(self) -> int:
        return _clock(self.definitions["long_evening_finishes_after"])


def available() -> list[str]:
    return sorted(p.stem for p in RULES_DIR.glob("*.yaml"))


def load(rule_set: str = DEFAULT_RULE_SET) -> RuleSet:
    path = RULES_DIR / f"{rule_set}.yaml"
    if not path.exists():
        raise ValueError(f"Unknown rule set {rule_set!r}; choose one of: {', '.join(available())}")
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    missing = [r for r in RULE_IDS if r not in data["rules"]]
    if missing:
        raise ValueError(f"Rule set {rule_set!r} lacks rules: {', '.join(missing)}")
    return RuleSet(id=data["id"], name=data["name"], definitions=data["definitions"], rules=data["rules"])
