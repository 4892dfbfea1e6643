"""``manage.py rota_check FILE``: check a rota CSV against the national terms and conditions.

Exit status: 0 compliant, 1 breaches found, 2 bad input (every bad row is listed; nothing is checked).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from medlead.rota.engine import DEFAULT_RULE_SET, available, check, load
from medlead.rota.engine.csvio import parse


class Command(BaseCommand):
    help = "Check a rota CSV (doctor,start,end[,kind][,opted_out]) against a rule set."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--rules", default=DEFAULT_RULE_SET, choices=available())
        parser.add_argument("--reference-weeks", type=int, default=None)
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            self.stderr.write(f"Cannot read {path}: {exc}")
            sys.exit(2)
        if options["reference_weeks"] is not None and options["reference_weeks"] < 1:
            self.stderr.write("--reference-weeks must be a whole number of weeks, at least 1.")
            sys.exit(2)
        rota, errors = parse(text)
        if rota is None:
            if options["format"] == "json":
                self.stdout.write(
                    json.dumps({"errors": [{"line": e.line, "reason": e.reason} for e in errors]}, indent=2)
                )
            else:
                self.stderr.write(f"{path}: {len(errors)} bad rows; nothing was checked.")
                for e in errors:
                    self.stderr.write(f"  {e}")
            sys.exit(2)
        report = check(rota, load(options["rules"]), reference_weeks=options["reference_weeks"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            summary = report.summary()
            self.stdout.write(
                f"{summary['shifts_checked']} rows checked against {report.rule_set}: "
                f"{summary['breaches']} breaches, {summary['warnings']} warnings."
            )
            for b in report.breaches + report.warnings:
                label = "WARNING" if b.severity == "warning" else "BREACH"
                self.stdout.write(
                    f"{label} {b.doctor} [{b.rule}] {b.start:%Y-%m-%d %H:%M}–{b.end:%Y-%m-%d %H:%M}: {b.message}"
                )
        sys.exit(0 if report.compliant else 1)
