"""What the trusts list reads from its address."""

from __future__ import annotations

from django import forms

from medlead.core.params import MAX_ID
from medlead.core.query import QueryForm


class TrustsQuery(QueryForm):
    """The trusts list's search and page (a region's or the country's people see many trusts)."""

    q = forms.CharField(required=False, max_length=200)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
