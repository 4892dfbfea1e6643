"""Citations in plain English: the short source keys of the data files written out as a person reads them.

``cite("E1, E3 (fine 3): no shift longer than 13 h")`` gives "NHS Employers, Working hours and patterns FAQs
(2019); NHS Employers, Guidance for guardians ... (fine 3): no shift longer than 13 h". The names are data
(``data/sources.yaml``)."""

from __future__ import annotations

import re
from functools import cache

from medlead.core.reference_data import read

NOTES = re.compile(r"\b(?:leadership-frameworks|medical-workforce-governance|rota-rules)\.md(?:,? section \d+)?\s*")


@cache
def _names() -> tuple[dict[str, str], re.Pattern[str], re.Pattern[str]]:
    names = {str(k): str(v) for k, v in read("sources.yaml")["names"].items()}
    keys = "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
    key = r"\[?(?<![\w-])(" + keys + r")(?![\w-])\]?"
    # a comma between two keys becomes a semicolon, since the names themselves contain commas
    between = re.compile(r"(?<![\w-])(" + keys + r")(?![\w-]),\s+(?=\[?(?:" + keys + r")(?![\w-]))")
    return names, re.compile(key), between


def cite(text: str) -> str:
    """``text`` with every source key replaced by the source's name, and no internal file names."""
    if not text:
        return ""
    names, pattern, between = _names()
    text = between.sub(r"\1; ", NOTES.sub("", str(text)).replace("][", "]; ["))
    text = pattern.sub(lambda m: names[m.group(1)], text)
    return text.replace("NOT VERIFIED", "not verified").strip()
