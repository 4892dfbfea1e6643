"""National files in their own column layouts: the ESR staff extract and the GMC Connect list of doctors.

A layout (``data/import_layouts.yaml``) maps the headings of a national file onto the columns of one of medlead's
import kinds, works out some of medlead's values from the file's (a staff group to a kind of staff, a job role to a
grade) and keeps only the rows that are medlead's (an ESR extract holds every member of staff). ``translate``
rewrites an uploaded file into the kind's own columns, row for row with the same line numbers, and the shared
pipeline (``core.imports``) checks and applies it as any other file: dry run, confirm, worker, all or nothing.

The defaults are NOT VERIFIED against a live download (the data file says why); a trust whose file differs edits
the headings on the layout's page (``organisation.ImportLayout``), and the layout used is kept with each import.
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from typing import Any

from medlead.core.reference_data import cited, provenance, read
from medlead.core.tabular import FileFormatError, _norm, read_table

JOIN = " + "  # how a column made of several headings is written on the layout's page


@dataclass(frozen=True)
class Derived:
    heading: str
    values: dict[str, str]


@dataclass(frozen=True)
class Layout:
    code: str
    label: str
    kind: str
    columns: dict[str, list[str]]  # medlead column -> the heading(s) it is read from (several are joined)
    derived: dict[str, Derived] = field(default_factory=dict)
    keep_heading: str = ""
    keep_values: tuple[str, ...] = ()
    source: str = ""
    verified: bool = False

    def with_headings(self, headings: dict[str, str]) -> Layout:
        """This layout with some headings changed (a trust's own), each given as the page writes it."""
        columns = dict(self.columns)
        derived = dict(self.derived)
        keep = self.keep_heading
        for column, text in headings.items():
            parts = [p.strip() for p in text.split(JOIN.strip()) if p.strip()]
            if column in derived:
                if derived[column].heading == keep:
                    keep = parts[0]
                derived[column] = Derived(parts[0], derived[column].values)
            elif column in columns:
                columns[column] = parts
        return Layout(**(asdict(self) | {"columns": columns, "derived": derived, "keep_heading": keep}))

    def headings(self) -> dict[str, str]:
        """Each medlead column with the heading(s) it is read from, as the layout's page shows them."""
        shown = {c: JOIN.join(h) for c, h in self.columns.items()}
        return shown | {c: d.heading for c, d in self.derived.items()}

    def as_params(self) -> dict[str, Any]:
        """Kept with an import, so that its confirm reads the file exactly as its dry run did."""
        return asdict(self) | {"keep_values": list(self.keep_values)}

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Layout:
        derived = {c: Derived(**d) for c, d in params["derived"].items()}
        return cls(**(params | {"derived": derived, "keep_values": tuple(params["keep_values"])}))


def layouts() -> dict[str, Layout]:
    """The national layouts medlead knows, by code."""
    found = {}
    for entry in read("import_layouts.yaml")["layouts"]:
        columns = {c: ([h] if isinstance(h, str) else list(h)) for c, h in entry["columns"].items()}
        derived = {c: Derived(d["heading"], dict(d["values"])) for c, d in entry.get("derived", {}).items()}
        keep = entry.get("keep", {})
        found[entry["code"]] = Layout(
            code=entry["code"],
            label=entry["label"],
            kind=entry["kind"],
            columns=columns,
            derived=derived,
            keep_heading=keep.get("heading", ""),
            keep_values=tuple(keep.get("values", ())),
            source=cited(entry),
            verified=provenance(entry).verified is True,
        )
    return found


@dataclass
class Translation:
    filename: str
    content: bytes
    errors: list[str]
    skipped: int = 0  # rows that are not medlead's (another staff group)


def translate(
    layout: Layout, filename: str, content: bytes, columns: tuple[str, ...], required: tuple[str, ...] = ()
) -> Translation:
    """The file rewritten in the kind's ``columns``, or the errors that stop it (each 'row N, column C: reason').
    The headings that fill a ``required`` column, and the one that says which rows are medlead's, must be there;
    a missing optional one leaves its column empty. Headings the layout does not use are ignored: national
    extracts carry many more columns than medlead needs."""
    try:
        table = read_table(filename, content)
    except FileFormatError as exc:
        return Translation(filename, b"", [f"row 1: {exc}"])
    present = set(table.columns)
    wanted = [(c, hs) for c, hs in layout.columns.items() if c in columns]
    needed = {h for c, hs in wanted if c in required for h in hs}
    needed |= {d.heading for c, d in layout.derived.items() if c in required}
    if layout.keep_heading:
        needed.add(layout.keep_heading)
    missing = sorted(h for h in needed if _norm(h) not in present)
    if missing:
        found = ", ".join(f"'{c}'" for c in table.columns if c) or "none"
        return Translation(
            filename,
            b"",
            [
                f"row 1, column '{h}': the {layout.label} layout reads this column, and the file does not have it "
                f"(its columns: {found}). If your file names it differently, change the layout's headings."
                for h in missing
            ],
        )
    keep = {_norm(v) for v in layout.keep_values}
    derived = {c: (d.heading, {_norm(k): v for k, v in d.values.items()}) for c, d in layout.derived.items()}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    written_to, skipped = 1, 0
    for line, row in table.rows:
        while written_to < line - 1:  # blank lines keep every row on its own line number
            writer.writerow([])
            written_to += 1
        if layout.keep_heading and _norm(row.get(_norm(layout.keep_heading), "")) not in keep:
            writer.writerow([])
            skipped += 1
        else:
            values = {c: " ".join(v for h in hs if (v := row.get(_norm(h), ""))) for c, hs in wanted}
            for column, (heading, mapping) in derived.items():
                values[column] = mapping.get(_norm(row.get(_norm(heading), "")), "")
            writer.writerow([values.get(c, "") for c in columns])
        written_to = line
    return Translation("translated.csv", out.getvalue().encode(), [], skipped)
