import time
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """A stable subject per person, their name and email; and two people whose ID tokens are wrong on purpose
    (issued for another application, or already expired), so that medlead's refusals are tested for real."""

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
        return claims, expiration_time
