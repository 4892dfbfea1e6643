"""The board's view: metrics over time (judged by SPC, ``core/spc.py``), the medical director's board report kept
as a version per meeting, meetings with their papers, decisions and the action log that chases them, and the
register of external bodies the medical director deals with.

None of this is a confidential record: figures about concerns reach it only as counts (``concerns.selectors``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from medlead.organisation.models import Committee, Person, TrustOwned


class Direction(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"
    NEUTRAL = "neutral", "Neither higher nor lower is better"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    WEEKLY = "weekly", "Weekly"


class MetricOrigin(models.TextChoices):
    COMPUTED = "computed", "Computed from medlead's records"
    IMPORTED = "imported", "Imported or entered by the trust"


class Metric(TrustOwned):
    audit_safe = (
        "code",
        "name",
        "owner",
        "direction",
        "frequency",
        "unit",
        "target",
        "section",
        "origin",
        "source",
        "active",
    )

    def audit_label(self) -> str:
        return self.name

    code = models.SlugField(max_length=60, help_text="A short name for imports, for example shmi or incidents.")
    name = models.CharField(max_length=200)
    definition = models.TextField(help_text="What is counted or measured, and how.")
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.NEUTRAL)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.MONTHLY)
    unit = models.CharField(max_length=20, blank=True, help_text="For example %, days or reports.")
    target = models.FloatField(null=True, blank=True)
    section = models.CharField(max_length=30, help_text="The board report section it belongs to.")
    origin = models.CharField(max_length=10, choices=MetricOrigin.choices, default=MetricOrigin.IMPORTED)
    source = models.CharField(max_length=200, blank=True, help_text="Where the data comes from.")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["section", "name"]
        constraints = [models.UniqueConstraint(fields=["trust", "code"], name="one_metric_code_per_trust")]

    def __str__(self) -> str:
        return self.name


class MetricValue(TrustOwned):
    audit_safe = ("metric", "period", "value")

    def audit_label(self) -> str:
        # a board metric's value is not confidential
        return f"{self.metric.name} for {self.period:%d %B %Y}"

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="values")
    period = models.DateField(help_text="The first day of the month or week the value is for.")
    value = models.FloatField()

    class Meta:
        ordering = ["metric", "period"]
        constraints = [models.UniqueConstraint(fields=["metric", "period"], name="one_value_per_metric_period")]

    def __str__(self) -> str:
        return f"{self.metric} for {self.period:%d %B %Y}"


class MetricRebase(TrustOwned):
    """A known change to the process: the limits are computed afresh from this date."""

    audit_safe = ("metric", "on")

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="rebases")
    on = models.DateField("from")
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["metric", "on"]
        constraints = [models.UniqueConstraint(fields=["metric", "on"], name="one_rebase_per_metric_date")]

    def __str__(self) -> str:
        return f"{self.metric}: limits recalculated from {self.on:%d %B %Y}"


class Body(models.TextChoices):
    TRUST_BOARD = "trust_board", "Trust board"
    MANAGEMENT_BOARD = "management_board", "Management board"
    COMMITTEE = "committee", "Committee"


class Meeting(TrustOwned):
    audit_safe = ("body", "committee", "on", "title")

    body = models.CharField(max_length=20, choices=Body.choices, default=Body.TRUST_BOARD)
    committee = models.ForeignKey(Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    on = models.DateField("date")
    title = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-on", "-id"]

    def clean(self) -> None:
        if self.body == Body.COMMITTEE and self.committee_id is None:
            raise ValidationError({"committee": "Choose the committee that meets."})
        if self.body != Body.COMMITTEE:
            self.committee = None

    @property
    def body_name(self) -> str:
        return self.committee.name if self.committee_id and self.committee else self.get_body_display()

    def __str__(self) -> str:
        return f"{self.body_name}, {self.on:%d %B %Y}"


class Paper(TrustOwned):
    audit_safe = ("meeting", "title", "presented_by")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    title = models.CharField(max_length=200)
    presented_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return self.title


class Decision(TrustOwned):
    audit_safe = ("meeting",)

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField("the decision")

    class Meta:
        ordering = ["meeting", "id"]

    def __str__(self) -> str:
        return f"Decision {self.pk} of {self.meeting}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class Action(TrustOwned):
    """An action from a meeting (or a decision), owned by one person with a due date; the action log chases it."""

    audit_safe = ("meeting", "decision", "owner", "due", "metric", "status", "closed_on", "reminded_on")

    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    decision = models.ForeignKey(Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    title = models.CharField("what is to be done", max_length=300)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    due = models.DateField("due by")
    metric = models.ForeignKey(
        Metric,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        help_text="The metric this action should move, if any.",
    )
    status = models.CharField(max_length=8, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    progress = models.TextField("latest progress", blank=True)
    closed_on = models.DateField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True, help_text="When the owner was last reminded.")

    class Meta:
        ordering = ["due", "id"]

    def is_overdue(self, today: object) -> bool:
        return self.status == ActionStatus.OPEN and self.due < today  # type: ignore[operator]

    def __str__(self) -> str:
        return self.title


class ActionNote(TrustOwned):
    """One update on an action's progress, kept: a new update is a new note, never text added to the last one
    (issue 31). The action's ``progress`` is the latest note's text, for the log and the board report."""

    audit_safe = ("action", "by", "on")

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField("progress")
    by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    on = models.DateField()

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"Progress on action {self.action_id}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ISSUED = "issued", "Issued to the board"


class BoardReport(TrustOwned):
    """The medical director's report to one meeting. A draft shows today's figures; issuing it freezes the figures
    and narratives (``snapshot``), so the board can later see exactly what it was shown. A change after issue is a
    new version."""

    audit_safe = ("meeting", "version", "status", "issued_on", "issued_by")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="reports")
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=8, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    narratives = models.JSONField(default=dict, blank=True, help_text="Each section's written narrative.")
    snapshot = models.JSONField(default=dict, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    issued_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-meeting__on", "-version"]
        constraints = [models.UniqueConstraint(fields=["meeting", "version"], name="one_report_version_per_meeting")]

    @property
    def issued(self) -> bool:
        return self.status == ReportStatus.ISSUED

    def __str__(self) -> str:
        return f"Medical director's report to the {self.meeting}, version {self.version}"


class BodyKind(models.TextChoices):
    ICB = "icb", "Integrated care board"
    ROYAL_COLLEGE = "royal_college", "Royal college"
    WORKFORCE = "workforce", "NHS England workforce, training and education (the deanery)"
    CQC = "cqc", "Care Quality Commission"
    GMC = "gmc", "General Medical Council"
    UNIVERSITY = "university", "University"
    MEDIA = "media", "Media"
    CHARITY = "charity", "Charity"
    OTHER = "other", "Other"


class ExternalBody(TrustOwned):
    audit_safe = ("name", "kind")

    def audit_label(self) -> str:
        return self.name

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=BodyKind.choices)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "external bodies"
        constraints = [models.UniqueConstraint(fields=["trust", "name"], name="one_external_body_name_per_trust")]

    def __str__(self) -> str:
        return self.name


class Contact(TrustOwned):
    audit_safe = ("body", "name", "role")

    body = models.ForeignKey(ExternalBody, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["body", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.body}"


class Engagement(TrustOwned):
    audit_safe = ("body", "on", "by", "follow_up")

    body = models.ForeignKey(ExternalBody, on_delete=models.CASCADE, related_name="engagements")
    on = models.DateField("date")
    summary = models.TextField("what was discussed or agreed")
    by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="who took part"
    )
    follow_up = models.DateField("follow up by", null=True, blank=True)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.body}, {self.on:%d %B %Y}"
