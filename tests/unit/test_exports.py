"""Exports neutralise spreadsheet formulas (OWASP CSV injection payloads), and keep numbers as numbers."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from medlead.core.exports import csv_text, xlsx_bytes

OWASP = [
    "=1+2",
    '=HYPERLINK("http://evil.example","Click")',
    "+1+2",
    "-1+2",
    "@SUM(1+2)",
    "=cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+2",
    # spreadsheets skip leading spaces and line breaks before a formula
    " =1+2",
    "   @SUM(1+2)",
    "\n=1+2",
    "\r\n+1+2",
    " \t-1+2",
    "\u3000=1+2",  # an ideographic space
    # fullwidth forms, read by some spreadsheets as their ASCII twins
    '\uff1dHYPERLINK("http://evil.example")',  # ＝
    "\uff0b1+2",  # ＋
    "\uff0d1+2",  # －
    "\uff20SUM(1+2)",  # ＠
    " \uff1d1+2",
    "\x00=1+2",  # ASVS 1.2.10: NUL
]


@pytest.mark.parametrize("payload", OWASP)
def test_csv_cells_that_look_like_formulas_start_with_an_apostrophe(payload: str) -> None:
    text = csv_text(["Name", "PAs"], [[payload, Decimal("10.5")]])
    name, pas = list(csv.reader(io.StringIO(text)))[1]
    assert name == "'" + payload
    assert pas == "10.5"


@pytest.mark.parametrize("payload", OWASP)
def test_xlsx_cells_are_text_never_formulas(payload: str) -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["Name", "PAs"], [[payload, Decimal("10.5")]]))).active
    assert sheet is not None
    name, pas = sheet["A2"], sheet["B2"]
    assert name.data_type == "s" and str(name.value).startswith("'")  # Excel shows it as text
    assert pas.value == 10.5 and pas.data_type == "n"


def test_ordinary_text_is_untouched() -> None:
    rows = [["Dr Zoe Adams"], ["O'Brien-Smith"], ["  indented"], ["A = B"], ["Zoë ＝ Zoe"], ["2+2"]]
    text = csv_text(["Name"], rows)
    assert list(csv.reader(io.StringIO(text)))[1:] == rows


def test_counts_read_as_english() -> None:
    from medlead.config.jinja2_env import plural

    assert plural(1, "problem") == "1 problem" and plural(2, "problem") == "2 problems"
    assert plural("1", "PA") == "1 PA" and plural("1.5", "PA") == "1.5 PAs" and plural(0, "change") == "0 changes"
