"""Rota engine benchmark: a year of rotas for 60,000 doctors in training, checked on one core, cold.

The rota has the variety of real ones (issue 35): each doctor's own start times (days from 07:00 to 09:30, long
days, evenings, nights from 20:00 to 22:00), blocks of two to four nights, 24-hour on-call with work called in
during it, less-than-full-time doctors (60% and 80%, working fewer days), weeks of leave with no duties, rows in
no particular order. The check is timed once, as the first check in a fresh process (``make bench`` starts this
file as its own process): no best of three, no caches filled by an earlier run.

Prints JSON lines: rota_rows, rota_check_seconds (cold), rota_check_shifts_per_s (target ≥ 3 million),
rota_breaches, the process's peak RSS, the check's own peak allocation (traced in a further, untimed run), and the
peak per shift: the rota's own arrays plus that allocation (target ≤ 64 B). BENCH_ROTA_DOCTORS changes the number
of doctors.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import target
from medlead.rota.engine import Rota, check, load
from medlead.rota.engine.model import ON_CALL, ON_CALL_WORK, SHIFT
from medlead.rota.engine.timeutil import DAY, HOUR, to_local_seconds

MINUTE = 60

# Week types of a rotation: (weekday, start hour, length in hours); each doctor's starts are shifted by their own
# offset (below), so doctors do not share start times.
WEEKS = [
    [(d, 8.0, 9.0) for d in (2, 3, 4)],  # standard days Wednesday to Friday (after a week ending in nights)
    [(d, 8.5, 8.0) for d in range(5)],  # clinic and theatre days
    [(d, 8.0, 12.5) for d in range(4)],  # long days Monday to Thursday
    [(d, 21.0, 11.0) for d in range(4)],  # four nights Monday to Thursday
    [(d, 13.0, 10.5) for d in range(3)],  # long evenings Monday to Wednesday
    [(4, 21.0, 11.5), (5, 21.0, 11.5), (6, 21.0, 11.5)],  # three weekend nights Friday to Sunday
]


def synthetic(doctors: int, seed: int = 7) -> Rota:
    rng = np.random.default_rng(seed)
    first_monday = to_local_seconds(dt.datetime(2026, 8, 3))  # the August changeover week's Monday
    ids = np.arange(doctors, dtype=np.int64)
    phase = rng.integers(0, len(WEEKS), doctors)
    offset = rng.choice(np.arange(-60, 91, 15), doctors) * MINUTE  # each doctor's own start times
    fraction = rng.choice([1.0, 1.0, 1.0, 0.8, 0.6], doctors)  # a share less than full time
    leave_weeks = rng.integers(0, 52, (doctors, 6))  # six weeks of leave a year each
    doc_rows, start_rows, len_rows, kind_rows = [], [], [], []
    for week in range(52):
        on_leave = (leave_weeks == week).any(axis=1)
        for wtype, pattern in enumerate(WEEKS):
            who = ids[((phase + week) % len(WEEKS) == wtype) & ~on_leave]
            for weekday, hour, duration in pattern:
                # less than full time: a doctor at 60% works about three days in five, at 80% four in five
                working = who[rng.random(who.size) < fraction[who]]
                day0 = first_monday + (week * 7 + weekday) * DAY
                doc_rows.append(working)
                start_rows.append(day0 + int(hour * HOUR) + offset[working])
                len_rows.append(np.full(working.size, int(duration * HOUR), dtype=np.int64))
                kind_rows.append(np.full(working.size, SHIFT, dtype=np.int8))
        # a Saturday 24-hour on-call for those in a standard-day week, with work called in during it for some
        on_call = ids[((phase + week) % len(WEEKS) == 0) & ~on_leave]
        call_start = first_monday + (week * 7 + 5) * DAY + 9 * HOUR + offset[on_call]
        doc_rows.append(on_call)
        start_rows.append(call_start)
        len_rows.append(np.full(on_call.size, 24 * HOUR, dtype=np.int64))
        kind_rows.append(np.full(on_call.size, ON_CALL, dtype=np.int8))
        called = rng.random(on_call.size) < 0.4
        doc_rows.append(on_call[called])
        start_rows.append(call_start[called] + rng.integers(2, 18, called.sum()) * HOUR)
        len_rows.append(rng.integers(1, 5, called.sum()).astype(np.int64) * HOUR)
        kind_rows.append(np.full(int(called.sum()), ON_CALL_WORK, dtype=np.int8))
    doctor = np.concatenate(doc_rows)
    start = np.concatenate(start_rows).astype(np.int64)
    length = np.concatenate(len_rows)
    kind = np.concatenate(kind_rows)
    # 1% of shifts overrun by 90 minutes: some real breaches to find
    overrun = (rng.random(length.size) < 0.01) & (kind == SHIFT)
    length[overrun] += 90 * 60
    order = rng.permutation(doctor.size)  # rows arrive in no particular order
    return Rota(
        doctors=[f"GMC{7000000 + i}" for i in range(doctors)],
        doctor=doctor[order],
        start=start[order],
        end=(start + length)[order],
        kind=kind[order],
        opted_out=np.zeros(doctors, dtype=np.bool_),
        fraction=fraction.astype(np.float64),
    )


SHIFTS_PER_S = 3_000_000  # issue 20's targets, measured as issue 35 asks: cold, on varied rotas
BYTES_PER_SHIFT = 64


def emit(name: str, value: float, unit: str) -> None:
    print(json.dumps({"name": name, "value": round(value, 3), "unit": unit}), flush=True)


def main() -> None:
    doctors = int(os.environ.get("BENCH_ROTA_DOCTORS", "60000"))
    rota = synthetic(doctors)
    rules = load()
    started = time.perf_counter()
    report = check(rota, rules)  # cold: the first check in this process, timed once
    seconds = time.perf_counter() - started
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit("rota_rows", len(rota), "rows")
    emit("rota_check_seconds", seconds, "s")
    emit("rota_check_shifts_per_s", len(rota) / seconds, "shifts/s")
    target(emit, "rota_check_shifts_per_s", len(rota) / seconds, "shifts/s", SHIFTS_PER_S, most=False)
    emit("rota_breaches", len(report.breaches), "breaches")
    emit("rota_check_peak_rss_mb", peak_rss, "MiB")
    # a second run under tracemalloc: the memory the check itself allocates at its peak (slower, not timed)
    tracemalloc.start()
    check(rota, rules)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    emit("rota_check_peak_allocated_mb", peak / 2**20, "MiB")
    # the issue 20 measure: the rota's own arrays plus everything the check holds at its peak, per shift
    given = sum(a.nbytes for a in (rota.doctor, rota.start, rota.end, rota.kind, rota.opted_out))
    emit("rota_input_bytes_per_shift", given / len(rota), "B")
    emit("rota_check_peak_bytes_per_shift", (given + peak) / len(rota), "B")
    target(emit, "rota_check_peak_bytes_per_shift", (given + peak) / len(rota), "B", BYTES_PER_SHIFT)


if __name__ == "__main__":
    main()
