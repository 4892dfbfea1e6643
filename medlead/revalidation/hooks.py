"""What revalidation asks of apps above it (``medlead.core.hooks``)."""

from __future__ import annotations

from medlead.core.hooks import Question
from medlead.organisation.models import Person

# The responsible officer's recommendation warns when an MHPS case is open about the doctor; that a case exists is
# all it learns (answered by medlead.concerns).
OPEN_MHPS_CASE: Question[[Person], bool] = Question("Is an MHPS case open about this doctor?")
