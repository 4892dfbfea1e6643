"""``manage.py spc FILE``: the Making Data Count XmR chart of a ``date,value`` CSV.

Prints the points (each with its mean, limits, special cause and the rules that flagged it), the variation icon of
the latest point, the assurance icon against a target and any warnings. Exit status 0 on success, 2 on bad input
(every bad row is listed with its line number; nothing is computed).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from medlead.core.reference_data import read
from medlead.core.spc import Chart, Params, SpcError, parse_csv, xmr

WORDS = {
    "improvement": "special cause, improvement",
    "concern": "special cause, concern",
    "neutral": "special cause, neither better nor worse",
    "common_cause": "common cause",
    "pass": "the target is consistently met",
    "fail": "the target is consistently missed",
    "hit_and_miss": "the target is met some of the time",
}


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise SystemExit(_bad([f"--rebase: {text!r} is not a date (YYYY-MM-DD)."])) from None


def _bad(lines: list[str]) -> int:
    for line in lines:
        sys.stderr.write(line + "\n")
    return 2


class Command(BaseCommand):
    help = "Draw the XmR chart of a date,value CSV as Making Data Count prescribes (special causes, icons)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", choices=["text", "json"], default="json")
        parser.add_argument(
            "--improvement",
            choices=["up", "down", "neutral"],
            default="up",
            help="Which way is better (default up, as plot-the-dots).",
        )
        parser.add_argument("--target", type=float, default=None)
        parser.add_argument("--rebase", nargs="+", action="extend", default=[], metavar="DATE")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            sys.exit(_bad([f"Cannot read {path}: {exc}"]))
        series, errors = parse_csv(text)
        if errors:
            sys.exit(
                _bad(
                    [
                        f"{path}: {len(errors)} bad {'row' if len(errors) == 1 else 'rows'}; nothing was computed.",
                        *errors,
                    ]
                )
            )
        try:
            chart = xmr(
                series,
                improvement=options["improvement"],
                target=options["target"],
                rebase=[_date(d) for d in options["rebase"]],
                params=Params.from_data(read("spc.yaml")),
            )
        except SpcError as exc:
            sys.exit(_bad([f"{path}: {exc}"]))
        if options["format"] == "json":
            self.stdout.write(json.dumps(chart.as_dict(), indent=2))
        else:
            self.stdout.write(_text(chart))


def _text(chart: Chart) -> str:
    lines = [f"{'date':<10}  {'value':>10}  {'mean':>10}  {'lower':>10}  {'upper':>10}  special cause"]
    for p in chart.points:
        cause = f"{p.special_cause} ({', '.join(p.rules)})" if p.special_cause else ""
        lines.append(
            f"{p.date.isoformat():<10}  {p.value:>10.4g}  {p.mean:>10.4g}  {p.lower:>10.4g}  {p.upper:>10.4g}  {cause}"
        )
    lines.append(f"Variation: {WORDS[chart.variation or 'common_cause']}.")
    lines.append(f"Assurance: {WORDS[chart.assurance]}." if chart.assurance else "Assurance: no target.")
    lines.extend(f"Warning: {w}" for w in chart.warnings)
    return "\n".join(lines)
