"""Core's input helpers: a query form falls back field by field, and no number that is not finite (or is absurdly
large) passes a shared number field (issue 28)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError

from medlead.core.fields import MoneyField, finite_number
from medlead.core.query import QueryForm, id_field, year_field


class Query(QueryForm):
    year = year_field()
    division = id_field()
    state = forms.ChoiceField(choices=[("open", "Open")], required=False, initial="open")


def test_a_query_form_keeps_the_good_values_and_defaults_the_bad_ones() -> None:
    assert Query({"year": "2026", "division": "abc", "state": "shut"}).values() == {
        "year": 2026,
        "division": None,
        "state": "open",
    }
    for bad in ["NaN", "1e999999", "99999999999999999999", "-1", "0"]:
        assert Query({"division": bad}).values()["division"] is None


@pytest.mark.parametrize("value", ["NaN", "nan", "inf", "-Infinity", "1e999999", "1e13"])
def test_money_refuses_numbers_that_are_not_finite_or_sensible(value: str) -> None:
    with pytest.raises(ValidationError):
        MoneyField(required=False).clean(value)


def test_finite_numbers_pass() -> None:
    assert MoneyField().clean("£1,200.50") == Decimal("1200.50")
    for value in (0, 1.5, Decimal("-3"), None):
        finite_number(value)
