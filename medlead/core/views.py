from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from medlead.organisation.selectors import visible_trusts


def home(request: HttpRequest) -> HttpResponse:
    """Sends a user with one trust straight to it; lists the trusts for regional and national roles."""
    trusts = visible_trusts(request.user).select_related("region").order_by("name")
    if trusts.count() == 1:
        return redirect("organisation:overview", trust_code=trusts[0].code)
    query = request.GET.get("q", "").strip()
    if query:
        trusts = trusts.filter(name__icontains=query)
    page = Paginator(trusts, 50).get_page(request.GET.get("page"))
    return render(request, "core/home.jinja", {"page": page, "query": query})


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: the app is up and its database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """For orchestrators: this server may take traffic. Each check names what is wrong; 503 until all pass."""
    checks = {name: check() for name, check in _READINESS.items()}
    ready = all(v == "ok" for v in checks.values())
    return JsonResponse({"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # any driver error means the same: no database
        return f"the database does not answer ({type(exc).__name__})"
    return "ok"


def _migrations() -> str:
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return f"the migrations could not be read ({type(exc).__name__})"
    return f"{len(plan)} migrations not applied: run manage.py migrate" if plan else "ok"


def _broker() -> str:
    from django.conf import settings

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok"  # tasks run inline: no broker
    from medlead.config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"the task queue's broker does not answer ({type(exc).__name__})"
    return "ok"


def _static() -> str:
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if isinstance(staticfiles_storage, ManifestFilesMixin) and not staticfiles_storage.hashed_files:
        return "the static files are not collected: run manage.py collectstatic"
    return "ok"


_READINESS: dict[str, Callable[[], str]] = {
    "database": _database,
    "migrations": _migrations,
    "task queue": _broker,
    "static files": _static,
}


def form_page(
    request: HttpRequest,
    *,
    trust: Any,
    section: str,
    form: Any,
    title: str,
    errors: list[str] | None = None,
    multipart: bool = False,
    button: str = "Save",
    lede: str = "",
) -> HttpResponse:
    """The page for a single form, shared by every app: its title, the errors (the form's, and a service's or an
    import's as plain sentences), the fields and one button."""
    return render(
        request,
        "core/form.jinja",
        {
            "current_trust": trust,
            "section": section,
            "form": form,
            "title": title,
            "errors": errors or [],
            "multipart": multipart,
            "button": button,
            "lede": lede,
        },
    )


def form_flow(
    request: HttpRequest,
    *,
    trust: Any,
    section: str,
    form: Any,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], HttpResponse],
    button: str = "Save",
    saved: str = "Saved.",
    lede: str = "",
) -> HttpResponse:
    """A page with one form whose valid post calls ``save`` (a service) and goes to ``done(result)``; a service's
    refusal (``ValidationError``) is shown on the form and nothing is saved."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError

    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
            messages.success(request, saved)
            return done(result)
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(request, trust=trust, section=section, form=form, title=title, button=button, lede=lede)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page: what the user cannot do, and where to go instead (not a bare "403 Forbidden")."""
    from medlead.core.policy import Forbidden

    reason = exception.message if isinstance(exception, Forbidden) else "You cannot do this."
    trust = None
    match = getattr(request, "resolver_match", None)
    code = match.kwargs.get("trust_code") if match is not None else None
    if code and request.user.is_authenticated:
        trust = visible_trusts(request.user).filter(code=code).first()
    return render(request, "core/403.jinja", {"reason": reason, "current_trust": trust}, status=403)
