"""Private colleague links: signed, tied to one invitation and its nonce. The invitation's ``used_at`` makes the
link work once; the exercise's close date ends it."""

from __future__ import annotations

from django.core import signing

SALT = "medlead.feedback.invitation"


def make(invitation_id: int, nonce: str) -> str:
    return signing.dumps({"i": invitation_id, "n": nonce}, salt=SALT, compress=True)


def read(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int) or not isinstance(data.get("n"), str):
        return None
    return data["i"], data["n"]
