from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from medlead.accounts.forms import SignInForm


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
