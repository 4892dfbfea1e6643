"""A rater's private page, reached by the link in their invitation: no account needed. Draft-saving; one
submission."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from medlead.core.dates import today
from medlead.leadership import services, tokens
from medlead.leadership.forms import RateForm
from medlead.leadership.models import RaterGroup


def rate(request: HttpRequest, token: str) -> HttpResponse:
    parsed = tokens.read(token)
    rater = services.rater_for(*parsed) if parsed else None
    if rater is None:
        return render(request, "leadership/link_invalid.jinja", status=404)
    day = today()
    state = services.link_state(rater, day)
    if state != "open":
        return render(request, f"leadership/link_{state}.jinja", {"rater": rater}, status=410)
    items = list(rater.cycle.framework.items.all())
    errors: list[str] = []
    typed = None
    if request.method == "POST":
        form = RateForm(request.POST, items=items, scale=rater.cycle.framework.scale)
        try:
            if not form.is_valid():
                raise ValidationError(form.messages())
            services.rater_save(
                rater=rater,
                answers=form.answers(),
                comment=form.cleaned_data["comment"],
                submit=form.submitting,
                today=day,
            )
            if form.submitting:
                return render(request, "leadership/link_thanks.jinja", {"rater": rater})
            messages.success(request, "Your answers are saved. You can come back to this page to finish.")
            return redirect("leadership:rate", token=token)
        except ValidationError as exc:
            errors = exc.messages
            typed = form.data
    saved = {r.item_id: r for r in rater.responses.all()}
    return render(
        request,
        "leadership/rate.jinja",
        {
            "rater": rater,
            "items": items,
            "saved": saved,
            "errors": errors,
            "typed": typed,
            "scale": rater.cycle.framework.scale,
            "is_self": rater.group == RaterGroup.SELF,
            "is_lm": rater.group == RaterGroup.LINE_MANAGER,
        },
    )
