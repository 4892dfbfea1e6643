from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from medlead.concerns.models import Case, CaseRole, MeasureKind, Outcome, RoleKind
from medlead.concerns.selectors import rules
from medlead.core.fields import NHSDateInput, PersonField
from medlead.organisation.models import Person, Trust


def _choices(kind: str) -> list[tuple[str, str]]:
    return [(c["code"], c["name"]) for c in rules()[kind]]


class CaseForm(forms.Form):
    doctor = PersonField(queryset=Person.objects.none(), label="The doctor concerned", scope="doctors")
    raised_by = forms.CharField(label="Who raised the concern", max_length=200)
    raised_on = forms.DateField(label="When it was raised", widget=NHSDateInput())
    categories = forms.MultipleChoiceField(label="What the concern is about", widget=forms.CheckboxSelectMultiple)
    source = forms.ChoiceField(label="Where it came from")
    summary = forms.CharField(label="The concern", widget=forms.Textarea)
    initial_assessment = forms.CharField(label="Initial assessment", widget=forms.Textarea, required=False)
    case_manager = PersonField(
        queryset=Person.objects.none(),
        label="Case manager",
        help_text="The medical director for consultants and clinical directors (MHPS Part I).",
    )

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(trust=trust, active=True)
        self.fields["doctor"].queryset = people.filter(kind="doctor")  # type: ignore[attr-defined]
        self.fields["case_manager"].queryset = people  # type: ignore[attr-defined]
        self.fields["categories"].choices = _choices("categories")  # type: ignore[attr-defined]
        self.fields["source"].choices = [("", "Choose"), *_choices("sources")]  # type: ignore[attr-defined]


class RoleForm(forms.Form):
    person = PersonField(queryset=Person.objects.none(), label="Person")
    role = forms.ChoiceField(choices=[c for c in RoleKind.choices if c[0] != RoleKind.CASE_MANAGER], label="Role")

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(trust=trust, active=True)  # type: ignore[attr-defined]


class AdviceForm(forms.Form):
    contacted_on = forms.DateField(label="Date of the contact", widget=NHSDateInput())
    adviser = forms.CharField(label="Adviser", max_length=200)
    summary = forms.CharField(label="The advice", widget=forms.Textarea)


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(choices=MeasureKind.choices, label="Exclusion or restriction")
    starts_on = forms.DateField(label="Starts on", widget=NHSDateInput())
    review_by = forms.DateField(label="Review by", widget=NHSDateInput())
    details = forms.CharField(
        label="Details (for a restriction: what the doctor may not do)", widget=forms.Textarea, required=False
    )

    def __init__(self, *args: Any, formal: bool = True, **kwargs: Any) -> None:
        """``formal``: whether a formal exclusion may be recorded now (not before advice is recorded): a choice
        that cannot be taken is not offered (issue 31)."""
        super().__init__(*args, **kwargs)
        if not formal:
            self.fields["kind"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in MeasureKind.choices if value != MeasureKind.FORMAL
            ]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Decision")
    decision_reasons = forms.CharField(label="Reasons", widget=forms.Textarea)
    decided_on = forms.DateField(label="Decided on", widget=NHSDateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("", "Choose"), *_choices("decisions")]  # type: ignore[attr-defined]


class InvestigationForm(forms.Form):
    terms_of_reference = forms.CharField(label="Terms of reference", widget=forms.Textarea)
    started_on = forms.DateField(label="Started on", widget=NHSDateInput())


class InvestigationUpdateForm(forms.Form):
    report = forms.CharField(label="The investigation's report (summary)", widget=forms.Textarea, required=False)
    report_received_on = forms.DateField(label="Report received on", widget=NHSDateInput(), required=False)
    report_to_doctor_on = forms.DateField(
        label="The doctor received the report on",
        help_text="Their time to comment on its factual content counts from this day.",
        widget=NHSDateInput(),
        required=False,
    )
    doctor_comments = forms.CharField(label="The doctor's comments", widget=forms.Textarea, required=False)
    outcome = forms.ChoiceField(label="Outcome", required=False, choices=[("", "Not yet"), *Outcome.choices])
    outcome_on = forms.DateField(label="Outcome decided on", widget=NHSDateInput(), required=False)
    appeal = forms.CharField(label="Appeal", widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, outcome: bool = True, **kwargs: Any) -> None:
        """``outcome``: whether the outcome may be recorded now (not before the report is): a choice that cannot be
        taken is not offered (issue 31), and a post that gives one anyway is refused."""
        super().__init__(*args, **kwargs)
        self.outcome_offered = outcome
        if not outcome:
            del self.fields["outcome"], self.fields["outcome_on"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.outcome_offered and (self.data.get("outcome") or self.data.get("outcome_on")):
            self.add_error(None, "Record the investigation's report before its outcome.")
        return data


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind", choices=[("document", "Document"), ("interview", "Interview"), ("other", "Other record")]
    )
    on = forms.DateField(label="Date", widget=NHSDateInput())
    description = forms.CharField(label="Description", widget=forms.Textarea)
    file = forms.FileField(label="File (optional)", required=False)
    health = forms.BooleanField(label="This is health information (seen only by those named for it)", required=False)


class HandOverForm(forms.Form):
    """The case's new case manager, among those who may manage it (``services.hand_over_candidates``)."""

    person = PersonField(queryset=Person.objects.none(), label="The new case manager")

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    """The case manager's review of one exclusion or restriction, today: continue it for another period, change it
    to another measure, or lift it. A choice that cannot be taken now is not offered (``offered``: the outcomes and
    the kinds that may follow, from ``concerns.services``)."""

    outcome = forms.ChoiceField(
        label="What is your decision?",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether to continue it, change it or lift it.",
            "invalid_choice": "Choose whether to continue it, change it or lift it.",
        },
    )
    review_by = forms.DateField(
        label="Next review by",
        widget=NHSDateInput(),
        required=False,
        help_text="If you continue or change it: the next period starts today and is reviewed by this date.",
    )
    kind = forms.ChoiceField(label="In its place (if you change it)", required=False)
    details = forms.CharField(
        label="Details of what is in its place (for a restriction: what the doctor may not do)",
        widget=forms.Textarea,
        required=False,
    )

    def __init__(
        self, *args: Any, outcomes: list[tuple[str, str]], kinds: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = outcomes  # type: ignore[attr-defined]
        self.fields["kind"].choices = [("", "Choose"), *kinds]  # type: ignore[attr-defined]


class HealthAccessForm(forms.Form):
    """Allow or withdraw a named person's sight of the case's health information (never the case manager's)."""

    role = forms.ModelChoiceField(
        queryset=CaseRole.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose the person on the case.",
            "invalid_choice": "That person is not named on this case: reload the page.",
        },
    )
    allowed = forms.TypedChoiceField(
        choices=[("yes", "Allow"), ("no", "Withdraw")],
        coerce=lambda value: value == "yes",
        error_messages={
            "required": "Choose whether to allow or withdraw health information.",
            "invalid_choice": "Choose whether to allow or withdraw health information.",
        },
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        roles = case.roles.exclude(role=RoleKind.CASE_MANAGER)
        self.fields["role"].queryset = roles  # type: ignore[attr-defined]


class CloseForm(forms.Form):
    """Closing a case asks nothing more: the form is there so that the post is checked like every other."""
