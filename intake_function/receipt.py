"""Receipt codes and what is derived from them (specification: ``schemas/RECEIPT.md``).

A receipt code is 100 random bits written as 20 Crockford base32 characters in
four groups, ``XXXXX-XXXXX-XXXXX-XXXXX``. It is made in the reporter's browser
and never sent anywhere. From it, with HKDF-SHA-256, both the browser and the
function derive:

* the **lookup id** (128 bits, 32 hex characters): the folder ``outbox/<lookup id>/``
  where the Office leaves encrypted answers; knowing it reveals nothing of the code;
* the **reply identity**: an X25519 age identity whose recipient goes inside the
  report, so that the Office can encrypt answers only the code's holder can read.

The JavaScript side (``web/src/receipt.js``) follows the same steps and is
checked against the vectors in ``schemas/receipt-vectors.json``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from . import codes

CODE_BITS = 100
CODE_LENGTH = 20
GROUP = 5
SALT = b"bqlkkt-angiang/receipt/v1"
LOOKUP_INFO = b"lookup-id"
REPLY_INFO = b"reply-identity"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


class ReceiptCodeError(ValueError):
    """The text is not a receipt code; the message says which group is wrong."""


@dataclass(frozen=True)
class Derived:
    lookup_id: str
    reply_identity: str  # AGE-SECRET-KEY-1...
    reply_recipient: str  # age1...


def new_code() -> str:
    """A fresh receipt code from the operating system's CSPRNG."""
    return format_code(codes.encode_int(secrets.randbits(CODE_BITS), CODE_LENGTH))


def format_code(compact: str) -> str:
    return "-".join(compact[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalise(text: str) -> str:
    """The 20 canonical characters of a code as typed: case, hyphens, spaces, O/I/L forgiven."""
    cleaned = "".join(c for c in text.strip().upper() if c not in "- ")
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(cleaned) != CODE_LENGTH:
        raise ReceiptCodeError(f"a receipt code has {CODE_LENGTH} characters, not {len(cleaned)}")
    for index, char in enumerate(cleaned):
        if char not in codes.ALPHABET:
            raise ReceiptCodeError(f"group {index // GROUP + 1} holds {char!r}, which no code contains")
    return cleaned


def hkdf_sha256(ikm: bytes, salt: bytes, info: bytes, length: int) -> bytes:
    """HKDF (RFC 5869) with SHA-256: extract, then expand."""
    prk = hmac.new(salt, ikm, hashlib.sha256).digest()
    output, block = b"", b""
    for counter in range(1, -(-length // 32) + 1):
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        output += block
    return output[:length]


def _bech32_polymod(values: list[int]) -> int:
    generator = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            checksum ^= generator[i] if (top >> i) & 1 else 0
    return checksum


def bech32_encode(hrp: str, data: bytes) -> str:
    """Bech32 (BIP 173), the encoding of age keys; ``hrp`` in lower case."""
    acc, bits, words = 0, 0, []
    for byte in data:
        acc = acc << 8 | byte
        bits += 8
        while bits >= 5:
            bits -= 5
            words.append(acc >> bits & 31)
    if bits:
        words.append(acc << (5 - bits) & 31)
    expanded = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    polymod = _bech32_polymod(expanded + words + [0] * 6) ^ 1
    checksum = [polymod >> 5 * (5 - i) & 31 for i in range(6)]
    return hrp + "1" + "".join(_BECH32[w] for w in words + checksum)


def derive(code: str) -> Derived:
    """The lookup id and reply identity of a code (ReceiptCodeError if it is not one)."""
    from pyrage import x25519

    ikm = normalise(code).encode("ascii")
    lookup_id = hkdf_sha256(ikm, SALT, LOOKUP_INFO, 16).hex()
    secret = hkdf_sha256(ikm, SALT, REPLY_INFO, 32)
    identity_text = bech32_encode("age-secret-key-", secret).upper()
    identity = x25519.Identity.from_str(identity_text)
    return Derived(lookup_id, identity_text, str(identity.to_public()))
