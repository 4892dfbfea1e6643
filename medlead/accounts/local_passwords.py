"""No password is typed into medlead except on its own sign-in page, and none at all when local passwords are off
(MEDLEAD_LOCAL_PASSWORDS=false): the Django admin's sign-in and password pages are replaced here (``config/urls.py``
routes them before the admin's own). Settings are read on each request."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medlead.accounts.forms import NextAddress

View = Callable[..., HttpResponse]


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """``/admin/login/``: medlead's own sign-in page (with its lockout and its single sign-on), never the admin's
    password form. Somebody already signed in whom the admin refused is told so, not asked for another password."""
    if request.user.is_authenticated:
        return render(request, "accounts/admin_refused.jinja", status=403)
    return redirect_to_login(NextAddress(request.GET).value() or "/admin/", settings.LOGIN_URL)


def only_with_local_passwords(view: View) -> View:
    """A page where a password is typed: answered by ``view`` while local passwords are on, otherwise a page that
    says to use single sign-on."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.LOCAL_PASSWORDS:
            return render(request, "accounts/passwords_off.jinja", {"sso_name": settings.MEDLEAD_OIDC_NAME}, status=404)
        return view(request, *args, **kwargs)

    return guarded


def admin_password_change(request: HttpRequest) -> HttpResponse:
    """The admin's "change my password" page."""
    return admin.site.admin_view(admin.site.password_change)(request)
