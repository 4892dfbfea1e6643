from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

# Sign-in, static files, the health check and raters' private feedback links are public.
# The API answers 403 JSON itself (DRF), not a redirect.
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/accounts/logout/",
    "/static/",
    "/healthz",
    "/admin/login/",
    "/api/",
    "/feedback/",
)


class LoginRequiredMiddleware:
    """Every page needs a signed-in user, except the public prefixes above."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated or request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
