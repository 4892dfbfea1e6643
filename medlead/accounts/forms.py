from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from medlead.core import notify


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"


class PasswordResetByEmailForm(PasswordResetForm):
    """Django's reset form, sending its email through ``core.notify`` (after commit, on the task queue)."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        from django.template import loader

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        notify.email([to_email], subject=subject, body=body)


class ProviderRefusal(forms.Form):
    """What arrives at the single sign-on callback when the sign-in service (or anybody with a link) says the sign-in
    failed (OAuth 2.0's ``error``): the error code, read only to choose one of medlead's own fixed messages, and the
    ``state`` the service was given. Its ``error_description`` is never shown: anybody can write one into a link."""

    error = forms.CharField(required=False, max_length=100)
    state = forms.CharField(required=False, max_length=200)

    def refused(self) -> bool:
        """Whether the callback carries a refusal (an address that cannot be read counts as one)."""
        return not self.is_valid() or bool(self.cleaned_data["error"])

    def error_code(self) -> str:
        return str(self.cleaned_data.get("error", "")) if self.is_valid() else ""

    def state_value(self) -> str:
        return str(self.cleaned_data.get("state", "")) if self.is_valid() else ""


class NextAddress(forms.Form):
    """Where to go after signing in (checked again by the sign-in page before it is followed)."""

    next = forms.CharField(required=False, max_length=2000)

    def value(self) -> str:
        return str(self.cleaned_data.get("next", "")) if self.is_valid() else ""
