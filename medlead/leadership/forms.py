from __future__ import annotations

from typing import Any

from django import forms

from medlead.core.fields import NHSDateInput, PersonField
from medlead.core.imports import ImportOptions
from medlead.leadership.models import Framework, RaterGroup
from medlead.organisation.models import Person, Trust
from medlead.structure.models import PostType

DATE = NHSDateInput()


class StartAssessmentForm(forms.Form):
    framework: forms.ModelChoiceField = forms.ModelChoiceField(queryset=Framework.objects.none(), label="Framework")
    target_role = forms.ChoiceField(
        label="Target role",
        required=False,
        help_text="See the gap between your ratings and the level the role expects.",
    )

    def __init__(self, *args: Any, frameworks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]
        self.fields["target_role"].choices = [("", "None"), *PostType.objects.values_list("code", "name")]  # type: ignore[attr-defined]


class OpenCycleForm(forms.Form):
    framework: forms.ModelChoiceField = forms.ModelChoiceField(queryset=Framework.objects.none(), label="Framework")
    closes_on = forms.DateField(label="Closing date", widget=DATE)
    facilitator = PersonField(
        queryset=Person.objects.none(),
        required=False,
        label="Facilitator (coach or appraiser) who debriefs you",
        help_text="They approve your raters and see your report. Type a name or GMC number.",
        scope="doctors",
    )

    def __init__(self, *args: Any, frameworks: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]
        self.fields["facilitator"].queryset = Person.objects.filter(trust=trust, kind="doctor", grade="consultant")  # type: ignore[attr-defined]


NOMINEE_GROUPS = [(v, label) for v, label in RaterGroup.choices if v != RaterGroup.SELF]


class FrameworkImportOptions(ImportOptions):
    """What a framework's import asks besides the file (``leadership.import_kinds``): its name, code and scale."""

    name = forms.CharField(max_length=200)
    code = forms.SlugField(max_length=60)
    scale = forms.CharField(help_text="Levels from lowest to highest, separated by commas.")

    def params(self) -> dict[str, Any]:
        return super().params() | {
            "name": self.cleaned_data["name"],
            "code": self.cleaned_data["code"],
            "scale": [s.strip() for s in self.cleaned_data["scale"].split(",") if s.strip()],
        }
