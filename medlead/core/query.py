"""A page's query-string values, read through a form like every other input: the one way to read ``request.GET``.

- A filter or a year in the address is a choice the page offers, not data to keep: a value that is absent or not
  valid (``?year=abc``, ``?division=1e999999``) falls back to the field's default (``QueryForm.values``), so the
  page shows its default view instead of an error.
- A value the page is about (the week of a rota, the quarter of a report, the decision an action came from) is
  read with ``strict``: one it cannot read is a 400 that says which.

Either way nothing unvalidated reaches the database."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import BadRequest

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


def strict(form: forms.Form) -> dict[str, Any]:
    """The cleaned values of a form bound to the query string (``request.GET``): a page's filters, its week or
    quarter. A value the form refuses is a 400 that says which, never a server error and never passed on."""
    if form.is_valid():
        return form.cleaned_data
    name = next(iter(form.errors))
    field = form.fields.get(name)
    label = str(field.label if field is not None and field.label else name).lower()
    value = str(form.data.get(name, ""))[:40]
    raise BadRequest(f"The address gives {label} as '{value}', which medlead cannot read. Nothing was changed.")
