"""The pages composed from every app: the trusts list, each trust's home page, the 403 page and the health checks."""

from __future__ import annotations

from collections.abc import Callable

from celery import current_app
from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.paginator import Paginator
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from medlead.core.policy import Forbidden, role_scopes
from medlead.core.roles import Role
from medlead.home import presenters
from medlead.home.forms import TrustsQuery
from medlead.organisation import selectors


def index(request: HttpRequest) -> HttpResponse:
    """Sends a user with one trust straight to it, and a regional medical director to their region's page (issue
    34); lists the trusts for other regional and national roles."""
    if regional_medical_director_only(request.user):
        return redirect("regions:index")
    trusts = selectors.visible_trusts(request.user).select_related("region").order_by("name")
    if trusts.count() == 1:
        return redirect("home:trust", trust_code=trusts[0].code)
    asked = TrustsQuery(request.GET).values()
    query = (asked["q"] or "").strip()
    if query:
        trusts = trusts.filter(name__icontains=query)
    page = Paginator(trusts, 50).get_page(asked["page"])
    return render(request, "home/index.jinja", {"page": page, "query": query})


def regional_medical_director_only(user: object) -> bool:
    """Whether every role the user holds is the regional medical director's: their first page is their region's."""
    held = {role for role, _, _ in role_scopes(user)} if getattr(user, "is_authenticated", False) else set()
    return held == {Role.REGIONAL_MEDICAL_DIRECTOR}


def trust(request: HttpRequest, trust_code: str) -> HttpResponse:
    """A trust's home page: what needs this person, the board's picture and the reports for the board (the trust's
    board, committees, divisions and specialties are on its "about" page)."""
    page = presenters.trust_home(request.user, trust_code)
    return render(
        request,
        "home/trust.jinja",
        {
            "current_trust": page.trust,
            "section": "trust",
            "counts": page.counts,
            "can_import": page.can_import,
            "work": page.work,
            "picture": page.picture,
            "reports": page.reports,
            "administration": page.administration,
        },
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 403 page: what the user cannot do, and where to go instead (not a bare "403 Forbidden")."""
    reason = exception.message if isinstance(exception, Forbidden) else "You cannot do this."
    current = None
    match = getattr(request, "resolver_match", None)
    code = match.kwargs.get("trust_code") if match is not None else None
    if code and request.user.is_authenticated:
        current = selectors.visible_trusts(request.user).filter(code=code).first()
    return render(request, "home/403.jinja", {"reason": reason, "current_trust": current}, status=403)


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
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:
        return f"the migrations could not be read ({type(exc).__name__})"
    return f"{len(plan)} migrations not applied: run manage.py migrate" if plan else "ok"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok"  # tasks run inline: no broker
    # The app configured in medlead.config.celery (loaded by medlead/__init__.py): read as celery's current app so
    # that this page does not import the configuration layer above it.
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return f"the task queue's broker does not answer ({type(exc).__name__})"
    return "ok"


def _static() -> str:
    if isinstance(staticfiles_storage, ManifestFilesMixin) and not staticfiles_storage.hashed_files:
        return "the static files are not collected: run manage.py collectstatic"
    return "ok"


_READINESS: dict[str, Callable[[], str]] = {
    "database": _database,
    "migrations": _migrations,
    "task queue": _broker,
    "static files": _static,
}
