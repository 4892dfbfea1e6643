"""Colleague and patient feedback for revalidation (GMC, "Collecting colleague and patient feedback for
revalidation"): a doctor's feedback exercise, run by a facilitator who is not the doctor.

Confidentiality (ADR 0027):
- The doctor sees whom they invited and the live counts, never who answered and never a single answer.
- A ``Response`` is not linked to the ``Invitation`` or ``PatientCard`` it came through: the invitation and the card
  only record that they were used, so not even the database joins an answer to a person. A response keeps the day
  it came in, never the time.
- Patients give no identity and need no account. Each printed card carries its own single-use code; the code lets
  a patient answer once and read nothing.
- Figures are built under the anonymity rules in ``medlead.feedback.report`` (pure); comments are shown only after
  the facilitator has read them for identifying content (``comment_state``), and then in the facilitator's wording.
"""

from __future__ import annotations

import secrets

from django.db import models

from medlead.core import dates
from medlead.core.audit import Restricted
from medlead.core.policy import Perm
from medlead.organisation.models import Person, Trust, TrustOwned

# Patient card codes: unambiguous capitals and digits (no 0/O, 1/I/L), typed by a patient from a printed card.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_card_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class QuestionnaireKind(models.TextChoices):
    COLLEAGUE = "colleague", "Colleague questionnaire"
    PATIENT = "patient", "Patient questionnaire"


class Questionnaire(models.Model):
    """A questionnaire version: national (``trust`` empty, loaded from data/feedback/) or a trust's own validated
    questionnaire. Reference data: its text is not confidential."""

    audit_safe = ("trust", "kind", "code", "version", "name", "applies_from")

    def audit_label(self) -> str:
        return f"{self.name} (version {self.version})"

    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.CASCADE, related_name="feedback_questionnaires"
    )
    kind = models.CharField(max_length=10, choices=QuestionnaireKind.choices)
    code = models.SlugField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    name = models.CharField(max_length=200)
    source = models.TextField(help_text="The primary source's title (shown to users).")
    applies_from = models.DateField()
    verified = models.BooleanField(default=False)
    scale = models.JSONField(help_text="Answer labels from the lowest to the highest (value 1 upwards).")
    not_applicable = models.CharField(
        max_length=100, blank=True, help_text='The label of the "does not apply" answer, if the questionnaire has one.'
    )
    recommended_responses = models.PositiveSmallIntegerField(
        help_text="Recommended (not required) number of responses, from the source."
    )
    introduction = models.TextField(blank=True)

    class Meta:
        ordering = ["kind", "name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "code", "version"], name="unique_feedback_questionnaire")
        ]

    def __str__(self) -> str:
        return self.name


class AnswerType(models.TextChoices):
    SCALE = "scale", "A point on the questionnaire's scale"
    TEXT = "text", "Free text"


class Question(models.Model):
    audit_safe = ("questionnaire", "code", "position", "domain", "answer_type")

    def audit_label(self) -> str:
        return self.code

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=60)
    text = models.CharField(max_length=400)
    # a Good Medical Practice 2024 domain code (data/good_medical_practice.yaml), or blank
    domain = models.CharField(max_length=60, blank=True)
    answer_type = models.CharField(max_length=10, choices=AnswerType.choices, default=AnswerType.SCALE)
    required = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="unique_feedback_question")]

    def __str__(self) -> str:
        return self.text


class FeedbackAdministrator(TrustOwned):
    """Someone the trust names to run doctors' feedback exercises (besides its appraisers)."""

    audit_safe = ("person", "active")

    def audit_label(self) -> str:
        return f"Feedback administrator: {self.person.display_name}"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trust", "person"], name="one_feedback_administrator")]

    def __str__(self) -> str:
        return str(self.person)


class ExerciseStatus(models.TextChoices):
    OPEN = "open", "Collecting feedback"
    CLOSED = "closed", "Closed: the facilitator is preparing the report"
    RELEASED = "released", "Report released to the doctor"


class Exercise(TrustOwned):
    audit_safe = (
        "doctor",
        "facilitator",
        "colleague_questionnaire",
        "patient_questionnaire",
        "opens_on",
        "closes_on",
        "status",
        "closed_at",
        "released_at",
        "reflected_at",
        "supporting_info",
        "patient_supporting_info",
    )
    audit_restricted = Restricted(Perm.VIEW_FEEDBACK_REPORT)

    doctor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="feedback_exercises")
    facilitator = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="facilitated_feedback_exercises"
    )
    colleague_questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="+")
    patient_questionnaire = models.ForeignKey(
        Questionnaire,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when the doctor sees no patients (the appraiser agrees another source of feedback).",
    )
    no_patient_reason = models.CharField(
        max_length=300, blank=True, help_text="Why there is no patient questionnaire, in the doctor's words."
    )
    opens_on = models.DateField(default=dates.today)
    closes_on = models.DateField()
    status = models.CharField(max_length=10, choices=ExerciseStatus.choices, default=ExerciseStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # the doctor's reflection on the report, which becomes supporting information in their next appraisal
    reflection = models.TextField(blank=True)
    reflected_at = models.DateTimeField(null=True, blank=True)
    supporting_info = models.ForeignKey(
        "revalidation.SupportingInfo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # issue 33, the report's side: ``supporting_info`` is the colleague feedback item; this one the patient feedback
    # item of the same reflection (an appraisal counts each kind on its own)
    patient_supporting_info = models.ForeignKey(
        "revalidation.SupportingInfo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_on", "-id"]
        indexes = [models.Index(fields=["trust", "doctor", "status"])]

    def __str__(self) -> str:
        return f"Feedback exercise for {self.doctor} ({self.opens_on:%b %Y})"


class ColleagueRole(models.TextChoices):
    DOCTOR = "doctor", "Doctor"
    NURSE = "nurse", "Nurse or midwife"
    ALLIED = "allied", "Other clinical colleague (allied health professional, pharmacist, scientist)"
    MANAGER = "manager", "Manager or administrator"
    OTHER = "other", "Other colleague"


class Invitation(models.Model):
    """A colleague the doctor asked for feedback. Name and address are seen by the doctor (whom they asked, and
    whether the invitation went) and the facilitator; whether this colleague answered is never shown to the doctor.
    ``used_at`` only stops a second answer: no response points back here."""

    audit_safe = ("exercise", "role", "invited_at", "reminded_at", "send_failed")
    audit_restricted = Restricted(Perm.MANAGE_FEEDBACK_EXERCISE)

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=ColleagueRole.choices)
    nonce = models.CharField(max_length=64, default=secrets.token_urlsafe, editable=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    send_failed = models.BooleanField(default=False)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exercise", "email"], name="one_feedback_invitation_per_email")]

    def __str__(self) -> str:
        return f"Invitation {self.pk} ({self.get_role_display()})"


class PatientCard(models.Model):
    """One printed card: its own code (and QR code) lets one patient answer once, and read nothing."""

    audit_safe = ("exercise", "printed_at", "used_at")
    audit_restricted = Restricted(Perm.MANAGE_FEEDBACK_EXERCISE)

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="cards")
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_card_code, editable=False)
    printed_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Patient card {self.pk}"


class Channel(models.TextChoices):
    ONLINE = "online", "Online"
    PAPER = "paper", "Paper or large print, entered by staff"


class CommentState(models.TextChoices):
    NONE = "none", "No comment"
    AWAITING = "awaiting", "Awaiting the facilitator's reading"
    RELEASED = "released", "Released"
    WITHHELD = "withheld", "Withheld by the facilitator"


class Response(models.Model):
    """One colleague's or patient's answers. Not linked to any invitation or card (see the module's docstring)."""

    audit_safe = ("exercise", "kind", "channel", "received_on")
    audit_restricted = Restricted(Perm.MANAGE_FEEDBACK_EXERCISE)

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="responses")
    kind = models.CharField(max_length=10, choices=QuestionnaireKind.choices)
    role = models.CharField(max_length=10, choices=ColleagueRole.choices, blank=True, help_text="Colleagues only.")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    received_on = models.DateField(default=dates.today)
    comment = models.TextField(blank=True)
    comment_state = models.CharField(max_length=10, choices=CommentState.choices, default=CommentState.NONE)
    released_comment = models.TextField(blank=True, help_text="The comment as the facilitator released it.")

    class Meta:
        indexes = [models.Index(fields=["exercise", "kind"])]

    def __str__(self) -> str:
        return f"Response {self.pk}"


class Answer(models.Model):
    audit_safe = ("response", "question")
    audit_restricted = Restricted(Perm.MANAGE_FEEDBACK_EXERCISE)

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(null=True, blank=True, help_text='Empty: "does not apply" or skipped.')
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_feedback_answer")]

    def __str__(self) -> str:
        return f"Answer {self.pk}"


class ExerciseScore(models.Model):
    """Stored at release for the trust's comparisons (doctors of the same grade and specialty): one question's
    mean over the exercise's answers, only where the anonymity threshold was met."""

    audit_safe = ("exercise", "question", "respondents")
    audit_restricted = Restricted(Perm.VIEW_FEEDBACK_REPORT)

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="scores")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    mean = models.FloatField()
    respondents = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exercise", "question"], name="one_feedback_score")]

    def __str__(self) -> str:
        return f"Score {self.pk}"
