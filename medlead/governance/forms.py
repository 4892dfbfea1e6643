from __future__ import annotations

from typing import Any

from django import forms

from medlead.core.fields import NHSDateInput, PersonField
from medlead.governance.models import ActionStatus, Body, BodyKind, Decision, Direction, Frequency, Meeting, Metric
from medlead.governance.services import section_names
from medlead.organisation.models import Committee, Person, Trust


def _people(trust: Trust) -> Any:
    return Person.objects.filter(trust=trust, active=True)


class MetricForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    code = forms.SlugField(
        label="Short name for imports", max_length=60, help_text="Letters, numbers and hyphens, for example shmi."
    )
    definition = forms.CharField(label="Definition", widget=forms.Textarea, help_text="What is counted, and how.")
    section = forms.ChoiceField(label="Board report section")
    direction = forms.ChoiceField(label="Which way is better", choices=Direction.choices)
    frequency = forms.ChoiceField(label="How often it is measured", choices=Frequency.choices)
    unit = forms.CharField(label="Unit", max_length=20, required=False, help_text="For example %, days or incidents.")
    target = forms.FloatField(label="Target", required=False, help_text="Leave empty if there is none.")
    source = forms.CharField(label="Where the data comes from", max_length=200, required=False)
    owner = PersonField(queryset=Person.objects.none(), label="Owner", required=False)

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", "Choose"), *section_names().items()]  # type: ignore[attr-defined]
        self.fields["owner"].queryset = _people(trust)  # type: ignore[attr-defined]


class ValueForm(forms.Form):
    on = forms.DateField(label="The month or week it is for", widget=NHSDateInput(), help_text="Any day in it.")
    value = forms.FloatField(label="Value")


class RebaseForm(forms.Form):
    on = forms.DateField(label="The process changed from", widget=NHSDateInput())
    reason = forms.CharField(label="What changed", max_length=300)


class MeetingForm(forms.Form):
    body = forms.ChoiceField(label="Which body meets", choices=Body.choices)
    committee = forms.ModelChoiceField(
        label="Committee", queryset=Committee.objects.none(), required=False, help_text="For a committee's meeting."
    )
    on = forms.DateField(label="Date", widget=NHSDateInput())
    title = forms.CharField(label="Title", max_length=200, required=False)

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.filter(trust=trust)  # type: ignore[attr-defined]


class PaperForm(forms.Form):
    title = forms.CharField(label="Title", max_length=200)
    presented_by = PersonField(queryset=Person.objects.none(), label="Presented by", required=False)
    summary = forms.CharField(label="Summary", widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["presented_by"].queryset = _people(trust)  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    text = forms.CharField(label="The decision", widget=forms.Textarea)


class ActionForm(forms.Form):
    title = forms.CharField(label="What is to be done", max_length=300)
    owner = PersonField(queryset=Person.objects.none(), label="Owner")
    due = forms.DateField(label="Due by", widget=NHSDateInput())
    metric = forms.ModelChoiceField(
        label="The metric it should move", queryset=Metric.objects.none(), required=False, empty_label="None"
    )

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(trust)  # type: ignore[attr-defined]
        self.fields["metric"].queryset = Metric.objects.filter(trust=trust, active=True)  # type: ignore[attr-defined]


class ActionUpdateForm(forms.Form):
    progress = forms.CharField(
        label="New progress update",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
        help_text="What has happened since the last update. It is added as a new note with today's date; earlier "
        "notes stay as they were.",
    )
    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)
    due = forms.DateField(
        label="Due by", widget=NHSDateInput(), required=False, help_text="The medical director or chair may move it."
    )


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label="Narrative",
        widget=forms.Textarea,
        help_text="What the board should know from this section: what the figures show, why, and what is being done "
        "about it. Leave a blank line between paragraphs.",
        error_messages={"required": "Write the narrative for this section: the report cannot be issued without it."},
    )

    def clean_text(self) -> str:
        text = str(self.cleaned_data["text"]).strip()
        if not text:
            raise forms.ValidationError("Write the narrative for this section: the report cannot be issued without it.")
        return text


class IssueForm(forms.Form):
    """The version the check page showed: a report changed since is not issued."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=32767)


class BodyForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    kind = forms.ChoiceField(label="Kind of body", choices=BodyKind.choices)
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)


class ContactForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    role = forms.CharField(label="Role", max_length=200, required=False)
    email = forms.EmailField(label="Email address", required=False)
    phone = forms.CharField(label="Telephone", max_length=40, required=False)


class EngagementForm(forms.Form):
    on = forms.DateField(label="Date", widget=NHSDateInput())
    summary = forms.CharField(label="What was discussed or agreed", widget=forms.Textarea)
    by = PersonField(queryset=Person.objects.none(), label="Who took part for the trust", required=False)
    follow_up = forms.DateField(label="Follow up by", widget=NHSDateInput(), required=False)

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["by"].queryset = _people(trust)  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------------------- the address's values

YES = [("", "No"), ("0", "No"), ("1", "Yes")]  # the action log's links write 0 or 1


class CompareQuery(forms.Form):
    """Funnel plots across this trust's specialties, or across the region's trusts."""

    across = forms.ChoiceField(
        label="Compare across", required=False, choices=[("", "Specialties"), ("trusts", "Trusts")]
    )


class ActionsQuery(forms.Form):
    """The action log: everyone's or the reader's own; open only, or closed too."""

    mine = forms.ChoiceField(label="Only mine", required=False, choices=YES)
    closed = forms.ChoiceField(label="Closed too", required=False, choices=YES)


class DecisionQuery(forms.Form):
    """The decision of the meeting an action comes from, when it is added from that decision."""

    decision = forms.ModelChoiceField(label="Decision", queryset=Decision.objects.none(), required=False)

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = meeting.decisions.all()  # type: ignore[attr-defined]
