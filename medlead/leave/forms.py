"""Every form of the leave pages: a value is validated here before anything is looked up (ids are choices over
what this actor may touch)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from medlead.core.fields import NHSDateInput
from medlead.leave import selectors
from medlead.leave.models import LeaveKind, LeaveRequest
from medlead.leave.services import REASON_MAX
from medlead.organisation.models import Person
from medlead.rota.models import Rota


class LeaveRequestForm(forms.Form):
    rota = forms.ModelChoiceField(
        label="Which rota", queryset=Rota.objects.none(), empty_label=None, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(label="Kind of leave", choices=LeaveKind.choices, widget=forms.RadioSelect)
    first_day = forms.DateField(label="First day of leave", widget=NHSDateInput(), help_text="For example, 27 3 2027")
    last_day = forms.DateField(
        label="Last day of leave", widget=NHSDateInput(), help_text="The same day for one day's leave"
    )
    reason = forms.CharField(
        label="What is it for (optional, but needed for an important life event)",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="An important life event is one you decide is important: a wedding, a graduation, a funeral.",
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rotas = selectors.rotas_of(person)
        field = self.fields["rota"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = rotas
        only = list(rotas[:2])
        if len(only) == 1:
            field.initial = only[0].pk


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Your decision", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="The reason (needed to refuse; the doctor reads it)",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, request: LeaveRequest, refusable: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["decision"]
        assert isinstance(field, forms.ChoiceField)
        if request.cancellation:
            field.choices = [("approve", "Cancel the leave"), ("refuse", "Keep the leave")]
        else:
            field.choices = [("approve", "Approve")] + ([("refuse", "Refuse")] if refusable else [])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason: the doctor reads it.")
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label="Why you ask to cancel it (optional)",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    """The withdraw button: nothing to answer."""


class LeaveRecordForm(forms.Form):
    nhs_service_from = forms.DateField(
        label="Start of NHS service",
        required=False,
        widget=NHSDateInput(),
        help_text="Annual leave rises after five years' completed NHS service.",
    )
    appointed_on = forms.DateField(
        label="Start with this trust", required=False, widget=NHSDateInput(), help_text="The leave year runs from it."
    )
    carried_over = forms.DecimalField(
        label="Days carried over into this leave year",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(60),
        decimal_places=1,
        max_digits=4,
        initial=Decimal(0),
    )
    carried_into = forms.DateField(
        label="First day of the leave year they were carried into", required=False, widget=NHSDateInput()
    )
