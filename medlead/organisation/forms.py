from __future__ import annotations

from typing import Any

from django import forms

from medlead.core.fields import PERSON_TEXT_MAX, NHSDateInput, PersonField
from medlead.core.params import MAX_ID
from medlead.core.query import QueryForm, id_field
from medlead.organisation.models import (
    PERSON_EDITABLE_FIELDS,
    TRAINEE_GRADES,
    ExceptionReportingBy,
    Grade,
    Person,
    Specialty,
    StaffKind,
    Trust,
)
from medlead.organisation.selectors import placement_hosts


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


# --- issue 34: lead employers and host trusts (placements) --------------------------------------------------------

ARRANGEMENT_HINT = (
    "As your trust and the host have agreed: the guardian named sees the doctor's exception reports about events "
    "during the placement, and the fines on them."
)


class PlacementForm(forms.Form):
    """A placement of one of the lead employer's resident doctors in a host trust."""

    employee = PersonField(
        queryset=Person.objects.none(),
        label="Resident doctor",
        scope="trainees",
        help_text="One of your trust's resident doctors: type a name or GMC number.",
    )
    host = forms.ModelChoiceField(queryset=Trust.objects.none(), label="Host trust")
    starts_on = forms.DateField(label="First day of the placement", widget=NHSDateInput())
    ends_on = forms.DateField(label="Last day of the placement", widget=NHSDateInput())
    exception_reporting = forms.ChoiceField(
        label="Whose guardian receives the doctor's exception reports",
        choices=ExceptionReportingBy.choices,
        widget=forms.RadioSelect,
        help_text=ARRANGEMENT_HINT,
    )

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        employee = self.fields["employee"]
        host = self.fields["host"]
        assert isinstance(employee, forms.ModelChoiceField) and isinstance(host, forms.ModelChoiceField)
        employee.queryset = Person.objects.filter(
            trust=trust, active=True, kind=StaffKind.DOCTOR, grade__in=TRAINEE_GRADES
        )
        host.queryset = placement_hosts(trust=trust)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The placement must end on or after the day it starts.")
        return data


class PlacementEndForm(forms.Form):
    """Ending a placement early: its new last day."""

    ends_on = forms.DateField(
        label="New last day of the placement",
        widget=NHSDateInput(),
        help_text="Today or a later day, before the day it was to end.",
    )
