"""``manage.py roster_benchmark`` as issue 18 specifies it: one JSON object, the roster as CSV, exit 0/1/2."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from medlead.rota.roster import evaluate, parse
from tests.commands import run_command
from tests.unit.test_roster import BENCH, TINY


def run(*args: str) -> tuple[int, str, str]:
    return run_command("roster_benchmark", *args)


def test_solves_an_instance_and_writes_a_roster_the_evaluator_accepts(tmp_path: Path) -> None:
    out = tmp_path / "roster.csv"
    code, stdout, _ = run(str(BENCH / "Instance1.txt"), "--time-limit", "30", "--out", str(out))
    result = json.loads(stdout)
    assert code == 0
    assert set(result) == {"instance", "objective", "lower_bound", "status", "seconds"}
    assert result["instance"] == "Instance1" and result["status"] == "optimal" and result["objective"] == 607
    rows = list(csv.reader(out.open()))
    assert rows[0] == ["employee", "day", "shift"]
    roster = {(e, int(d)): s for e, d, s in rows[1:]}
    instance = parse((BENCH / "Instance1.txt").read_text(encoding="utf-8-sig"))
    assert evaluate(instance, roster).feasible and evaluate(instance, roster).objective == 607


def test_a_bad_instance_exits_2_with_the_line_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(TINY.replace("2,N,1,100,1", "2,X,1,100,1"))
    code, stdout, stderr = run(str(path))
    assert code == 2 and stdout == ""
    assert "line 25: unknown shift ID 'X'" in stderr
    path.write_text("SECTION_HORIZON\n7\n")
    code, _, stderr = run(str(path))
    assert code == 2 and "missing SECTION_SHIFTS, SECTION_STAFF, SECTION_COVER" in stderr
    assert run(str(tmp_path / "none.txt"))[0] == 2


def test_an_impossible_instance_is_explained_at_once_and_exits_1(tmp_path: Path) -> None:
    path = tmp_path / "leave.txt"
    path.write_text(TINY.replace("A,6\n", "A,0,1,2,3,4,5,6\n"))
    code, stdout, stderr = run(str(path))
    assert code == 1 and json.loads(stdout)["status"] == "infeasible"
    assert "A must work at least 960 minutes but has only 0 days without leave" in stderr
