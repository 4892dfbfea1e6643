"""The forms of the rules page: the day to show, and a trust's confirmation of one value."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from medlead.core.dates import today
from medlead.core.fields import NHSDateInput
from medlead.core.query import QueryForm
from medlead.rulebook import catalogue


class OnQuery(QueryForm):
    """``?on=2026-04-01``: the day whose values the page shows (today when absent or not a date); ``?show=awaiting``:
    only the values awaiting the trust's confirmation, longest in force first."""

    on = forms.DateField(
        required=False, label="Show the values in force on", widget=forms.DateInput(attrs={"type": "date"})
    )
    show = forms.ChoiceField(
        required=False, label="Which values", choices=[("", "All"), ("awaiting", "Awaiting your trust's confirmation")]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = today()

    def clean_on(self) -> dt.date:
        return self.cleaned_data.get("on") or today()


class ItemField(forms.CharField):
    """A national value in force today, by its ``item_id``: checked against the catalogue, not offered as a choice
    among its few hundred values (a hidden field or an address's, which nobody picks from a list)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_length=300, strip=False, **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and value not in catalogue.by_item(today()):
            raise ValidationError(
                "Select a valid choice. That choice is not one of the available choices.", code="invalid_choice"
            )


class ItemQuery(QueryForm):
    """``?item=guardian_fines.yaml:calculation.v13.doctor_multiplier``: the value to confirm."""

    item = ItemField(label="value")


ROWS = 6  # the rows a table's form offers (the national tables have three)


class ConfirmForm(forms.Form):
    """A trust confirms the national value, or gives its own, from a date, against a document. For a table (the
    on-call availability supplement's), a different value is given row by row: each row's "up to 1 in N" and
    percentage (the last row's N may be left empty: "or less often"), the frequencies rising, each percentage from 0
    to 100."""

    item = ItemField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        label="What does your trust apply?",
        widget=forms.RadioSelect,
        choices=[("same", "The national value"), ("change", "A different value")],
    )
    value = forms.CharField(
        label="The value your trust applies",
        required=False,
        max_length=200,
        help_text="Only if your trust applies a different value. Lists are separated by commas.",
    )
    applies_from = forms.DateField(
        label="Applies from",
        widget=NHSDateInput(),
        help_text="Records dated from this day are judged by this value; earlier records keep the value they had.",
    )
    document_title = forms.CharField(
        label="The document you checked it against",
        max_length=300,
        help_text="For example: Terms and conditions of service for resident doctors 2016, version 13.",
    )
    document_date = forms.DateField(label="Date of the document", widget=NHSDateInput())
    document_detail = forms.CharField(
        label="Where in the document (optional)",
        max_length=300,
        required=False,
        help_text="Section, page or paragraph.",
    )
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.national = catalogue.by_item(today())
        chosen = self.national.get(str(self.data.get("item") or self.initial.get("item") or ""))
        self.table = chosen is not None and chosen.table
        if self.table:
            assert chosen is not None
            del self.fields["value"]
            given = list(chosen.value)
            for i in range(1, ROWS + 1):
                upto, percent = given[i - 1] if i <= len(given) else (None, None)
                self.fields[f"row{i}_upto"] = forms.IntegerField(
                    label=f"The largest N in row {i} (on call 1 in N)",
                    required=False,
                    min_value=1,
                    max_value=catalogue.OPEN_END - 1,
                    initial=upto if upto is not None and upto < catalogue.OPEN_END else None,
                    help_text=(
                        "Each row covers on call from 1 in (the row above's N + 1) up to 1 in this N. Leave it empty "
                        "on the last row to cover every frequency less often."
                    )
                    if i == 1
                    else "",
                )
                self.fields[f"row{i}_percent"] = forms.DecimalField(
                    label=f"The percentage of basic salary in row {i}",
                    required=False,
                    min_value=0,
                    max_value=100,
                    max_digits=5,
                    decimal_places=2,
                    initial=percent,
                )
            rows = [name for i in range(1, ROWS + 1) for name in (f"row{i}_upto", f"row{i}_percent")]
            self.order_fields(["item", "decision", *rows])

    def _rows(self, data: dict[str, Any]) -> list[tuple[int, float]] | None:
        """The rows given, in order (empty rows left out); None, with the errors added, where they are not a table."""
        rows: list[tuple[int, float]] = []
        open_row = 0
        if any(f"row{i}_{part}" in self.errors for i in range(1, ROWS + 1) for part in ("upto", "percent")):
            return None  # a row's own error says what to put right
        for i in range(1, ROWS + 1):
            upto, percent = data.get(f"row{i}_upto"), data.get(f"row{i}_percent")
            if upto is None and percent is None:
                continue
            if percent is None:
                self.add_error(f"row{i}_percent", f"Enter the percentage of basic salary in row {i}.")
                return None
            if open_row:
                self.add_error(
                    f"row{open_row}_upto", f"Enter the largest N in row {open_row}: only the last row's may be empty."
                )
                return None
            if upto is None:
                open_row = i
            rows.append((upto if upto is not None else catalogue.OPEN_END, float(percent)))
        problems = catalogue.row_problems(rows)
        for problem in problems:
            self.add_error(None, problem)
        return None if problems else rows

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        national = self.national.get(data.get("item", ""))
        if national is None:
            return data
        data["file"], data["key"] = national.file, national.key
        if data.get("decision") == "change" and self.table:
            rows = self._rows(data)
            if rows is not None:
                data["parsed"] = [list(row) for row in rows]
        elif data.get("decision") == "change":
            try:
                data["parsed"] = catalogue.parse(data.get("value") or "", national.value)
            except ValueError as exc:
                self.add_error("value", str(exc))
        elif data.get("decision") == "same":
            data["parsed"] = national.value
        document_date, applies_from = data.get("document_date"), data.get("applies_from")
        if document_date and document_date > today():
            self.add_error("document_date", "The document's date must be today or in the past.")
        if applies_from and applies_from < national.applies_from:
            self.add_error(
                "applies_from",
                f"The national value applies only from {national.applies_from:%-d %B %Y}: choose that day or later.",
            )
        return data
