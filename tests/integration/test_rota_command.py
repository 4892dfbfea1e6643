"""``manage.py rota_check``: exit codes, JSON output, bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command


def run(tmp_path: Path, text: str, *args: str) -> tuple[int, str, str]:
    path = tmp_path / "rota.csv"
    path.write_text(text)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("rota_check", str(path), *args, stdout=out, stderr=err)
    return int(exited.value.code or 0), out.getvalue(), err.getvalue()


def test_compliant_rota_exits_0(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "doctor,start,end\nDr A,2026-01-05T08:00,2026-01-05T17:00\n")
    assert code == 0
    assert "0 breaches" in out


def test_breaches_exit_1_with_json_windows_and_summary(tmp_path: Path) -> None:
    text = (
        "doctor,start,end,kind\n"
        "Dr A,2026-01-05T08:00,2026-01-05T21:30,shift\n"
        "Dr B,2026-01-05T09:00,2026-01-06T09:01,on_call\n"
    )
    code, out, _ = run(tmp_path, text, "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert {b["rule"] for b in data["breaches"]} == {"max_shift_length", "max_on_call_length"}
    shift = next(b for b in data["breaches"] if b["rule"] == "max_shift_length")
    assert shift == {
        "doctor": "Dr A",
        "rule": "max_shift_length",
        "start": "2026-01-05T08:00",
        "end": "2026-01-05T21:30",
        "message": "A shift of 13 h 30 min is longer than the 13 h limit.",
        "hint": "End this shift 30 min earlier, or split it.",
    }
    assert data["summary"]["by_rule"] == {"max_on_call_length": 1, "max_shift_length": 1}
    assert data["summary"]["by_doctor"] == {"Dr A": 1, "Dr B": 1}


def test_rule_set_choice_changes_the_verdict(tmp_path: Path) -> None:
    # five 12 h days, then one short shift the next week: five long shifts in a row, within the hours limits
    rows = "".join(f"Dr A,2026-01-{5 + d:02d}T08:00,2026-01-{5 + d:02d}T20:00\n" for d in range(5))
    rows += "Dr A,2026-01-12T08:00,2026-01-12T09:00\n"
    assert run(tmp_path, "doctor,start,end\n" + rows)[0] == 1
    assert run(tmp_path, "doctor,start,end\n" + rows, "--rules", "tcs2016")[0] == 0


def test_bad_input_exits_2_listing_every_row(tmp_path: Path) -> None:
    text = (
        "doctor,start,end,kind\n"
        "Dr A,2026-01-05T08:00,2026-01-05T07:00,\n"
        "Dr B,never,2026-01-05T17:00,\n"
        "Dr C,2026-01-05T08:00,2026-01-05T17:00,nap\n"
    )
    code, _, err = run(tmp_path, text)
    assert code == 2
    assert "line 2: the end is not after the start" in err
    assert "line 3: start 'never'" in err
    assert "line 4: unknown kind 'nap'" in err
    assert "nothing was checked" in err


def test_missing_column_exits_2(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "doctor,start\nDr A,2026-01-05T08:00\n", "--format", "json")
    assert code == 2
    assert json.loads(out) == {"errors": [{"line": 1, "reason": "missing column 'end'"}]}


def test_reference_weeks_option(tmp_path: Path) -> None:
    # five 10 h days (not long shifts): 50 h in one week, no other rule broken
    rows = "".join(f"Dr A,2026-01-{5 + d:02d}T07:00,2026-01-{5 + d:02d}T17:00\n" for d in range(5))
    assert run(tmp_path, "doctor,start,end\n" + rows)[0] == 1
    assert run(tmp_path, "doctor,start,end\n" + rows, "--reference-weeks", "2")[0] == 0
    assert run(tmp_path, "doctor,start,end\n" + rows, "--reference-weeks", "0")[0] == 2
