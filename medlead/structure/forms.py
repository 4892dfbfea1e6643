from __future__ import annotations

from typing import Any

from django import forms

from medlead.core.fields import NHSDateInput, PersonField
from medlead.core.query import QueryForm, id_field
from medlead.organisation.models import Division, Person, Specialty, Trust
from medlead.structure.models import Holding, Post, PostType


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = [
            "title",
            "code",
            "post_type",
            "division",
            "specialty",
            "pas_allocated",
            "pas_required",
            "has_job_description",
            "reports_to",
        ]

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.trust = trust
        self.fields["post_type"].queryset = PostType.objects.all()  # type: ignore[attr-defined]
        self.fields["division"].queryset = Division.objects.filter(trust=trust)  # type: ignore[attr-defined]
        self.fields["specialty"].queryset = Specialty.objects.filter(trust=trust)  # type: ignore[attr-defined]
        reports = Post.objects.filter(trust=trust)
        if self.instance.pk:
            reports = reports.exclude(pk=self.instance.pk)
        self.fields["reports_to"].queryset = reports  # type: ignore[attr-defined]


class HoldingForm(forms.ModelForm):
    person = PersonField(queryset=Person.objects.none(), label="Person")

    class Meta:
        model = Holding
        fields = ["person", "start", "end", "interim"]
        widgets = {"start": NHSDateInput(), "end": NHSDateInput()}
        labels = {"interim": "Interim holder"}

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(trust=trust, active=True)  # type: ignore[attr-defined]


class EndHoldingForm(forms.Form):
    end = forms.DateField(label="Last day in post", widget=NHSDateInput())


class PortfolioAssignForm(forms.Form):
    post = forms.ModelChoiceField(
        queryset=Post.objects.none(), required=False, label="Held by post", empty_label="Nobody (unheld)"
    )

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = Post.objects.filter(trust=trust).order_by("title")  # type: ignore[attr-defined]


class PostsQuery(QueryForm):
    """The list of posts' filters: a division, a type of post, only the vacant ones."""

    division = id_field()
    type = forms.ModelChoiceField(queryset=PostType.objects.all(), to_field_name="code", required=False)
    vacant = forms.ChoiceField(choices=[("1", "Only vacant posts")], required=False)


class ChartQuery(QueryForm):
    division = id_field()
