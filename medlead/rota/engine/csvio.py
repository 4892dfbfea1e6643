"""Read a rota CSV (header ``doctor,start,end`` and optional ``kind``, ``opted_out``) into a ``Rota``.

Every bad row is reported with its line number and reason; a file with any error yields no rota.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import numpy as np

from medlead.core.params import YEARS  # plain Python, no Django: the engine stays pure
from medlead.rota.engine.model import KINDS, Rota
from medlead.rota.engine.timeutil import EPOCH, skipped, skipped_reason

REQUIRED = ("doctor", "start", "end")
OPTIONAL = ("kind", "opted_out")
TRUE, FALSE = {"true", "yes", "1"}, {"false", "no", "0", ""}


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}"


def _parse_time(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.strip())
    if value.tzinfo is not None:
        raise ValueError("has a UTC offset; give local wall-clock time without one")
    return value


def parse(text: str) -> tuple[Rota | None, list[RowError]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return None, [RowError(1, "the file is empty")]
    errors = [RowError(1, f"missing column '{c}'") for c in REQUIRED if c not in header]
    errors += [RowError(1, f"unknown column '{c}'") for c in header if c not in REQUIRED + OPTIONAL]
    if errors:
        return None, errors
    col = {name: header.index(name) for name in header}
    names: dict[str, int] = {}
    opted: dict[int, tuple[bool, int]] = {}
    doctor: list[int] = []
    start: list[int] = []
    end: list[int] = []
    kind: list[int] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header):
            errors.append(RowError(line, f"expected {len(header)} values, found {len(values)}"))
            continue
        values += [""] * (len(header) - len(values))  # trailing optional values may be left off
        name = values[col["doctor"]].strip()
        if not name:
            errors.append(RowError(line, "the doctor is empty"))
            continue
        try:
            s = _parse_time(values[col["start"]])
        except ValueError as exc:
            errors.append(RowError(line, f"start '{values[col['start']]}' is not an ISO 8601 time ({exc})"))
            continue
        try:
            e = _parse_time(values[col["end"]])
        except ValueError as exc:
            errors.append(RowError(line, f"end '{values[col['end']]}' is not an ISO 8601 time ({exc})"))
            continue
        if e <= s:
            errors.append(RowError(line, "the end is not after the start"))
            continue
        if not (YEARS[0] <= s.year <= YEARS[1] and YEARS[0] <= e.year <= YEARS[1]):
            errors.append(RowError(line, f"choose dates between {YEARS[0]} and {YEARS[1]}"))
            continue
        if missing := [f"the {which}: {skipped_reason(t)}" for which, t in (("start", s), ("end", e)) if skipped(t)]:
            errors.append(RowError(line, "; ".join(missing)))
            continue
        k = values[col["kind"]].strip().lower() if "kind" in col else ""
        if k and k not in KINDS:
            errors.append(RowError(line, f"unknown kind '{k}' (use shift, on_call or on_call_work)"))
            continue
        idx = names.setdefault(name, len(names))
        if "opted_out" in col:
            word = values[col["opted_out"]].strip().lower()
            if word not in TRUE | FALSE:
                errors.append(RowError(line, f"opted_out '{word}' is not true or false"))
                continue
            flag = word in TRUE
            if word and idx in opted and opted[idx][0] != flag:
                errors.append(RowError(line, f"opted_out for {name} differs from line {opted[idx][1]}"))
                continue
            if word:
                opted.setdefault(idx, (flag, line))
        doctor.append(idx)
        start.append(int((s - EPOCH).total_seconds()))
        end.append(int((e - EPOCH).total_seconds()))
        kind.append(KINDS[k or "shift"])
    if errors:
        return None, errors
    rota = Rota(
        doctors=list(names),
        doctor=np.array(doctor, dtype=np.int64),
        start=np.array(start, dtype=np.int64),
        end=np.array(end, dtype=np.int64),
        kind=np.array(kind, dtype=np.int8),
        opted_out=np.array([opted.get(i, (False, 0))[0] for i in range(len(names))], dtype=np.bool_),
    )
    return rota, []
