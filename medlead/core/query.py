"""A page's query-string values, read through a form like every other input.

A filter or a year in the address is a choice the page offers, not data to keep: a value that is absent or not
valid (``?year=abc``, ``?division=1e999999``) falls back to the field's default, so the page shows its default
view instead of an error, and nothing unvalidated reaches the database."""

from __future__ import annotations

from typing import Any

from django import forms

from medlead.core.params import MAX_ID, YEARS


class QueryForm(forms.Form):
    """Bind to ``request.GET``; ``values()`` gives every field, each the cleaned value or its ``initial``."""

    def values(self) -> dict[str, Any]:
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned.get(name, field.initial) for name, field in self.fields.items()}


def year_field() -> forms.IntegerField:
    return forms.IntegerField(required=False, min_value=YEARS[0], max_value=YEARS[1])


def id_field() -> forms.IntegerField:
    """An id in the address: a whole number a database key can hold."""
    return forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class YearQuery(QueryForm):
    year = year_field()
