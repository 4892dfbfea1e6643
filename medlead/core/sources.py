"""Citations in plain English: the short source keys of the data files written out as a person reads them, primary
sources only.

``cite("E1, E3 (fine 3): no shift longer than 13 h")`` gives "NHS Employers, Working hours and patterns FAQs
(2019); NHS Employers, Guidance for guardians ... (fine 3): no shift longer than 13 h". The titles and each
source's kind are data (``data/sources.yaml``, whose header gives the criterion). A secondary source (a summary, a
law firm's article, a newspaper, another trust's form) is kept in the data for developers and never shown: a
citation of secondary sources only is left out, and where nothing primary is left the reader is told the value is
"to be confirmed by the trust"."""

from __future__ import annotations

import dataclasses
import re
from functools import cache

from medlead.core.reference_data import SECONDARY, TRUST_TO_CONFIRM, secondary_citation, source_index

NOTES = re.compile(r"\b(?:leadership-frameworks|medical-workforce-governance|rota-rules)\.md(?:,? section \d+)?\s*")
_TO_CONFIRM_SUFFIX = f" ({TRUST_TO_CONFIRM})"


@dataclasses.dataclass(frozen=True)
class _Index:
    titles: dict[str, str]
    kinds: dict[str, str]
    key: re.Pattern[str]  # a key, optionally in square brackets
    between: re.Pattern[str]  # a comma between two keys
    secondary: re.Pattern[str] | None  # a secondary key with its own bracketed detail and the comma that joins it


@cache
def _index() -> _Index:
    sources = source_index()
    titles, kinds = sources.titles, sources.kinds
    keys = "|".join(re.escape(k) for k in sorted(titles, key=len, reverse=True))
    # a comma between two keys becomes a semicolon, since the titles themselves contain commas
    between = re.compile(r"(?<![\w-])(" + keys + r")(?![\w-]),\s+(?=\[?(?:" + keys + r")(?![\w-]))")
    hidden = sorted((k for k in titles if kinds[k] == SECONDARY), key=len, reverse=True)
    secondary = None
    if hidden:
        one = r"\[?(?<![\w-])(?:" + "|".join(re.escape(k) for k in hidden) + r")(?![\w-])\]?(?:\s*\([^()]*\))?"
        secondary = re.compile(r",\s*" + one + r"|" + one + r"(?:,\s*)?")
    return _Index(titles, kinds, sources.key, between, secondary)


def _split(text: str) -> list[str]:
    """``text`` cut at each semicolon that is not inside brackets: one citation each."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth:
            depth -= 1
        elif ch == ";" and not depth:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _primary_part(citation: str) -> str:
    """The citation without its secondary sources ('' when it names only secondary ones)."""
    if secondary_citation(citation):
        return ""
    index = _index()
    if index.secondary is None or not any(index.kinds[k] == SECONDARY for k in index.key.findall(citation)):
        return citation
    kept = index.secondary.sub("", citation).strip()
    return re.sub(r"^[,\s]+|\s+(?=[,:])", "", kept)


def cite(text: str) -> str:
    """``text`` with every primary source key replaced by the source's title, secondary sources left out, and no
    internal file names; "to be confirmed by the trust" where no primary source is left."""
    if not text:
        return ""
    index = _index()
    text = NOTES.sub("", str(text)).replace("][", "]; [").strip()
    to_confirm = text.endswith(_TO_CONFIRM_SUFFIX)
    if to_confirm:
        text = text[: -len(_TO_CONFIRM_SUFFIX)]
    shown = "; ".join(p for p in (_primary_part(c) for c in _split(text)) if p)
    if not shown:
        return TRUST_TO_CONFIRM
    shown = index.between.sub(r"\1; ", shown)
    shown = index.key.sub(lambda m: index.titles[m.group(1)], shown)
    shown = shown.replace("NOT VERIFIED", "not verified").strip()
    return shown + _TO_CONFIRM_SUFFIX if to_confirm else shown
