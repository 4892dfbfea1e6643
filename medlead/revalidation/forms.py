from __future__ import annotations

from typing import Any

from django import forms

from medlead.core.fields import NHSDateInput, PersonField
from medlead.core.query import QueryForm, YearQuery
from medlead.leadership.models import FeedbackCycle
from medlead.organisation.models import Person, Trust
from medlead.revalidation.models import Connection, RecommendationKind
from medlead.revalidation.selectors import config, si_names

DATE = NHSDateInput()


class RecommendForm(forms.Form):
    kind = forms.ChoiceField(label="Recommendation", choices=RecommendationKind.choices, widget=forms.RadioSelect)
    evidence = forms.CharField(label="What the recommendation rests on", widget=forms.Textarea)
    defer_to = forms.DateField(label="New submission date (deferrals)", required=False, widget=DATE)
    defer_reason = forms.ChoiceField(label="Reason for deferring", required=False)
    defer_criteria = forms.MultipleChoiceField(
        label="Deferral: every condition must be confirmed", required=False, widget=forms.CheckboxSelectMultiple
    )
    criteria = forms.MultipleChoiceField(
        label="Non-engagement: every condition must be confirmed", required=False, widget=forms.CheckboxSelectMultiple
    )
    acknowledged = forms.BooleanField(label="I have weighed the warnings shown", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cfg = config()
        reasons = [("", "Choose a reason"), *((r["code"], r["name"]) for r in cfg["defer"]["reasons"])]
        self.fields["defer_reason"].choices = reasons  # type: ignore[attr-defined]
        self.fields["criteria"].choices = [(c["code"], c["text"]) for c in cfg["non_engagement_criteria"]]  # type: ignore[attr-defined]
        self.fields["defer_criteria"].choices = [(c["code"], c["text"]) for c in cfg["deferral_criteria"]]  # type: ignore[attr-defined]

    def chosen_criteria(self) -> list[str]:
        """The conditions confirmed for the chosen kind of recommendation."""
        data = self.cleaned_data
        return (
            list(data.get("defer_criteria") or []) if data.get("kind") == "defer" else list(data.get("criteria") or [])
        )


class GmcSubmittedForm(forms.Form):
    """The day the responsible officer submitted a recommendation on GMC Connect."""

    submitted_on = forms.DateField(label="Date you submitted it on GMC Connect", widget=DATE)


class AllocateForm(forms.Form):
    """Allocate an appraiser to a doctor: both chosen from this trust's people, so an id from elsewhere (or not a
    number) is simply not a choice."""

    doctor = forms.ModelChoiceField(queryset=Person.objects.none(), widget=forms.HiddenInput)
    appraiser = forms.ModelChoiceField(queryset=Person.objects.none(), widget=forms.HiddenInput)
    year = forms.IntegerField(label="Appraisal year (starting 1 April)", min_value=2000, max_value=2100)
    extension_reason = forms.CharField(max_length=500, required=False, label="Reason to keep this appraiser")

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(trust=trust)
        self.fields["doctor"].queryset = people  # type: ignore[attr-defined]
        self.fields["appraiser"].queryset = people  # type: ignore[attr-defined]


class DoctorQuery(QueryForm):
    """The doctor the appraisers page suggests appraisers for: a connected doctor without an appraisal this year,
    chosen with the person picker (a name, GMC number or staff number; or the id a link carries)."""

    doctor = PersonField(
        queryset=Person.objects.none(),
        label="Doctor without an appraiser this year",
        required=False,
        scope="doctors",
    )

    def __init__(self, *args: Any, trust: Trust, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        connected = Connection.objects.filter(trust=trust, disconnected_on__isnull=True).values("person_id")
        self.fields["doctor"].queryset = Person.objects.filter(  # type: ignore[attr-defined]
            trust=trust, pk__in=connected
        ).exclude(appraisals__year=year)


class MissedDecisionForm(forms.Form):
    """The responsible officer's decision on a missed or incomplete appraisal."""

    approved = forms.ChoiceField(
        label="Do you approve the missed appraisal?",
        choices=[("yes", "Approved"), ("no", "Not approved")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the missed appraisal is approved.",
            "invalid_choice": "Choose whether the missed appraisal is approved.",
        },
    )

    def approves(self) -> bool:
        """The answer as the record keeps it (a valid form only)."""
        return bool(self.cleaned_data["approved"] == "yes")


class ReportQuery(YearQuery):
    """The appraisal year of the responsible officer's report."""


Domains = tuple[tuple[str, str], ...]  # (code, name) of Good medical practice's domains, when organised by them


def _by_domain(
    form: forms.Form, prefix: str, label: str, domains: Domains, stored: dict[str, str], after: str = ""
) -> None:
    """A text box for each domain (``<prefix><code>``) holding what was stored, after the field ``after`` (first
    when none)."""
    added = {
        f"{prefix}{code}": forms.CharField(
            label=f"{label}: {name}", widget=forms.Textarea, required=False, initial=stored.get(code, "")
        )
        for code, name in domains
    }
    names = list(form.fields)
    at = names.index(after) + 1 if after else 0
    order = [*names[:at], *added, *names[at:]]
    merged = {**form.fields, **added}
    form.fields = {name: merged[name] for name in order}


def _collected(cleaned: dict[str, Any], prefix: str, into: str, domains: Domains) -> dict[str, Any]:
    """The per-domain boxes gathered into one mapping of domain code to text, as the service takes them."""
    if domains:
        cleaned[into] = {code: cleaned.pop(f"{prefix}{code}", "") for code, _ in domains}
    return cleaned


class InputsForm(forms.Form):
    scope_of_work = forms.CharField(label="Scope of work, across all your roles", widget=forms.Textarea, required=False)
    previous_pdp_review = forms.CharField(label="Review of your previous PDP", widget=forms.Textarea, required=False)
    achievements = forms.CharField(
        label="Achievements, challenges and aspirations", widget=forms.Textarea, required=False
    )
    colleague_feedback = forms.ModelChoiceField(
        queryset=FeedbackCycle.objects.none(), required=False, label="Attach a completed 360 as colleague feedback"
    )
    probity_declared = forms.BooleanField(label="I make the probity statement", required=False)
    health_declared = forms.BooleanField(label="I make the health statement", required=False)

    def __init__(
        self,
        *args: Any,
        person_id: int,
        domains: Domains = (),
        reflections: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["colleague_feedback"].queryset = FeedbackCycle.objects.filter(  # type: ignore[attr-defined]
            subject_id=person_id, status="closed"
        )
        self.domains = domains
        _by_domain(
            self,
            "reflection_",
            "Your practice against Good medical practice",
            domains,
            reflections or {},
            "achievements",
        )

    def clean(self) -> dict[str, Any]:
        return _collected(super().clean() or {}, "reflection_", "domain_reflections", self.domains)


class OutputsForm(forms.Form):
    summary = forms.CharField(label="Summary of the discussion", widget=forms.Textarea, required=False)
    new_pdp = forms.CharField(label="New personal development plan", widget=forms.Textarea, required=False)
    statements_confirmed = forms.BooleanField(label="I confirm the appraiser's statements", required=False)
    sign_off = forms.BooleanField(label="Sign off this appraisal", required=False)

    def __init__(
        self, *args: Any, domains: Domains = (), summaries: dict[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.domains = domains
        if domains:
            self.fields["summary"].label = "Anything else from the discussion"
        _by_domain(self, "summary_", "Summary of the discussion", domains, summaries or {})

    def clean(self) -> dict[str, Any]:
        return _collected(super().clean() or {}, "summary_", "domain_summaries", self.domains)


class SupportingInfoForm(forms.Form):
    kind = forms.ChoiceField(label="Type")
    title = forms.CharField(max_length=200)
    date = forms.DateField(required=False, widget=DATE)
    reflection = forms.CharField(widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, domains: Domains = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = list(si_names().items())  # type: ignore[attr-defined]
        if domains:
            self.fields["domain"] = forms.ChoiceField(
                label="Good medical practice domain",
                choices=[("", "The usual domain for its type"), *domains],
                required=False,
                error_messages={"invalid_choice": "Choose one of the four domains."},
            )


class SupportingInfoDomainForm(forms.Form):
    """The doctor files a piece of supporting information under another domain."""

    item = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    domain = forms.ChoiceField(
        label="Domain",
        error_messages={"required": "Choose a domain.", "invalid_choice": "Choose one of the four domains."},
    )

    def __init__(self, *args: Any, domains: Domains, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = list(domains)  # type: ignore[attr-defined]


class StatusForm(forms.Form):
    """Book the meeting, record a missed appraisal or reopen one: the moves the policy offers this user."""

    status = forms.ChoiceField(label="Change to")
    meeting_date = forms.DateField(required=False, widget=DATE)
    missed_reason = forms.CharField(required=False, label="Reason (missed or incomplete)")

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices  # type: ignore[attr-defined]
