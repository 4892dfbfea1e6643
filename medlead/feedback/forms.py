"""Every value posted or asked of the feedback pages goes through one of these forms before anything is looked up."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.text import slugify

from medlead.core.fields import NHSDateInput, PersonField
from medlead.feedback import selectors
from medlead.feedback.models import (
    CODE_ALPHABET,
    CODE_LENGTH,
    AnswerType,
    ColleagueRole,
    Exercise,
    PatientCard,
    Question,
    Questionnaire,
    QuestionnaireKind,
)
from medlead.feedback.questionnaires import in_force
from medlead.feedback.services import MOST_CARDS, Invitee
from medlead.organisation.models import Person, Trust

NOT_APPLICABLE = "na"
COMMENT_LIMIT = 5000
QUESTIONS_LIMIT = 60  # questions in a trust's own questionnaire


class StartForm(forms.Form):
    facilitator = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Who will run your exercise?",
        help_text="One of the trust's appraisers or feedback administrators. They collect and collate the answers: "
        "you never see who answered or any single answer.",
        error_messages={
            "required": "Choose who will run your exercise.",
            "invalid_choice": "Choose who will run your exercise from the list.",
        },
    )
    closes_on = forms.DateField(label="Close date", widget=NHSDateInput(what="the close date"))
    colleague_questionnaire = forms.ModelChoiceField(
        queryset=Questionnaire.objects.none(),
        label="Colleague questionnaire",
        empty_label=None,
        error_messages={"invalid_choice": "Choose a colleague questionnaire from the list."},
    )
    patient_questionnaire = forms.ModelChoiceField(
        queryset=Questionnaire.objects.none(),
        label="Patient questionnaire",
        required=False,
        empty_label="No patient questionnaire",
        error_messages={"invalid_choice": "Choose a patient questionnaire from the list."},
    )
    no_patient_reason = forms.CharField(
        label="If there is no patient questionnaire, why not?",
        help_text="For example: I see no patients in my work. Agree another source of feedback with your appraiser.",
        required=False,
        max_length=300,
    )

    def __init__(self, *args: Any, trust: Trust, doctor: Person, day: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = selectors.facilitators(trust=trust, doctor=doctor)  # type: ignore[attr-defined]
        self.fields["colleague_questionnaire"].queryset = in_force(trust, QuestionnaireKind.COLLEAGUE, day)  # type: ignore[attr-defined]
        self.fields["patient_questionnaire"].queryset = in_force(trust, QuestionnaireKind.PATIENT, day)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        no_reason = not (data.get("no_patient_reason") or "").strip()
        if not data.get("patient_questionnaire") and no_reason and "patient_questionnaire" not in self.errors:
            self.add_error(
                "no_patient_reason",
                "Say why there is no patient questionnaire (for example, you see no patients).",
            )
        return data


class InviteForm(forms.Form):
    """One colleague: chosen with the person picker (any staff), or by name and email address."""

    person = PersonField(
        queryset=Person.objects.none(),
        label="Colleague at the trust",
        required=False,
        help_text="Type a name, GMC number or staff number. Anyone you work with, not only doctors.",
    )
    name = forms.CharField(label="Or their name", required=False, max_length=200)
    email = forms.EmailField(label="and their email address", required=False, max_length=254)
    role = forms.ChoiceField(
        label="Their role",
        choices=ColleagueRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their role.", "invalid_choice": "Choose their role from the list."},
    )

    def __init__(self, *args: Any, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(trust=trust, active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person, name, email = data.get("person"), data.get("name", ""), data.get("email", "")
        if person is None and not (name and email) and "person" not in self.errors and "email" not in self.errors:
            raise forms.ValidationError("Choose a colleague with the picker, or give their name and email address.")
        if person is not None and not person.email and not email:
            self.add_error("email", f"{person.display_name} has no email address on record: give one.")
        return data

    def invitee(self) -> Invitee:
        data = self.cleaned_data
        person = data.get("person")
        if person is not None:
            return Invitee(person.full_name, data.get("email") or person.email, data["role"], person)
        return Invitee(data["name"].strip(), data["email"], data["role"])


class CardsForm(forms.Form):
    count = forms.IntegerField(
        label="How many patient cards?",
        help_text=f"Each card has its own code that one patient can use once. Up to {MOST_CARDS} at a time.",
        min_value=1,
        max_value=MOST_CARDS,
        widget=forms.NumberInput,
    )


def _normal_code(text: str) -> str:
    return re.sub(r"[\s-]", "", text).upper()


class CodeForm(forms.Form):
    """The code on a patient's card, as typed (spaces, hyphens and small letters allowed)."""

    code = forms.CharField(
        label="The code on your card",
        help_text=f"{CODE_LENGTH} letters and numbers, for example ABCD 2345.",
        max_length=40,
        error_messages={"required": "Type the code on your card."},
    )

    def clean_code(self) -> str:
        code = _normal_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
            raise forms.ValidationError(USE_ONCE_MESSAGE)
        return code


# The one answer to a code that cannot be used (unknown, used, closed or mistyped), so codes cannot be probed.
USE_ONCE_MESSAGE = (
    "This code cannot be used. Check you have typed it as it is on your card. Each card can be used once, and only "
    "while the doctor is collecting feedback."
)


class AnswersForm(forms.Form):
    """A questionnaire's questions: each a point on its scale or "does not apply", none required; the free-text
    question as the comment; for colleagues, their role."""

    def __init__(self, *args: Any, questionnaire: Questionnaire, colleague: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions: list[Question] = list(questionnaire.questions.all())
        if colleague:
            self.fields["role"] = forms.ChoiceField(
                label="Your role",
                choices=ColleagueRole.choices,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose your role.", "invalid_choice": "Choose your role from the list."},
            )
        choices = [(str(n), label) for n, label in enumerate(questionnaire.scale, start=1)]
        if questionnaire.not_applicable:
            choices.append((NOT_APPLICABLE, questionnaire.not_applicable))
        for q in self.questions:
            if q.answer_type == AnswerType.TEXT:
                self.fields["comment"] = forms.CharField(
                    label=q.text, required=False, max_length=COMMENT_LIMIT, widget=forms.Textarea
                )
            else:
                self.fields[f"q{q.pk}"] = forms.ChoiceField(
                    label=q.text,
                    choices=choices,
                    required=q.required,
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": f"'{q.text}': choose one of the answers."},
                )

    def values(self) -> dict[int, int | None]:
        """Answers given, by question id: a point on the scale, or None for "does not apply"; unanswered left out."""
        out: dict[int, int | None] = {}
        for q in self.questions:
            chosen = self.cleaned_data.get(f"q{q.pk}")
            if chosen:
                out[q.pk] = None if chosen == NOT_APPLICABLE else int(chosen)
        return out


class PaperForm(AnswersForm):
    """A paper or large-print response entered by the facilitator; a patient's against an unused card, if any."""

    def __init__(self, *args: Any, exercise: Exercise, kind: str, **kwargs: Any) -> None:
        questionnaire = (
            exercise.colleague_questionnaire if kind == QuestionnaireKind.COLLEAGUE else exercise.patient_questionnaire
        )
        assert questionnaire is not None
        super().__init__(*args, questionnaire=questionnaire, colleague=kind == QuestionnaireKind.COLLEAGUE, **kwargs)
        if kind == QuestionnaireKind.PATIENT:
            self.fields["card"] = forms.ModelChoiceField(
                queryset=PatientCard.objects.filter(exercise=exercise, used_at__isnull=True, printed_at__isnull=False),
                to_field_name="code",
                required=False,
                label="The code on the card, if the paper response came with one",
                widget=forms.TextInput,
                error_messages={"invalid_choice": "That is not an unused card of this exercise."},
            )

    def clean_card(self) -> Any:
        return self.cleaned_data.get("card")

    def full_clean(self) -> None:
        if self.is_bound and "card" in self.fields and isinstance(self.data.get("card"), str):
            data = self.data.copy()  # type: ignore[attr-defined]
            data["card"] = _normal_code(data["card"])[: CODE_LENGTH * 2]
            self.data = data
        super().full_clean()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class QuestionnaireForm(forms.Form):
    """A trust's own validated questionnaire, as a new version the trust's doctors may then choose: its questions
    (one a line, each answered on the scale), the scale, the source that validated it and the recommended number of
    responses."""

    kind = forms.ChoiceField(
        label="Who answers it?",
        choices=QuestionnaireKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who answers it.", "invalid_choice": "Choose who answers it."},
    )
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="As doctors will see it when they choose a questionnaire. The same name again makes a new version.",
        error_messages={"required": "Give the questionnaire's name."},
    )
    source = forms.CharField(
        label="Where it was validated",
        max_length=500,
        help_text="The title of the study or body that validated it, as doctors and appraisers will see it.",
        error_messages={"required": "Say where the questionnaire was validated."},
    )
    applies_from = forms.DateField(label="Doctors may use it from", widget=NHSDateInput(what="the date it applies"))
    recommended_responses = forms.IntegerField(
        label="Recommended number of responses",
        help_text="From the source. Doctors see it as recommended, not required.",
        min_value=1,
        max_value=200,
        widget=forms.NumberInput,
        error_messages={"required": "Give the recommended number of responses."},
    )
    scale = forms.CharField(
        label="The answers on the scale, one a line, from the lowest to the highest",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=1000,
        error_messages={"required": "Give the answers on the scale."},
    )
    not_applicable = forms.CharField(
        label='The "does not apply" answer, if it has one',
        required=False,
        max_length=100,
    )
    questions = forms.CharField(
        label="The questions, one a line",
        help_text="Each is answered on the scale. A question for free-text comments is added at the end.",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=QUESTIONS_LIMIT * 400,
        error_messages={"required": "Give the questions."},
    )
    introduction = forms.CharField(
        label="What the people answering read first (optional)",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        if not slugify(name):
            raise forms.ValidationError("Give the questionnaire a name with letters or numbers in it.")
        return name

    def clean_scale(self) -> list[str]:
        labels = _lines(self.cleaned_data["scale"])
        if not 2 <= len(labels) <= 10:
            raise forms.ValidationError("Give from 2 to 10 answers on the scale, one a line.")
        if any(len(label) > 100 for label in labels):
            raise forms.ValidationError("Keep each answer on the scale under 100 characters.")
        if len({label.lower() for label in labels}) != len(labels):
            raise forms.ValidationError("Each answer on the scale must be different.")
        return labels

    def clean_questions(self) -> list[str]:
        texts = _lines(self.cleaned_data["questions"])
        if not 1 <= len(texts) <= QUESTIONS_LIMIT:
            raise forms.ValidationError(f"Give from 1 to {QUESTIONS_LIMIT} questions, one a line.")
        if any(len(text) > 400 for text in texts):
            raise forms.ValidationError("Keep each question under 400 characters.")
        return texts
