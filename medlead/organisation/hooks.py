"""What organisation asks of apps above it (``medlead.core.hooks``)."""

from __future__ import annotations

from medlead.core.hooks import Question

# The lead employer's list of its resident doctors' placements says, for each placement, how many of the doctor's
# exception reports at the host reach the lead employer's guardian under it (issue 34): placement id -> count, for
# the placements given, read in one query (answered by medlead.rota).
REPORTS_REACHING_LEAD_EMPLOYER: Question[[list[int]], dict[int, int]] = Question(
    "How many of each placed doctor's exception reports at the host reach the lead employer's guardian?"
)
