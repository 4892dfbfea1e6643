"""A rostering problem and its reader for the Curtois–Qu shift scheduling benchmark format
(../shared/benchmarks/curtois-qu/README.md). Pure: no Django import.

The same ``Instance`` is what medlead's own rota generator builds from a department's doctors and shifts, so the
solver and the evaluator are measured on public instances and used on real rotas alike."""

from __future__ import annotations

from dataclasses import dataclass, field

SECTIONS = (
    "SECTION_HORIZON",
    "SECTION_SHIFTS",
    "SECTION_STAFF",
    "SECTION_DAYS_OFF",
    "SECTION_SHIFT_ON_REQUESTS",
    "SECTION_SHIFT_OFF_REQUESTS",
    "SECTION_COVER",
)
REQUIRED = ("SECTION_HORIZON", "SECTION_SHIFTS", "SECTION_STAFF", "SECTION_COVER")


@dataclass(frozen=True)
class Shift:
    id: str
    minutes: int
    cannot_follow: frozenset[str]  # shifts that may not be worked the day after this one


@dataclass(frozen=True)
class Staff:
    id: str
    max_shifts: dict[str, int]  # per shift type
    max_minutes: int
    min_minutes: int
    max_consecutive: int
    min_consecutive: int
    min_days_off: int  # minimum consecutive days off
    max_weekends: int


@dataclass(frozen=True)
class Request:
    staff: str
    day: int
    shift: str
    weight: int


@dataclass(frozen=True)
class Cover:
    day: int
    shift: str
    requirement: int
    weight_under: int
    weight_over: int


@dataclass
class Instance:
    name: str
    days: int
    shifts: dict[str, Shift]
    staff: dict[str, Staff]
    days_off: dict[str, set[int]] = field(default_factory=dict)
    on_requests: list[Request] = field(default_factory=list)
    off_requests: list[Request] = field(default_factory=list)
    cover: list[Cover] = field(default_factory=list)

    def problems(self) -> list[str]:
        """What makes the instance impossible before any search: said in words, so a user learns it at once
        rather than after a timeout."""
        out = []
        for s in self.staff.values():
            free = self.days - len(self.days_off.get(s.id, set()))
            allowed = [sh for sh in self.shifts.values() if s.max_shifts.get(sh.id, 0) > 0]
            if s.min_minutes > 0 and not allowed:
                out.append(f"{s.id} must work at least {s.min_minutes} minutes but may work no shift type.")
                continue
            longest = max((sh.minutes for sh in allowed), default=0)
            if s.min_minutes > free * longest:
                out.append(
                    f"{s.id} must work at least {s.min_minutes} minutes but has only {free} days without leave "
                    f"(at most {free * longest} minutes)."
                )
            if s.min_minutes > s.max_minutes:
                out.append(f"{s.id}'s minimum minutes ({s.min_minutes}) exceed the maximum ({s.max_minutes}).")
        return out


class InstanceError(ValueError):
    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"line {n}: {why}" for n, why in errors))


def _int(text: str, what: str, line: int, errors: list[tuple[int, str]], minimum: int = 0) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        errors.append((line, f"{what} {text.strip()!r} is not a whole number"))
        return minimum
    if value < minimum:
        errors.append((line, f"{what} {value} is less than {minimum}"))
    return value


def parse(text: str, name: str = "") -> Instance:
    """Read an instance; raise ``InstanceError`` listing every bad line (number and reason)."""
    errors: list[tuple[int, str]] = []
    rows: dict[str, list[tuple[int, list[str]]]] = {}
    current = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            if line not in SECTIONS:
                errors.append((number, f"unknown section {line}"))
                current = ""
                continue
            if line in rows:
                errors.append((number, f"{line} appears twice"))
            current = line
            rows.setdefault(current, [])
            continue
        if not current:
            errors.append((number, "a value outside any section"))
            continue
        rows[current].append((number, [c.strip() for c in line.split(",")]))
    missing = [s for s in REQUIRED if s not in rows]
    if missing:
        errors.append((0, "missing " + ", ".join(missing)))
        raise InstanceError(errors)

    horizon = rows["SECTION_HORIZON"]
    days = 0
    if len(horizon) != 1 or len(horizon[0][1]) != 1:
        errors.append((horizon[0][0] if horizon else 0, "SECTION_HORIZON must hold one number, the days"))
    else:
        days = _int(horizon[0][1][0], "the horizon", horizon[0][0], errors, minimum=1)

    shifts: dict[str, Shift] = {}
    follows: list[tuple[int, str, list[str]]] = []
    for number, cells in rows["SECTION_SHIFTS"]:
        if len(cells) != 3:
            errors.append((number, f"a shift needs 3 fields (ID, minutes, cannot follow), not {len(cells)}"))
            continue
        sid = cells[0]
        if not sid or sid in shifts:
            errors.append((number, f"shift ID {sid!r} is empty or repeated"))
            continue
        cannot = [c for c in cells[2].split("|") if c]
        follows.append((number, sid, cannot))
        shifts[sid] = Shift(sid, _int(cells[1], "shift length", number, errors, 1), frozenset(cannot))
    for number, sid, cannot in follows:
        for other in cannot:
            if other not in shifts:
                errors.append((number, f"unknown shift ID {other!r} in what cannot follow {sid}"))

    staff: dict[str, Staff] = {}
    for number, cells in rows["SECTION_STAFF"]:
        if len(cells) != 8:
            errors.append((number, f"a staff member needs 8 fields, not {len(cells)}"))
            continue
        sid = cells[0]
        if not sid or sid in staff:
            errors.append((number, f"staff ID {sid!r} is empty or repeated"))
            continue
        maxima: dict[str, int] = {}
        for part in (p for p in cells[1].split("|") if p):
            shift, _, limit = part.partition("=")
            if shift not in shifts:
                errors.append((number, f"unknown shift ID {shift!r} in the maximum shifts"))
                continue
            maxima[shift] = _int(limit, f"maximum {shift} shifts", number, errors)
        labels = (
            "maximum minutes",
            "minimum minutes",
            "maximum consecutive shifts",
            "minimum consecutive shifts",
            "minimum consecutive days off",
            "maximum weekends",
        )
        values = [_int(cells[i + 2], label, number, errors) for i, label in enumerate(labels)]
        staff[sid] = Staff(sid, maxima, *values)

    def day(text: str, number: int) -> int:
        d = _int(text, "day", number, errors)
        if days and not 0 <= d < days:
            errors.append((number, f"day {d} is outside the horizon of {days} days"))
        return d

    days_off: dict[str, set[int]] = {}
    for number, cells in rows.get("SECTION_DAYS_OFF", []):
        if cells[0] not in staff:
            errors.append((number, f"unknown staff ID {cells[0]!r}"))
            continue
        days_off.setdefault(cells[0], set()).update(day(c, number) for c in cells[1:] if c)

    def requests(section: str) -> list[Request]:
        out = []
        for number, cells in rows.get(section, []):
            if len(cells) != 4:
                errors.append((number, f"a request needs 4 fields (staff, day, shift, weight), not {len(cells)}"))
                continue
            if cells[0] not in staff:
                errors.append((number, f"unknown staff ID {cells[0]!r}"))
            if cells[2] not in shifts:
                errors.append((number, f"unknown shift ID {cells[2]!r}"))
            out.append(Request(cells[0], day(cells[1], number), cells[2], _int(cells[3], "weight", number, errors)))
        return out

    on, off = requests("SECTION_SHIFT_ON_REQUESTS"), requests("SECTION_SHIFT_OFF_REQUESTS")
    cover = []
    seen: dict[tuple[int, str], int] = {}
    for number, cells in rows["SECTION_COVER"]:
        if len(cells) != 5:
            errors.append((number, f"a cover line needs 5 fields, not {len(cells)}"))
            continue
        if cells[1] not in shifts:
            errors.append((number, f"unknown shift ID {cells[1]!r}"))
            continue
        c = Cover(
            day(cells[0], number),
            cells[1],
            _int(cells[2], "requirement", number, errors),
            _int(cells[3], "weight for under", number, errors),
            _int(cells[4], "weight for over", number, errors),
        )
        if (c.day, c.shift) in seen:
            errors.append((number, f"cover for day {c.day}, shift {c.shift} is also on line {seen[c.day, c.shift]}"))
        seen[c.day, c.shift] = number
        cover.append(c)
    if errors:
        raise InstanceError(errors)
    return Instance(name, days, shifts, staff, days_off, on, off, cover)
