"""How medlead stores local passwords (ADR 0033): Argon2id with OWASP's recommended parameters.

Django's own ``Argon2PasswordHasher`` (100 MiB, two passes, eight lanes) took about 0.35 s a hash on the 2-core
machines medlead is measured on, so fifty people signing in at once waited on two app workers for far longer than
five seconds. OWASP's Password Storage Cheat Sheet gives equivalent minimum settings for Argon2id; the one used
here is 19 MiB of memory, two passes and one lane (m=19456, t=2, p=1), about 30-45 ms a hash on the same machines.
It is memory-hard, unlike PBKDF2, which a graphics card computes cheaply however many iterations it has.

The algorithm name stays Django's ``argon2``: Django's hasher reads these hashes, and when the parameters here
change, each stored hash is made again with the new ones the next time its owner signs in."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2Hasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19456  # KiB: 19 MiB
    parallelism = 1
