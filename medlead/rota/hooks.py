"""What rota asks of apps above it (``medlead.core.hooks``)."""

from __future__ import annotations

import datetime as dt

from medlead.core.hooks import Question
from medlead.rota.models import Rota

# Approved leave is a fixed input to generation and regeneration: (person id, first day, last day) of each approved
# leave of the rota's doctors touching the period (answered by medlead.leave).
APPROVED_LEAVE: Question[[Rota, dt.date, dt.date], list[tuple[int, dt.date, dt.date]]] = Question(
    "Which approved leave of this rota's doctors falls in these days?"
)
