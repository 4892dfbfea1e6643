"""Read CSV and XLSX uploads into rows of text keyed by normalised column name, with their line numbers: all at
once (``read_table``) or a row at a time (``Rows``), for a national file whose rows should never all be in memory
together (ADR 0031)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
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


def cell_problems(line: int, row: dict[str, str]) -> list[str]:
    """What is wrong with a row's cells as text, whatever the import: a null character, a cell too long."""
    return [
        f"row {line}, column '{column}': " + ("contains a null character" if "\x00" in value else "is too long")
        for column, value in row.items()
        if "\x00" in value or len(value) > MAX_CELL
    ]


def format_error(columns: Sequence[str], problems: list[str], total: int | None = None) -> FileFormatError | None:
    """The one error for a file whose cells cannot be read as text (the first 20 problems of ``total``), or None."""
    problems = list(problems)
    total = len(problems) if total is None else total
    if any("\x00" in c for c in columns):
        problems.insert(0, "row 1: a column name contains a null character")
        total += 1
    if not problems:
        return None
    more = f" (and {total - 20} more)" if total > 20 else ""
    return FileFormatError("; ".join(problems[:20]) + more + ". Correct the file and upload it again.")


def read_table(filename: str, content: bytes) -> Table:
    rows = Rows(filename, content)
    table = Table(rows.columns, list(rows))
    error = format_error(table.columns, [p for line, row in table.rows for p in cell_problems(line, row)])
    if error is not None:
        raise error
    return table


class Rows:
    """A file's rows read one at a time, afresh on each pass (``for line, row in rows``), as ``read_table`` reads
    them: the header is read at once (an empty or unreadable file is a ``FileFormatError`` here), a row's problem
    when it is reached. Only the file's bytes stay in memory, never its rows."""

    def __init__(self, filename: str, content: bytes) -> None:
        self.xlsx = filename.lower().endswith(".xlsx")
        self.content = content
        header = next(self._read(), None)
        if header is None:
            raise FileFormatError("The first worksheet is empty." if self.xlsx else "The file is empty.")
        self._header = header[1]
        self.columns: list[str] = [c for c in header[1] if c] if self.xlsx else header[1]

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        raw = self._read()
        next(raw)
        if self.xlsx:
            header = self._header
            for line, cells in raw:
                if any(cells):
                    yield line, {c: (cells[i] if i < len(cells) else "") for i, c in enumerate(header) if c}
            return
        columns = self.columns
        for line, values in raw:
            if any(v.strip() for v in values):
                yield line, {c: (values[i].strip() if i < len(values) else "") for i, c in enumerate(columns)}

    def _read(self) -> Iterator[tuple[int, list[str]]]:
        """(line, values), the header first with its names normalised."""
        return self._read_xlsx() if self.xlsx else self._read_csv()

    def _read_csv(self) -> Iterator[tuple[int, list[str]]]:
        stream = io.TextIOWrapper(io.BytesIO(self.content), encoding="utf-8-sig", newline="")
        reader = csv.reader(stream)
        try:
            first = True
            for values in reader:
                yield reader.line_num, ([_norm(c) for c in values] if first else values)
                first = False
        except UnicodeDecodeError as exc:
            raise FileFormatError("The CSV file is not UTF-8 text. Save it as 'CSV UTF-8' and try again.") from exc
        except csv.Error as exc:  # a field over the csv module's limit, or a broken quote
            raise FileFormatError(
                f"row {reader.line_num + 1}: a value is too long or its quotes are broken ({exc})."
            ) from exc

    def _read_xlsx(self) -> Iterator[tuple[int, list[str]]]:
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(self.content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise FileFormatError("The file is not a readable .xlsx workbook.") from exc
        try:
            for line, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
                yield line, ([_norm(c) for c in values] if line == 1 else [_cell(v) for v in values])
        finally:
            workbook.close()


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
