"""Reads the national rules' regression tables (docs/national-rules/*.md): each ``## `` heading's Markdown table as
rows keyed by the table's column headings, so a test names the columns a medical workforce lead reads. The
tables' expected answers are worked by hand from the rules' words; the readers here only turn words into values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

TABLES = Path(__file__).resolve().parents[1] / "docs" / "national-rules"


def sections(name: str) -> dict[str, list[dict[str, str]]]:
    """Each ``## `` heading's table in ``docs/national-rules/<name>``, as rows keyed by the column headings (a table
    before any heading is under the heading "")."""
    out: dict[str, list[dict[str, str]]] = {}
    heading, columns = "", list[str]()
    for line in (TABLES / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            heading, columns = line[3:].strip(), []
        elif line.startswith("|"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if not columns:
                columns = cells
            elif not set("".join(cells)) <= set("-: "):
                out.setdefault(heading, []).append(dict(zip(columns, cells, strict=True)))
        else:  # a table ends at the first line that is not one of its rows
            columns = []
    return out


def day(text: str) -> dt.date:
    """A date as the tables write it: 15 January 2026."""
    return dt.datetime.strptime(text.strip(), "%d %B %Y").date()


def money(text: str) -> Decimal:
    assert text.startswith("£"), text
    return Decimal(text[1:].replace(",", ""))


def yes(text: str) -> bool:
    assert text in ("Yes", "No"), text
    return text == "Yes"
