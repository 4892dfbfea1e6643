"""bench/roster.py (issue 35): a roster the independent evaluator rejects is reported as rejected, loudly, and the
targets are marked met or missed by the issue's own figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bench import roster as bench
from medlead.rota.roster import Evaluation, Result


def test_a_rejected_roster_is_reported_as_rejected_not_as_none_found(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = Evaluation(900, ["A works 6 days in a row from day 0, more than 5"])

    def solve(*_args: Any, **_kwargs: Any) -> Result:
        return Result("rejected", {}, None, None, 1.0, broken, proven=False, first_feasible=0.5)

    monkeypatch.setattr("medlead.rota.roster.solve", solve)
    monkeypatch.setattr(bench, "BENCH", Path(__file__).resolve().parents[1] / "data" / "curtois-qu")  # vendored
    row = bench.run_one(1, 60, 2, {"Instance1": 607})
    assert row["status"] == "rejected" and row["rejected"] == broken.hard
    err = capsys.readouterr().err
    assert "REJECTED by the independent evaluator" in err and broken.hard[0] in err
    assert "**REJECTED by the evaluator**" in bench.table([row | {"gap_10": None, "gap_60": None, "gap_600": None}])


def test_gaps_over_time_come_from_the_trace_of_improvements() -> None:
    trace = [(0.5, 1200), (8.0, 1100), (30.0, 1010)]
    assert bench.at(trace, 10) == 1100 and bench.at(trace, 60) == 1010 and bench.at(trace, 0.1) is None
    assert bench.gap(1010, 1000) == 1.0


def test_targets_are_the_issues_figures() -> None:
    row = {"first_feasible": 3.0, "limit": 60, "gap_60": 0.9, "gap_600": None}
    assert bench.target(5, row) == "met"  # 1-12: within 1% at 60 s
    assert bench.target(5, row | {"gap_60": 1.2}) == "missed: over 1% at 60 s"
    assert bench.target(20, row | {"first_feasible": None}) == "missed: no roster in 60 s"
    assert bench.target(20, row | {"limit": 600, "gap_600": 6.0}) == "missed: over 5% at 600 s"
