"""The forms of the rules page: the day to show, and a trust's confirmation of one value."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from medlead.core.dates import today
from medlead.core.fields import NHSDateInput
from medlead.core.query import QueryForm
from medlead.rulebook import catalogue
from medlead.rulebook.catalogue import NationalValue


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


def item_id(value: NationalValue) -> str:
    return f"{value.file}:{value.key}"


class ItemQuery(QueryForm):
    """``?item=guardian_fines.yaml#calculation.v13.doctor_multiplier``: the value to confirm."""

    item = forms.ChoiceField(label="value", choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(item_id(v), v.label) for v in catalogue.values(today())]


class ConfirmForm(forms.Form):
    """A trust confirms the national value, or gives its own, from a date, against a document."""

    item = forms.ChoiceField(widget=forms.HiddenInput, choices=())
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
        self.national = {item_id(v): v for v in catalogue.values(today())}
        field = self.fields["item"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(k, v.label) for k, v in self.national.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        national = self.national.get(data.get("item", ""))
        if national is None:
            return data
        data["file"], data["key"] = national.file, national.key
        if data.get("decision") == "change":
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
