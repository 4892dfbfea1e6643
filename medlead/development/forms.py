from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from medlead.core.fields import NHSDateInput, PersonField
from medlead.development.models import (
    ActionStatus,
    CareerPlan,
    Experience,
    ExperienceKind,
    Mentor,
    Opening,
    Opportunity,
)
from medlead.leadership.models import FrameworkItem
from medlead.organisation.models import Person, StaffKind
from medlead.structure.models import PostType

DATE = NHSDateInput()
# The frameworks an experience is most often linked to (the person specification and the HLM).
EVIDENCE_FRAMEWORKS = ("md-person-spec", "hlm")


def management_roles() -> Any:
    return PostType.objects.filter(management=True).order_by("-level", "name")


def framework_items() -> Any:
    return (
        FrameworkItem.objects.filter(framework__trust__isnull=True, framework__code__in=EVIDENCE_FRAMEWORKS)
        .select_related("framework")
        .order_by("framework__code", "position")
    )


def offer_items(field: Any) -> None:
    """Offer the evidence frameworks' items in a choice field, each labelled with its framework."""
    field.queryset = framework_items()
    field.label_from_instance = lambda obj: f"{obj.framework.name}: {obj.text}"


def colleagues(trust_id: int, exclude: int | None = None) -> Any:
    qs = Person.objects.filter(trust_id=trust_id, active=True, kind=StaffKind.DOCTOR)
    return qs.exclude(pk=exclude) if exclude else qs


class TargetRoleForm(forms.Form):
    role = forms.ModelChoiceField(queryset=PostType.objects.none(), label="Your target role", to_field_name="code")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = management_roles()  # type: ignore[attr-defined]


class PlanStartForm(forms.Form):
    starts_on = forms.DateField(label="Plan starts", widget=DATE)
    ends_on = forms.DateField(label="Plan ends", widget=DATE, help_text="Usually a year, to match appraisal.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", "The plan must end after it starts.")
        return data


class GoalForm(forms.Form):
    text = forms.CharField(label="Goal", max_length=300)
    item = forms.ModelChoiceField(
        queryset=FrameworkItem.objects.none(),
        required=False,
        label="Framework item it develops (optional)",
        empty_label="None",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_items(self.fields["item"])


class ActionForm(forms.Form):
    text = forms.CharField(label="Action", max_length=300)
    due_on = forms.DateField(label="Due by", widget=DATE, required=False)
    opportunity = forms.ModelChoiceField(
        queryset=Opportunity.objects.all(), required=False, label="From the catalogue (optional)"
    )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ActionStatus.choices, label="Status")


class AgreerForm(forms.Form):
    agreer = forms.ModelChoiceField(
        queryset=Person.objects.none(), label="Who will agree your plan?", help_text="Your mentor or line manager."
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreer"].queryset = choices  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    notes = forms.CharField(label="Review notes", widget=forms.Textarea, max_length=5000)


class ExperienceForm(forms.ModelForm):
    items = forms.ModelMultipleChoiceField(
        queryset=FrameworkItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What it gave you evidence of",
        help_text="Leave empty to use what the catalogue says the opportunity builds.",
    )

    class Meta:
        model = Experience
        fields = ["kind", "title", "started_on", "ended_on", "opportunity", "action", "reflection", "evidence"]
        widgets = {"started_on": DATE, "ended_on": DATE}
        labels = {"opportunity": "Opportunity in the catalogue (optional)", "action": "Action in your plan (optional)"}

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offer_items(self.fields["items"])
        self.fields["action"].queryset = (  # type: ignore[attr-defined]
            self.fields["action"].queryset.filter(goal__plan__person=person).exclude(status="done")  # type: ignore[attr-defined]
        )
        self.fields["kind"].choices = ExperienceKind.choices  # type: ignore[attr-defined]


class OpeningForm(forms.ModelForm):
    class Meta:
        model = Opening
        fields = ["title", "kind", "description", "opportunity", "places", "closes_on"]
        widgets = {"closes_on": DATE}


class InterestForm(forms.Form):
    statement = forms.CharField(
        label="Why you want it and what you would bring", widget=forms.Textarea, max_length=3000
    )


class MentorForm(forms.ModelForm):
    items = forms.ModelMultipleChoiceField(
        queryset=FrameworkItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Areas of expertise (framework items)",
    )

    class Meta:
        model = Mentor
        fields = ["person", "name", "email", "organisation", "kind", "md_experience", "areas", "capacity"]
        labels = {
            "person": "Person of the trust (leave empty for an external mentor)",
            "md_experience": "Medical director",
        }

    def __init__(self, *args: Any, trust: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = colleagues(trust.pk)  # type: ignore[attr-defined]
        offer_items(self.fields["items"])


class MentoringRequestForm(forms.Form):
    mentor = forms.ModelChoiceField(queryset=Mentor.objects.none(), label="Mentor or coach")
    goals = forms.CharField(label="What would you like help with?", widget=forms.Textarea, max_length=3000)

    def __init__(self, *args: Any, mentors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    met_on = forms.DateField(label="Date of the meeting", widget=DATE)
    notes = forms.CharField(label="Notes (private to the two of you)", widget=forms.Textarea, max_length=10000)
    next_steps = forms.CharField(label="Next steps", widget=forms.Textarea, required=False, max_length=3000)


class CareerPlanForm(forms.ModelForm):
    later_roles = forms.ModelMultipleChoiceField(
        queryset=PostType.objects.none(), required=False, widget=forms.CheckboxSelectMultiple, label="Later roles"
    )

    class Meta:
        model = CareerPlan
        fields = [
            "target_role",
            "aspirations",
            "exit_plan",
            "skills_to_maintain",
            "retraining",
            "protected_clinical_pas",
            "review_on",
        ]
        widgets = {"review_on": DATE}
        labels = {"protected_clinical_pas": "Protected clinical PAs a week while in post", "review_on": "Review by"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_role"].queryset = management_roles()  # type: ignore[attr-defined]
        self.fields["later_roles"].queryset = management_roles()  # type: ignore[attr-defined]


class ShareForm(forms.Form):
    shared_with = PersonField(queryset=Person.objects.none(), label="Share with")

    def __init__(self, *args: Any, trust_id: int, exclude: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the people most often shared with: those holding a management post, or mentors on the register
        self.fields["shared_with"].queryset = (  # type: ignore[attr-defined]
            colleagues(trust_id, exclude)
            .filter(Q(holdings__end__isnull=True) | Q(mentor_entries__active=True))
            .distinct()
            .order_by("last_name", "first_name")
        )
