"""Characters that ``str.isdigit`` calls digits but ``int`` refuses ("²", "٣") are bad input, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms

from medlead.core.fields import NHSDateInput
from medlead.core.params import int_param, is_digits


class DateForm(forms.Form):
    on = forms.DateField(widget=NHSDateInput)


@pytest.mark.parametrize("day", ["²", "٣", "1²"])
def test_a_date_typed_with_other_digits_is_a_form_error(day: str) -> None:
    form = DateForm({"on[day]": day, "on[month]": "3", "on[year]": "2027"})
    assert not form.is_valid()
    assert "on" in form.errors


def test_a_date_typed_in_boxes_still_works() -> None:
    form = DateForm({"on[day]": "27", "on[month]": "3", "on[year]": "2027"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == dt.date(2027, 3, 27)


@pytest.mark.parametrize(("text", "digits"), [("0123", True), ("²", False), ("٣", False), ("", False), ("1a", False)])
def test_only_ascii_digits_count(text: str, digits: bool) -> None:
    assert is_digits(text) is digits


def test_int_param_ignores_other_digits() -> None:
    assert int_param("²") is None
    assert int_param("-4", lo=-10) == -4
