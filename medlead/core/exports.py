"""Every CSV and XLSX file medlead writes, written here, with spreadsheet formulas neutralised.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a NUL would be run as a
formula by Excel or LibreOffice (OWASP, "CSV Injection"; ASVS 1.2.10). So would one that begins with spaces or line
breaks before such a character (spreadsheets skip them), and one that begins with the fullwidth forms ``＝ ＋ － ＠``
(U+FF1D, U+FF0B, U+FF0D, U+FF20), which some spreadsheets read as their ASCII twins. Such text gets a leading
apostrophe (OWASP's remedy; the csv module quotes and escapes fields by RFC 4180), and XLSX cells are written as
text, so a name like ``=HYPERLINK(…)`` arrives as the words it is. Numbers stay numbers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

# Characters that start a formula, ASCII and fullwidth.
FORMULA_CHARACTERS = "=+-@\uff1d\uff0b\uff0d\uff20"
# Characters that are dangerous first on their own (OWASP: tab, carriage return; ASVS: NUL).
DANGEROUS_FIRST = "\t\r\x00"
# What a spreadsheet skips before a formula: spaces (ordinary, no-break, ideographic) and line breaks.
SKIPPED = " \t\r\n\x00\xa0\u3000"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (or a cell that starts one)."""
    return text[:1] in tuple(DANGEROUS_FIRST) or text.lstrip(SKIPPED)[:1] in tuple(FORMULA_CHARACTERS)


def safe_cell(value: Any) -> Any:
    """The value to write: text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    text = str(value)
    return "'" + text if looks_like_formula(text) else text


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
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet")

    def cell(value: Any) -> Any:
        value = float(value) if isinstance(value, Decimal) else safe_cell(value)
        if not isinstance(value, str):
            return value
        # XML cannot hold control characters (a NUL would stop the download): they are dropped, after the check
        text = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", value))
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
