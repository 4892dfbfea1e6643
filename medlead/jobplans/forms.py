from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from medlead.core.fields import PersonField
from medlead.core.params import MAX_ID
from medlead.core.query import QueryForm, id_field, year_field
from medlead.jobplans.models import PLAN_EDITABLE_FIELDS, Activity, JobPlan, State
from medlead.organisation.models import Person
from medlead.structure.models import Post

TIME = forms.TimeInput(attrs={"type": "time"})


class PlanForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # A contract's programmed activities a week: none to 20, as a person's contract (organisation.Person) takes.
    contracted_pas = forms.DecimalField(
        label="Contracted PAs",
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("20"),
        error_messages={
            "min_value": "Contracted PAs cannot be less than 0.",
            "max_value": "Contracted PAs cannot be more than 20.",
        },
        help_text="Programmed activities a week in the contract, from 0 to 20.",
    )

    class Meta:
        model = JobPlan
        fields = PLAN_EDITABLE_FIELDS


class ActivityForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Activity
        fields = [
            "category",
            "title",
            "location",
            "post",
            "frequency",
            "every_n_weeks",
            "weekday",
            "start",
            "end",
            "annual_hours",
            "annual_premium_hours",
            "on_public_holidays",
        ]
        widgets = {"start": TIME, "end": TIME}
        help_texts = {
            "every_n_weeks": "For 1 in N weeks only.",
            "annual_hours": "For annualised activities only.",
            "end": "An end before the start is on the next day.",
        }

    def __init__(self, *args: Any, plan: JobPlan, posts: QuerySet[Post], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.job_plan = plan
        self.instance.trust_id = plan.trust_id
        self.fields["post"].queryset = posts  # type: ignore[attr-defined]
        self.fields["post"].required = False


class NewPlanForm(forms.Form):
    person = PersonField(queryset=Person.objects.none(), label="Consultant or SAS doctor", scope="senior")
    year = forms.IntegerField(label="Job-plan year (starting 1 April)", min_value=2000, max_value=2100)

    def __init__(self, *args: Any, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    text = forms.CharField(label="Comment", widget=forms.Textarea)


class VersionForm(forms.Form):
    """The version of the plan the user saw: an action on a plan changed since is refused, not applied."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_ID)


class TransitionForm(VersionForm):
    """A move of the plan to another state; the workflow then decides whether this user may make it."""

    to = forms.ChoiceField(choices=State.choices, widget=forms.HiddenInput)


class DashboardQuery(QueryForm):
    year = year_field()
    state = forms.ChoiceField(choices=State.choices, required=False)
    specialty = id_field()
    waiting = forms.ChoiceField(choices=[("me", "Only those waiting for me")], required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class YearQuery(QueryForm):
    year = year_field()
