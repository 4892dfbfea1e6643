from __future__ import annotations

from typing import Any

from django import forms

from medlead.core.fields import NHSDateInput
from medlead.fitproper.models import CheckOutcome, Kind, Outcome


class OpenForm(forms.Form):
    kind = forms.ChoiceField(label="Assessment", choices=Kind.choices)
    year = forms.IntegerField(label="Year it is for", min_value=2023, max_value=2100)
    due_on = forms.DateField(label="Due by", widget=NHSDateInput())


class CheckForm(forms.Form):
    code = forms.ChoiceField(label="Check")
    done_on = forms.DateField(label="Date of the check", widget=NHSDateInput())
    outcome = forms.ChoiceField(label="Outcome", choices=CheckOutcome.choices)
    evidence = forms.CharField(label="Evidence", widget=forms.Textarea, help_text="What was seen and where it is kept.")

    def __init__(self, *args: Any, checks: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [  # type: ignore[attr-defined]
            (c["code"], c["name"]) for c in checks if c["code"] != "self_attestation"
        ]


class AttestForm(forms.Form):
    confirm = forms.BooleanField(
        label="I confirm that I meet the good character, health and serious misconduct tests of CQC Regulation 5, "
        "and that what I have told the trust is true and complete",
    )
    note = forms.CharField(label="Anything the chair should know", widget=forms.Textarea, required=False)


class SignOffForm(forms.Form):
    outcome = forms.ChoiceField(label="Decision", choices=[c for c in Outcome.choices if c[0] != Outcome.PENDING])
    note = forms.CharField(label="Reasons", widget=forms.Textarea, required=False)


class LeaverForm(forms.Form):
    completed_on = forms.DateField(label="Completed on", widget=NHSDateInput())
    content = forms.CharField(
        label="The reference",
        widget=forms.Textarea,
        help_text="On the national board member reference template, including any complaints or disciplinary "
        "matters, ongoing or discontinued.",
    )
    born_on = forms.DateField(
        label="The member's date of birth", widget=NHSDateInput(), required=False, help_text="To keep it until 75."
    )


class ReturnSubmitForm(forms.Form):
    """The chair's sign-off of the annual return asks nothing more: the form is there so that the post is checked
    like every other."""
