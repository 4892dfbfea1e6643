"""Form fields shared by every app."""

from __future__ import annotations

from typing import Any

from django import forms


class MoneyField(forms.DecimalField):
    """An amount in pounds, typed as people write it: "120.50", "£120.50" or "£1,200"."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "").strip()
        return super().to_python(value)
