"""Every value posted to, or asked of, the information transfer pages goes through one of these forms before anything
is looked up: the doctor and the trusts are ``ModelChoiceField``s over what the responsible officer may choose."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet

from medlead.core.fields import NHSDateInput, PersonField
from medlead.core.params import MAX_ID, is_digits
from medlead.organisation.models import Person, StaffKind, Trust
from medlead.organisation.selectors import LinkedRecord, same_doctor_elsewhere
from medlead.transfers import content
from medlead.transfers.content import FormVersion, Section

ANSWER_LIMIT = 5000
NOTE_LIMIT = 2000


def doctors(trust: Trust, actor_person_id: int | None) -> QuerySet[Person]:
    """The trust's active doctors with a GMC number a responsible officer may ask about: never themselves."""
    qs = Person.objects.filter(trust=trust, active=True, kind=StaffKind.DOCTOR).exclude(gmc_number="")
    return qs.exclude(pk=actor_person_id) if actor_person_id is not None else qs


class DoctorQuery(forms.Form):
    """Which doctor has joined (the first step of a request, asked in the address)."""

    doctor = PersonField(
        label="Which doctor has joined your trust?",
        scope="doctors",
        help_text="Type their name, GMC number or staff number.",
        error_messages={"required": "Type the doctor's name, GMC number or staff number."},
    )

    def __init__(self, *args: Any, trust: Trust, actor_person_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["doctor"].queryset = doctors(trust, actor_person_id)  # type: ignore[attr-defined]


TRUST_TEXT_MAX = 200


class PreviousTrustField(forms.ModelChoiceField):
    """Another trust of the installation, by what a responsible officer knows of it: its ODS code or its name (one
    trust matching every word typed), never from a list of every trust (a national installation has hundreds). An
    id is taken too, as the check of the answers posts it back; the box shows the trust's code."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, Trust):
            return value
        text = " ".join(str(value).split())
        if len(text) > TRUST_TEXT_MAX:
            raise forms.ValidationError(
                f"That is too long for a trust's name or ODS code (at most {TRUST_TEXT_MAX} characters).",
                code="invalid_choice",
            )
        qs = self.queryset
        assert qs is not None
        found = None
        if is_digits(text) and int(text) <= MAX_ID:
            found = qs.filter(pk=int(text)).first()
        found = found or qs.filter(code=text.upper()).first()
        if found is not None:
            return found
        matches = qs
        for word in text.split():
            matches = matches.filter(name__icontains=word)
        candidates = list(matches.order_by("name")[:6])
        if len(candidates) == 1:
            return candidates[0]
        if not candidates:
            raise forms.ValidationError(
                f"No other trust on medlead matches '{text}'. Type its ODS code or its name.", code="invalid_choice"
            )
        shown = "; ".join(f"{t.name} ({t.code})" for t in candidates[:5])
        raise forms.ValidationError(
            f"More than one trust matches '{text}': {shown}. Type the ODS code of the one you mean.",
            code="invalid_choice",
        )

    def prepare_value(self, value: Any) -> Any:
        """The box shows a trust's code, also when the check of the answers posted back its id."""
        if isinstance(value, Trust):
            return value.code
        if isinstance(value, int) or (isinstance(value, str) and is_digits(value) and int(value) <= MAX_ID):
            found = self.queryset.filter(pk=int(value)).first() if self.queryset is not None else None
            return found.code if found is not None else value
        return value


class RequestForm(forms.Form):
    doctor = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose the doctor again: the page lost who it was.",
            "invalid_choice": "Choose the doctor again: that is not one of your trust's doctors you may ask about.",
        },
    )
    previous_trust = PreviousTrustField(
        queryset=Trust.objects.none(),
        label="Their previous designated body",
        help_text="The trust the doctor was connected to before they joined you: type its ODS code or its name.",
        error_messages={"required": "Type the ODS code or name of the doctor's previous designated body."},
    )
    joined_on = forms.DateField(
        label="The day they joined your trust",
        help_text="When their prescribed connection moved to you. For example, 1 9 2026",
        widget=NHSDateInput(what="the day they joined"),
    )
    note = forms.CharField(
        label="A note to the previous responsible officer (optional)",
        help_text="For example, their post with you. Do not write what you are asking them to tell you.",
        widget=forms.Textarea,
        required=False,
        max_length=NOTE_LIMIT,
    )

    def __init__(self, *args: Any, trust: Trust, actor_person_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.chosen: Person | None = None  # the doctor, once known
        self.linked: list[LinkedRecord] = []
        self.fields["doctor"].queryset = doctors(trust, actor_person_id)  # type: ignore[attr-defined]
        self.fields["previous_trust"].queryset = Trust.objects.exclude(pk=trust.pk)  # type: ignore[attr-defined]

    def about(self, doctor: Person | None) -> RequestForm:
        """Once the doctor is known: the trusts holding a record with their GMC number (one query), and the one they
        have left (if only one) typed in to start with."""
        self.chosen = doctor
        self.linked = same_doctor_elsewhere(doctor) if doctor is not None else []
        left = [link.trust_id for link in self.linked if not link.active]
        if not self.is_bound and len(left) == 1:
            self.initial["previous_trust"] = left[0]
        return self


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea, max_length=NOTE_LIMIT)

    def __init__(self, *args: Any, label: str, help_text: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text
        self.fields["reason"].error_messages["required"] = "Give the reason."


YES_NO = [(content.YES, "Yes"), (content.NO, "No")]
# Dates that have passed by the time a transfer is completed (the doctor has already joined the trust that asks).
PAST_DATES = frozenset({content.CONNECTED_FROM, content.CONNECTED_UNTIL, "last_appraisal_on"})


class TransferForm(forms.Form):
    """The national form's questions (``content.FormVersion``), each a field; a draft may leave any unanswered."""

    def __init__(self, *args: Any, version: FormVersion, today: dt.date, draft: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version, self.today, self.draft = version, today, draft
        for q in version.questions:
            required = q.required and not draft
            if q.kind == "date":
                self.fields[q.code] = forms.DateField(
                    label=q.label, help_text=q.hint, required=required, widget=NHSDateInput()
                )
            elif q.kind == "text":
                self.fields[q.code] = forms.CharField(
                    label=q.label, help_text=q.hint, required=required, widget=forms.Textarea, max_length=ANSWER_LIMIT
                )
            elif q.kind == "yes_no":
                self.fields[q.code] = forms.ChoiceField(
                    label=q.label,
                    help_text=q.hint,
                    required=required,
                    choices=YES_NO,
                    widget=forms.RadioSelect,
                    error_messages={"required": "Answer yes or no.", "invalid_choice": "Answer yes or no."},
                )
                self.fields[q.details_code] = forms.CharField(
                    label=q.details or "Give the details",
                    help_text="Only if you answered yes.",
                    required=False,
                    widget=forms.Textarea,
                    max_length=ANSWER_LIMIT,
                )
            else:  # confirm
                self.fields[q.code] = forms.BooleanField(
                    label=q.label,
                    required=required,
                    error_messages={"required": "Confirm the declaration before you send it."},
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for q in self.version.questions:
            yes = q.kind == "yes_no" and data.get(q.code) == content.YES
            if yes and not self.draft and not (data.get(q.details_code) or "").strip():
                self.add_error(q.details_code, "You answered yes: give the details.")
            if q.code in PAST_DATES and data.get(q.code) and data[q.code] > self.today:
                self.add_error(q.code, "Give a date that is not in the future.")
        start, end = data.get(content.CONNECTED_FROM), data.get(content.CONNECTED_UNTIL)
        if start and end and end < start:
            self.add_error(content.CONNECTED_UNTIL, "The connection must end on or after the day it began.")
        return data

    def sections(self) -> list[tuple[Section, list[forms.BoundField]]]:
        """Each section of the form with its fields, in order (a yes or no question followed by its details)."""
        out = []
        for section in self.version.sections:
            names: list[str] = []
            for q in section.questions:
                names.append(q.code)
                if q.kind == "yes_no":
                    names.append(q.details_code)
            out.append((section, [self[name] for name in names]))
        return out
