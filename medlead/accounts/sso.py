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
- **the key that signed the ID token**: the one the token's ``kid`` names, or, when the token or the published key set
  has no ``kid`` (allowed for a provider with one key), the one usable key of the expected algorithm; with several
  candidates and no ``kid`` the sign-in is refused (the library itself fails on a missing ``kid``);
- **the authorised party**: a token also issued to another client must name medlead as its ``azp``, and any ``azp``
  must be medlead (OpenID Connect Core 1.0, 3.1.3.7, items 3 to 5);
- **PKCE** (S256, settings) so that a stolen authorisation code is useless without the browser's verifier;
- **a plain reason for every failure**, shown on the sign-in page; no account is created or changed on failure, and
  whoever was signed in stays signed in. An ``error`` sent to the callback (by the provider or by anybody's link)
  gets a fixed message chosen by its code, never the text in the link. Any other failure inside the callback is
  logged by its type and place only and answers the same plain page: no token or secret reaches a page or a log,
  whatever DEBUG says (``sensitive_variables`` on the callback hides every local variable beneath it, and
  ``core.error_reports`` applies that even with DEBUG on);
- **signing out at the provider too**, where its discovery document offers an ``end_session_endpoint``
  (RP-initiated logout, with the ID token kept in the session at sign-in as ``id_token_hint``).
"""

from __future__ import annotations

import logging
import time
import traceback
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.debug import sensitive_variables
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from medlead.accounts import services
from medlead.accounts.forms import ProviderRefusal

log = logging.getLogger(__name__)

_DISCOVERY_SECONDS = 3600
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}

BACKEND = "medlead.accounts.sso.Backend"
# The ID token kept for signing out at the provider (id_token_hint). Sessions live in the database; a token larger
# than this is not kept (the provider is then asked to sign out by client id alone, and may ask the person first).
ID_TOKEN_SESSION_KEY = "medlead_sso_id_token"
ID_TOKEN_MAX_CHARS = 8192
# Key types that can check each family of signature algorithms (RFC 7518).
_KEY_TYPES = {"RS": "RSA", "PS": "RSA", "ES": "EC", "Ed": "OKP"}

TRY_AGAIN = "Try again, or if it keeps happening ask your trust's IT service desk for help."
NOT_CONFIRMED = f"Your organisation's sign-in could not confirm who you are. {TRY_AGAIN}"
# What an ``error`` at the callback means, in medlead's own words (RFC 6749 4.1.2.1, OpenID Connect Core 3.1.2.6).
_PROVIDER_ERRORS = {
    "access_denied": f"Your organisation's sign-in did not let you in, or you chose not to continue. {TRY_AGAIN}",
    "login_required": f"Your organisation's sign-in needs you to sign in there first. {TRY_AGAIN}",
    "interaction_required": f"Your organisation's sign-in needs you to sign in there first. {TRY_AGAIN}",
    "consent_required": f"Your organisation's sign-in needs you to agree to share your details first. {TRY_AGAIN}",
    "temporarily_unavailable": f"Your organisation's sign-in is not available just now. {TRY_AGAIN}",
    "server_error": f"Your organisation's sign-in is not available just now. {TRY_AGAIN}",
}
ACCOUNT_CLOSED = (
    "Your medlead account has been closed, so you cannot sign in with it. If you need medlead again, ask your "
    "trust's medlead administrator to reopen it."
)
NAME_TAKEN = (
    "medlead could not make an account for you: the name it would give it is already another account's. Ask your "
    "trust's medlead administrator to link your identity to your account."
)


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

    @sensitive_variables()
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

    @sensitive_variables()
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
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SignInFailed(
                "The ID token was issued to another application as well as medlead and does not name medlead as the "
                "application it was given to ('azp'), so it cannot be used to sign in here."
            )
        return claims

    @sensitive_variables()
    def retrieve_matching_jwk(self, token: str) -> Any:
        """The published key that checks this token's signature. The token's ``kid`` picks it; without a ``kid`` (on
        either side) only a provider with exactly one usable key of the expected algorithm is understood."""
        response = requests.get(
            self.OIDC_OP_JWKS_ENDPOINT, timeout=settings.OIDC_TIMEOUT, verify=settings.OIDC_VERIFY_SSL
        )
        response.raise_for_status()
        try:
            published = response.json()
            header = jwt.get_unverified_header(token)
        except ValueError as exc:  # json's and PyJWT's decode errors are both ValueErrors
            raise SignInFailed("The sign-in service's published keys or its ID token could not be read.") from exc
        keys = published.get("keys") if isinstance(published, dict) else None
        if not isinstance(keys, list):
            raise SignInFailed("The sign-in service does not publish its keys as a key set.")
        usable = [key for key in keys if _usable(key, self.OIDC_RP_SIGN_ALGO)]
        kid = header.get("kid")
        chosen = [key for key in usable if kid is not None and key.get("kid") == kid]
        if not chosen and len(usable) == 1 and (kid is None or "kid" not in usable[0]):
            chosen = usable  # a provider with one key need not name it
        if len(chosen) != 1:
            if kid is not None and any(key.get("kid") is not None for key in usable):
                raise SignInFailed("The ID token is signed with a key the sign-in service does not publish.")
            if len(usable) > 1:
                raise SignInFailed(
                    "The sign-in service publishes several keys and its ID token does not say which one signed it "
                    "(it has no 'kid'), so medlead cannot check it."
                )
            raise SignInFailed(
                f"The sign-in service publishes no key that can check its {self.OIDC_RP_SIGN_ALGO} signatures."
            )
        try:
            return jwt.PyJWK(chosen[0], algorithm=self.OIDC_RP_SIGN_ALGO)
        except jwt.PyJWTError as exc:
            raise SignInFailed("The sign-in service publishes a key medlead cannot read.") from exc

    @sensitive_variables()
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

    @sensitive_variables()
    def store_tokens(self, access_token: str, id_token: str) -> None:
        """Neither token goes into the session here: the ID token is kept after the sign-in (``Callback``), where it
        survives the new session, and only where the provider can end its own session."""
        self.request.sso_id_token = id_token

    @sensitive_variables()
    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            if self._closed_account(payload):
                raise SignInFailed(ACCOUNT_CLOSED)
            raise SignInFailed(
                "You signed in, but no medlead account is linked to your identity. Ask your trust's medlead "
                "administrator to link your account."
            )
        return user

    def _closed_account(self, claims: dict[str, Any]) -> bool:
        subject = str(claims.get(settings.MEDLEAD_OIDC_MATCH_CLAIM, "")).strip()
        return bool(subject) and self.UserModel.objects.filter(sso_subject=subject, is_active=False).exists()

    def create_user(self, claims: dict[str, Any]) -> Any:
        """Only with MEDLEAD_OIDC_CREATE_USERS: an account with no roles and no password, which sees nothing until a
        role is assigned in medlead. Never a second account for a closed one's identity, nor one that takes another
        account's name: both are explained, nothing is created."""
        if self._closed_account(claims):
            raise SignInFailed(ACCOUNT_CLOSED)
        try:
            with transaction.atomic():
                return services.sso_account_create(
                    subject=str(claims[settings.MEDLEAD_OIDC_MATCH_CLAIM]).strip(),
                    email=str(claims.get("email", "")),
                    first_name=str(claims.get("given_name", "")),
                    last_name=str(claims.get("family_name", "")),
                )
        except IntegrityError as exc:
            raise SignInFailed(ACCOUNT_CLOSED if self._closed_account(claims) else NAME_TAKEN) from exc


def _usable(key: Any, algorithm: str) -> bool:
    """Whether a published key (a JWK) can check signatures made with ``algorithm``."""
    if not isinstance(key, dict):
        return False
    return (
        key.get("kty") == _KEY_TYPES.get(algorithm[:2])
        and key.get("alg", algorithm) == algorithm
        and key.get("use", "sig") == "sig"
        and "verify" in key.get("key_ops", ["verify"])
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
    """Where the provider sends the browser back: a signed-in user, or a page with a plain reason, and whoever was
    signed in before stays signed in."""

    @sensitive_variables()  # every frame beneath holds tokens or the client secret: none is shown on an error page
    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.SSO_ENABLED:
            return _failed(request, "Single sign-on is not set up on this installation.", status=404)
        refusal = ProviderRefusal(request.GET)
        if refusal.refused():
            return self._refused(request, refusal)
        try:
            return super().get(request)
        except SuspiciousOperation:
            return _failed(request, "This sign-in link has already been used or has expired: please sign in again.")
        except Exception as exc:  # whatever failed: a plain page; the log says what and where, never the message
            log.error("single sign-on failed: %s at %s", type(exc).__name__, _where(exc))
            return _failed(request, NOT_CONFIRMED)

    def _refused(self, request: HttpRequest, refusal: ProviderRefusal) -> HttpResponse:
        """The provider's ``error`` (or a link's): nobody is signed out, nothing the link says is shown. Only the
        sign-in attempt it answers (its ``state``) is forgotten, so that it cannot be completed later."""
        code = refusal.error_code()
        states = request.session.get("oidc_states")
        if isinstance(states, dict) and refusal.state_value() in states:
            del states[refusal.state_value()]
            request.session.modified = True
        log.info("single sign-on: the callback carried the error %r", code[:40])
        return _failed(request, _PROVIDER_ERRORS.get(code, NOT_CONFIRMED))

    def login_success(self) -> HttpResponse:
        response = super().login_success()
        id_token = getattr(self.request, "sso_id_token", "")
        if id_token and len(id_token) <= ID_TOKEN_MAX_CHARS and _end_session_endpoint():
            self.request.session[ID_TOKEN_SESSION_KEY] = id_token
        return response

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, "sso_failure", "") or "The sign-in did not complete: please sign in again."
        return _failed(self.request, reason)


def end_session_url(request: HttpRequest) -> str | None:
    """Where to send a person who signed in through the provider when they sign out of medlead, so that the
    provider's session ends too (OpenID Connect RP-Initiated Logout 1.0); None when they signed in with a password or
    the provider offers no ``end_session_endpoint``. Call it before medlead's own sign-out clears the session."""
    if not settings.SSO_ENABLED or request.session.get(BACKEND_SESSION_KEY) != BACKEND:
        return None
    endpoint = _end_session_endpoint()
    if not endpoint:
        return None
    params = {
        "client_id": settings.OIDC_RP_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("accounts:signed_out")),
    }
    hint = request.session.get(ID_TOKEN_SESSION_KEY)
    if isinstance(hint, str) and hint:
        params["id_token_hint"] = hint
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


def allow_sign_out_at_provider(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The sign-out confirmation page's form is answered by a redirect to the provider, which the page's
    Content-Security-Policy (``form-action 'self'``) would stop: allow the provider's sign-out address there too."""
    destination = end_session_url(request)
    if destination:
        parts = urlsplit(destination)
        response._csp_update = {"form-action": [f"{parts.scheme}://{parts.netloc}"]}  # type: ignore[attr-defined]
    return response


def signed_out(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser back after ending its own session."""
    return render(request, "accounts/logged_out.jinja")


def _end_session_endpoint() -> str:
    try:
        endpoint = provider().get("end_session_endpoint")
    except SignInFailed:
        return ""
    return endpoint if isinstance(endpoint, str) and endpoint.startswith(("https://", "http://")) else ""


def _where(exc: BaseException) -> str:
    """The file, line and function an exception came from: enough to find it, never its message (which may quote a
    provider's answer)."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown"
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno} in {last.name}"


def _failed(request: HttpRequest, reason: str, status: int = 403) -> HttpResponse:
    return render(request, "accounts/sso_failed.jinja", {"reason": reason}, status=status)
