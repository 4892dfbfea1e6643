"""Every CSV and XLSX file medlead writes, written here, with spreadsheet formulas neutralised.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula
by Excel or LibreOffice (CSV injection, OWASP). Such text gets a leading apostrophe, and XLSX cells are written
as text, so a name like ``=HYPERLINK(…)`` arrives as the words it is. Numbers stay numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> Any:
    """The value to write: text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A one-sheet workbook, streamed row by row (openpyxl's write-only mode: several times faster than building the
    sheet in memory, which a whole trust's job plans would make slow to download)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet")

    def cell(value: Any) -> Any:
        value = float(value) if isinstance(value, Decimal) else safe_cell(value)
        if not isinstance(value, str):
            return value
        text = WriteOnlyCell(ws, value=value)
        text.data_type = "s"  # text, never a formula
        return text

    for values in ([*header], *rows):
        ws.append([cell(v) for v in values])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def download(name: str, fmt: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A CSV (``fmt`` "csv") or XLSX ("xlsx") attachment called ``name``."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(header, rows), content_type=XLSX)
    else:
        fmt = "csv"
        response = HttpResponse(csv_text(header, rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response
