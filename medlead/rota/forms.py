from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms

from medlead.core import dates
from medlead.core.fields import MoneyField, NHSDateInput, PersonField
from medlead.core.imports import ImportOptions
from medlead.core.params import MAX_ID, YEARS, is_digits
from medlead.organisation.models import TRAINEE_GRADES, Grade, Person, Specialty, Trust
from medlead.rota.engine.timeutil import skipped, skipped_reason
from medlead.rota.generation import templates
from medlead.rota.models import (
    IN_FORCE,
    RULE_SET_CHOICES,
    AbsenceReason,
    DutyKind,
    ExceptionReport,
    GuardianQuarter,
    Outcome,
    ReportKind,
    Rota,
    RotaMember,
)

DATE = NHSDateInput()
TIME = forms.TimeInput(attrs={"type": "time"})


class RotaImportOptions(ImportOptions):
    """What a rota's import asks besides the file (``rota.import_kinds``): the rota's name, its rules and specialty."""

    name = forms.CharField(max_length=200, label="Rota name")
    rule_set = forms.ChoiceField(
        label="Rules",
        choices=RULE_SET_CHOICES,
        initial=IN_FORCE,
        required=False,
        help_text="Usually the rules in force on the rota's first day; choose a set only to check against other rules.",
    )
    specialty = forms.ModelChoiceField(queryset=Specialty.objects.none(), required=False)

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, trust=trust, **kwargs)
        self.fields["specialty"].queryset = Specialty.objects.filter(trust=trust)  # type: ignore[attr-defined]

    def params(self) -> dict[str, Any]:
        specialty = self.cleaned_data["specialty"]
        return super().params() | {
            "name": self.cleaned_data["name"],
            "rule_set": self.cleaned_data["rule_set"],
            "specialty_id": specialty.pk if specialty else None,
        }


class MemberForm(forms.Form):
    person = PersonField(queryset=Person.objects.none(), label="Resident doctor", scope="trainees")
    opted_out = forms.BooleanField(required=False, label="Opted out of the working time regulations' 48-hour limit")

    def __init__(self, *args: Any, rota: Rota, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(trust_id=rota.trust_id, grade__in=TRAINEE_GRADES, active=True).exclude(
                rota_memberships__rota=rota
            )
        )


class DutyForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), label="Doctor")
    day = forms.DateField(label="Date", widget=DATE)
    start = forms.TimeField(label="Start time", widget=TIME)
    end = forms.TimeField(label="End time", widget=TIME, help_text="An end at or before the start is on the next day.")
    kind = forms.ChoiceField(choices=DutyKind.choices, initial=DutyKind.SHIFT)

    def __init__(self, *args: Any, rota: Rota, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = RotaMember.objects.filter(rota=rota).values_list("person_id", flat=True)
        self.fields["person"].queryset = Person.objects.filter(pk__in=members)  # type: ignore[attr-defined]

    def clean_day(self) -> dt.date | None:
        return _in_years(self.cleaned_data.get("day"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if all(data.get(name) is not None for name in ("day", "start", "end")):
            for name, value in zip(("start", "end"), self.times(), strict=True):
                if skipped(value):
                    self.add_error(name, f"{skipped_reason(value)}.")
        return data

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        day, start, end = self.cleaned_data["day"], self.cleaned_data["start"], self.cleaned_data["end"]
        begins = dt.datetime.combine(day, start)
        ends = dt.datetime.combine(day if end > start else day + dt.timedelta(days=1), end)
        return begins, ends


class ExceptionReportForm(forms.ModelForm):
    class Meta:
        model = ExceptionReport
        fields = [
            "supervisor",
            "rota",
            "occurred_on",
            "kind",
            "extra_minutes",
            "description",
            "preferred",
            "share_with_supervisor",
        ]
        widgets = {"occurred_on": DATE}
        field_classes = {"supervisor": PersonField}
        help_texts = {
            "supervisor": "Needed for events before 4 February 2026, when your supervisor agreed the outcome.",
            "preferred": "For extra hours from 4 February 2026: your choice stands unless safe working hours were "
            "breached, when time off is mandated.",
            "share_with_supervisor": "From 4 February 2026 your report is not shared with your supervisor unless "
            "you say so.",
        }

    def __init__(self, *args: Any, doctor: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.doctor = doctor
        self.instance.trust_id = doctor.trust_id
        # Not yet routed: the service routes it by the rules in force on the event's date (``services.classify``),
        # and only a report its supervisor agrees needs one named (under version 13 a placed doctor, new to the
        # host, need not name any).
        self.instance.route = ""
        self.fields["supervisor"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(trust_id=doctor.trust_id, grade=Grade.CONSULTANT, active=True).exclude(pk=doctor.pk)
        )
        self.fields["rota"].queryset = Rota.objects.filter(members__person=doctor)  # type: ignore[attr-defined]
        self.fields["rota"].required = False
        self.fields["supervisor"].required = False

    def clean_occurred_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["occurred_on"]
        if day > dates.today():
            raise forms.ValidationError("The date of the event cannot be in the future.")
        return day


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices)
    toil_hours = forms.DecimalField(
        label="Hours of time off in lieu", required=False, min_value=0, max_digits=5, decimal_places=2
    )
    toil_by = forms.DateField(
        label="Time off to be taken by", required=False, widget=DATE, help_text="Within 4 weeks of the event."
    )
    outcome_note = forms.CharField(label="Note to the doctor", required=False, widget=forms.Textarea)
    safe_hours_breach = forms.BooleanField(
        label="Safe working hours were breached: time off in lieu is mandated", required=False
    )
    hours_verified_by = forms.ChoiceField(
        label="How the additional hours were confirmed",
        required=False,
        widget=forms.RadioSelect,
        help_text="Needed before agreeing payment or time off for additional hours.",
    )

    def __init__(self, *args: Any, tiers: dict[str, str], toil_rule: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if toil_rule:  # the report's own date to take the time off by, or the way on once it has passed
            self.fields["toil_by"].help_text = toil_rule
        if tiers:
            self.fields["hours_verified_by"].choices = list(tiers.items())  # type: ignore[attr-defined]
        else:
            del self.fields["hours_verified_by"]


class FineForm(forms.Form):
    fine_category = forms.ChoiceField(label="Breach that attracts a fine", required=False)
    fine_hours = forms.DecimalField(
        label="Hours of the breach",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=6,
        decimal_places=2,
        help_text="For a breach of hours or rest: the hours worked beyond the limit.",
    )
    fine_hourly_rate = MoneyField(
        label="The doctor's basic hourly rate (£)",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        help_text="The fine is computed from it at the penalty rate, and split between the doctor and the guardian.",
    )
    fine_amount = MoneyField(
        label="Amount of the fine (£)",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        help_text="Only for a failure to give access to exception reporting, or an information breach.",
    )
    fine_note = forms.CharField(label="Note", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, categories: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fine_category"].choices = [("", "No fine"), *categories.items()]  # type: ignore[attr-defined]


class GuardianQuarterForm(forms.ModelForm):
    class Meta:
        model = GuardianQuarter
        fields = [
            "doctors_starting",
            "access_late",
            "detriment_survey_responses",
            "detriment_reported",
            "information_breaches",
            "narrative",
        ]


# ------------------------------------------------------------------------------------------- rota generation


# How long a rota coordinator may let medlead search, in words; the plan keeps it in seconds (RosterPlan.time_limit).
SEARCH_TIMES = {
    30: "30 seconds",
    60: "1 minute",
    120: "2 minutes",
    300: "5 minutes",
    600: "10 minutes",
    1800: "30 minutes",
    3600: "1 hour",
}


def search_time_words(seconds: int) -> str:
    """A plan's search time as a coordinator says it: "5 minutes", "45 seconds"."""
    if seconds in SEARCH_TIMES:
        return SEARCH_TIMES[seconds]
    minutes, rest = divmod(seconds, 60)
    if minutes and not rest:
        return f"{minutes} minutes"
    return f"{seconds} seconds"


class PlanForm(forms.Form):
    starts_on = forms.DateField(label="First day (a Monday)", widget=NHSDateInput())
    weeks = forms.IntegerField(label="Weeks", min_value=1, max_value=26, initial=8)
    template = forms.ChoiceField(label="Shift pattern")
    # the choices' values are seconds, as the plan keeps them; the coordinator sees minutes
    time_limit = forms.TypedChoiceField(
        label="How long to search for a better rota",
        coerce=int,
        initial=60,
        widget=forms.RadioSelect,
        help_text="medlead finds a rota that keeps the rules, then goes on looking for a better one (every shift "
        "covered, more of the doctors' requests met) until this time is up, and keeps the best it found. You can "
        "stop it sooner.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = [(c, t["name"]) for c, t in templates().items()]  # type: ignore[attr-defined]
        times = dict(SEARCH_TIMES)
        kept = self.initial.get("time_limit")
        if isinstance(kept, int) and kept not in times:  # a plan saved with another time keeps it on offer
            times[kept] = search_time_words(kept)
        self.fields["time_limit"].choices = sorted(times.items())  # type: ignore[attr-defined]


def _members(rota: Any) -> Any:
    return Person.objects.filter(rota_memberships__rota=rota).order_by("last_name", "first_name")


class AbsenceForm(forms.Form):
    person = forms.ModelChoiceField(label="Doctor", queryset=Person.objects.none())
    starts_on = forms.DateField(label="From", widget=NHSDateInput())
    ends_on = forms.DateField(label="To (inclusive)", widget=NHSDateInput())
    reason = forms.ChoiceField(label="Reason", choices=AbsenceReason.choices)

    def __init__(self, *args: Any, rota: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _members(rota)  # type: ignore[attr-defined]


class RequestForm(forms.Form):
    person = forms.ModelChoiceField(label="Doctor", queryset=Person.objects.none())
    on = forms.DateField(label="Date", widget=NHSDateInput())
    wants = forms.ChoiceField(label="The doctor asks", choices=[("off", "Not to work"), ("work", "To work")])
    shift = forms.ChoiceField(label="Shift", required=False)
    weight = forms.IntegerField(label="How much it matters (1 to 10)", min_value=1, max_value=10, initial=3)

    def __init__(self, *args: Any, rota: Any, shifts: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _members(rota)  # type: ignore[attr-defined]
        choices = [("", "The whole day"), *[(s["code"], s["name"]) for s in shifts]]
        self.fields["shift"].choices = choices  # type: ignore[attr-defined]


class AgainForm(forms.Form):
    locked_weeks = forms.IntegerField(
        label="Keep the first weeks as they are",
        min_value=0,
        max_value=25,
        initial=2,
        help_text="For example the weeks already published. The rest changes as little as it can.",
    )


class ShiftNeedsForm(forms.Form):
    needed = forms.CharField(
        label="Doctors needed, Monday to Sunday",
        max_length=60,
        help_text="Seven whole numbers separated by commas, for example 2, 2, 2, 2, 2, 0, 0.",
    )
    grades = forms.MultipleChoiceField(
        label="Grades that may work it",
        required=False,
        choices=[(g.value, g.label) for g in Grade if g in TRAINEE_GRADES or g == Grade.LOCALLY_EMPLOYED],
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: any doctor on the rota.",
    )

    def clean_needed(self) -> list[int]:
        parts = [p.strip() for p in self.cleaned_data["needed"].split(",")]
        if len(parts) != 7 or not all(is_digits(p) for p in parts):
            raise forms.ValidationError("Give seven whole numbers separated by commas, Monday to Sunday.")
        return [int(p) for p in parts]


class GenerateForm(forms.Form):
    """Generate the rota, or stop generating it: a button with nothing to fill in. The form is there so that the
    post is checked like every other."""


# ------------------------------------------------------------------------------------------- the address's values


def _in_years(day: dt.date | None) -> dt.date | None:
    if day is not None and not YEARS[0] <= day.year <= YEARS[1]:
        raise forms.ValidationError("Choose a date between 2000 and 2100.")
    return day


class WeekQuery(forms.Form):
    """The week a rota's grid shows: any day in it."""

    week = forms.DateField(label="Week", required=False)

    def clean_week(self) -> dt.date | None:
        return _in_years(self.cleaned_data["week"])


class DayQuery(forms.Form):
    """The day a new duty is on, from the grid's link."""

    day = forms.DateField(label="Day", required=False)

    def clean_day(self) -> dt.date | None:
        return _in_years(self.cleaned_data["day"])


class ReportListQuery(forms.Form):
    """The exception reports listed: all, those waiting for the reader, or (for those who see all) every report
    waiting for an outcome; and the page of them."""

    waiting = forms.ChoiceField(
        label="Which reports",
        required=False,
        choices=[("", "All"), ("me", "Waiting for me"), ("outcome", "Waiting for an outcome")],
    )
    page = forms.IntegerField(label="Page", required=False, min_value=1, max_value=MAX_ID)


class ReportPrefillQuery(forms.Form):
    """What a link to a new exception report fills in (My rota's "Report extra hours" on a past shift): the date,
    the rota (one of the doctor's own) and the kind of report."""

    occurred_on = forms.DateField(label="Date of the event", required=False)
    rota = forms.ModelChoiceField(label="Rota", queryset=Rota.objects.none(), required=False)
    kind = forms.ChoiceField(label="Kind of report", choices=[("", ""), *ReportKind.choices], required=False)

    def __init__(self, *args: Any, doctor: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rota"].queryset = Rota.objects.filter(  # type: ignore[attr-defined]
            trust_id=doctor.trust_id, members__person=doctor
        )

    def clean_occurred_on(self) -> dt.date | None:
        return _in_years(self.cleaned_data["occurred_on"])


class QuarterQuery(forms.Form):
    """The quarter of the guardian's report, written as the page's links write it: 2026-Q3."""

    quarter = forms.RegexField(label="Quarter", regex=r"^\d{4}-Q[1-4]$", required=False)

    def clean_quarter(self) -> tuple[int, int] | None:
        text = self.cleaned_data["quarter"]
        if not text:
            return None
        year, _, quarter = text.partition("-Q")
        if not YEARS[0] <= int(year) <= YEARS[1]:
            raise forms.ValidationError("Choose a quarter between 2000 and 2100.")
        return int(year), int(quarter)
