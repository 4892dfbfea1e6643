"""Rota engine benchmark: a year of rotas for 60,000 doctors in training, checked on one core.

Prints JSON lines: rota_rows, rota_check_seconds (the best of three runs), rota_check_shifts_per_s (target
≥ 3 million), rota_breaches, the process's peak RSS, the check's own peak allocation (traced in a further, untimed
run), and the peak per shift: the rota's own arrays plus that allocation (target ≤ 64 B).
BENCH_ROTA_DOCTORS changes the number of doctors.
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

from medlead.rota.engine import Rota, check, load
from medlead.rota.engine.model import ON_CALL, SHIFT
from medlead.rota.engine.timeutil import DAY, HOUR, to_local_seconds

# A four-week cycle: (weekday, start hour, length in hours) for each week type.
WEEKS = [
    [(d, 8.0, 9.0) for d in range(5)],  # standard days
    [(d, 8.0, 12.5) for d in range(4)],  # long days Monday to Thursday
    [(d, 21.0, 11.0) for d in range(4)],  # nights Monday to Thursday
    [(d, 13.0, 10.5) for d in range(4)],  # long evenings Monday to Thursday
]


def synthetic(doctors: int, seed: int = 7) -> Rota:
    rng = np.random.default_rng(seed)
    first_monday = to_local_seconds(dt.datetime(2026, 8, 3))  # the August changeover, a Monday
    doc_rows, start_rows, len_rows, kind_rows = [], [], [], []
    phase = rng.integers(0, 4, doctors)
    ids = np.arange(doctors, dtype=np.int64)
    for week in range(52):
        for wtype in range(4):
            who = ids[(phase + week) % 4 == wtype]
            for weekday, hour, duration in WEEKS[wtype]:
                day0 = first_monday + (week * 7 + weekday) * DAY
                doc_rows.append(who)
                start_rows.append(np.full(who.size, day0 + int(hour * HOUR), dtype=np.int64))
                len_rows.append(np.full(who.size, int(duration * HOUR), dtype=np.int64))
                kind_rows.append(np.full(who.size, SHIFT, dtype=np.int8))
        # a quarter of doctors do a 24 h Saturday on-call, in a week before a week of standard days
        on_call = ids[(phase + week + 1) % 4 == 0]
        doc_rows.append(on_call)
        start_rows.append(np.full(on_call.size, first_monday + (week * 7 + 5) * DAY + 9 * HOUR, dtype=np.int64))
        len_rows.append(np.full(on_call.size, 24 * HOUR, dtype=np.int64))
        kind_rows.append(np.full(on_call.size, ON_CALL, dtype=np.int8))
    doctor = np.concatenate(doc_rows)
    start = np.concatenate(start_rows)
    length = np.concatenate(len_rows)
    # 1% of shifts overrun by 90 minutes: some real breaches to find
    kind = np.concatenate(kind_rows)
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
    )


def emit(name: str, value: float, unit: str) -> None:
    print(json.dumps({"name": name, "value": round(value, 3), "unit": unit}), flush=True)


def main() -> None:
    doctors = int(os.environ.get("BENCH_ROTA_DOCTORS", "60000"))
    rota = synthetic(doctors)
    rules = load()
    runs = []
    for _ in range(3):  # the best of three: the machine's noise only ever adds time
        started = time.perf_counter()
        report = check(rota, rules)
        runs.append(time.perf_counter() - started)
    seconds = min(runs)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    emit("rota_rows", len(rota), "rows")
    emit("rota_check_seconds", seconds, "s")
    emit("rota_check_shifts_per_s", len(rota) / seconds, "shifts/s")
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


if __name__ == "__main__":
    main()
