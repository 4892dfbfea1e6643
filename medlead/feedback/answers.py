"""The questions feedback answers for revalidation (``medlead.revalidation.hooks``); found by name once the apps are
loaded (``core.apps``). Only whether and when a report was released, and with which questionnaire, ever leaves the
app; never its content."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q
from django.urls import reverse

from medlead.feedback.models import Exercise
from medlead.feedback.status import released_in
from medlead.revalidation.hooks import FEEDBACK_RELEASED, FEEDBACK_REPORT_LINKS

FEEDBACK_RELEASED.answer_with(released_in)


@FEEDBACK_REPORT_LINKS.answer_with
def feedback_report_links(ids: Sequence[int]) -> dict[int, str]:
    if not ids:
        return {}
    out: dict[int, str] = {}
    linked = Q(supporting_info_id__in=ids) | Q(patient_supporting_info_id__in=ids)
    for e in Exercise.objects.filter(linked).select_related("trust"):
        url = reverse("feedback:report", kwargs={"trust_code": e.trust.code, "pk": e.pk})
        for si in (e.supporting_info_id, e.patient_supporting_info_id):
            if si is not None and si in ids:
                out[si] = url
    return out
