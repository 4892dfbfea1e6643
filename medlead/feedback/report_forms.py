"""The forms of the report's side of a feedback exercise (issue 33): closing and releasing (a confirmation behind a
check page), reading one comment, the doctor's reflection, the responsible officer's list and the feedback
administrators. Every posted and query value goes through one of these before anything is looked up."""

from __future__ import annotations

from typing import Any

from django import forms

from medlead.core.fields import PersonField
from medlead.core.params import MAX_ID
from medlead.core.query import QueryForm
from medlead.feedback.models import FeedbackAdministrator
from medlead.organisation.models import Person, Trust


class ConfirmForm(forms.Form):
    """The one answer a check page carries back: that the user confirmed."""

    confirm = forms.ChoiceField(choices=[("yes", "Yes")], widget=forms.HiddenInput)


class CommentForm(forms.Form):
    decision = forms.ChoiceField(
        label="What to do with this comment",
        choices=[
            ("release", "Release it, as written or as edited below"),
            ("withhold", "Withhold it: it cannot be made safe to release"),
        ],
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="The comment as the doctor will read it",
        help_text="Remove anything that could identify the person who wrote it or anyone else (names, dates, "
        "places, rare events). Leave it empty to release it as written.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
    )


class ReflectionForm(forms.Form):
    reflection = forms.CharField(
        label="Your reflection on the report",
        help_text="What the feedback tells you, what you will keep doing and what you will change. It becomes "
        "supporting information in your next appraisal, where your appraiser reads it with the report.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
    )


class StatusQuery(QueryForm):
    show = forms.ChoiceField(
        choices=[("all", "Every connected doctor"), ("due", "Not yet done, due within the queue's months")],
        required=False,
        initial="all",
    )
    q = forms.CharField(required=False, max_length=200)  # every connected doctor: a name, GMC or staff number
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class AdministratorAddForm(forms.Form):
    person = PersonField(queryset=Person.objects.none(), label="Person to name as a feedback administrator")

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, PersonField)
        field.queryset = Person.objects.filter(trust=trust)


class AdministratorRemoveForm(forms.Form):
    administrator = forms.ModelChoiceField(queryset=FeedbackAdministrator.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["administrator"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = FeedbackAdministrator.objects.filter(trust=trust, active=True)
