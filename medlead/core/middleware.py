from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

# Sign-in, static files, the health check, raters' private feedback links, the revalidation feedback's colleague
# links and patient page (ADR 0027), resident doctors' secret calendar
# addresses (``residents``: the address is the key) and the web app manifest are public.
# The API answers 403 JSON itself (DRF), not a redirect.
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/signed-out/",
    "/accounts/password-reset/",
    "/accounts/sso/",
    "/static/",
    "/healthz",
    "/readyz",
    "/admin/login/",
    "/api/",
    "/feedback/",
    "/colleague-feedback/",
    "/patient-feedback/",
    "/cal/",
    "/manifest.webmanifest",
)


class LoginRequiredMiddleware:
    """Every page needs a signed-in user, except the public prefixes above."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated or request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


class BadInputMiddleware:
    """Bad input is a clear 400, never a server error:

    - a NUL character anywhere in the query string or a form field (PostgreSQL cannot store one) is refused
      before any view runs;
    - a value the database refuses as out of range (``DataError``), which a view failed to bound, answers 400
      with a plain explanation instead of 500. Nothing was written: the request's transaction rolled back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.META.get("QUERY_STRING", "") or "%00" in request.META.get("QUERY_STRING", ""):
            return _bad_request(request, "The address contains a character that is not allowed (a null character).")
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            for values in request.POST.lists():
                if any("\x00" in v for v in values[1]) or "\x00" in values[0]:
                    return _bad_request(request, f"The field '{values[0][:40]}' contains a null character.")
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.core.exceptions import BadRequest
        from django.db import DataError

        if isinstance(exception, DataError | OverflowError):  # PostgreSQL's out of range; SQLite's too large
            return _bad_request(request, "A value in your request is too large or out of range. Nothing was changed.")
        if isinstance(exception, BadRequest):  # a view's form refused a value in the address (core.page_actions)
            return _bad_request(request, str(exception) or "Your request could not be understood. Nothing was changed.")
        return None


def _bad_request(request: HttpRequest, reason: str) -> HttpResponse:
    from django.http import JsonResponse
    from django.shortcuts import render

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": reason}, status=400)
    return render(request, "core/400.jinja", {"reason": reason}, status=400)


class NoStoreMiddleware:
    """Pages and files shown to a signed-in user (and raters' private links) carry personal or confidential data:
    no browser or proxy may keep a copy (``Cache-Control: no-store``). Static files are not affected."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/static/"):
            return response
        if request.user.is_authenticated or request.path.startswith(
            ("/feedback/", "/colleague-feedback/", "/patient-feedback/")
        ):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
