import io

import pytest
from openpyxl import Workbook

from medlead.core.tabular import FileFormatError, read_table


def test_csv_rows_keep_their_file_line_numbers_and_skip_blank_lines() -> None:
    table = read_table("x.csv", b"First Name,Last-Name\nA,B\n,\nC,D\n")
    assert table.columns == ["first_name", "last_name"]
    assert table.rows == [(2, {"first_name": "A", "last_name": "B"}), (4, {"first_name": "C", "last_name": "D"})]


def test_csv_that_is_not_utf8_is_refused_with_a_reason() -> None:
    with pytest.raises(FileFormatError, match="UTF-8"):
        read_table("x.csv", "nom\nRené\n".encode("utf-16"))


def test_xlsx_dates_and_whole_numbers_become_text() -> None:
    import datetime as dt

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["code", "holder_start", "pas_allocated"])
    ws.append(["MD", dt.datetime(2025, 4, 1), 6.0])
    buf = io.BytesIO()
    wb.save(buf)
    table = read_table("x.xlsx", buf.getvalue())
    assert table.rows == [(2, {"code": "MD", "holder_start": "2025-04-01", "pas_allocated": "6"})]


def test_broken_xlsx_is_refused() -> None:
    with pytest.raises(FileFormatError):
        read_table("x.xlsx", b"not a workbook")
