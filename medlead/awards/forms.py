from __future__ import annotations

from typing import Any

from django import forms

from medlead.awards.services import (
    domain_names,
    level_note,
    level_words,
    over_limit,
    questions,
    rules,
    statement_rule,
    words,
)
from medlead.organisation.models import Trust


class StartForm(forms.Form):
    round_year = forms.IntegerField(label="Award round (year)", min_value=2022, max_value=2100)
    level = forms.ChoiceField(label="Level you apply for", widget=forms.RadioSelect)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(lv, level_words(lv)) for lv in rules()["levels"]]  # type: ignore[attr-defined]
        self.fields["level"].help_text = level_note()


class DomainsForm(forms.Form):
    """The application's text in each domain, each at most ``limit`` words: the hint says how many the text has
    (counted when the page is built, so it works without JavaScript), and a longer text is an error."""

    def __init__(self, *args: Any, limit: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit
        for code, name in domain_names().items():
            self.fields[code] = forms.CharField(label=name, widget=forms.Textarea, required=False)
            text = str(self.data.get(code, "") if self.is_bound else self.initial.get(code, "") or "")
            self.fields[code].help_text = f"Up to {limit} words. This text has {words(text)}."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for code, message in over_limit({k: str(v or "") for k, v in data.items()}, self.limit).items():
            self.add_error(code, message)
        return data


class VerifyForm(forms.Form):
    """The employer's verification of an application in ``round_year``: that round's questions (yes or no, or the
    regulator's rating), investigations and sanctions, and what the round asks the employer to write."""

    investigations_note = forms.CharField(
        label="Investigations and sanctions",
        widget=forms.Textarea,
        required=False,
        help_text="Any investigation open or concluded in the award period, and any sanction. Leave empty if none.",
    )
    statement = forms.CharField(widget=forms.Textarea)

    def __init__(self, *args: Any, trust: Trust | int, round_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions(trust, round_year)
        for q in self.questions:
            self.fields[f"check_{q['code']}"] = forms.ChoiceField(
                label=q["name"], choices=[(a, a.capitalize()) for a in q["answers"]], widget=forms.RadioSelect
            )
        written = statement_rule(trust, round_year)
        self.fields["statement"].label = written["name"]
        self.fields["statement"].required = bool(written["required"])
        self.order_fields([*(f"check_{q['code']}" for q in self.questions), "investigations_note", "statement"])

    def checks(self) -> dict[str, str]:
        return {q["code"]: str(self.cleaned_data.get(f"check_{q['code']}")) for q in self.questions}


class OutcomeForm(forms.Form):
    level_awarded = forms.ChoiceField(label="Outcome", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Not awarded"), *[(lv, f"Awarded at {level_words(lv)}") for lv in rules()["levels"]]]
        self.fields["level_awarded"].choices = choices  # type: ignore[attr-defined]
