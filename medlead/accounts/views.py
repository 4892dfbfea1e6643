from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from medlead.accounts.forms import PasswordResetByEmailForm, SignInForm


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.jinja"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def sign_out(request: HttpRequest) -> HttpResponse:
    """GET asks to confirm (a link cannot sign anybody out by itself); POST signs out."""
    if request.method == "POST":
        logout(request)
        return render(request, "accounts/logged_out.jinja")
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return render(request, "accounts/logout_confirm.jinja")


# Password reset by email (until single sign-on replaces local passwords): Django's tested flow, medlead's pages,
# and the email sent through medlead's one mechanism (after commit, on the task queue). The first page answers the
# same whether or not the address belongs to an account, so it reveals nobody's address.
class PasswordReset(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.jinja"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = PasswordResetByEmailForm
    success_url = "/accounts/password-reset/sent/"

    @property
    def extra_email_context(self) -> dict[str, Any]:  # type: ignore[override]
        # The link in the email uses the configured address, never the request's Host header.
        return {"base_url": settings.MEDLEAD_BASE_URL}


class PasswordResetSent(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.jinja"


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.jinja"
    success_url = "/accounts/password-reset/done/"


class PasswordResetDone(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.jinja"
