"""Strict decoders for untrusted text: canonical base64 and bounded JSON.

Two rules hold for everything that arrives from outside:

* **One spelling.** A value has exactly one accepted encoding. Base64 with
  unused bits set, missing or extra padding, whitespace or characters from the
  other alphabet is refused, not "repaired": a lenient decoder lets four
  spellings of one credential look like four credentials.
* **Bounded work.** JSON is measured before it is parsed: its size, then its
  nesting depth (counted outside strings, with a linear scan), so that
  ``[`` x 100,000 is a clear refusal instead of a RecursionError. Duplicate
  keys, NaN and Infinity are refused too: two readers of the same bytes must
  never see two different documents.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

# A JSON string: a quote, then anything but a quote or backslash, or an escape, then a quote.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]")
_BASE64 = re.compile(rb"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_BASE64URL = re.compile(rb"[A-Za-z0-9_-]*")


class DecodeError(ValueError):
    """The input is not in the one encoding we accept, or is over a bound; the message says which."""


def canonical_b64decode(text: str | bytes, *, urlsafe: bool = False) -> bytes:
    """Decode base64 that must be exactly what an encoder writes for its bytes.

    Standard alphabet with ``=`` padding, or (``urlsafe``) the URL-safe
    alphabet without padding, as itsdangerous and JWTs write it.
    """
    data = text.encode("ascii", "replace") if isinstance(text, str) else bytes(text)
    if urlsafe:
        if not _BASE64URL.fullmatch(data) or len(data) % 4 == 1:
            raise DecodeError("not unpadded URL-safe base64")
        try:
            decoded = base64.urlsafe_b64decode(data + b"=" * (-len(data) % 4))
        except binascii.Error:
            raise DecodeError("not URL-safe base64") from None
        if base64.urlsafe_b64encode(decoded).rstrip(b"=") != data:
            raise DecodeError("not canonical base64 (unused bits are set)")
        return decoded
    if not _BASE64.fullmatch(data):
        raise DecodeError("not padded standard base64")
    try:
        decoded = base64.b64decode(data, validate=True)
    except binascii.Error:
        raise DecodeError("not base64") from None
    if base64.b64encode(decoded) != data:
        raise DecodeError("not canonical base64 (unused bits are set)")
    return decoded


def json_depth(data: bytes) -> int:
    """The deepest nesting of arrays and objects in a JSON text (brackets inside strings ignored)."""
    depth = deepest = 0
    for bracket in _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", data)):
        if bracket in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise DecodeError("a JSON object has the same key twice")
    return result


def _no_constants(name: str) -> Any:
    raise DecodeError(f"{name} is not a JSON number")


def load_json(data: bytes | str, *, max_bytes: int, max_depth: int) -> Any:
    """Parse untrusted JSON under a size and a depth bound; DecodeError for anything else."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    if len(raw) > max_bytes:
        raise DecodeError(f"the JSON text is larger than {max_bytes} bytes")
    if json_depth(raw) > max_depth:
        raise DecodeError(f"the JSON text is nested deeper than {max_depth} levels")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DecodeError("the JSON text is not UTF-8") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except DecodeError:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, and ints over Python's digit limit
        raise DecodeError(f"not valid JSON: {exc}") from None
