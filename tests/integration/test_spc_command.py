"""``manage.py spc`` as issue 16 specifies it: JSON out, exit 2 with every bad row on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.commands import run_command


def run(path: Path, *args: str) -> tuple[int, str, str]:
    return run_command("spc", str(path), *args)


def test_prints_the_chart_as_json_in_date_order(tmp_path: Path) -> None:
    rows = ["date,value"] + [
        f"2024-{m:02d}-01,{v}" for m, v in zip(range(12, 0, -1), [13.5, *[10, 11] * 5, 10], strict=True)
    ]
    path = tmp_path / "series.csv"
    path.write_text("\n".join(rows) + "\n")
    code, out, _ = run(path, "--target", "14", "--improvement", "down")
    assert code == 0
    chart = json.loads(out)
    assert [p["date"] for p in chart["points"]] == [f"2024-{m:02d}-01" for m in range(1, 13)]
    assert set(chart["points"][0]) == {"date", "value", "mean", "lower", "upper", "special_cause", "rules"}
    assert chart["variation"] in {"common_cause", "improvement", "concern", "neutral"}
    assert chart["assurance"] in {"pass", "fail", "hit_and_miss"}
    assert isinstance(chart["warnings"], list)


def test_rebase_dates_split_the_limits(tmp_path: Path) -> None:
    values = [10, 11] * 6 + [20, 21] * 6
    rows = ["date,value"] + [f"{2023 + i // 12}-{i % 12 + 1:02d}-01,{v}" for i, v in enumerate(values)]
    path = tmp_path / "series.csv"
    path.write_text("\n".join(rows))
    code, out, _ = run(path, "--rebase", "2024-01-01")
    points = json.loads(out)["points"]
    assert code == 0 and points[0]["mean"] == 10.5 and points[-1]["mean"] == 20.5
    assert all(p["special_cause"] is None for p in points)


@pytest.mark.parametrize(
    ("text", "args", "expected"),
    [
        ("date,value\n2024-01-01,1\n2024-02-30,2\n2024-03-01,x\n2024-01-01,3\n", [], ["line 3", "line 4", "line 5"]),
        ("date,value\n2024-01-01,1\n", [], ["at least 2 points"]),
        ("date,value\n2024-01-01,1\n2024-02-01,2\n", ["--rebase", "2024-13-01"], ["not a date"]),
        ("date,value\n2024-01-01,1\n2024-02-01,2\n2024-03-01,2\n", ["--rebase", "2024-03-01"], ["has 1 point"]),
    ],
)
def test_bad_input_exits_2_naming_every_bad_row(
    tmp_path: Path, text: str, args: list[str], expected: list[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    code, out, err = run(path, *args)
    assert code == 2 and out == ""
    for words in expected:
        assert words in err


def test_an_unreadable_file_exits_2(tmp_path: Path) -> None:
    assert run(tmp_path / "missing.csv")[0] == 2
