"""The secret address of a doctor's calendar feed (ADR 0023): a random key kept in the database and a signature
of it made with the server's secret key. Only the two together open the feed, so neither a copy of the database
nor the secret key alone gives anyone's address; the signature is compared in constant time."""

from __future__ import annotations

import hmac
import secrets

from django.utils.crypto import salted_hmac

SALT = "medlead.residents.calendar-feed"
KEY_LENGTH = 32  # secrets.token_urlsafe(24): 192 random bits as 32 URL-safe characters
SIGNATURE_LENGTH = 32  # 128 bits of HMAC-SHA-256
ADDRESS_PATTERN = rf"[A-Za-z0-9_-]{{{KEY_LENGTH + SIGNATURE_LENGTH}}}"


def new_key() -> str:
    return secrets.token_urlsafe(24)


def _signature(key: str) -> str:
    return salted_hmac(SALT, key, algorithm="sha256").hexdigest()[:SIGNATURE_LENGTH]


def address(key: str) -> str:
    """The secret part of the feed's address for ``key``."""
    return key + _signature(key)


def key_of(token: str) -> str | None:
    """The key an address was made from, if its signature is right (compared in constant time); else None."""
    if len(token) != KEY_LENGTH + SIGNATURE_LENGTH:
        return None
    key, signature = token[:KEY_LENGTH], token[KEY_LENGTH:]
    return key if hmac.compare_digest(_signature(key), signature) else None
