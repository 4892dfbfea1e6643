from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from medlead.accounts.models import AccessTarget, Role, RoleAssignment, User
from medlead.core import notify
from medlead.core.fields import PersonField
from medlead.core.policy import Perm, can
from medlead.core.query import QueryForm
from medlead.organisation.models import Person, Trust


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


# ------------------------------------------------------------------------------------------ the access pages


class AccountSearch(QueryForm):
    q = forms.CharField(label="Find an account", required=False, max_length=100, help_text="A name, username or email.")


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label="Why is this change needed?",
        max_length=1000,
        widget=forms.Textarea,
        help_text="Recorded with the change and shown to whoever approves it. Do not write a case's details.",
        error_messages={
            "required": "Say why this change is needed.",
            "max_length": "A reason is at most 1000 characters.",
        },
    )


class AccessChange(forms.Form):
    """One change to an account's access: its fields, then a check of the answers (``core.views.check_page``), then
    the change."""

    title = ""
    button = "Continue"

    def __init__(self, *args: Any, actor: Any, account: User, trust: Trust, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.actor, self.account, self.trust = actor, account, trust

    def visible(self) -> list[Any]:
        return list(self)

    def answers(self) -> list[tuple[str, str]]:
        """Each answer in words, for the check page."""
        shown = []
        for f in self.visible():
            value = self.cleaned_data.get(f.name)
            field = f.field
            if isinstance(field, forms.ModelChoiceField):
                text = getattr(value, "display_name", None) or str(value or "")
            elif isinstance(field, forms.ChoiceField):
                text = str(dict(field.choices).get(value, value))  # type: ignore[arg-type]
            else:
                text = str(value or "(none)")
            shown.append((str(f.label), text))
        return shown


class GrantRole(AccessChange):
    title = "Grant a role"
    role = forms.ChoiceField(label="Role", choices=[("", "Choose a role"), *Role.choices])
    scope = forms.ChoiceField(label="Where the role counts", widget=forms.RadioSelect)
    reason = _reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("trust", f"{self.trust.name} only")]
        region = self.trust.region
        if region is not None and can(self.actor, Perm.CHANGE_ACCESS, AccessTarget(self.account, region=region)):
            choices.append(("region", f"Every trust in {region.name}"))
        if can(self.actor, Perm.CHANGE_ACCESS, AccessTarget(self.account)):
            choices.append(("national", "Every trust in the country"))
        self.fields["scope"].choices = choices  # type: ignore[attr-defined]
        self.fields["scope"].initial = "trust"

    def where(self) -> dict[str, Any]:
        scope = self.cleaned_data["scope"]
        return {
            "trust": self.trust if scope == "trust" else None,
            "region": self.trust.region if scope == "region" else None,
        }


class RemoveRole(AccessChange):
    title = "Remove a role"
    grant = forms.TypedChoiceField(label="Role to remove", coerce=int)
    reason = _reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.grants = {g.pk: g for g in getattr(self.account, "roles_here", [])}
        self.fields["grant"].choices = [(pk, str(g).split(": ", 1)[-1]) for pk, g in self.grants.items()]  # type: ignore[attr-defined]

    def chosen(self) -> RoleAssignment:
        return self.grants[self.cleaned_data["grant"]]


class ShortPersonField(PersonField):
    """The person picker, refusing text longer than any name or number before it searches (a 100,000-character
    value would otherwise reach the database as a LIKE pattern)."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) > 200:
            raise forms.ValidationError("Type a name, GMC number or staff number (at most 200 characters).")
        return super().to_python(value)


class LinkPerson(AccessChange):
    title = "Link a person"
    person = ShortPersonField(
        label="Person", help_text="Type a name, GMC number or staff number of someone in this trust."
    )
    reason = _reason_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(trust=self.trust, active=True)  # type: ignore[attr-defined]


class ReasonOnly(AccessChange):
    reason = _reason_field()


class UnlinkPerson(ReasonOnly):
    title = "Unlink the person"


class Deactivate(ReasonOnly):
    title = "Deactivate the account"


class Reactivate(ReasonOnly):
    title = "Reactivate the account"


class SetSignOn(AccessChange):
    title = "Set the single sign-on identifier"
    subject = forms.CharField(
        label="Single sign-on identifier",
        max_length=255,
        required=False,
        help_text="The sign-in service's identifier for this person. Leave blank to remove it.",
    )
    reason = _reason_field()


class Decision(forms.Form):
    note = forms.CharField(
        label="Note",
        max_length=1000,
        required=False,
        widget=forms.Textarea,
        error_messages={"max_length": "A note is at most 1000 characters."},
    )


class Refusal(forms.Form):
    note = forms.CharField(
        label="Why do you refuse it?",
        max_length=1000,
        widget=forms.Textarea,
        error_messages={
            "required": "Say why you refuse this request.",
            "max_length": "A note is at most 1000 characters.",
        },
    )
