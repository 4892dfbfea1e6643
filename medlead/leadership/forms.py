from __future__ import annotations

from typing import Any

from django import forms

from medlead.core.fields import BoundedModelMultipleChoiceField, NHSDateInput, PersonField
from medlead.core.imports import ImportOptions
from medlead.core.params import is_digits
from medlead.leadership.models import FeedbackCycle, Framework, FrameworkItem, Rater, RaterGroup
from medlead.organisation.models import Person, Trust
from medlead.structure.models import PostType

DATE = NHSDateInput()


class StartAssessmentForm(forms.Form):
    framework: forms.ModelChoiceField = forms.ModelChoiceField(queryset=Framework.objects.none(), label="Framework")
    target_role = forms.ChoiceField(
        label="Target role",
        required=False,
        help_text="See the gap between your ratings and the level the role expects.",
    )

    def __init__(self, *args: Any, frameworks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]
        self.fields["target_role"].choices = [("", "None"), *PostType.objects.values_list("code", "name")]  # type: ignore[attr-defined]


class OpenCycleForm(forms.Form):
    framework: forms.ModelChoiceField = forms.ModelChoiceField(queryset=Framework.objects.none(), label="Framework")
    closes_on = forms.DateField(label="Closing date", widget=DATE)
    facilitator = PersonField(
        queryset=Person.objects.none(),
        required=False,
        label="Facilitator (coach or appraiser) who debriefs you",
        help_text="They approve your raters and see your report. Type a name or GMC number.",
        scope="doctors",
    )

    def __init__(self, *args: Any, frameworks: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]
        self.fields["facilitator"].queryset = Person.objects.filter(trust=trust, kind="doctor", grade="consultant")  # type: ignore[attr-defined]


NOMINEE_GROUPS = [(v, label) for v, label in RaterGroup.choices if v != RaterGroup.SELF]


class FrameworkImportOptions(ImportOptions):
    """What a framework's import asks besides the file (``leadership.import_kinds``): its name, code and scale."""

    name = forms.CharField(max_length=200)
    code = forms.SlugField(max_length=60)
    scale = forms.CharField(help_text="Levels from lowest to highest, separated by commas.")

    def params(self) -> dict[str, Any]:
        return super().params() | {
            "name": self.cleaned_data["name"],
            "code": self.cleaned_data["code"],
            "scale": [s.strip() for s in self.cleaned_data["scale"].split(",") if s.strip()],
        }


def _level(value: str) -> int | None:
    return int(value) if is_digits(value) else None


class AssessmentForm(forms.Form):
    """A self-assessment's ratings: for each item of the framework ``level-<item>`` (1 to the top of its scale, or
    empty), ``evidence-<item>``, ``links-<item>`` and ``file-<item>``. ``submit`` (the button) submits it;
    ``confirm_partial=yes`` confirms submitting with items unrated."""

    confirm_partial = forms.ChoiceField(choices=[("", "No"), ("yes", "Yes")], required=False)

    def __init__(self, *args: Any, items: list[FrameworkItem], scale: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        levels = [(str(n), label) for n, label in enumerate(scale, start=1)]
        for item in items:
            self.fields[f"level-{item.pk}"] = forms.TypedChoiceField(
                choices=[("", "Not rated"), *levels],
                coerce=int,
                empty_value=None,
                required=False,
                label=item.text,
                error_messages={"invalid_choice": f"'{item.text}': choose a level from 1 to {len(scale)}."},
            )
            self.fields[f"evidence-{item.pk}"] = forms.CharField(
                required=False, max_length=10000, strip=False, label=f"Evidence for '{item.text}'"
            )
            self.fields[f"links-{item.pk}"] = forms.CharField(
                required=False, max_length=5000, strip=False, label=f"Links for '{item.text}'"
            )
            self.fields[f"file-{item.pk}"] = forms.FileField(required=False, label=f"File for '{item.text}'")

    @property
    def submitting(self) -> bool:
        """The Submit button was pressed (it sends its name only), not Save draft."""
        return "submit" in self.data

    def ratings(self) -> dict[int, dict[str, Any]]:
        d = self.cleaned_data
        return {
            i.pk: {
                "level": d[f"level-{i.pk}"],
                "evidence": d[f"evidence-{i.pk}"],
                "links": d[f"links-{i.pk}"],
                "file": d[f"file-{i.pk}"],
            }
            for i in self.items
        }


class NominateForm(forms.Form):
    """Up to ``ROWS`` raters nominated at once, each ``group-<n>``, ``name-<n>`` and ``email-<n>``. The service checks
    each nominee (an email address, not the subject, not already nominated) and names the row it refuses."""

    ROWS = 8

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(self.ROWS):
            row = f"Nominee {n + 1}"
            self.fields[f"group-{n}"] = forms.ChoiceField(
                choices=[("", "Choose a group"), *NOMINEE_GROUPS],
                required=False,
                error_messages={"invalid_choice": f"{row}: choose a rater group."},
            )
            self.fields[f"name-{n}"] = forms.CharField(
                required=False, max_length=200, error_messages={"max_length": f"{row}: the name is too long."}
            )
            self.fields[f"email-{n}"] = forms.CharField(
                required=False, max_length=254, error_messages={"max_length": f"{row}: the address is too long."}
            )

    def _filled(self) -> list[tuple[int, tuple[str, str, str]]]:
        d = self.cleaned_data
        rows = [(n + 1, (d[f"group-{n}"], d[f"name-{n}"], d[f"email-{n}"])) for n in range(self.ROWS)]
        return [(row, nominee) for row, nominee in rows if nominee[1] or nominee[2]]

    def nominees(self) -> list[tuple[str, str, str]]:
        """The rows filled in: (group, name, email)."""
        return [nominee for _, nominee in self._filled()]

    def rows(self) -> list[int]:
        """The number of the form's row (from 1) each nominee was typed in, so that a refusal names the row."""
        return [row for row, _ in self._filled()]

    def messages(self) -> list[str]:
        return [str(m) for errors in self.errors.values() for m in errors]


class ApproveForm(forms.Form):
    """The approver's decision on each pending nomination (``decision-<rater>``: approve, decline or later), and the
    unknown addresses they confirm (``confirm``, raters of this cycle)."""

    confirm = BoundedModelMultipleChoiceField(queryset=Rater.objects.none(), required=False)

    def __init__(self, *args: Any, cycle: FeedbackCycle, pending: list[Rater], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending = pending
        # any rater of the cycle: one decided by someone else a moment ago is ignored, not an error
        self.fields["confirm"].queryset = cycle.raters.all()  # type: ignore[attr-defined]
        for r in pending:
            self.fields[f"decision-{r.pk}"] = forms.ChoiceField(
                choices=[("", "Decide later"), ("approve", "Approve"), ("decline", "Decline")], required=False
            )

    def decided(self, decision: str) -> list[int]:
        return [r.pk for r in self.pending if self.cleaned_data[f"decision-{r.pk}"] == decision]


class CloseCycleForm(forms.Form):
    """The check page's confirmation that the cycle should close now (issue 31)."""

    confirm = forms.ChoiceField(choices=[("yes", "Yes")])


class RateForm(forms.Form):
    """A rater's answers: for each item ``b-<item>`` (1 to the top of the scale, or ``n``, not observed) and
    ``i-<item>`` (importance 1 to 4), and a comment. ``submit`` (the button) submits."""

    comment = forms.CharField(required=False, max_length=5000, strip=False)

    def __init__(self, *args: Any, items: list[FrameworkItem], scale: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        levels = [(str(n), label) for n, label in enumerate(scale, start=1)]
        importance = [(str(n), str(n)) for n in range(1, 5)]
        for item in items:
            self.fields[f"b-{item.pk}"] = forms.TypedChoiceField(
                choices=[("", ""), ("n", "Not observed"), *levels],
                coerce=_level,
                empty_value=None,
                required=False,
                error_messages={"invalid_choice": f"'{item.text}': choose a rating from the scale."},
            )
            self.fields[f"i-{item.pk}"] = forms.TypedChoiceField(
                choices=[("", ""), *importance],
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={"invalid_choice": f"'{item.text}': choose how important it is."},
            )

    @property
    def submitting(self) -> bool:
        return "submit" in self.data

    def answers(self) -> dict[int, tuple[int | None, int | None]]:
        d = self.cleaned_data
        return {i.pk: (d[f"b-{i.pk}"], d[f"i-{i.pk}"]) for i in self.items}

    def messages(self) -> list[str]:
        return [str(m) for errors in self.errors.values() for m in errors]


class TrustViewQueryForm(forms.Form):
    """``?framework=<code>``: the framework shown across the trust; one that is not offered shows the default."""

    framework = forms.ModelChoiceField(queryset=Framework.objects.none(), to_field_name="code", required=False)

    def __init__(self, *args: Any, frameworks: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]
