"""The rota as arrays: one row per shift or on-call period, times as local (wall-clock) seconds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from medlead.rota.engine.timeutil import to_local_seconds

SHIFT, ON_CALL, ON_CALL_WORK = 0, 1, 2
# ``on_call_work``: time worked during a non-resident on-call period, where it is known (from the work schedule's
# expected work or from what was reported). It counts as hours worked; the on-call period around it does not.
KINDS = {"shift": SHIFT, "on_call": ON_CALL, "on_call_work": ON_CALL_WORK}


@dataclass(frozen=True)
class Duty:
    """One row of a rota, for callers that have Python objects rather than arrays."""

    doctor: str
    start: dt.datetime  # naive, Europe/London wall clock
    end: dt.datetime
    kind: str = "shift"
    opted_out: bool = False
    fraction: float = 1.0  # less-than-full-time fraction of the doctor (1.0 = full time)


@dataclass
class Rota:
    doctors: Sequence[str]  # doctor names; ``doctor`` holds indices into this
    doctor: npt.NDArray[np.int64]
    start: npt.NDArray[np.int64]  # local seconds
    end: npt.NDArray[np.int64]
    kind: npt.NDArray[np.int8]
    opted_out: npt.NDArray[np.bool_]  # per doctor
    fraction: npt.NDArray[np.float64] | None = None  # per doctor: less-than-full-time fraction; None = all full time

    def fractions(self) -> npt.NDArray[np.float64]:
        return self.fraction if self.fraction is not None else np.ones(len(self.doctors), dtype=np.float64)

    def __len__(self) -> int:
        return int(self.doctor.size)

    @classmethod
    def from_duties(cls, duties: Iterable[Duty]) -> Rota:
        names: dict[str, int] = {}
        doctor: list[int] = []
        start: list[int] = []
        end: list[int] = []
        kind: list[int] = []
        opted: list[bool] = []
        fraction: list[float] = []
        for d in duties:
            idx = names.setdefault(d.doctor, len(names))
            if idx == len(opted):
                opted.append(d.opted_out)
                fraction.append(d.fraction)
            else:
                opted[idx] = opted[idx] or d.opted_out
                fraction[idx] = min(fraction[idx], d.fraction)
            doctor.append(idx)
            start.append(to_local_seconds(d.start))
            end.append(to_local_seconds(d.end))
            kind.append(KINDS[d.kind])
        return cls(
            doctors=list(names),
            doctor=np.array(doctor, dtype=np.int64),
            start=np.array(start, dtype=np.int64),
            end=np.array(end, dtype=np.int64),
            kind=np.array(kind, dtype=np.int8),
            opted_out=np.array(opted, dtype=np.bool_),
            fraction=np.array(fraction, dtype=np.float64),
        )
