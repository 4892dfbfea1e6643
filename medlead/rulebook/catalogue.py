"""The national values medlead applies, found by walking the rule files in ``data/``: each a file, a key path and
the dated entry (sources, dates, ``verified``) that vouches for it. No Django: the catalogue is the data's own.

A *value* is a scalar (a number, a time, a word, a date), a list of scalars, or a table of frequency rows named in
``TABLES`` (each row "up to 1 in N: a percentage", shown as "1 in 1 to 4: 8%"), found either

- under a parameter file's ``provenance`` (``exclusion`` in ``mhps.yaml`` gives ``exclusion.immediate_max_days``
  and its siblings, each vouched for by ``provenance.exclusion``), or
- as a field of a dated entry, a list item named by its ``code`` or ``id`` (``calculation.v13.penalty_multiplier`` in
  ``guardian_fines.yaml``, ``checks.qualifications.at`` in ``fppt.yaml``).

Only the entries in force on the day asked are listed. Catalogues (post types, the portfolio, opportunities,
frameworks) and technical files (FHIR systems, import layouts, the demo trust) are not rules and are not listed.

Read from the rule files but not listed, and why:

- code lists and names: MHPS's categories, intake sources and decisions, revalidation's deferral reasons and
  supporting-information types, the awards' domains, the fines' categories (each entry's ``code`` and ``name``);
- tables other than those named in ``TABLES`` (the on-call availability supplement's, one value for each category,
  is listed: a trust confirms or changes a category's rows as one value);
- files that are not rules: ``board_report.yaml`` (the report's sections), ``roster_templates.yaml`` (shift
  patterns a rota coordinator chooses), ``sources.yaml``, ``suggestion_eval.yaml``; and the standalone ``spc``
  command, which charts a file for no trust and so reads the national settings;
- values a trust must not set on its own, each named in ``NOT_LISTED`` with the reason a page may show.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from medlead.core.reference_data import HEADER, in_force, read, stamp

# The rule files whose values a trust relies on, each in the area a page groups it under (an allow-list: a new file
# is listed only when someone decides it holds rules).
AREAS: dict[str, str] = {
    "guardian_fines.yaml": "Guardian fines",
    "exception_reporting.yaml": "Exception reporting",
    "rota_rules/tcs2016-2019.yaml": "Rota rules (2016 terms and conditions as amended in 2019)",
    "rota_rules/tcs2016.yaml": "Rota rules (2016 terms and conditions as first published)",
    "job_planning.yaml": "Job planning",
    "public_holidays.yaml": "Public holidays",
    "revalidation.yaml": "Appraisal and revalidation",
    "mhps.yaml": "Concerns under MHPS",
    "fppt.yaml": "Fit and proper persons (board members)",
    "awards.yaml": "Clinical Impact Awards",
    "spc.yaml": "The board report's charts",
    "structure_rules.yaml": "Structure health",
    "board_report.yaml": "The board's action log",
    "leave.yaml": "Leave for resident doctors",
    "rota_notice.yaml": "Notice of work schedules and rotas",
    "shift_swaps.yaml": "Shift swaps (the trust's own setting)",
    "feedback_report.yaml": "Colleague and patient feedback reports (the trust's own setting)",
    "good_medical_practice.yaml": "Appraisal on Good medical practice",
    # issue 34 (transfers)
    "information_transfer.yaml": "Information transfers between responsible officers (the trust's own setting)",
}
# Values read from a listed file that a trust must not confirm or change, each with the reason (a key, or a prefix
# ending in "."): the page leaves them out and says why.
NOT_LISTED: dict[tuple[str, str], str] = {
    ("awards.yaml", "suppress_below"): (
        "The smallest count the awards' equality figures show is a privacy threshold that keeps applicants "
        "anonymous: a trust must not lower it on its own."
    ),
    ("revalidation.yaml", "deferral_criteria."): (
        "The criteria for a deferral are wording shown to people, not a value a trust sets."
    ),
    ("revalidation.yaml", "non_engagement_criteria."): (
        "The criteria for non-engagement are wording shown to people, not a value a trust sets."
    ),
    ("revalidation.yaml", "defer.reasons"): (
        "The usual reasons for a deferral are a list offered when one is recorded, not a value a trust sets."
    ),
    ("leave.yaml", "kinds"): (
        "The kinds of leave a doctor may ask for are a list of words to choose from, not a value a trust sets."
    ),
    ("mhps.yaml", "intake_sources"): (
        "How a concern reached the trust and the decisions a case manager records are lists of words to choose from, "
        "not values a trust sets."
    ),
    ("mhps.yaml", "decisions"): (
        "How a concern reached the trust and the decisions a case manager records are lists of words to choose from, "
        "not values a trust sets."
    ),
    ("exception_reporting.yaml", "versions.v13.verification_tiers."): (
        "The names of the kinds of evidence that confirm extra hours are words shown to the guardian and the doctor, "
        "not values a trust sets."
    ),
    ("board_report.yaml", "computed."): (
        "The board report's figures are computed from medlead's own records by their definitions, not values a trust "
        "sets."
    ),
    ("good_medical_practice.yaml", "editions."): (
        "The editions of Good medical practice and their four domains are the GMC's headings shown to people, not "
        "values a trust sets."
    ),
    # issue 34 (transfers)
    ("information_transfer.yaml", "forms."): (
        "The information transfer form's sections and questions are wording shown to the responsible officers, not "
        "values a trust sets."
    ),
    # whole files ("") that are not rules
    # issue 34: the region's view and who receives what (the regions' and the reference data's, not a trust's)
    ("region_view.yaml", ""): (
        "How a region's figures are shown to its regional medical director (the smallest count shown, when a fit and "
        "proper return is overdue) is the region's to confirm, not a trust's: a trust must not change how its own "
        "figures reach the region."
    ),
    ("receivers.yaml", ""): (
        "Who receives a trust's returns and who is its higher-level responsible officer are dated rows kept in the "
        "reference data (the Django admin), each marked checked against its source or to be confirmed there."
    ),
    ("demo_trust.yaml", ""): (
        "The demonstration trust's people, posts and rotas are invented to show medlead working: not rules, and no "
        "trust's data."
    ),
    ("roster_templates.yaml", ""): (
        "The shift patterns offered when a rota is generated are examples to choose from, not rules: the rota made "
        "from them is checked against the rota rules above."
    ),
    ("import_layouts.yaml", ""): (
        "The column headings of the ESR staff extract and the GMC Connect list are checked and changed by each trust "
        "on the import layout's page."
    ),
    ("fhir.yaml", ""): (
        "The identifiers and profiles of the FHIR export are the names the receiving systems define, not values a "
        "trust sets."
    ),
    ("frameworks/management-fundamentals.yaml", ""): (
        "Leadership frameworks are standards a trust adopts or imports on the frameworks pages, not values medlead "
        "applies to records."
    ),
    ("frameworks/mlf-2025.yaml", ""): (
        "Leadership frameworks are standards a trust adopts or imports on the frameworks pages, not values medlead "
        "applies to records."
    ),
    ("feedback/gmc-colleague-gmp2024.yaml", ""): (
        "A feedback questionnaire's wording is adopted by the trust as a whole, or replaced by the trust's own "
        "validated questionnaire (another version, loaded for the trust): not a value medlead applies to records."
    ),
    ("feedback/gmc-patient-gmp2024.yaml", ""): (
        "A feedback questionnaire's wording is adopted by the trust as a whole, or replaced by the trust's own "
        "validated questionnaire (another version, loaded for the trust): not a value medlead applies to records."
    ),
}


def not_listed(file: str, key: str) -> bool:
    """Whether ``key`` of ``file`` is left off the page: named in ``NOT_LISTED`` (its key; a prefix ending in "."
    and the entry it names; "" for the whole file)."""
    return any(
        file == f and (k == "" or key == k or (k.endswith(".") and (key.startswith(k) or key == k[:-1])))
        for (f, k) in NOT_LISTED
    )


# Values that are tables of frequency rows, each ``[up to "1 in N", percentage]`` with N rising, the last row's N
# ``OPEN_END`` meaning "or less often": (file, key prefix) -> what a page calls the table.
TABLES: dict[tuple[str, str], str] = {
    ("job_planning.yaml", "on_call_supplement."): "On-call availability supplement, category",
}
OPEN_END = 999  # a table's last row reaching this covers every frequency less often than the row before


def table_name(file: str, key: str) -> str:
    """What a page calls the table ``key`` of ``file`` is, or "" where it is not a table the page lists."""
    return next((name for (f, prefix), name in TABLES.items() if f == file and key.startswith(prefix)), "")


def is_rows(value: Any) -> bool:
    """A table of frequency rows: a non-empty list of ``[whole number, number]`` pairs."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(
            isinstance(row, (list, tuple))
            and len(row) == 2
            and isinstance(row[0], int)
            and not isinstance(row[0], bool)
            and isinstance(row[1], (int, float))
            and not isinstance(row[1], bool)
            for row in value
        )
    )


def row_problems(rows: list[tuple[int, float]]) -> list[str]:
    """What is wrong with a table of frequency rows, in the words a person reads (none when it is right): at least
    one row, each "1 in N" from 1 and rising, each percentage from 0 to 100."""
    if not rows:
        return ["Give at least one row."]
    problems = []
    before = 0
    for upto, percent in rows:
        if upto < 1 or upto > OPEN_END:
            problems.append(f"Give each frequency as 1 in a whole number from 1 to {OPEN_END - 1}.")
        elif upto <= before:
            problems.append("Give the rows with the frequencies rising: each row's 1 in N larger than the row above.")
        if not 0 <= percent <= 100:
            problems.append("Give each percentage from 0 to 100.")
        before = max(before, upto)
    return list(dict.fromkeys(problems))


def shown_rows(rows: list[Any]) -> list[str]:
    """Each row as a person reads it: "1 in 1 to 4: 8%", "1 in 9 or less often: 3%"."""
    out = []
    lower = 1
    for upto, percent in rows:
        share = f"{Decimal(str(percent)).normalize():f}%"
        if upto >= OPEN_END:
            out.append(f"1 in {lower} or less often: {share}")
        elif upto == lower:
            out.append(f"1 in {upto}: {share}")
        else:
            out.append(f"1 in {lower} to {upto}: {share}")
        lower = upto + 1
    return out


# Fields of an entry that name or describe it rather than give a value.
_NAMING = frozenset({"code", "id", "name", "title", "description", "label", "version", "early_adoption_from"})


@dataclasses.dataclass(frozen=True)
class NationalValue:
    file: str
    key: str
    value: Any
    sources: tuple[str, ...]
    verified: bool
    applies_from: dt.date
    name: str = ""

    @property
    def area(self) -> str:
        return AREAS[self.file]

    # worked out once a value: the values are made once a file and day (``_in_force``), and a page's forms list them all
    @functools.cached_property
    def table(self) -> bool:
        """A table of frequency rows (confirmed row by row), not one value."""
        return bool(table_name(self.file, self.key))

    @functools.cached_property
    def label(self) -> str:
        """The value's name as a person reads it: its entry's name where it has one, then the key's last words."""
        last = self.key.rsplit(".", 1)[-1].replace("_", " ")
        if self.table:
            return f"{table_name(self.file, self.key)} {last}"
        if self.name:
            return f"{self.name}: {last}"
        parts = [p.replace("_", " ") for p in self.key.split(".")]
        return ": ".join(parts).capitalize()


def _scalar(value: Any) -> bool:
    if isinstance(value, (str, int, float, bool, dt.date)):
        return True
    return (
        isinstance(value, list) and bool(value) and all(isinstance(v, (str, int, float, bool, dt.date)) for v in value)
    )


def _lookup(data: Mapping[str, Any], key: str) -> Any:
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, Mapping):
            return None
        if part not in node and part.isdigit() and int(part) in node:
            node = node[int(part)]  # a year, read from the file as a number (public_holidays.yaml)
        elif part in node:
            node = node[part]
        else:
            return None
    return node


def _from_provenance(file: str, data: Mapping[str, Any], day: dt.date) -> Iterator[NationalValue]:
    provenance = data.get("provenance") or {}
    for key, entry in provenance.items():
        if not in_force([entry], day):
            continue
        value = _lookup(data, str(key))
        vouched = (tuple(entry["sources"]), entry["verified"] is True, entry["applies_from"])
        if _scalar(value):
            yield NationalValue(file, str(key), value, *vouched)
        elif isinstance(value, Mapping) and "applies_from" not in value:
            for inner, v in value.items():
                listed = _scalar(v) or (bool(table_name(file, f"{key}.{inner}")) and is_rows(v))
                if listed and f"{key}.{inner}" not in provenance:
                    yield NationalValue(file, f"{key}.{inner}", v, *vouched)


def _from_entries(
    file: str, node: Any, path: str, day: dt.date, inherited: Mapping[str, Any] | None
) -> Iterator[NationalValue]:
    if isinstance(node, list):
        for item in node:
            if isinstance(item, Mapping):
                name = item.get("code", item.get("id"))
                if name is not None:
                    yield from _from_entries(file, item, f"{path}.{name}" if path else str(name), day, inherited)
        return
    if not isinstance(node, Mapping):
        return
    entry = inherited
    if "applies_from" in node:
        if not in_force([node], day):
            return
        entry = node
    elif "sources" in node and inherited is not None:
        # a rule of a versioned rule set cites its own sources; its dates (and, unless it says, its verification)
        # are the set's
        entry = {**inherited, "sources": node["sources"], "verified": node.get("verified", inherited["verified"])}
    for key, value in node.items():
        if key in HEADER or key in _NAMING or key == "provenance":
            continue
        where = f"{path}.{key}" if path else str(key)
        if _scalar(value):
            if entry is not None:
                yield NationalValue(
                    file,
                    where,
                    value,
                    tuple(entry["sources"]),
                    entry["verified"] is True,
                    entry["applies_from"],
                    str(node.get("name", "")) if isinstance(node.get("name"), str) else "",
                )
        else:
            yield from _from_entries(file, value, where, day, entry)


def values(day: dt.date, files: tuple[str, ...] = tuple(AREAS)) -> list[NationalValue]:
    """Every national value in force on ``day`` in ``files``, in the files' order and each file's own order."""
    return [v for file in files for v in _in_force(file, day, stamp(file))]


def item_id(value: NationalValue) -> str:
    """How a page names one value: ``guardian_fines.yaml:calculation.v13.doctor_multiplier``."""
    return f"{value.file}:{value.key}"


def by_item(day: dt.date) -> Mapping[str, NationalValue]:
    """Every national value in force on ``day`` by its ``item_id``, worked out once a day while the files are
    unchanged on disk (the rules page links each to its own form). Shared: never changed by a reader."""
    return _by_item(day, tuple(stamp(file) for file in AREAS))


@functools.lru_cache(maxsize=16)
def _by_item(day: dt.date, _stamps: tuple[int, ...]) -> Mapping[str, NationalValue]:
    return MappingProxyType({item_id(v): v for v in values(day)})


def value(file: str, key: str, day: dt.date) -> NationalValue | None:
    """One national value in force on ``day``, or None where the file gives none under that key that day."""
    return _by_key(file, day, stamp(file)).get(key)


# A page judging many records (a trust's doctors, each on their own dates) asks for the same few files' values on a
# few hundred days: each file's values on a day are worked out once while the file is unchanged on disk. The values
# are frozen dataclasses, but a value that is a list or a table is shared by every reader in the process: a reader
# that needs to change one copies it first (as ``jobplans.selectors`` and ``rulebook.forms`` do).
@functools.lru_cache(maxsize=2048)
def _in_force(file: str, day: dt.date, _stamp: int) -> tuple[NationalValue, ...]:
    data = read(file)
    if not in_force([data], day):
        return ()
    found = list(_from_provenance(file, data, day))
    covered = {v.key.split(".")[0] for v in found}
    for key, node in data.items():
        if key in HEADER or key in _NAMING or key == "provenance" or key in covered:
            continue
        if _scalar(node) and data.get("provenance"):
            continue  # a parameter file's value is vouched for by its provenance entry, listed above
        found.extend(_from_entries(file, node, str(key), day, data))
    return tuple(v for v in found if not not_listed(v.file, v.key))


@functools.lru_cache(maxsize=2048)
def _by_key(file: str, day: dt.date, _stamp: int) -> dict[str, NationalValue]:
    found: dict[str, NationalValue] = {}
    for v in _in_force(file, day, _stamp):
        found.setdefault(v.key, v)  # the first, as a search of ``values`` finds it
    return found


def shown(value: Any) -> str:
    """A value as a page shows it."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if is_rows(value):
        return "; ".join(shown_rows(value))
    if isinstance(value, list):
        return ", ".join(shown(v) for v in value)
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def parse(text: str, like: Any) -> Any:
    """``text`` read as a value of the kind ``like`` is (the national value it replaces); ``ValueError`` with the
    words a person reads when it cannot be."""
    text = text.strip()
    if isinstance(like, bool):
        if text.lower() in ("yes", "true"):
            return True
        if text.lower() in ("no", "false"):
            return False
        raise ValueError("Enter yes or no.")
    if isinstance(like, int):
        try:
            return int(text)
        except ValueError:
            raise ValueError("Enter a whole number, like 28.") from None
    if isinstance(like, float) or (isinstance(like, str) and _decimal(like) is not None):
        number = _decimal(text)
        if number is None:
            raise ValueError("Enter a number, like 1.5.")
        return float(number) if isinstance(like, float) else str(number)
    if isinstance(like, dt.date):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError("Enter a date as YYYY-MM-DD, like 2026-04-01.") from None
    if isinstance(like, list):
        items = [t.strip() for t in text.split(",") if t.strip()]
        if not items:
            raise ValueError("Enter the values separated by commas.")
        return [parse(t, like[0]) for t in items] if like else items
    if not text:
        raise ValueError("Enter the value your trust applies.")
    return text


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def typed(stored: Any, like: Any) -> Any:
    """A value as stored (JSON) given back as the kind of the national value (a date as a date)."""
    if isinstance(like, dt.date) and isinstance(stored, str):
        return dt.date.fromisoformat(stored)
    if isinstance(like, list) and like and isinstance(like[0], dt.date) and isinstance(stored, list):
        return [typed(s, like[0]) for s in stored]
    return stored
