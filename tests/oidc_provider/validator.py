import json
import time
from typing import Any

from django.db import router, transaction
from jwcrypto import jwt  # type: ignore[import-untyped]
from oauth2_provider.models import IDToken
from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.oidc_provider.behaviour import BEHAVIOUR


class Validator(OAuth2Validator):
    """A stable subject per person, their name and email; two people whose ID tokens are wrong on purpose (issued
    for another application, or already expired); and the ID token's audience, authorised party and key id as the
    test asks (``behaviour.py``), so that medlead's refusals are tested for real."""

    oidc_claim_scope = None  # every claim, whatever the scopes

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "sub": f"uid-{user.username}",
            "email": user.email,
            "given_name": user.first_name,
            "family_name": user.last_name,
        }

    def get_id_token_dictionary(self, token: Any, token_handler: Any, request: Any) -> Any:
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        if request.user.username == "wrong-audience":
            claims["aud"] = "another-application"
        if request.user.username == "expired":
            claims["iat"] = int(time.time()) - 7200
            claims["exp"] = claims["iat"] + 60
        if BEHAVIOUR["aud"] is not None:
            claims["aud"] = BEHAVIOUR["aud"]
        if BEHAVIOUR["azp"] is not None:
            claims["azp"] = BEHAVIOUR["azp"]
        return claims, expiration_time

    def finalize_id_token(self, id_token: Any, token: Any, token_handler: Any, request: Any) -> str:
        """django-oauth-toolkit's own, but the header's ``kid`` may be left out (a provider with one key may)."""
        claims, expiration_time = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:
            id_token["nonce"] = request.nonce
        header = {"typ": "JWT", "alg": request.client.algorithm}
        if BEHAVIOUR["id_token_kid"]:
            header["kid"] = request.client.jwk_key.thumbprint()
        signed = jwt.JWT(header=json.dumps(header, default=str), claims=json.dumps(id_token, default=str))
        signed.make_signed_token(request.client.jwk_key)
        with transaction.atomic(using=router.db_for_write(IDToken)):
            saved = self._save_id_token(id_token["jti"], request, expiration_time)
        request.access_token = saved
        request.id_token = saved
        return str(signed.serialize())
