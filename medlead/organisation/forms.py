from __future__ import annotations

from typing import Any

from django import forms

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


class NationalLayouts(forms.Form):
    """An import form that also asks which columns the file comes in: medlead's own (its template) or a national
    file's (``core.layouts``), and keeps the chosen layout, with the trust's headings, for the pipeline."""

    def __init__(self, *args: Any, layouts: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.layouts = {lay.code: lay for lay in layouts}
        self.fields["layout"] = forms.ChoiceField(
            label="The file's columns",
            required=False,
            choices=[("", "medlead's own columns (as in the template)")] + [(lay.code, lay.label) for lay in layouts],
        )

    def chosen_layout(self) -> Any:
        return self.layouts.get(self.cleaned_data.get("layout") or "")

    def params(self) -> dict[str, Any]:
        """What the pipeline keeps with the file: the layout it came in, with this trust's headings."""
        layout = self.chosen_layout()
        return {"layout": layout.as_params()} if layout else {}


class ImportForm(NationalLayouts):
    KIND_CHOICES = [("people", "People (a staff list)"), ("posts", "Posts and holders")]
    kind = forms.ChoiceField(label="What the file holds", choices=KIND_CHOICES)
    file = forms.FileField(label="CSV or XLSX file", help_text="The first row must hold the column names.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        layout = self.chosen_layout()
        if layout is not None and data.get("kind") and layout.kind != data["kind"]:
            self.add_error("layout", f"The {layout.label} holds {layout.kind}, not {data['kind']}.")
        return data

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError("The file must be a .csv or .xlsx file.")
        from django.conf import settings

        if upload.size > settings.MEDLEAD_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {settings.MEDLEAD_IMPORT_MAX_BYTES // (1024 * 1024)} MB."
            )
        return upload


# What each of medlead's import columns holds, in words (the layout page names them so).
COLUMN_LABELS = {
    "staff_number": "Staff number",
    "gmc_number": "GMC number",
    "kind": "Doctor or manager",
    "ltft_fraction": "Fraction of full time",
    "contracted_pas": "Contracted programmed activities",
    "submission_date": "Revalidation submission date",
    "connected_on": "Date of connection",
    "name": "Name",
}


class LayoutForm(forms.Form):
    """The headings of a national file's columns, one field for each of medlead's columns it fills."""

    def __init__(self, *args: Any, layout: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for column, heading in layout.headings().items():
            several = " + " in heading
            self.fields[column] = forms.CharField(
                label=COLUMN_LABELS.get(column, column.replace("_", " ").capitalize()),
                initial=heading,
                required=False,
                max_length=400,
                help_text="Several columns joined by ' + '. Empty: medlead's default."
                if several
                else "Empty: medlead's default.",
            )


class PeopleQuery(QueryForm):
    """The people directory's search and filters."""

    q = forms.CharField(required=False, max_length=200)
    division = id_field()
    grade = forms.ChoiceField(choices=Grade.choices, required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class PickQuery(QueryForm):
    """What the person picker sends as the user types: the text, which people it offers, and the box it fills."""

    q = forms.CharField(required=False)
    scope = forms.ChoiceField(
        choices=[("all", "all"), ("doctors", "doctors"), ("trainees", "trainees"), ("senior", "senior")],
        required=False,
        initial="all",
    )
    target = forms.CharField(required=False)
