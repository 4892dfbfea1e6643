"""Every POST and query value goes through a form before anything is looked up (issue 28): no view, presenter or
page helper reads ``request.POST`` or ``request.GET`` by hand. Binding a whole ``QueryDict`` to a form
(``SomeForm(request.POST)``) is the way; picking values out of it is not."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "medlead"
BY_HAND = re.compile(r"request\.(POST|GET)(\.get\(|\.getlist\(|\[|\.items\(|\.dict\(|\.keys\()")


def test_no_request_value_is_read_by_hand() -> None:
    found = [
        f"{path.relative_to(ROOT.parent)}:{number}: {line.strip()}"
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if BY_HAND.search(line)
    ]
    assert not found, "Read through a form instead:\n" + "\n".join(found)
