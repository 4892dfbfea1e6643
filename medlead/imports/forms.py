"""The one upload form, for every kind of import: the file's checks are made here once (its type by its name, its
size), any options the kind asks (``core.imports.ImportOptions``, declared on the kind) come before the file, and a
kind that national files come in (``core.layouts``) asks which columns the file has."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings

from medlead.core.imports import KINDS, ImportOptions, Kind
from medlead.core.layouts import Layout, layouts
from medlead.core.query import QueryForm

ALLOWED_ENDINGS = (".csv", ".xlsx")


class LayoutChoice(forms.ChoiceField):
    """The national layouts this kind's files come in. Any layout medlead knows passes the field, so that one of
    another kind is refused by the form with the reason (it holds people, not posts) rather than as an unknown
    choice."""

    def valid_value(self, value: Any) -> bool:
        return value in layouts() or super().valid_value(value)


class UploadForm(ImportOptions):
    file = forms.FileField(label="CSV or XLSX file", help_text="The first row must hold the column names.")

    def __init__(self, *args: Any, trust: Any, kind: Kind, layouts: Sequence[Layout] = (), **kwargs: Any) -> None:
        super().__init__(*args, trust=trust, **kwargs)
        self.kind = kind
        self.layouts = {lay.code: lay for lay in layouts}
        # asked when national files of this kind exist; kept when a post names a layout anyway, to refuse it
        if layouts or self.data.get("layout"):
            self.fields["layout"] = LayoutChoice(
                label="The file's columns",
                required=False,
                choices=[("", "medlead's own columns (as in the template)")]
                + [(lay.code, lay.label) for lay in layouts],
            )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_ENDINGS):
            raise forms.ValidationError("The file must be a .csv or .xlsx file.")
        limit = settings.MEDLEAD_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The file is larger than {limit // (1024 * 1024)} MB.")
        return upload

    def clean_layout(self) -> str:
        code: str = self.cleaned_data.get("layout") or ""
        if code and code not in self.layouts:
            other = layouts()[code]
            raise forms.ValidationError(f"The {other.label} holds {other.kind}, not {self.kind.code}.")
        return code

    def chosen_layout(self) -> Layout | None:
        return self.layouts.get(self.cleaned_data.get("layout") or "")

    def params(self) -> dict[str, Any]:
        """What the pipeline keeps with the file: the kind's options, and the layout the file came in (with this
        trust's headings), so that the confirm reads the file exactly as the dry run did."""
        layout = self.chosen_layout()
        return super().params() | ({"layout": layout.as_params()} if layout else {})


class AnotherFileQuery(QueryForm):
    """``?layout=`` on the upload page: "Upload another file" from a batch keeps the layout its file came in. A code
    that is not one of this kind's layouts is ignored (the page asks as usual)."""

    layout = forms.ChoiceField(required=False, initial="")

    def __init__(self, *args: Any, layouts: Sequence[Layout], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["layout"].choices = [("", ""), *((lay.code, lay.label) for lay in layouts)]  # type: ignore[attr-defined]


@functools.cache
def upload_form(code: str) -> type[UploadForm]:
    """The upload form of one kind: the shared form, with the kind's own options (if any) before the file."""
    kind = KINDS[code]
    if kind.options is None:
        return UploadForm
    form: type[UploadForm] = type(f"{kind.options.__name__}Upload", (UploadForm, kind.options), {})
    return form


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
    """The headings of a national file's columns, one field for each of medlead's columns it fills: each with the
    trust's heading (if it changed it) and medlead's default named in its hint."""

    def __init__(self, *args: Any, layout: Layout, default: Layout, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        defaults = default.headings()
        for column, heading in layout.headings().items():
            hint = f"medlead's default: {defaults.get(column, heading)}. Leave it empty to use the default."
            if " + " in defaults.get(column, heading):
                hint = "Several columns joined by ' + '. " + hint
            self.fields[column] = forms.CharField(
                label=COLUMN_LABELS.get(column, column.replace("_", " ").capitalize()),
                initial=heading,
                required=False,
                max_length=400,
                help_text=hint,
            )
