from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from medlead.accounts import sso
from medlead.accounts.forms import PasswordResetByEmailForm, SignInForm


class SignInView(auth_views.LoginView):
    """A password, single sign-on, or both: MEDLEAD_LOCAL_PASSWORDS and MEDLEAD_OIDC_ISSUER decide."""

    template_name = "accounts/login.jinja"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.LOCAL_PASSWORDS:
            return self.get(request, *args, **kwargs)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | {
            "local_passwords": settings.LOCAL_PASSWORDS,
            "sso_enabled": settings.SSO_ENABLED,
            "sso_name": settings.MEDLEAD_OIDC_NAME,
        }


def sign_out(request: HttpRequest) -> HttpResponse:
    """GET asks to confirm (a link cannot sign anybody out by itself); POST signs out, and a person who signed in
    through the provider is sent on to end the provider's session too, where it offers that."""
    if request.method == "POST":
        at_provider = sso.end_session_url(request)
        logout(request)
        if at_provider:
            return redirect(at_provider)
        return render(request, "accounts/logged_out.jinja")
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    return sso.allow_sign_out_at_provider(request, render(request, "accounts/logout_confirm.jinja"))


# Password reset by email (until single sign-on replaces local passwords): Django's tested flow, medlead's pages,
# and the email sent through medlead's one mechanism (after commit, on the task queue). The first page answers the
# same whether or not the address belongs to an account, so it reveals nobody's address.
class _LocalPasswordsOnly:
    """Password resets exist only while local passwords do."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.LOCAL_PASSWORDS:
            raise Http404("Passwords are not used here: sign in through single sign-on.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class PasswordReset(_LocalPasswordsOnly, auth_views.PasswordResetView):
    template_name = "accounts/password_reset.jinja"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    form_class = PasswordResetByEmailForm
    success_url = "/accounts/password-reset/sent/"

    @property
    def extra_email_context(self) -> dict[str, Any]:  # type: ignore[override]
        # The link in the email uses the configured address, never the request's Host header.
        return {"base_url": settings.MEDLEAD_BASE_URL}


class PasswordResetSent(_LocalPasswordsOnly, auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_sent.jinja"


class PasswordResetConfirm(_LocalPasswordsOnly, auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.jinja"
    success_url = "/accounts/password-reset/done/"


class PasswordResetDone(_LocalPasswordsOnly, auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_done.jinja"
