"""What revalidation asks of apps above it (``medlead.core.hooks``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from medlead.core.hooks import Question
from medlead.organisation.models import Person, Trust

# The responsible officer's recommendation warns when an MHPS case is open about the doctor; that a case exists is
# all it learns (answered by medlead.concerns).
OPEN_MHPS_CASE: Question[[Person], bool] = Question("Is an MHPS case open about this doctor?")

# Colleague and patient feedback (issue 33), answered by medlead.feedback in its answers.py.
# For each doctor (person id) and window (first day, last day): the feedback exercises whose report was released in
# the window, by kind ("colleague_feedback", "patient_feedback"): the latest release's day and the questionnaire's
# name. Nothing of the report's content.
FeedbackReleased = dict[int, dict[str, tuple[dt.date, str]]]
FEEDBACK_RELEASED: Question[[Trust, Mapping[int, tuple[dt.date, dt.date]]], FeedbackReleased] = Question(
    "Which of these doctors had colleague or patient feedback released in these windows?"
)
# The appraisal page links a feedback item of supporting information to its report: supporting information id ->
# the report's address (for the ids that came from a feedback exercise).
FEEDBACK_REPORT_LINKS: Question[[Sequence[int]], dict[int, str]] = Question(
    "Which of these items of supporting information are feedback reports, and where are they read?"
)
