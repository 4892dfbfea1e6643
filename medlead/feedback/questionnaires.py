"""The national questionnaires in data/feedback/ (loaded by ``manage.py load_reference_data`` and the demo), and
which questionnaires a doctor may choose on a day."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet

from medlead.core.reference_data import cited, names, read
from medlead.feedback.models import AnswerType, Question, Questionnaire
from medlead.organisation.models import Trust


@transaction.atomic
def load_national() -> int:
    """Create or update every national questionnaire from its data file (idempotent, by code and version)."""
    count = 0
    for name in names("feedback"):
        data = read(name)
        questionnaire, _ = Questionnaire.objects.update_or_create(
            trust=None,
            code=data["code"],
            version=data["version"],
            defaults={
                "kind": data["kind"],
                "name": data["name"],
                "source": cited(data),
                "applies_from": data["applies_from"],
                "verified": data["verified"] is True,
                "scale": data["scale"],
                "not_applicable": data.get("not_applicable", ""),
                "recommended_responses": data["recommended"]["responses"],
                "introduction": data.get("introduction", ""),
            },
        )
        for position, q in enumerate(data["questions"]):
            Question.objects.update_or_create(
                questionnaire=questionnaire,
                code=q["code"],
                defaults=_question(q, position),
            )
        count += 1
    return count


def _question(q: dict[str, Any], position: int) -> dict[str, Any]:
    return {
        "text": q["text"],
        "domain": q.get("domain") or "",
        "answer_type": q.get("answer_type", AnswerType.SCALE),
        "required": bool(q.get("required", False)),
        "position": position,
    }


def in_force(trust: Trust, kind: str, day: dt.date) -> QuerySet[Questionnaire]:
    """The questionnaires of ``kind`` a doctor of ``trust`` may use on ``day``: the national ones and the trust's
    own that apply by then (the trust's own first, then the newest)."""
    return Questionnaire.objects.filter(
        Q(trust__isnull=True) | Q(trust=trust), kind=kind, applies_from__lte=day
    ).order_by(F("trust_id").desc(nulls_last=True), "-applies_from", "-version")
