"""The X25519 recipient type (c2sp.org/age, "The X25519 recipient type"): ``age1...`` keys."""

from __future__ import annotations

import os

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from . import bech32
from .errors import HeaderError
from .format import Stanza, b64decode, b64encode
from .primitives import aead_decrypt, aead_encrypt, hkdf

TYPE = "X25519"
LABEL = b"age-encryption.org/v1/X25519"
RECIPIENT_PREFIX = "age"
IDENTITY_PREFIX = "age-secret-key-"


def _shared_secret(private: X25519PrivateKey, public: bytes) -> bytes:
    try:
        return private.exchange(X25519PublicKey.from_public_bytes(public))
    except ValueError:
        # cryptography refuses an all-zero result: the share is a low-order point.
        raise HeaderError("an X25519 share is a low-order point") from None


class Recipient:
    """An ``age1...`` public key: wraps a file key for its holder."""

    kind = "x25519"

    def __init__(self, public: bytes) -> None:
        self.public = public
        self._text = bech32.encode(RECIPIENT_PREFIX, public)

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"x25519.Recipient({self._text!r})"

    def wrap(self, file_key: bytes) -> Stanza:
        ephemeral = X25519PrivateKey.from_private_bytes(os.urandom(32))
        share = ephemeral.public_key().public_bytes_raw()
        wrap_key = hkdf(_shared_secret(ephemeral, self.public), share + self.public, LABEL)
        return Stanza([TYPE, b64encode(share).decode("ascii")], aead_encrypt(wrap_key, file_key))


class Identity:
    """An ``AGE-SECRET-KEY-1...`` private key."""

    kind = "x25519"

    def __init__(self, secret: bytes) -> None:
        self._private = X25519PrivateKey.from_private_bytes(secret)
        self._secret = secret
        self._public = self._private.public_key().public_bytes_raw()

    def __str__(self) -> str:
        return bech32.encode(IDENTITY_PREFIX, self._secret).upper()

    def __repr__(self) -> str:
        return "x25519.Identity(...)"

    @classmethod
    def generate(cls) -> Identity:
        return cls(os.urandom(32))

    def to_public(self) -> Recipient:
        return Recipient(self._public)

    def unwrap(self, stanzas: list[Stanza]) -> bytes | None:
        """The file key from the first stanza this identity opens; None if none is for it."""
        for stanza in stanzas:
            if stanza.args[0] != TYPE:
                continue
            if len(stanza.args) != 2:
                raise HeaderError("an X25519 stanza must have exactly one argument after its type")
            share = b64decode(stanza.args[1], "an X25519 share")
            if len(share) != 32:
                raise HeaderError("an X25519 share must be 32 bytes")
            if len(stanza.body) != 32:
                raise HeaderError("an X25519 stanza body must be a 32-byte wrapped key")
            wrap_key = hkdf(_shared_secret(self._private, share), share + self._public, LABEL)
            file_key = aead_decrypt(wrap_key, stanza.body)
            if file_key is not None:
                return file_key
        return None
