"""How the test provider misbehaves, so that medlead's refusals are tested against real answers of a real provider.

A test sets it with ``POST /test/behaviour`` (a JSON object of the keys below; an empty object restores the
defaults). It lives in the provider's one process, so it applies to every sign-in until the next change.

- ``id_token_kid``: whether the ID token's header names its key (``kid``); a provider with one key may leave it out;
- ``jwks``: ``"normal"``, ``"no-kid"`` (the one key published without ``kid``), or ``"two-keys-no-kid"`` (a second,
  unrelated RSA key beside it, neither with ``kid``: medlead cannot tell which one signed);
- ``aud``: the ID token's audience as a list, in place of the client id (``None`` leaves it alone);
- ``azp``: the ID token's authorised party (``None``: no ``azp`` claim);
- ``end_session``: whether discovery publishes an ``end_session_endpoint`` (RP-initiated logout)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

DEFAULTS: dict[str, Any] = {
    "id_token_kid": True,
    "jwks": "normal",
    "aud": None,
    "azp": None,
    "end_session": True,
}
BEHAVIOUR: dict[str, Any] = dict(DEFAULTS)


@csrf_exempt
def set_behaviour(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return JsonResponse(BEHAVIOUR)
    changes = json.loads(request.body or b"{}")
    unknown = set(changes) - set(DEFAULTS)
    if unknown:
        return JsonResponse({"unknown": sorted(unknown)}, status=400)
    BEHAVIOUR.clear()
    BEHAVIOUR.update(DEFAULTS | changes)
    return JsonResponse(BEHAVIOUR)
