"""Appraisal and revalidation arithmetic: appraisal years, deferrals, non-engagement criteria, cycle
completeness and appraiser allocation. Pure: no Django import. Parameters come from data/revalidation.yaml."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass


def appraisal_year(day: dt.date, starts: Sequence[int]) -> int:
    """The appraisal year a day falls in, named by the year it starts; ``starts`` is the year's first day as
    (month, day) as the trust applies it (``revalidation.selectors.appraisal_year``; nationally 1 April, S57)."""
    month, first = int(starts[0]), int(starts[1])
    return day.year if (day.month, day.day) >= (month, first) else day.year - 1


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = [
        31,
        29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ][month - 1]
    return dt.date(year, month, min(day.day, last))


def months_between(a: dt.date, b: dt.date) -> float:
    return (b - a).days / 30.4375


@dataclass(frozen=True)
class Note:
    level: str  # "error" refuses the recommendation; "warning" lets the responsible officer proceed
    text: str


def check_deferral(
    *, due: dt.date, new_date: dt.date | None, first_due: dt.date, typical: Sequence[int], advice_over: int
) -> list[Note]:
    """A deferral moves the submission date from ``due`` to ``new_date``. ``first_due`` is the date the cycle was
    first due, before any deferral in it (a deferral extends the same cycle). Calendar months, exactly: a deferral
    is usual from ``typical[0]`` to ``typical[1]`` months (S38), and the GMC's advice is needed when deferrals in
    the cycle total more than ``advice_over`` months (S39): one day beyond is more."""
    if new_date is None:
        return [Note("error", "Give the new submission date.")]
    if new_date <= due:
        return [Note("error", "The new submission date must be after the current one.")]
    notes = []
    if not add_months(due, typical[0]) <= new_date <= add_months(due, typical[1]):
        notes.append(
            Note(
                "warning",
                f"A deferral of {months_between(due, new_date):.1f} months is outside the usual "
                f"{typical[0]} to {typical[1]} months.",
            )
        )
    if new_date > add_months(first_due, advice_over):
        notes.append(
            Note(
                "warning",
                f"Deferrals in this cycle would total {months_between(first_due, new_date):.1f} months, from "
                f"{first_due:%d %B %Y} to {new_date:%d %B %Y}: more than {advice_over}, so the GMC's advice is needed.",
            )
        )
    return notes


def check_on_time(*, due: dt.date, today: dt.date) -> list[Note]:
    """A recommendation is due by the submission date; one made after it is late, and the page says so."""
    if today > due:
        return [Note("warning", f"The submission date, {due:%d %B %Y}, has passed: this recommendation is late.")]
    return []


def appraisers_in_cycle(appraiser_by_year: Mapping[int, int | None], minimum: int) -> list[str]:
    """NHS England information sheet 50 (2023): a doctor should have at least ``minimum`` different appraisers in a
    revalidation cycle. Warns once two or more appraisals all had the same appraiser."""
    named = [a for a in appraiser_by_year.values() if a is not None]
    if len(named) >= 2 and len(set(named)) < minimum:
        return [
            f"All {len(named)} appraisals in this cycle were with the same appraiser; NHS England asks for at least "
            f"{minimum} different appraisers in a cycle."
        ]
    return []


def check_criteria(codes: Iterable[str], confirmed: Iterable[str], what: str) -> list[Note]:
    """Every one of a recommendation's conditions (a deferral's five, S37; non-engagement's five, S40) must be
    confirmed."""
    missing = [c for c in codes if c not in set(confirmed)]
    if missing:
        n = len(missing)
        return [Note("error", f"Every condition for {what} must be confirmed; {n} {'is' if n == 1 else 'are'} not.")]
    return []


def missing_in_cycle(
    kinds_by_year: Mapping[int, set[str]], years: Sequence[int], types: Sequence[Mapping[str, str]]
) -> list[str]:
    """Supporting information not yet seen: yearly types missing from any year, per-cycle types missing from the
    whole cycle. Returns plain sentences."""
    out = []
    seen_in_cycle = set().union(*kinds_by_year.values()) if kinds_by_year else set()
    for t in types:
        if t["per"] == "cycle":
            if t["code"] not in seen_in_cycle:
                out.append(f"{t['name']}: none in this revalidation cycle (needed at least once per cycle).")
        else:
            missing = [y for y in years if t["code"] not in kinds_by_year.get(y, set())]
            if missing:
                out.append(f"{t['name']}: none for {', '.join(f'{y}/{(y + 1) % 100:02d}' for y in missing)}.")
    return out


@dataclass(frozen=True)
class Candidate:
    person_id: int
    name: str
    specialty_id: int | None
    load: int
    cap: int


# The one refusal the responsible officer may set aside, with a reason (NHS England information sheet 50, 2023).
CONSECUTIVE = "years in a row: change appraiser after three (the responsible officer may extend, with a reason)"


def extendable(reason: str) -> bool:
    return reason.endswith(CONSECUTIVE)


def suggest_appraisers(
    *,
    doctor_id: int,
    doctor_specialty_id: int | None,
    candidates: Sequence[Candidate],
    conflicts: set[tuple[int, int]],
    appraised_by: Mapping[int, int | None],
    consecutive_years: Mapping[int, int],
    max_consecutive: int,
) -> tuple[list[tuple[Candidate, str]], list[tuple[Candidate, str]]]:
    """Appraisers who may appraise the doctor, best first with the reason, and those who may not, with why.

    ``appraised_by`` maps a doctor to their appraiser this year (to refuse reciprocal appraisals);
    ``consecutive_years`` maps an appraiser to the years in a row they have appraised this doctor."""
    ok: list[tuple[Candidate, str]] = []
    refused: list[tuple[Candidate, str]] = []
    for c in candidates:
        if c.person_id == doctor_id:
            continue
        if (c.person_id, doctor_id) in conflicts:
            refused.append((c, "a conflict of interest is registered"))
        elif appraised_by.get(c.person_id) == doctor_id:
            refused.append((c, "the doctor appraises them: no reciprocal appraisals"))
        elif consecutive_years.get(c.person_id, 0) >= max_consecutive:
            refused.append((c, f"has appraised the doctor {consecutive_years[c.person_id]} {CONSECUTIVE}"))
        elif c.load >= c.cap:
            refused.append((c, f"is at their limit of {c.cap} appraisals"))
        else:
            other = doctor_specialty_id is None or c.specialty_id != doctor_specialty_id
            reason = f"{c.cap - c.load} places left" + ("; outside the doctor's specialty" if other else "")
            ok.append((c, reason))
    ok.sort(
        key=lambda pair: (pair[0].specialty_id == doctor_specialty_id, pair[0].load / max(pair[0].cap, 1), pair[0].name)
    )
    return ok, refused
