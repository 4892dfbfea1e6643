from __future__ import annotations

from typing import Any

from django import forms

from medlead.core.fields import BoundedModelMultipleChoiceField, PersonField
from medlead.core.query import QueryForm
from medlead.development.forms import DATE, colleagues, management_roles
from medlead.organisation.models import Grade, Person, Trust
from medlead.structure.models import Post, PostType
from medlead.talent.models import Readiness, Successor


class NominationForm(forms.Form):
    nominee = PersonField(queryset=Person.objects.none(), label="Who are you nominating?", scope="doctors")
    role = forms.ModelChoiceField(queryset=PostType.objects.none(), label="For which kind of role?")
    reason = forms.CharField(
        widget=forms.Textarea, max_length=3000, label="What have you seen that makes them a future leader?"
    )

    def __init__(self, *args: Any, trust: Any, exclude: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominee"].queryset = colleagues(trust.pk, exclude)  # type: ignore[attr-defined]
        self.fields["role"].queryset = management_roles()  # type: ignore[attr-defined]


class SuccessorForm(forms.Form):
    person = PersonField(queryset=Person.objects.none(), label="Successor")
    readiness = forms.ChoiceField(choices=Readiness.choices, label="Readiness")
    notes = forms.CharField(widget=forms.Textarea, required=False, max_length=2000, label="Notes")

    def __init__(self, *args: Any, trust: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = colleagues(trust.pk)  # type: ignore[attr-defined]


class ReviewForm(forms.Form):
    person = PersonField(queryset=Person.objects.none(), label="Person reviewed")
    reviewed_on = forms.DateField(label="Date of the review", widget=DATE)
    reviewers = BoundedModelMultipleChoiceField(
        queryset=Person.objects.none(), label="Reviewers", help_text="Hold Ctrl (or Cmd) to choose several."
    )
    role = forms.ModelChoiceField(queryset=PostType.objects.none(), label="Next role")
    readiness = forms.ChoiceField(choices=Readiness.choices, label="Readiness for it")
    notes = forms.CharField(
        widget=forms.Textarea,
        max_length=5000,
        label="Notes",
        help_text="Confidential: seen by the reviewers and the medical director only.",
    )

    def __init__(self, *args: Any, trust: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = colleagues(trust.pk)  # type: ignore[attr-defined]
        self.fields["reviewers"].queryset = (  # type: ignore[attr-defined]
            colleagues(trust.pk).filter(holdings__end__isnull=True).distinct()
        )
        self.fields["role"].queryset = management_roles()  # type: ignore[attr-defined]


class SuccessorChangeForm(forms.Form):
    """A new readiness for one of this post's named successors (a successor of another post is not a choice)."""

    successor = forms.ModelChoiceField(queryset=Successor.objects.none(), widget=forms.HiddenInput)
    readiness = forms.ChoiceField(choices=Readiness.choices, label="Readiness")

    def __init__(self, *args: Any, post: Post, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = Successor.objects.filter(post=post)  # type: ignore[attr-defined]


class SuccessorRemoveForm(forms.Form):
    successor = forms.ModelChoiceField(queryset=Successor.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args: Any, post: Post, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = Successor.objects.filter(post=post)  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------------ the regional talent pool


class PoolJoinForm(forms.Form):
    share_career = forms.BooleanField(
        label="Also share the target role and aspirations of my career plan",
        required=False,
        help_text="So that medical directors can see what you are aiming for. Change it or leave the pool at any time.",
    )


class PoolQuery(QueryForm):
    """The talent pool's filters (``?specialty=&grade=&role=&trust=&page=``); a value that is not offered shows the
    whole pool, as no filter does."""

    specialty = forms.ChoiceField(label="Specialty", required=False, choices=[])
    grade = forms.ChoiceField(label="Grade", required=False, choices=[("", "Any grade"), *Grade.choices])
    role = forms.ModelChoiceField(
        label="Target role",
        required=False,
        queryset=PostType.objects.none(),
        to_field_name="code",
        empty_label="Any target role",
    )
    trust = forms.ModelChoiceField(
        label="Trust", required=False, queryset=Trust.objects.none(), to_field_name="code", empty_label="Any trust"
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000, initial=1)

    def __init__(self, *args: Any, specialties: list[str], trusts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["specialty"].choices = [("", "Any specialty"), *((s, s) for s in specialties)]  # type: ignore[attr-defined]
        self.fields["role"].queryset = management_roles()  # type: ignore[attr-defined]
        self.fields["trust"].queryset = trusts  # type: ignore[attr-defined]
