from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q

from medlead.core.fields import BoundedModelMultipleChoiceField, NHSDateInput, PersonField
from medlead.development.models import (
    Action,
    ActionStatus,
    CareerPlan,
    DevelopmentPlan,
    Experience,
    ExperienceKind,
    Goal,
    GoalOrigin,
    Interest,
    Mentor,
    Opening,
    Opportunity,
    ReadinessShare,
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


CHOOSE_ROLE = "Choose a role"


class TargetRoleForm(forms.Form):
    role = forms.ModelChoiceField(
        queryset=PostType.objects.none(), label="Your target role", to_field_name="code", empty_label=CHOOSE_ROLE
    )

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


class SuggestionForm(forms.Form):
    """A suggestion added to the plan: the opportunity, and the gap (framework item and where it showed) it fills."""

    opportunity = forms.ModelChoiceField(queryset=Opportunity.objects.all(), to_field_name="code")
    item = forms.ModelChoiceField(queryset=FrameworkItem.objects.filter(framework__trust__isnull=True), required=False)
    origin = forms.ChoiceField(choices=[("", ""), *GoalOrigin.choices], required=False)


class GoalForm(forms.Form):
    text = forms.CharField(
        label="Goal", max_length=300, error_messages={"required": "Write the goal (up to 300 characters)."}
    )
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
    due_on = forms.DateField(
        label="Due by (optional)", widget=NHSDateInput(what="the date the action is due"), required=False
    )
    opportunity = forms.ModelChoiceField(
        queryset=Opportunity.objects.order_by("title"),
        required=False,
        label="From the catalogue (optional)",
        empty_label="None",
    )


class ActionAddForm(ActionForm):
    """An action under one of this plan's goals (a goal of another plan is not a choice)."""

    goal = forms.ModelChoiceField(queryset=Goal.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args: Any, plan: DevelopmentPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = plan.goals.all()  # type: ignore[attr-defined]

    def for_goal(self, goal_id: int) -> ActionAddForm:
        """This form shown under one goal: its boxes get ids of their own (several goals' forms share a page)."""
        self.auto_id = f"goal-{goal_id}-%s"
        return self


class ActionStatusForm(forms.Form):
    action = forms.ModelChoiceField(queryset=Action.objects.none(), widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=ActionStatus.choices, label="Status")

    def __init__(self, *args: Any, plan: DevelopmentPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = Action.objects.filter(goal__plan=plan)  # type: ignore[attr-defined]


class AgreerForm(forms.Form):
    agreer = forms.ModelChoiceField(
        queryset=Person.objects.none(), label="Who will agree your plan?", help_text="Your mentor or line manager."
    )

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreer"].queryset = choices  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    notes = forms.CharField(
        label="Review notes",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Write what was reviewed and agreed."},
    )


class ExperienceForm(forms.ModelForm):
    items = BoundedModelMultipleChoiceField(
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
        label="Why you want it and what you would bring",
        widget=forms.Textarea,
        max_length=3000,
        error_messages={"required": "Say briefly why you want it and what you would bring."},
    )
    share_with_home = forms.BooleanField(
        label="Let my own trust's medical director see this application",
        required=False,
        help_text="The trust that posted the opening decides. Your own trust sees nothing of your application "
        "unless you tick this; you can change your mind on the application's page.",
    )

    def __init__(self, *args: Any, cross: bool = False, **kwargs: Any) -> None:
        """``cross``: the opening is another trust's, so the applicant may share the application with their own."""
        super().__init__(*args, **kwargs)
        if not cross:
            del self.fields["share_with_home"]


class PublishForm(forms.Form):
    """The trusts an opening is published to (issue 34): those the actor may publish it to, not yet published to."""

    trusts = BoundedModelMultipleChoiceField(
        queryset=Opening.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Publish it to the doctors of",
        error_messages={"required": "Choose at least one trust to publish it to."},
    )

    def __init__(self, *args: Any, trusts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["trusts"]
        field.queryset = trusts  # type: ignore[attr-defined]
        field.label_from_instance = lambda t: f"{t.name} ({t.region.name})" if t.region_id else t.name  # type: ignore[attr-defined]


class ApplicationShareForm(forms.Form):
    """The applicant's choice: share their application with their own trust's medical director, or stop sharing."""

    share = forms.ChoiceField(choices=[("share", "Share it"), ("stop", "Stop sharing it")], label="Sharing")


class MentorBankForm(forms.Form):
    """Offer a mentor on the register to the region's bank (with their agreement), or take them out of it."""

    offer = forms.ChoiceField(
        choices=[("offer", "Offer to the region's bank"), ("withdraw", "Take out of the region's bank")],
        widget=forms.RadioSelect,
        label="The region's mentor and coach bank",
    )
    agreed = forms.BooleanField(
        label="They have agreed to mentor doctors of other trusts in the region",
        required=False,
        help_text="Ask them first: the register records the day they agreed.",
    )


class DecideForm(forms.Form):
    """Those selected for an opening, from the people who expressed interest in it."""

    selected = BoundedModelMultipleChoiceField(
        queryset=Interest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="People selected",
    )

    def __init__(self, *args: Any, opening: Opening, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = opening.interests.all()  # type: ignore[attr-defined]


class MentorForm(forms.ModelForm):
    person = PersonField(
        queryset=Person.objects.none(),
        label="Doctor of the trust (leave empty for an external mentor)",
        required=False,
        scope="doctors",
    )
    items = BoundedModelMultipleChoiceField(
        queryset=FrameworkItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Areas of expertise (framework items)",
    )

    class Meta:
        model = Mentor
        fields = ["person", "name", "email", "organisation", "kind", "md_experience", "areas", "capacity"]
        labels = {"md_experience": "Medical director"}

    def __init__(self, *args: Any, trust: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = colleagues(trust.pk)  # type: ignore[attr-defined]
        offer_items(self.fields["items"])


class MentoringRequestForm(forms.Form):
    mentor = forms.ModelChoiceField(queryset=Mentor.objects.none(), label="Mentor or coach")
    goals = forms.CharField(label="What would you like help with?", widget=forms.Textarea, max_length=3000)

    def __init__(self, *args: Any, mentors: Any, trust_id: int | None = None, **kwargs: Any) -> None:
        """``mentors``: those offered (with their trusts); one of another trust (the region's bank) is named with
        its trust."""
        super().__init__(*args, **kwargs)
        field = self.fields["mentor"]
        field.queryset = mentors  # type: ignore[attr-defined]
        field.label_from_instance = (  # type: ignore[attr-defined]
            lambda m: m.display_name if m.trust_id == trust_id else f"{m.display_name}, {m.trust.name}"
        )


class MentorQueryForm(forms.Form):
    """The mentor a link on the mentor register proposes (``?mentor=``), among those matched for this doctor."""

    mentor = forms.ModelChoiceField(queryset=Mentor.objects.none(), required=False)

    def __init__(self, *args: Any, mentors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors  # type: ignore[attr-defined]


class RespondForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")], label="Answer")


class MeetingForm(forms.Form):
    met_on = forms.DateField(label="Date of the meeting", widget=DATE)
    notes = forms.CharField(label="Notes (private to the two of you)", widget=forms.Textarea, max_length=10000)
    next_steps = forms.CharField(label="Next steps", widget=forms.Textarea, required=False, max_length=3000)


class CareerPlanForm(forms.ModelForm):
    later_roles = BoundedModelMultipleChoiceField(
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
        self.fields["target_role"].empty_label = CHOOSE_ROLE  # type: ignore[attr-defined]
        self.fields["later_roles"].queryset = management_roles()  # type: ignore[attr-defined]


class RoleQueryForm(forms.Form):
    """The role a readiness report is for (``?role=``); without one, the doctor's target role."""

    role = forms.ModelChoiceField(queryset=PostType.objects.all(), to_field_name="code", required=False)


class ShareForm(forms.Form):
    role = forms.ModelChoiceField(queryset=PostType.objects.all(), to_field_name="code", widget=forms.HiddenInput)
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


class RevokeForm(forms.Form):
    """Stop sharing a readiness report: one of this doctor's own shares still in force."""

    role = forms.ModelChoiceField(queryset=PostType.objects.all(), to_field_name="code", widget=forms.HiddenInput)
    share = forms.ModelChoiceField(queryset=ReadinessShare.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["share"].queryset = ReadinessShare.objects.filter(  # type: ignore[attr-defined]
            person=person, revoked_at__isnull=True
        ).select_related("shared_with")


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters (``?category=&audience=``): a value that is not one of them shows everything."""

    category = forms.CharField(max_length=100, required=False)
    audience = forms.CharField(max_length=100, required=False)


class OpportunityQueryForm(forms.Form):
    """The catalogue entry an experience is logged against (``?opportunity=<code>``), to fill the form in."""

    opportunity = forms.ModelChoiceField(queryset=Opportunity.objects.all(), to_field_name="code", required=False)


SPLIT_ROWS = 6
SPLIT_ROW_ERROR = "Planned split, row {n}: give a year and numbers of PAs (e.g. 2027, 7.5, 2.5)."


class CareerSplitForm(forms.Form):
    """The planned split of clinical and management time: up to six rows of year, clinical PAs and management PAs,
    named ``year-0``, ``clinical-0``, ``management-0`` and so on. ``rows`` holds the rows filled in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(SPLIT_ROWS):
            self.fields[f"year-{n}"] = forms.IntegerField(required=False, min_value=2000, max_value=2100)
            for kind in ("clinical", "management"):
                # max_digits bounds the number as the database column does: 1e999999 is refused, not stored
                self.fields[f"{kind}-{n}"] = forms.DecimalField(
                    required=False, max_digits=4, decimal_places=2, min_value=0, max_value=20
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rows: list[tuple[int, Decimal, Decimal]] = []
        for n in range(SPLIT_ROWS):
            names = (f"year-{n}", f"clinical-{n}", f"management-{n}")
            typed = [str(self.data.get(name, "")).strip() for name in names]
            if not any(typed):
                continue
            bad = any(name in self.errors for name in names) or not typed[0]
            if bad:
                for name in names:
                    self.errors.pop(name, None)
                    data.pop(name, None)
                self.add_error(None, SPLIT_ROW_ERROR.format(n=n + 1))
                continue
            rows.append((data[names[0]], data[names[1]] or Decimal(0), data[names[2]] or Decimal(0)))
        data["rows"] = rows
        return data

    def rows_to_show(self, saved: list[Any]) -> list[dict[str, Any]]:
        """Each row's values: what was typed when the form was sent, else the saved rows, then empty rows."""
        if self.is_bound:
            return [
                {k: self.data.get(f"{k}-{n}", "") for k in ("year", "clinical", "management")}
                for n in range(SPLIT_ROWS)
            ]
        shown = [{"year": r.year, "clinical": r.clinical_pas, "management": r.management_pas} for r in saved]
        return (shown + [{"year": "", "clinical": "", "management": ""}] * SPLIT_ROWS)[:SPLIT_ROWS]
