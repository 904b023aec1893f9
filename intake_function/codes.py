"""Human-readable codes: Crockford base32, object ids and key fingerprints.

Crockford's alphabet leaves out I, L, O and U, so a code read aloud over the
phone or copied by hand survives the usual confusions (0/O, 1/I/L).
"""

from __future__ import annotations

import secrets
import time

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_DECODE = {c: i for i, c in enumerate(ALPHABET)}
_DECODE.update({c.lower(): i for c, i in list(_DECODE.items())})
_DECODE.update({"O": 0, "o": 0, "I": 1, "i": 1, "L": 1, "l": 1})


def encode_int(value: int, length: int) -> str:
    """Encode a non-negative integer as exactly ``length`` base32 characters."""
    if value < 0 or value >= 32**length:
        raise ValueError(f"{value} does not fit in {length} base32 characters")
    chars = []
    for _ in range(length):
        value, digit = divmod(value, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def decode_int(text: str) -> int:
    value = 0
    for c in text:
        if c not in _DECODE:
            raise ValueError(f"character {c!r} is not in the code alphabet")
        value = value * 32 + _DECODE[c]
    return value


def encode_bytes(data: bytes) -> str:
    """Encode bytes, 5 bits a character, padding the last character with zero bits."""
    bits = len(data) * 8
    length = -(-bits // 5)
    value = int.from_bytes(data, "big") << (length * 5 - bits)
    return encode_int(value, length)


def decode_bytes(text: str, nbytes: int) -> bytes:
    """Decode ``encode_bytes`` output, accepting lower case, O for 0 and I/L for 1.

    Hyphens and spaces are ignored so that grouped codes can be pasted as written.
    """
    cleaned = [c for c in text if c not in "- "]
    length = -(-nbytes * 8 // 5)
    if len(cleaned) != length:
        raise ValueError(f"expected {length} characters, got {len(cleaned)}")
    value = decode_int("".join(cleaned))
    spare = length * 5 - nbytes * 8
    if value & ((1 << spare) - 1):
        raise ValueError("the last character has bits that a valid code never sets")
    return (value >> spare).to_bytes(nbytes, "big")


def group(text: str, size: int = 4, sep: str = "-") -> str:
    """Split a code into groups so that people can write it down."""
    return sep.join(text[i : i + size] for i in range(0, len(text), size))


def new_object_id(now_ms: int | None = None) -> str:
    """A ULID: 48 bits of milliseconds then 80 random bits, 26 characters.

    Sorting the ids sorts the objects by time of arrival, and the 80 random bits
    make a collision between two submissions in the same millisecond negligible.
    """
    if now_ms is None:
        now_ms = time.time_ns() // 1_000_000
    return encode_int(now_ms, 10) + encode_int(secrets.randbits(80), 16)


def is_object_id(text: str) -> bool:
    return len(text) == 26 and all(c in ALPHABET for c in text) and text[0] in "01234567"
