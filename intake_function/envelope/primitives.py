"""The symmetric pieces every part of the format shares: HKDF-SHA-256, the fixed-nonce AEAD, the header MAC."""

from __future__ import annotations

import hmac

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

ZERO_NONCE = bytes(12)


def hkdf_extract(salt: bytes, ikm: bytes) -> bytes:
    # An empty salt is HMAC's zero key, as RFC 5869 says for "not provided".
    return hmac.digest(salt, ikm, "sha256")


def hkdf_expand(prk: bytes, info: bytes, length: int) -> bytes:
    output, block, counter = b"", b"", 1
    while len(output) < length:
        block = hmac.digest(prk, block + info + bytes([counter]), "sha256")
        output += block
        counter += 1
    return output[:length]


def hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    """HKDF-SHA-256 with 32 bytes of output: every key the age format derives."""
    return hkdf_expand(hkdf_extract(salt, ikm), info, 32)


def aead_encrypt(key: bytes, plaintext: bytes) -> bytes:
    """ChaCha20-Poly1305 with the all-zero nonce: each wrap key is used once."""
    return ChaCha20Poly1305(key).encrypt(ZERO_NONCE, plaintext, None)


def aead_decrypt(key: bytes, ciphertext: bytes) -> bytes | None:
    """The plaintext, or None when the tag does not match (this key is not the one)."""
    try:
        return ChaCha20Poly1305(key).decrypt(ZERO_NONCE, ciphertext, None)
    except InvalidTag:
        return None


def header_mac(file_key: bytes, header_without_mac: bytes) -> bytes:
    """HMAC-SHA-256 over the header up to and including ``---``, keyed from the file key."""
    return hmac.digest(hkdf(file_key, b"", b"header"), header_without_mac, "sha256")
