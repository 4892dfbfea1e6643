from __future__ import annotations

from typing import Any

from django import forms

from medlead.core.fields import PERSON_TEXT_MAX
from medlead.core.params import MAX_ID
from medlead.core.query import QueryForm, id_field
from medlead.organisation.models import PERSON_EDITABLE_FIELDS, Grade, Person, Specialty, Trust


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = list(PERSON_EDITABLE_FIELDS)
        widgets = {"email": forms.EmailInput()}

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.trust = trust
        self.fields["specialty"].queryset = Specialty.objects.filter(trust=trust)  # type: ignore[attr-defined]
        self.fields["gmc_number"].help_text = "7 digits. Required for doctors."


class PeopleQuery(QueryForm):
    """The people directory's search and filters."""

    q = forms.CharField(required=False, max_length=200)
    division = id_field()
    grade = forms.ChoiceField(choices=Grade.choices, required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class PickQuery(QueryForm):
    """What the person picker sends as the user types: the text, which people it offers, and the box it fills."""

    q = forms.CharField(required=False, max_length=PERSON_TEXT_MAX)
    scope = forms.ChoiceField(
        choices=[("all", "all"), ("doctors", "doctors"), ("trainees", "trainees"), ("senior", "senior")],
        required=False,
        initial="all",
    )
    target = forms.CharField(required=False)
