"""``manage.py roster_benchmark INSTANCE_FILE``: solve a Curtois–Qu benchmark instance and print the result.

Prints one JSON object: ``instance``, ``objective`` (the instance's own penalty, re-scored by medlead's independent
evaluator), ``lower_bound`` (where the solver proves one), ``status`` (``optimal``, ``feasible``,
``infeasible`` or ``rejected``: a roster the evaluator refused)
and ``seconds``. Exit status 0 when a feasible roster was found, 1 when none was, 2 on bad input (every bad line
listed with its number and the reason)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from medlead.rota.roster import InstanceError, parse, solve


class Command(BaseCommand):
    help = "Solve a Curtois-Qu shift scheduling benchmark instance; print objective, bound, status and time."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instance_file")
        parser.add_argument("--time-limit", type=float, default=60.0, help="Seconds (default 60).")
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="Solver workers for the neighbourhood search (default 2, one a core; ADR 0032).",
        )
        parser.add_argument("--out", default="", help="Write the roster here as CSV: employee,day,shift.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["instance_file"])
        if options["time_limit"] <= 0 or options["workers"] < 1:
            sys.stderr.write("--time-limit must be above 0 seconds and --workers at least 1.\n")
            sys.exit(2)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            sys.stderr.write(f"Cannot read {path}: {exc}\n")
            sys.exit(2)
        try:
            instance = parse(text, name=path.stem)
        except InstanceError as exc:
            sys.stderr.write(f"{path}: {len(exc.errors)} problems; nothing was solved.\n")
            for line, reason in exc.errors:
                sys.stderr.write(f"  line {line}: {reason}\n" if line else f"  {reason}\n")
            sys.exit(2)
        problems = instance.problems()
        if problems:
            sys.stderr.write(f"{path}: no roster can meet the hard constraints:\n")
            for p in problems:
                sys.stderr.write(f"  {p}\n")
            self.stdout.write(json.dumps(self._out(path, None, None, "infeasible", 0.0)))
            sys.exit(1)
        result = solve(instance, time_limit=options["time_limit"], workers=options["workers"])
        if options["out"] and result.roster:
            with open(options["out"], "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(["employee", "day", "shift"])
                for (person, day), shift in sorted(result.roster.items(), key=lambda kv: (kv[0][0], kv[0][1])):
                    writer.writerow([person, day, shift])
        if result.status == "rejected" and result.evaluation is not None:
            sys.stderr.write(f"{path}: the search's roster was REJECTED by the independent evaluator:\n")
            for h in result.evaluation.hard[:20]:
                sys.stderr.write(f"  {h}\n")
        if result.status == "infeasible" and not result.proven:
            sys.stderr.write(
                f"{path}: no feasible roster was found within {options['time_limit']:g} seconds; "
                "that none exists is not proven.\n"
            )
        self.stdout.write(
            json.dumps(self._out(path, result.objective, result.lower_bound, result.status, result.seconds))
        )
        sys.exit(0 if result.status in ("optimal", "feasible") else 1)

    @staticmethod
    def _out(path: Path, objective: int | None, bound: float | None, status: str, seconds: float) -> dict[str, Any]:
        return {
            "instance": path.stem,
            "objective": objective,
            "lower_bound": round(bound, 3) if bound is not None else None,
            "status": status,
            "seconds": round(seconds, 2),
        }
