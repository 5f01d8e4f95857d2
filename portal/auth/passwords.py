"""Password hashing (argon2id) and the password policy.

The policy follows NIST SP 800-63B: length matters, composition rules do not. A
password must have 12 to 128 characters, must not be a well-known password or a
keyboard run, and must not contain the user name.
"""

from __future__ import annotations

import unicodedata
from itertools import pairwise

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from portal.i18n import _

MIN_LENGTH = 12
MAX_LENGTH = 128

_hasher = PasswordHasher()
# Verified against when the user name is unknown, so both paths take the same time.
_DUMMY_HASH = _hasher.hash("not a real password, only spends time")

# Passwords and fragments seen at the top of every leaked-password list, with the
# local favourites (Taiwanese keyboard runs, the hotline, the agency's names).
_COMMON_FRAGMENTS = (
    "password",
    "passw0rd",
    "p@ssw0rd",
    "qwerty",
    "asdfgh",
    "zxcvbn",
    "123456",
    "654321",
    "111111",
    "000000",
    "abc123",
    "iloveyou",
    "admin",
    "welcome",
    "letmein",
    "changeme",
    "taiwan",
    "water1910",
    "twwater",
    "1qaz2wsx",
    "zaq12wsx",
)


def hash_password(password: str) -> str:
    """An argon2id hash of `password`."""
    return _hasher.hash(_normalise(password))


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches `password_hash`; spends the same time when there is none."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, _normalise(password)) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def _normalise(password: str) -> str:
    # The same password typed on different keyboards (full-width, composed) must match.
    return unicodedata.normalize("NFKC", password)


def _is_keyboard_run(text: str) -> bool:
    """Whether `text` is one character repeated or a straight ascending/descending run."""
    if len(set(text)) <= 2:
        return True
    steps = {ord(b) - ord(a) for a, b in pairwise(text)}
    return steps in ({1}, {-1}, {0})


def password_problems(password: str, username: str = "") -> list[str]:
    """Reasons `password` breaks the policy, in the visitor's language; empty when it passes."""
    problems: list[str] = []
    normalised = _normalise(password)
    lowered = normalised.lower()
    if len(normalised) < MIN_LENGTH:
        problems.append(_("密碼至少需要 %(count)d 個字元。", count=MIN_LENGTH))
    if len(normalised) > MAX_LENGTH:
        problems.append(_("密碼不可超過 %(count)d 個字元。", count=MAX_LENGTH))
    if _is_keyboard_run(lowered):
        problems.append(_("密碼不可是重複或連續的字元。"))
    elif any(fragment in lowered for fragment in _COMMON_FRAGMENTS):
        problems.append(_("密碼含有常見、容易被猜中的字串，請改用一句自己記得的話。"))
    if username and len(username) >= 3 and username.lower() in lowered:
        problems.append(_("密碼不可包含帳號名稱。"))
    return problems
