"""Single sign-on through an OpenID Connect provider (NHS Care Identity Service 2 or a trust's own).

mozilla-django-oidc runs the authorisation-code flow (state, nonce, the code exchanged for tokens, the ID token's
signature checked against the provider's published keys). medlead adds what a trust's IT team expects of it:

- **discovery**: only the issuer, client id and secret are configured; the endpoints come from the issuer's
  ``/.well-known/openid-configuration``, whose ``issuer`` must be the configured one;
- **a complete token check**: the ID token's audience must be medlead's client id, its issuer the configured
  issuer, and it must not have expired (the library itself skips the audience);
- **matching, not creating**: a person signs in to the one active account whose single sign-on identifier
  (``User.sso_subject``) equals the provider's stable claim (``sub`` unless MEDLEAD_OIDC_MATCH_CLAIM says
  otherwise). An account is created only when MEDLEAD_OIDC_CREATE_USERS is set, and then with no roles: roles come
  only from medlead's own role assignments;
- **a plain reason for every failure**, shown on the sign-in page; no account is created or changed on failure.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from medlead.accounts import services
from medlead.accounts.forms import ProviderRefusal

log = logging.getLogger(__name__)

_DISCOVERY_SECONDS = 3600
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}


class SignInFailed(Exception):
    """A sign-in through the provider that must not succeed, with the reason a person can act on."""


def provider() -> dict[str, Any]:
    """The provider's configuration, discovered from its issuer and kept for an hour in each process."""
    issuer = settings.MEDLEAD_OIDC_ISSUER
    cached = _discovered.get(issuer)
    if cached and time.monotonic() - cached[0] < _DISCOVERY_SECONDS:
        return cached[1]
    url = f"{issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT, verify=settings.OIDC_VERIFY_SSL)
        response.raise_for_status()
        config = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SignInFailed(f"The sign-in service did not answer at {url} ({type(exc).__name__}).") from exc
    if not isinstance(config, dict) or config.get("issuer", "").rstrip("/") != issuer:
        raise SignInFailed(
            f"The sign-in service at {issuer} describes itself as issuer "
            f"{config.get('issuer') if isinstance(config, dict) else None!r}: medlead is configured for {issuer}."
        )
    missing = [k for k in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not config.get(k)]
    if missing:
        raise SignInFailed(f"The sign-in service at {issuer} does not publish its {', '.join(missing)}.")
    _discovered[issuer] = (time.monotonic(), config)
    return config


class Backend(OIDCAuthenticationBackend):
    """The authentication backend used when MEDLEAD_OIDC_ISSUER is set."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Django builds a backend for every request's user: nothing here may reach the network.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    # The endpoints are read from the provider's discovery document when a sign-in needs them.
    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return str(provider()["token_endpoint"])

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return str(provider().get("userinfo_endpoint", ""))

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return str(provider()["jwks_uri"])

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        if request is None or "code" not in request.GET:
            return None  # a password sign-in: not this backend's
        try:
            return super().authenticate(request, **kwargs)
        except SignInFailed as exc:
            reason = str(exc)
        except SuspiciousOperation as exc:
            reason = f"The sign-in service's answer could not be trusted: {exc}"
        except requests.RequestException as exc:
            status = getattr(exc.response, "status_code", None)
            where = str(exc.request.url or "").split("?")[0] if exc.request is not None else "medlead"
            reason = (
                f"The sign-in service answered {status} at {where}."
                if status
                else f"The sign-in service could not be reached ({type(exc).__name__})."
            )
        log.warning("single sign-on refused: %s", reason)
        request.sso_failure = reason  # type: ignore[attr-defined]
        return None

    def _verify_jws(self, payload: str, key: Any) -> dict[str, Any]:
        """The signature, and the claims the library leaves unchecked: audience, issuer and expiry."""
        try:
            header = jwt.get_unverified_header(payload)
        except jwt.PyJWTError as exc:
            raise SignInFailed("The sign-in service sent an ID token that is not a JSON Web Token.") from exc
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SignInFailed(
                f"The ID token is signed with {header.get('alg')!r}; medlead accepts only {self.OIDC_RP_SIGN_ALGO}."
            )
        try:
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.MEDLEAD_OIDC_ISSUER,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
                leeway=30,
            )
        except jwt.ExpiredSignatureError as exc:
            raise SignInFailed("The ID token has expired: please sign in again.") from exc
        except jwt.InvalidAudienceError as exc:
            raise SignInFailed(
                f"The ID token was issued for another application, not for medlead's client id "
                f"{self.OIDC_RP_CLIENT_ID!r}."
            ) from exc
        except jwt.InvalidIssuerError as exc:
            raise SignInFailed(
                f"The ID token was issued by another service, not {settings.MEDLEAD_OIDC_ISSUER}."
            ) from exc
        except jwt.MissingRequiredClaimError as exc:
            raise SignInFailed(f"The ID token has no '{exc.claim}' claim.") from exc
        except jwt.InvalidSignatureError as exc:
            raise SignInFailed("The ID token's signature does not match the sign-in service's keys.") from exc
        except jwt.PyJWTError as exc:
            raise SignInFailed(f"The ID token could not be checked: {exc}.") from exc
        return claims

    def retrieve_matching_jwk(self, token: str) -> Any:
        try:
            return super().retrieve_matching_jwk(token)
        except SuspiciousOperation as exc:
            raise SignInFailed("The ID token is signed with a key the sign-in service does not publish.") from exc

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict[str, Any]:
        """The ID token's claims, with the userinfo endpoint's added when the provider has one. The subject must be
        the same in both (OpenID Connect Core 5.3.2)."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if info.get("sub") != payload.get("sub"):
                raise SignInFailed("The sign-in service described a different person from the one in the ID token.")
            claims |= info
        return claims

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        if not str(claims.get(settings.MEDLEAD_OIDC_MATCH_CLAIM, "")).strip():
            raise SignInFailed(
                f"The sign-in service did not send the '{settings.MEDLEAD_OIDC_MATCH_CLAIM}' claim that medlead "
                "matches accounts by."
            )
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        subject = str(claims[settings.MEDLEAD_OIDC_MATCH_CLAIM]).strip()
        return self.UserModel.objects.filter(sso_subject=subject, is_active=True)

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            raise SignInFailed(
                "You signed in, but no medlead account is linked to your identity. Ask your trust's medlead "
                "administrator to link your account."
            )
        return user

    def create_user(self, claims: dict[str, Any]) -> Any:
        """Only with MEDLEAD_OIDC_CREATE_USERS: an account with no roles and no password, which sees nothing until a
        role is assigned in medlead."""

        return services.sso_account_create(
            subject=str(claims[settings.MEDLEAD_OIDC_MATCH_CLAIM]).strip(),
            email=str(claims.get("email", "")),
            first_name=str(claims.get("given_name", "")),
            last_name=str(claims.get("family_name", "")),
        )


class Start(OIDCAuthenticationRequestView):
    """Sends the browser to the provider, with state and nonce kept in the session."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.SSO_ENABLED:
            return _failed(request, "Single sign-on is not set up on this installation.", status=404)
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider()["authorization_endpoint"]
        except SignInFailed as exc:
            return _failed(request, str(exc))
        return super().get(request)


class Callback(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: a signed-in user, or the sign-in page with the reason."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.SSO_ENABLED:
            return _failed(request, "Single sign-on is not set up on this installation.", status=404)
        detail = ProviderRefusal(request.GET).reason()
        if detail:
            super().get(request)
            return _failed(request, f"The sign-in service refused the sign-in: {detail[:200]}.")
        try:
            return super().get(request)
        except SuspiciousOperation:
            return _failed(request, "This sign-in link has already been used or has expired: please sign in again.")

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, "sso_failure", "") or "The sign-in did not complete: please sign in again."
        return _failed(self.request, reason)


def _failed(request: HttpRequest, reason: str, status: int = 403) -> HttpResponse:
    return render(request, "accounts/sso_failed.jinja", {"reason": reason}, status=status)
