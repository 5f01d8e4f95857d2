"""Sealing: what citizens tell us about themselves, encrypted at rest with keys from the settings.

Contact details and case descriptions are stored sealed: AES-256-GCM under a key named
in the stored text, `s1.<key id>.<nonce and ciphertext in base64url>`. `CASE_DATA_KEYS`
lists the keys as `id:secret`, newest first: new text is sealed with the first, and any
listed key opens what it sealed, so a key is rotated by putting a new one first, running
`flask cases reseal` (every sealed value sealed again with the newest key) and then
removing the old one. The key id is bound to the ciphertext as associated data, so a
value cannot be moved under another key's name; a value altered in the database fails
to open instead of reading as something else.

Files (case attachments) are sealed the same way as bytes: `s1b`, the key id's length
and the key id, then the nonce and ciphertext, with the key id and the file's own storage
key bound as associated data, so a file moved under another attachment's name fails to
open.

The database never holds a key: a copy of it (or of its backups) without the settings
shows no contact detail and no description.
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "s1"
BYTES_PREFIX = b"s1b"
NONCE_BYTES = 12
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


class SealError(ValueError):
    """A sealed value that cannot be opened: unknown key, altered or not sealed at all."""


def _derive(key_id: str, secret: str) -> AESGCM:
    # The settings hold text of any length; each key id gets its own 256-bit key from it.
    material = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"case-data:{key_id}".encode())
    return AESGCM(material.derive(secret.encode()))


@dataclass(frozen=True)
class KeyRing:
    """The keys that seal and open case data: the first seals, every one opens."""

    ids: tuple[str, ...]
    _ciphers: dict[str, AESGCM]

    @classmethod
    def parse(cls, setting: str) -> KeyRing:
        """The ring `CASE_DATA_KEYS` describes (`id:secret,id:secret`, newest first)."""
        ids: list[str] = []
        ciphers: dict[str, AESGCM] = {}
        for part in (item.strip() for item in setting.split(",")):
            if not part:
                continue
            key_id, separator, secret = part.partition(":")
            if not separator or not _KEY_ID.match(key_id) or len(secret) < 32:
                raise ValueError(
                    "CASE_DATA_KEYS takes id:secret pairs: an id of letters, digits, _ or - "
                    "(at most 16) and a secret of at least 32 characters"
                )
            if key_id in ciphers:
                raise ValueError(f"CASE_DATA_KEYS names key {key_id!r} twice")
            ids.append(key_id)
            ciphers[key_id] = _derive(key_id, secret)
        if not ids:
            raise ValueError("CASE_DATA_KEYS holds no key")
        return cls(tuple(ids), ciphers)

    @property
    def current(self) -> str:
        """The id of the key new values are sealed with."""
        return self.ids[0]

    def seal(self, text: str) -> str:
        """`text` sealed with the current key."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.current].encrypt(nonce, text.encode(), self.current.encode())
        body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{PREFIX}.{self.current}.{body}"

    def key_of(self, sealed: str) -> str:
        """The id of the key a sealed value names."""
        parts = sealed.split(".")
        if len(parts) != 3 or parts[0] != PREFIX:
            raise SealError("not a sealed value")
        return parts[1]

    def open(self, sealed: str) -> str:
        """The text of a sealed value."""
        key_id = self.key_of(sealed)
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise SealError(f"sealed with key {key_id!r}, which CASE_DATA_KEYS no longer holds")
        body = sealed.split(".")[2]
        try:
            raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], key_id.encode()).decode()
        except (InvalidTag, ValueError) as error:
            raise SealError("the sealed value was altered or is damaged") from error

    def needs_resealing(self, sealed: str) -> bool:
        """Whether a sealed value was sealed with an older key than the current one."""
        return self.key_of(sealed) != self.current

    def seal_bytes(self, data: bytes, context: bytes = b"") -> bytes:
        """`data` sealed with the current key, bound to `context` (which opening must name again)."""
        key_id = self.current.encode()
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.current].encrypt(nonce, data, key_id + b"\0" + context)
        return BYTES_PREFIX + bytes([len(key_id)]) + key_id + nonce + sealed

    def key_of_bytes(self, sealed: bytes) -> str:
        """The id of the key sealed bytes name."""
        start = len(BYTES_PREFIX) + 1
        if len(sealed) < start or not sealed.startswith(BYTES_PREFIX):
            raise SealError("not sealed bytes")
        key_id = sealed[start : start + sealed[start - 1]]
        try:
            return key_id.decode("ascii")
        except UnicodeDecodeError as error:
            raise SealError("not sealed bytes") from error

    def open_bytes(self, sealed: bytes, context: bytes = b"") -> bytes:
        """The bytes `seal_bytes` sealed with the same `context`."""
        key_id = self.key_of_bytes(sealed)
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise SealError(f"sealed with key {key_id!r}, which CASE_DATA_KEYS no longer holds")
        body = sealed[len(BYTES_PREFIX) + 1 + len(key_id) :]
        try:
            return cipher.decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], key_id.encode() + b"\0" + context)
        except (InvalidTag, ValueError) as error:
            raise SealError("the sealed file was altered, is damaged or belongs elsewhere") from error
