"""Read CSV and XLSX uploads into rows of text keyed by normalised column name, with their line numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass


class FileFormatError(ValueError):
    pass


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, values)


def _norm(name: object) -> str:
    return str(name or "").strip().lower().replace(" ", "_").replace("-", "_")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# No cell in any import is longer than this: the longest field medlead stores from a file is a few hundred
# characters, and a huge cell is a broken or hostile file.
MAX_CELL = 10_000


def read_table(filename: str, content: bytes) -> Table:
    table = _read_xlsx(content) if filename.lower().endswith(".xlsx") else _read_csv(content)
    problems = [
        f"row {line}, column '{column}': " + ("contains a null character" if "\x00" in value else "is too long")
        for line, row in table.rows
        for column, value in row.items()
        if "\x00" in value or len(value) > MAX_CELL
    ]
    if any("\x00" in c for c in table.columns):
        problems.insert(0, "row 1: a column name contains a null character")
    if problems:
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        raise FileFormatError("; ".join(problems[:20]) + more + ". Correct the file and upload it again.")
    return table


def _read_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileFormatError("The CSV file is not UTF-8 text. Save it as 'CSV UTF-8' and try again.") from exc
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration as exc:
        raise FileFormatError("The file is empty.") from exc
    columns = [_norm(c) for c in header]
    rows = []
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            rows.append(
                (reader.line_num, {c: (values[i].strip() if i < len(values) else "") for i, c in enumerate(columns)})
            )
    except csv.Error as exc:  # a field over the csv module's limit, or a broken quote
        raise FileFormatError(
            f"row {reader.line_num + 1}: a value is too long or its quotes are broken ({exc})."
        ) from exc
    return Table(columns, rows)


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise FileFormatError("The file is not a readable .xlsx workbook.") from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = next(iterator)
    except StopIteration as exc:
        raise FileFormatError("The first worksheet is empty.") from exc
    columns = [_norm(c) for c in header]
    rows = []
    for line, values in enumerate(iterator, start=2):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        rows.append((line, {c: (cells[i] if i < len(cells) else "") for i, c in enumerate(columns) if c}))
    return Table([c for c in columns if c], rows)


def read_with_header(
    filename: str, content: bytes, required: Sequence[str], optional: Sequence[str] = ()
) -> tuple[Table | None, list[str]]:
    """Read a file and check its header row. Returns the table (None if unreadable) and the errors, each as
    'row 1, column C: reason', for the importers that report errors as sentences."""
    try:
        table = read_table(filename, content)
    except FileFormatError as exc:
        return None, [f"row 1: {exc}"]
    errors = [f"row 1, column '{c}': this required column is missing" for c in required if c not in table.columns]
    known = set(required) | set(optional)
    errors += [f"row 1, column '{c}': unknown column" for c in table.columns if c not in known]
    return table, errors
