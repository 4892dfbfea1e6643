"""The board register's forms: add a member, end a term, name the senior independent director. Each is answered,
then its answers checked on a page of their own, then confirmed (``board_views``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from medlead.core.fields import NHSDateInput, PersonField
from medlead.organisation.models import BoardMember, BoardRole, Person, Trust


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label="Why",
        max_length=1000,
        widget=forms.Textarea,
        help_text="For example, the appointment and the date it was made. Recorded with the change and shown to "
        "whoever approves it.",
        error_messages={"required": "Say why.", "max_length": "A reason is at most 1000 characters."},
    )


class BoardChange(forms.Form):
    """One change to the board: its fields, then a check of the answers (``core.views.check_page``), then the
    change."""

    title = ""

    def __init__(self, *args: Any, trust: Trust, seat: BoardMember | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.trust, self.seat = trust, seat

    def visible(self) -> list[Any]:
        return list(self)

    def answers(self) -> list[tuple[str, str]]:
        """Each answer in words, for the check page."""
        shown = []
        for f in self.visible():
            value = self.cleaned_data.get(f.name)
            field = f.field
            if isinstance(field, forms.BooleanField):
                text = "Yes" if value else "No"
            elif isinstance(value, dt.date):
                text = f"{value.day} {value:%B %Y}"
            elif isinstance(field, forms.ModelChoiceField):
                text = getattr(value, "display_name", None) or str(value or "")
            elif isinstance(field, forms.ChoiceField):
                text = str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
            else:
                text = str(value or "Not given")
            shown.append((str(f.label), text))
        return shown


class AddMember(BoardChange):
    title = "Add a board member"
    person = PersonField(
        label="Person", help_text="Type a name, GMC number or staff number of someone in this trust.", scope="all"
    )
    role = forms.ChoiceField(label="Seat", choices=[("", "Choose a seat"), *BoardRole.choices])
    start = forms.DateField(label="Start of the term", widget=NHSDateInput(), help_text="For example, 1 4 2026")
    term_ends = forms.DateField(
        label="End of the term of office", widget=NHSDateInput(), required=False, help_text="Leave blank if not fixed."
    )
    interim = forms.BooleanField(label="Interim appointment", required=False)
    voting = forms.BooleanField(label="Votes at the board", required=False, initial=True)
    senior_independent = forms.BooleanField(
        label="Senior independent director",
        required=False,
        help_text="A non-executive director. Signs off the chair's fit and proper assessment.",
    )
    reason = _reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(trust=self.trust, active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, ends = data.get("start"), data.get("term_ends")
        if start and ends and ends < start:
            self.add_error("term_ends", "The term of office ends after it starts.")
        if data.get("senior_independent") and data.get("role") and data["role"] != BoardRole.NON_EXECUTIVE:
            self.add_error("senior_independent", "The senior independent director is a non-executive director.")
        return data

    def new_seat(self) -> BoardMember:
        data = self.cleaned_data
        return BoardMember(
            trust=self.trust,
            person=data["person"],
            role=data["role"],
            start=data["start"],
            term_ends=data["term_ends"],
            interim=data["interim"],
            voting=data["voting"],
            senior_independent=data["senior_independent"],
        )


class EndTerm(BoardChange):
    title = "End a term"
    end = forms.DateField(label="Date the term ended", widget=NHSDateInput(), help_text="Today or a past date.")
    reason = _reason_field()


class NameSeniorIndependent(BoardChange):
    title = "Name the senior independent director"
    reason = _reason_field()
