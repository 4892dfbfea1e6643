from __future__ import annotations

from typing import Any

from django import forms

from medlead.core.fields import NHSDateInput, PersonField
from medlead.core.query import QueryForm, id_field
from medlead.organisation.models import GMC_NUMBER_VALIDATOR, Division, Person, Specialty, Trust
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


# ------------------------------------------------------------------------------------ secondments (issue 34)


class SecondmentForm(forms.Form):
    """A secondment into one of this (the host) trust's posts, the doctor named by GMC number and home trust."""

    home_trust = forms.ModelChoiceField(
        queryset=Trust.objects.none(), label="The doctor's home trust", empty_label="Choose their trust"
    )
    gmc_number = forms.CharField(
        label="The doctor's GMC number",
        max_length=7,
        validators=[GMC_NUMBER_VALIDATOR],
        help_text="7 digits. The home trust finds the doctor by it when it agrees.",
    )
    host_post = forms.ModelChoiceField(queryset=Post.objects.none(), label="The post here", empty_label="Choose a post")
    starts_on = forms.DateField(label="The secondment starts on", widget=NHSDateInput())
    ends_on = forms.DateField(label="It ends on", widget=NHSDateInput())

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the trusts of this trust's region (a national installation's every trust would be hundreds of choices)
        region = Trust.objects.filter(region_id=trust.region_id) if trust.region_id else Trust.objects.none()
        self.fields["home_trust"].queryset = region.exclude(pk=trust.pk).order_by("name")  # type: ignore[attr-defined]
        self.fields["host_post"].queryset = Post.objects.filter(trust=trust).order_by("title")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The secondment must end on or after the day it starts.")
        return data


class SecondmentDecisionForm(forms.Form):
    """The home trust's answer: agree (naming the substantive post kept at home, if any) or decline."""

    decision = forms.ChoiceField(
        choices=[("agree", "Agree the secondment"), ("decline", "Decline it")],
        widget=forms.RadioSelect,
        label="Your answer",
    )
    home_holding = forms.ModelChoiceField(
        queryset=Holding.objects.none(),
        required=False,
        label="The post they keep here while seconded",
        empty_label="None: they hold no post in our structure",
        help_text="It stays theirs, shown as seconded until the secondment ends, so it is not counted vacant.",
    )

    def __init__(self, *args: Any, holdings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["home_holding"]
        field.queryset = holdings  # type: ignore[attr-defined]
        field.label_from_instance = lambda h: h.post.title  # type: ignore[attr-defined]
