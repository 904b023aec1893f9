"""Bech32 (BIP 173) without its 90-character limit, as age encodes keys (``age1pq1...`` is 1,959 characters)."""

from __future__ import annotations

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_VALUES = {c: i for i, c in enumerate(CHARSET)}
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _polymod(values: list[int]) -> int:
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for i in range(5):
            if top >> i & 1:
                checksum ^= _GENERATOR[i]
    return checksum


def _expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def encode(hrp: str, data: bytes) -> str:
    """The lower-case Bech32 string of ``data`` under ``hrp`` (give ``hrp`` in lower case)."""
    acc, bits, words = 0, 0, []
    for byte in data:
        acc = (acc << 8 | byte) & 0xFFF
        bits += 8
        while bits >= 5:
            bits -= 5
            words.append(acc >> bits & 31)
    if bits:
        words.append(acc << (5 - bits) & 31)
    polymod = _polymod([*_expand(hrp), *words, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [polymod >> 5 * (5 - i) & 31 for i in range(6)]
    return hrp + "1" + "".join(CHARSET[w] for w in words + checksum)


def decode(text: str) -> tuple[str, bytes]:
    """The (lower-case) HRP and the data of a Bech32 string; ValueError if it is not one."""
    if text.lower() != text and text.upper() != text:
        raise ValueError("mixed case")
    text = text.lower()
    separator = text.rfind("1")
    if separator < 1 or separator + 7 > len(text):
        raise ValueError("no separator, or too short")
    hrp, rest = text[:separator], text[separator + 1 :]
    if not all(33 <= ord(c) <= 126 for c in hrp):
        raise ValueError("invalid character in the prefix")
    try:
        words = [_VALUES[c] for c in rest]
    except KeyError:
        raise ValueError("invalid character") from None
    if _polymod(_expand(hrp) + words) != 1:
        raise ValueError("wrong checksum")
    acc, bits, data = 0, 0, bytearray()
    for word in words[:-6]:
        acc = (acc << 5 | word) & 0xFFF
        bits += 5
        if bits >= 8:
            bits -= 8
            data.append(acc >> bits & 0xFF)
    if bits >= 5 or acc & ((1 << bits) - 1):
        raise ValueError("non-zero or excess padding")
    return hrp, bytes(data)
