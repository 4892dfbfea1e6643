"""Every PDF medlead makes is fit for a board pack (issue 31): rendered for the demo trust and read back as text,
none shows an HTML entity ("Medical director&#39;s report"), the demo's two-paragraph narrative keeps its
paragraphs and its line break, and each names the trust, the person, the period and who signed."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from medlead.accounts.models import User
from medlead.core.dates import today
from medlead.development.models import DevelopmentPlan, ReadinessShare
from medlead.feedback.models import Exercise
from medlead.governance.models import BoardReport
from medlead.jobplans.models import JobPlan
from medlead.leadership.models import FeedbackCycle
from medlead.revalidation.models import Appraisal
from medlead.transfers.models import InformationTransfer
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

TRUST = "Northbridge Hospitals NHS Foundation Trust"
ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z]+);", re.IGNORECASE)


def pdf_names() -> set[str]:
    """The name of every view whose address ends in /pdf/ (the architecture's rule for a PDF)."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and str(p.pattern).endswith("pdf/"):
                names.add(f"{namespace}{p.name}")

    walk(get_resolver().url_patterns, "")
    return names


def user(username: str) -> User:
    return User.objects.get(username=username)


def documents() -> dict[str, tuple[User, str, list[str]]]:
    """Each PDF view: who asks for it, its address in the demo trust, and what it must say beyond the trust (the
    person, the period and who signed, each as the demo holds it)."""
    t = "DEM001"
    issued = BoardReport.objects.filter(meeting__trust__code=t, issued_on__isnull=False).select_related("meeting")
    report = issued.get()
    plan = JobPlan.objects.filter(trust__code=t, person__user__username="doctor").order_by("-year").first()
    pdp = DevelopmentPlan.objects.get(trust__code=t, person__user__username="cd")
    share = ReadinessShare.objects.get(trust__code=t, person__user__username="cd", shared_with__user__username="md")
    cycle = (
        FeedbackCycle.objects.filter(trust__code=t, closed_at__isnull=False, subject__user__isnull=False)
        .select_related("subject__user")
        .first()
    )
    exercise = Exercise.objects.get(trust__code=t, doctor__user__username="doctor", status="open")
    unused = exercise.cards.filter(used_at__isnull=True).values_list("code", flat=True)
    released = Exercise.objects.get(trust__code=t, doctor__user__username="cd", status="released")
    appraisal = Appraisal.objects.filter(trust__code=t, person__user__username="doctor").order_by("-year").first()
    transfer = InformationTransfer.objects.select_related("doctor", "previous_trust").get(trust__code=t, status="sent")
    assert plan and cycle and appraisal
    year = today().year
    md, cd, doctor = (user(n).person for n in ("md", "cd", "doctor"))
    assert md and cd and doctor
    return {
        "governance:report_pdf": (
            user("md"),
            reverse("governance:report_pdf", kwargs={"trust_code": t, "pk": report.pk}),
            ["Medical director's report", "Period", "Agreement and sign-off", md.display_name],
        ),
        "revalidation:report_pdf": (
            user("ro"),
            reverse("revalidation:report_pdf", kwargs={"trust_code": t}),
            ["Responsible officer's annual report", "1 April", "Agreement and sign-off", "Responsible officer"],
        ),
        "rota:guardian_report_pdf": (
            user("guardian"),
            reverse("rota:guardian_report_pdf", kwargs={"trust_code": t}),
            ["Guardian of safe working hours", "Period", "Agreement and sign-off"],
        ),
        "fitproper:return_pdf": (
            user("cosec"),
            reverse("fitproper:return_pdf", kwargs={"trust_code": t, "year": year}),
            ["annual return", f"Period {year}", "Agreement and sign-off", "Chair"],
        ),
        "jobplans:pdf": (
            user("doctor"),
            reverse("jobplans:pdf", kwargs={"trust_code": t, "pk": plan.pk}),
            [doctor.display_name, f"1 April {plan.year}", "Agreement and sign-off", "Clinical director"],
        ),
        "development:plan_pdf": (
            user("cd"),
            reverse("development:plan_pdf", kwargs={"trust_code": t, "pk": pdp.pk}),
            [cd.display_name, "Period", "Agreement and sign-off", "Agreed by"],
        ),
        "development:readiness_pdf": (
            user("cd"),
            reverse("development:readiness_pdf", kwargs={"trust_code": t}),
            [cd.display_name, "Period As at", "Agreement and sign-off"],
        ),
        "development:readiness_shared_pdf": (
            user("md"),
            reverse("development:readiness_shared_pdf", kwargs={"trust_code": t, "pk": share.pk}),
            [cd.display_name, "Period As at", "Agreement and sign-off", f"Shared with {md.display_name}"],
        ),
        "revalidation:appraisal_pdf": (
            user("doctor"),
            reverse("revalidation:appraisal_pdf", kwargs={"trust_code": t, "pk": appraisal.pk}),
            [
                doctor.display_name,
                "Appraisal year",
                "Agreement and sign-off",
                "Appraiser",
                "Good medical practice 2024",
            ],
        ),
        "leadership:report_pdf": (
            cycle.subject.user,
            reverse("leadership:report_pdf", kwargs={"trust_code": t, "pk": cycle.pk}),
            [cycle.subject.display_name, "Period Opened", "Agreement and sign-off"],
        ),
        # issue 33: the demo doctor's patient cards, each with its code (the demo's unused cards)
        "feedback:cards_pdf": (
            user("doctor"),
            reverse("feedback:cards_pdf", kwargs={"trust_code": t, "pk": exercise.pk}),
            [
                f"Your feedback about {doctor.display_name}",
                f"Period {exercise.opens_on:%-d %B %Y} to {exercise.closes_on:%-d %B %Y}",
                *(f"{c[:4]} {c[4:]}" for c in unused),
            ],
        ),
        # the clinical director's released feedback report: the doctor, the period, the facilitator who released it
        "feedback:report_pdf": (
            user("cd"),
            reverse("feedback:report_pdf", kwargs={"trust_code": t, "pk": released.pk}),
            [
                f"Doctor {released.doctor.display_name}",
                f"Period {released.opens_on:%-d %B %Y}",
                f"Released by {released.facilitator.display_name if released.facilitator else ''}",
            ],
        ),
        # issue 34 (transfers): the information transfer Eastmoor sent, for Northbridge's responsible officer
        "transfers:pdf": (
            user("ro"),
            reverse("transfers:pdf", kwargs={"trust_code": t, "pk": transfer.pk}),
            [
                transfer.doctor.display_name,
                f"Period Connected to {transfer.previous_trust.name} from",
                "Agreement and sign-off",
                f"{user('ro2').get_full_name()}",
            ],
        ),
    }


def lines_of(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [line.strip() for page in reader.pages for line in (page.extract_text() or "").splitlines()]


def test_every_pdf_view_is_rendered_here(demo_trust: None) -> None:
    assert set(documents()) == pdf_names()


def test_every_pdf_is_board_pack_quality(demo_trust: None) -> None:
    problems: list[str] = []
    for name, (who, address, says) in documents().items():
        response = client_for(who).get(address)
        assert response.status_code == 200, (name, response.status_code)
        assert response["Content-Type"] == "application/pdf", name
        lines = lines_of(response.content)
        text = " ".join(" ".join(lines).split())
        problems += [f"{name}: an HTML entity: {m.group(0)}" for m in ENTITY.finditer(text)]
        for words in [TRUST, *says]:
            if words not in text:
                problems.append(f"{name}: does not say {words!r}")
        if name == "governance:report_pdf":
            # the demo's narrative for quality and safety: two paragraphs, the second with a line break in it
            if not any(line.endswith("above the target of 20.") for line in lines):
                problems.append(f"{name}: the first paragraph does not end its line")
            for line in (
                "SHMI has fallen for seven months in a row.",
                "The mortality review group's report follows in the papers.",
            ):
                if line not in lines:
                    problems.append(f"{name}: {line!r} is not a line of its own (a collapsed paragraph)")
    assert not problems, "\n".join(problems)
