"""Writes: a trust confirms or changes a national value from a date (audited through ``core.services``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.core import services as core
from medlead.core.policy import Perm, require
from medlead.organisation.models import Trust
from medlead.rulebook import catalogue
from medlead.rulebook.models import ValueConfirmation


def _stored(value: Any) -> Any:
    """A value as JSON holds it: a date (alone or in a list, a year's public holidays) as YYYY-MM-DD."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_stored(v) for v in value]
    return value


@transaction.atomic
def confirm(
    *,
    actor: Any,
    trust: Trust,
    file: str,
    key: str,
    value: Any,
    applies_from: dt.date,
    document_title: str,
    document_date: dt.date,
    document_detail: str = "",
    note: str = "",
) -> ValueConfirmation:
    """Record that ``trust`` applies ``value`` (the national value, or its own) for ``key`` in ``file`` to records
    dated from ``applies_from``. The value must be one medlead applies on that day; the value's kind is the national
    value's (``catalogue.parse`` gives it; a table's rows, ``ConfirmForm``'s, are checked again here)."""
    require(actor, Perm.CONFIRM_VALUES, trust)
    national = catalogue.value(file, key, applies_from)
    if national is None:
        raise ValidationError({"applies_from": "medlead applies no such value on that date: choose a later date."})
    if national.table:  # a table of frequency rows: rows, the frequencies rising, each percentage from 0 to 100
        if not catalogue.is_rows(value):
            raise ValidationError("Give the table's rows: each a frequency (1 in N) and a percentage.")
        problems = catalogue.row_problems([(int(n), float(p)) for n, p in value])
        if problems:
            raise ValidationError(problems)
        value = [[int(n), float(p)] for n, p in value]
    value, national_value = _stored(value), _stored(national.value)
    return core.create(
        actor=actor,
        obj=ValueConfirmation(
            trust=trust,
            file=file,
            key=key,
            value=value,
            national_value=national_value,
            applies_from=applies_from,
            confirmed_by=actor,
            document_title=document_title,
            document_date=document_date,
            document_detail=document_detail,
            note=note,
        ),
        note="national value confirmed" if value == national_value else "national value changed for the trust",
    )
