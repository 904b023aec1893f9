"""The hybrid post-quantum recipient type: ML-KEM-768 + X25519 (X-Wing) through HPKE.

c2sp.org/age, "The MLKEM768-X25519 (i.e. X-Wing) hybrid post-quantum recipient
type": keys ``age1pq1...`` / ``AGE-SECRET-KEY-PQ-1...``; the file key is sealed
with HPKE's SealBase (RFC 9180, section 6.1) with the MLKEM768-X25519 KEM
(filippo.io/hpke-pq), HKDF-SHA256 and ChaCha20Poly1305, info
``age-encryption.org/mlkem768x25519`` and an empty aad. Written out step by step
from those documents, on ``cryptography``'s ML-KEM-768 and X25519.
"""

from __future__ import annotations

import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.mlkem import MLKEM768PrivateKey, MLKEM768PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from . import bech32
from .errors import EnvelopeError, HeaderError
from .format import Stanza, b64decode, b64encode
from .primitives import hkdf_expand, hkdf_extract

TYPE = "mlkem768x25519"
INFO = b"age-encryption.org/mlkem768x25519"
RECIPIENT_PREFIX = "age1pq"
IDENTITY_PREFIX = "age-secret-key-pq-"

MLKEM_PUBLIC_SIZE = 1184
MLKEM_CIPHERTEXT_SIZE = 1088
PUBLIC_SIZE = MLKEM_PUBLIC_SIZE + 32  # 1,216 bytes
ENC_SIZE = MLKEM_CIPHERTEXT_SIZE + 32  # 1,120 bytes

# --- the KEM: MLKEM768-X25519 (X-Wing) ------------------------------------------------------

XWING_LABEL = b"\\.//^\\"


def _combine(mlkem_secret: bytes, x25519_secret: bytes, x25519_ciphertext: bytes, x25519_public: bytes) -> bytes:
    return hashlib.sha3_256(mlkem_secret + x25519_secret + x25519_ciphertext + x25519_public + XWING_LABEL).digest()


def _x25519(private: X25519PrivateKey, public: bytes) -> bytes:
    try:
        return private.exchange(X25519PublicKey.from_public_bytes(public))
    except ValueError:
        raise HeaderError("the X25519 part of a hybrid stanza is a low-order point") from None


def _encapsulate(public: bytes) -> tuple[bytes, bytes]:
    """(shared secret, enc) for a 1,216-byte MLKEM768-X25519 public key."""
    mlkem_public, x25519_public = public[:MLKEM_PUBLIC_SIZE], public[MLKEM_PUBLIC_SIZE:]
    mlkem_secret, mlkem_ciphertext = MLKEM768PublicKey.from_public_bytes(mlkem_public).encapsulate()
    ephemeral = X25519PrivateKey.from_private_bytes(os.urandom(32))
    x25519_ciphertext = ephemeral.public_key().public_bytes_raw()
    secret = _combine(mlkem_secret, _x25519(ephemeral, x25519_public), x25519_ciphertext, x25519_public)
    return secret, mlkem_ciphertext + x25519_ciphertext


class _ExpandedKey:
    """The two private keys a 32-byte hybrid seed stands for (SHAKE256 to 96 bytes: 64 + 32)."""

    def __init__(self, seed: bytes) -> None:
        expanded = hashlib.shake_256(seed).digest(96)
        self.mlkem = MLKEM768PrivateKey.from_seed_bytes(expanded[:64])
        self.x25519 = X25519PrivateKey.from_private_bytes(expanded[64:])
        self.x25519_public = self.x25519.public_key().public_bytes_raw()
        self.public = self.mlkem.public_key().public_bytes_raw() + self.x25519_public

    def decapsulate(self, enc: bytes) -> bytes:
        mlkem_ciphertext, x25519_ciphertext = enc[:MLKEM_CIPHERTEXT_SIZE], enc[MLKEM_CIPHERTEXT_SIZE:]
        mlkem_secret = self.mlkem.decapsulate(mlkem_ciphertext)
        x25519_secret = _x25519(self.x25519, x25519_ciphertext)
        return _combine(mlkem_secret, x25519_secret, x25519_ciphertext, self.x25519_public)


# --- HPKE, base mode, one message (RFC 9180) ------------------------------------------------

# suite_id = "HPKE" || kem_id || kdf_id (HKDF-SHA256) || aead_id (ChaCha20Poly1305)
SUITE_ID = b"HPKE" + (0x647A).to_bytes(2, "big") + (0x0001).to_bytes(2, "big") + (0x0003).to_bytes(2, "big")


def _labeled_extract(salt: bytes, label: bytes, ikm: bytes) -> bytes:
    return hkdf_extract(salt, b"HPKE-v1" + SUITE_ID + label + ikm)


def _labeled_expand(prk: bytes, label: bytes, info: bytes, length: int) -> bytes:
    return hkdf_expand(prk, length.to_bytes(2, "big") + b"HPKE-v1" + SUITE_ID + label + info, length)


def _key_schedule(shared_secret: bytes) -> tuple[ChaCha20Poly1305, bytes]:
    """KeyScheduleS/R in mode_base with our info: the AEAD and the nonce of the first (only) message."""
    context = b"\x00" + _labeled_extract(b"", b"psk_id_hash", b"") + _labeled_extract(b"", b"info_hash", INFO)
    secret = _labeled_extract(shared_secret, b"secret", b"")
    key = _labeled_expand(secret, b"key", context, 32)
    base_nonce = _labeled_expand(secret, b"base_nonce", context, 12)
    return ChaCha20Poly1305(key), base_nonce


# --- keys and stanzas -----------------------------------------------------------------------


class Recipient:
    """An ``age1pq1...`` public key (1,216 bytes: ML-KEM-768's, then X25519's)."""

    kind = "hybrid"

    def __init__(self, public: bytes) -> None:
        if len(public) != PUBLIC_SIZE:
            raise EnvelopeError("a hybrid public key is 1,216 bytes")
        try:
            MLKEM768PublicKey.from_public_bytes(public[:MLKEM_PUBLIC_SIZE])
        except ValueError:
            raise EnvelopeError(
                "khóa công khai lai hỏng (phần ML-KEM không hợp lệ) / the hybrid key's ML-KEM part is invalid"
            ) from None
        self.public = public
        self._text = bech32.encode(RECIPIENT_PREFIX, public)

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"hybrid.Recipient({self._text[:20]!r}...)"

    def wrap(self, file_key: bytes) -> Stanza:
        shared_secret, enc = _encapsulate(self.public)
        aead, nonce = _key_schedule(shared_secret)
        return Stanza([TYPE, b64encode(enc).decode("ascii")], aead.encrypt(nonce, file_key, b""))


class Identity:
    """An ``AGE-SECRET-KEY-PQ-1...`` private key: a 32-byte seed."""

    kind = "hybrid"

    def __init__(self, seed: bytes) -> None:
        self._seed = seed
        self._key = _ExpandedKey(seed)

    def __str__(self) -> str:
        return bech32.encode(IDENTITY_PREFIX, self._seed).upper()

    def __repr__(self) -> str:
        return "hybrid.Identity(...)"

    @classmethod
    def generate(cls) -> Identity:
        return cls(os.urandom(32))

    def to_public(self) -> Recipient:
        return Recipient(self._key.public)

    def unwrap(self, stanzas: list[Stanza]) -> bytes | None:
        """The file key from the first stanza this identity opens; None if none is for it."""
        for stanza in stanzas:
            if stanza.args[0] != TYPE:
                continue
            if len(stanza.args) != 2:
                raise HeaderError("a hybrid stanza must have exactly one argument after its type")
            enc = b64decode(stanza.args[1], "a hybrid encapsulated key")
            if len(enc) != ENC_SIZE:
                raise HeaderError("a hybrid encapsulated key must be 1,120 bytes")
            if len(stanza.body) != 32:
                raise HeaderError("a hybrid stanza body must be a 32-byte wrapped key")
            aead, nonce = _key_schedule(self._key.decapsulate(enc))
            try:
                return aead.decrypt(nonce, stanza.body, b"")
            except InvalidTag:
                continue
        return None
