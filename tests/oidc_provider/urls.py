import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from jwcrypto import jwk  # type: ignore[import-untyped]
from oauth2_provider import views as provider_views

from tests.oidc_provider.behaviour import BEHAVIOUR, set_behaviour

# A second key the provider never signs with, published only when a test asks for two keys.
_OTHER_KEY = jwk.JWK.from_pyca(rsa.generate_private_key(public_exponent=65537, key_size=2048))


def discovery(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """The provider's own discovery document, without ``end_session_endpoint`` when a test says so."""
    document = json.loads(provider_views.ConnectDiscoveryInfoView.as_view()(request).content)
    if not BEHAVIOUR["end_session"]:
        document.pop("end_session_endpoint", None)
    return JsonResponse(document)


def jwks(request: HttpRequest) -> HttpResponse:
    """The provider's published keys, as the test asks: with ``kid`` (normal), without, or beside another key."""
    keys = json.loads(provider_views.JwksInfoView.as_view()(request).content)["keys"]
    if BEHAVIOUR["jwks"] == "two-keys-no-kid":
        keys.append({"alg": "RS256", "use": "sig", **json.loads(_OTHER_KEY.export_public())})
    if BEHAVIOUR["jwks"] in ("no-kid", "two-keys-no-kid"):
        keys = [{k: v for k, v in key.items() if k != "kid"} for key in keys]
    return JsonResponse({"keys": keys})


urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("test/behaviour", set_behaviour),
    path("o/.well-known/openid-configuration", discovery),
    path("o/.well-known/jwks.json", jwks),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
