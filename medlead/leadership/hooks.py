"""What leadership asks of apps above it (``medlead.core.hooks``)."""

from __future__ import annotations

from medlead.core.hooks import Question
from medlead.organisation.models import Person

# A self-assessment shows, beside each item, how many experience-log entries the doctor has linked to it as
# evidence (answered by medlead.development, which keeps the log).
EVIDENCE_COUNTS: Question[[Person], dict[int, int]] = Question("How many logged experiences evidence each item?")
