"""Numbers typed into files and fields, read safely: a value out of range or not a number is treated as absent,
never passed to the database, where it would fail. (A page's query string is read through ``core.query``.)"""

from __future__ import annotations

# Years a record can belong to: medlead's data starts long after 2000 and plans run a few years ahead.
YEARS = (2000, 2100)
# Database primary keys and small counts fit in a signed 32-bit integer.
MAX_ID = 2**31 - 1


def is_digits(text: str) -> bool:
    """Only the digits 0 to 9 (``str.isdigit`` also says yes to "²" and other digits ``int`` refuses)."""
    return text.isascii() and text.isdigit()


def int_param(value: str | None, *, lo: int = 0, hi: int = MAX_ID) -> int | None:
    """The whole number in ``value`` if it is one within [lo, hi], else None."""
    text = (value or "").strip()
    if not is_digits(text.removeprefix("-")) or len(text) > 12:
        return None
    number = int(text)
    return number if lo <= number <= hi else None


def year_param(value: str | None) -> int | None:
    return int_param(value, lo=YEARS[0], hi=YEARS[1])
