from __future__ import annotations

from typing import Any

from django import forms

from medlead.organisation.models import PERSON_EDITABLE_FIELDS, Person, Specialty, Trust


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
