"""What structure asks of apps above it (``medlead.core.hooks``)."""

from __future__ import annotations

from decimal import Decimal

from medlead.core.hooks import Question
from medlead.organisation.models import Trust

# The structure health page says what a post allocates and what its holders' job plans give it, which can differ
# (a medical director post allocating 4 sessions whose holder's plan gives the role 5): post id -> person id -> PAs a
# week in the person's job plan for this year, for those whose plan has time for the post (answered by
# medlead.jobplans).
TIME_IN_JOB_PLANS: Question[[Trust, list[int]], dict[int, dict[int, Decimal]]] = Question(
    "How many PAs a week do this year's job plans give each of these posts?"
)
