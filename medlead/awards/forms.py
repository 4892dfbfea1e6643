from __future__ import annotations

from typing import Any

from django import forms

from medlead.awards.services import domain_names, rules


class StartForm(forms.Form):
    round_year = forms.IntegerField(label="Award round (year)", min_value=2022, max_value=2100)
    level = forms.ChoiceField(label="Level you apply for")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(lv, lv) for lv in rules()["levels"]]  # type: ignore[attr-defined]


class DomainsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in domain_names().items():
            self.fields[code] = forms.CharField(label=name, widget=forms.Textarea, required=False)


class VerifyForm(forms.Form):
    investigations_note = forms.CharField(
        label="Investigations and sanctions",
        widget=forms.Textarea,
        required=False,
        help_text="Any investigation open or concluded in the award period, and any sanction. Leave empty if none.",
    )
    statement = forms.CharField(label="The employer's statement", widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in rules()["verification"]:
            self.fields[f"check_{item['code']}"] = forms.BooleanField(label=item["name"], required=False)

    def checks(self) -> dict[str, bool]:
        return {item["code"]: bool(self.cleaned_data.get(f"check_{item['code']}")) for item in rules()["verification"]}


class OutcomeForm(forms.Form):
    level_awarded = forms.ChoiceField(label="Outcome", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Not awarded"), *[(lv, f"Awarded at {lv}") for lv in rules()["levels"]]]
        self.fields["level_awarded"].choices = choices  # type: ignore[attr-defined]
