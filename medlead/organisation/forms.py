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


class ImportForm(forms.Form):
    KIND_CHOICES = [("people", "People (ESR-style staff extract)"), ("posts", "Posts and holders")]
    kind = forms.ChoiceField(label="What the file holds", choices=KIND_CHOICES)
    file = forms.FileField(label="CSV or XLSX file", help_text="The first row must hold the column names.")

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError("The file must be a .csv or .xlsx file.")
        from django.conf import settings

        if upload.size > settings.MEDLEAD_IMPORT_MAX_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB.")
        return upload
