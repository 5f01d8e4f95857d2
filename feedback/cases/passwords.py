"""Case passwords at rest: peppered with a key from the settings, then hashed with argon2id.

A case password is random (8 characters of a 25-character alphabet, about 37 bits), so
the hash need not make up for a weak password, only for a leaked table. Two layers:

- **A pepper.** The password is first keyed with HMAC-SHA256 under `CASE_PASSWORD_KEY`,
  which lives in the settings, never in the database. A copy of the case table alone
  cannot be attacked offline at all: without the key, no guess can be checked.
- **argon2id** (`TIME_COST` 1 pass over `MEMORY_KIB` 4 MiB, one lane), for a table leaked
  with its key: each guess then costs about 2 ms of a processor core and 4 MiB of memory.
  Finding one case's password takes half of 25^8 (1.5 x 10^11) guesses on average, about
  5 core-years, and the memory each guess needs keeps graphics cards from running
  thousands at once. The cost is the one the lookup goal allows (p99 within 150 ms with
  20 lookups at once on two cores); docs/cases.md says why it is enough here.

Hashes made with other parameters keep verifying: argon2 writes its parameters into
each hash.

`verify_case_password` spends the same work on a case that does not exist (a fixed
dummy hash), so the time of an answer does not tell whether a number exists.
"""

from __future__ import annotations

import hashlib
import hmac

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from feedback.cases.numbers import normalise_case_password

TIME_COST = 1
MEMORY_KIB = 4 * 1024
_hasher = PasswordHasher(time_cost=TIME_COST, memory_cost=MEMORY_KIB, parallelism=1, type=Type.ID)


def _peppered(key: str, password: str) -> str:
    digest = hmac.new(key.encode(), normalise_case_password(password).encode(), hashlib.sha256)
    return digest.hexdigest()


def hash_case_password(key: str, password: str) -> str:
    """The stored form of a case password: argon2id of its HMAC under `key`."""
    return _hasher.hash(_peppered(key, password))


_DUMMY = _hasher.hash("no case has this password; verifying against it spends the same time")


def verify_case_password(key: str, stored: str | None, password: str) -> bool:
    """Whether `password` (as typed) opens the case whose stored hash is `stored` (None: no such case)."""
    try:
        matched = _hasher.verify(stored or _DUMMY, _peppered(key, password))
    except (VerificationError, InvalidHashError):
        return False
    return matched and stored is not None
