"""Private rater links: signed, tied to one rater and its nonce, valid until the cycle closes."""

from __future__ import annotations

from django.core import signing

SALT = "medlead.leadership.rater"


def make(rater_id: int, nonce: str) -> str:
    return signing.dumps({"r": rater_id, "n": nonce}, salt=SALT, compress=True)


def read(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int) or not isinstance(data.get("n"), str):
        return None
    return data["r"], data["n"]
