"""The forms of shift swaps (issue 32): every id a ``ModelChoiceField`` over what this doctor may touch."""

from __future__ import annotations

from typing import Any

from django import forms

from medlead.core.query import QueryForm
from medlead.organisation.models import Person
from medlead.rota import swaps
from medlead.rota.models import Duty

GIVE, SWAP = "give", "swap"


class _Colleague(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class _Shift(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.display_name}: {swaps.describe_shift(obj.start, obj.end)}"


class OfferForm(forms.Form):
    """Offer one of your shifts: to a named colleague or anyone eligible, as a give-away or a swap."""

    to = _Colleague(
        label="Who do you offer it to?",
        queryset=Person.objects.none(),
        required=False,
        empty_label="Anyone who may take it",
        help_text="Only your colleagues on this rota who may work this shift are listed.",
    )
    kind = forms.ChoiceField(
        label="What do you ask in return?",
        choices=[(GIVE, "Nothing: I give the shift away"), (SWAP, "One of their shifts: a swap")],
        widget=forms.RadioSelect,
        initial=GIVE,
    )
    in_return = _Shift(
        label="Which of their shifts do you take in return?",
        queryset=Duty.objects.none(),
        required=False,
        help_text="For a swap only: the colleague's shifts within two weeks of yours.",
    )

    def __init__(self, *args: Any, duty: Duty, grades: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = swaps.eligible_colleagues(duty, grades)  # type: ignore[attr-defined]
        self.fields["in_return"].queryset = swaps.in_return_choices(duty)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        to, back = data.get("to"), data.get("in_return")
        if data.get("kind") == SWAP:
            if to is None:
                self.add_error("to", "A swap is offered to one colleague: choose who.")
            elif back is None:
                self.add_error("in_return", "Choose the shift of theirs you take in return.")
            elif back.person_id != to.pk:
                self.add_error("in_return", f"Choose one of {to.display_name}'s shifts.")
        else:
            data["in_return"] = None
        return data


class VersionForm(forms.Form):
    """A decision on a swap as it was seen: refused when it changed meanwhile."""

    version = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)


class RefuseForm(VersionForm):
    reason = forms.CharField(label="Why is the swap refused?", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class SwapListQuery(QueryForm):
    """The swaps listed: all of the reader's, or a task's list (offers waiting for their answer, swaps waiting for
    their approval)."""

    waiting = forms.ChoiceField(
        required=False, choices=[("", "All"), ("answer", "Waiting for your answer"), ("approval", "For approval")]
    )
