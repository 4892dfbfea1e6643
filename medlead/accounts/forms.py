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
    """What the sign-in service says in its redirect when it refuses a sign-in (OAuth 2.0's ``error`` and
    ``error_description``): shown to the user, never looked up."""

    error = forms.CharField(required=False)
    error_description = forms.CharField(required=False)

    def reason(self) -> str:
        """The service's explanation, or "" when it did not refuse."""
        if not self.is_valid() or not self.cleaned_data["error"]:
            return ""
        return str(self.cleaned_data["error_description"] or self.cleaned_data["error"])
