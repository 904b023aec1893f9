"""The header: version line, recipient stanzas, MAC line (c2sp.org/age, "Header").

``parse`` reads any well-formed header, as the spec's ABNF defines it; the rules of
each recipient type are checked by that type (x25519, hybrid, scrypt). ``check``
is the intake function's keyless check of untrusted input, stricter still: only
the stanzas our own encoders write, with their exact lengths.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import BinaryIO

from .errors import HeaderError

MAGIC = b"age-encryption.org/v1\n"
MAC_MARK = b"---"
STANZA_MARK = b"-> "
COLUMNS = 64
# VCHAR per RFC 5234: a stanza argument is one or more of these.
VCHARS = re.compile(rb"[\x21-\x7e]+")
_BASE64_CHARS = re.compile(rb"[A-Za-z0-9+/]*")
# What the Office's tools will read as a header at all; the intake function's bound is far lower.
MAX_READ_HEADER = 64 * 1024


@dataclass(frozen=True)
class Stanza:
    args: list[str]
    body: bytes

    def encode(self) -> bytes:
        text = b64encode(self.body)
        lines = [text[i : i + COLUMNS] for i in range(0, len(text), COLUMNS)]
        if not lines or len(lines[-1]) == COLUMNS:
            lines.append(b"")  # the body always ends with a short line, maybe empty
        return STANZA_MARK + " ".join(self.args).encode("ascii") + b"\n" + b"\n".join(lines) + b"\n"


@dataclass(frozen=True)
class ParsedHeader:
    stanzas: list[Stanza]
    covered: bytes  # the header up to and including "---": what the MAC is over
    mac: bytes
    size: int  # bytes up to and including the MAC line's newline


def b64encode(data: bytes) -> bytes:
    return base64.b64encode(data).rstrip(b"=")


def b64decode(text: bytes | str, what: str = "a value") -> bytes:
    """age's base64: standard alphabet, no padding, canonical final bits; HeaderError otherwise."""
    if isinstance(text, str):
        text = text.encode("ascii")
    if not _BASE64_CHARS.fullmatch(text) or len(text) % 4 == 1:
        raise HeaderError(f"{what} is not unpadded base64")
    try:
        decoded = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except binascii.Error:
        raise HeaderError(f"{what} is not valid base64") from None
    if b64encode(decoded) != text:
        raise HeaderError(f"{what} is not canonical base64")
    return decoded


def encode(stanzas: list[Stanza]) -> bytes:
    """The header without its MAC: version line, stanzas and the ``---`` mark the MAC covers."""
    return MAGIC + b"".join(s.encode() for s in stanzas) + MAC_MARK


def parse(data: bytes) -> ParsedHeader:
    """Parse the header at the start of ``data`` (which may go on with the payload)."""
    if not data.startswith(MAGIC):
        if data.startswith(b"age-encryption.org/"):
            raise HeaderError("unsupported age format version (only v1 is known)")
        raise HeaderError("not an age v1 envelope (the first line is wrong)")
    position, stanzas = len(MAGIC), []
    while True:
        line, position = _line(data, position)
        if line.startswith(STANZA_MARK):
            stanza, position = _stanza(line, data, position)
            stanzas.append(stanza)
        elif line.startswith(MAC_MARK):
            if line[3:4] != b" " or len(line) != 4 + 43:
                raise HeaderError("the MAC line is not '--- ' and 43 base64 characters")
            mac = b64decode(line[4:], "the header MAC")
            if not stanzas:
                raise HeaderError("the header has no recipient stanza")
            covered_end = position - len(line) - 1 + len(MAC_MARK)
            return ParsedHeader(stanzas, data[:covered_end], mac, position)
        else:
            raise HeaderError("a header line is neither a stanza nor the MAC line")


def _line(data: bytes, position: int) -> tuple[bytes, int]:
    end = data.find(b"\n", position)
    if end < 0:
        raise HeaderError("the header ends before its MAC line")
    return data[position:end], end + 1


def _stanza(first: bytes, data: bytes, position: int) -> tuple[Stanza, int]:
    args = first[len(STANZA_MARK) :].split(b" ")
    if not all(VCHARS.fullmatch(arg) for arg in args):
        raise HeaderError("a stanza has an empty or non-printable argument")
    body = b""
    while True:
        line, position = _line(data, position)
        if len(line) > COLUMNS:
            raise HeaderError("a stanza body line is longer than 64 characters")
        if not _BASE64_CHARS.fullmatch(line):
            raise HeaderError("a stanza body is not terminated by a short line of base64")
        body += line
        if len(line) < COLUMNS:
            break
    return Stanza([a.decode("ascii") for a in args], b64decode(body, "a stanza body")), position


def read(source: BinaryIO, limit: int = MAX_READ_HEADER) -> tuple[ParsedHeader, bytes]:
    """Read a header from a stream; return it and the bytes read past it (the payload's start)."""
    data = b""
    while True:
        # Body lines are base64 and argument lines start with "->": the first line starting
        # with "---" is the MAC line.
        mark = data.find(b"\n" + MAC_MARK)
        if mark >= 0 and data.find(b"\n", mark + 1) >= 0:
            break
        if len(data) > limit:
            raise HeaderError(f"no header end within the first {limit} bytes")
        block = source.read(4096)
        if not block:
            break
        data += block
    header = parse(data)
    return header, data[header.size :]


# --- the intake function's keyless check ----------------------------------------------------

# Exact shapes of the stanzas our encoders write (typage in the page, this package in Python).
X25519_SHARE = 32
HYBRID_ENC = 1120  # ML-KEM-768 ciphertext (1,088 bytes) and an X25519 share (32)
WRAPPED_KEY = 32  # a 16-byte file key and its 16-byte tag
MAX_RECIPIENT_STANZAS = 8
MAX_GREASE_STANZAS = 2
MAX_GREASE_BODY = 256
_HYBRID_STANZA_SIZE = len(b"-> mlkem768x25519 \n") + len(b64encode(bytes(HYBRID_ENC))) + 44
# Eight hybrid stanzas (1,557 bytes each), two grease stanzas and the lines around them.
MAX_HEADER_SIZE = 16 * 1024


@dataclass(frozen=True)
class Header:
    """What can be learned from an envelope without a key."""

    size: int
    x25519_stanzas: int
    hybrid_stanzas: int

    @property
    def kind(self) -> str:
        return "hybrid" if self.hybrid_stanzas else "x25519"


def check(data: bytes) -> Header:
    """Check the header of an untrusted envelope; ``data`` may be just its beginning.

    Accepts X25519 stanzas or hybrid (mlkem768x25519) stanzas, never both in one
    envelope, each with its exact lengths, plus at most two small "grease" stanzas
    (rage adds one at random, as the spec invites). Passphrase (scrypt), SSH,
    plugin, tag and armored envelopes are refused. The MAC needs the key: not checked.
    """
    if data.lstrip().startswith(b"-----BEGIN"):
        raise HeaderError("armored (ASCII) envelopes are not accepted; send the binary form")
    end = data.find(b"\n--- ", 0, MAX_HEADER_SIZE)
    if end < 0 or data.find(b"\n", end + 1, MAX_HEADER_SIZE) < 0:
        if not data.startswith(MAGIC):
            raise HeaderError("not an age v1 envelope (the first line is wrong)")
        raise HeaderError(f"no header end within the first {MAX_HEADER_SIZE} bytes")
    header = parse(data[: data.find(b"\n", end + 1) + 1])
    counts = {"X25519": 0, "mlkem768x25519": 0, "grease": 0}
    for stanza in header.stanzas:
        counts[_stanza_kind(stanza)] += 1
    if counts["X25519"] and counts["mlkem768x25519"]:
        raise HeaderError("an envelope mixes X25519 and hybrid recipients: no better than X25519 alone")
    if not counts["X25519"] + counts["mlkem768x25519"]:
        raise HeaderError("the envelope has no X25519 or hybrid recipient stanza")
    if counts["X25519"] + counts["mlkem768x25519"] > MAX_RECIPIENT_STANZAS:
        raise HeaderError(f"more than {MAX_RECIPIENT_STANZAS} recipient stanzas in the header")
    if counts["grease"] > MAX_GREASE_STANZAS:
        raise HeaderError("too many unknown stanzas in the header")
    return Header(header.size, counts["X25519"], counts["mlkem768x25519"])


def _stanza_kind(stanza: Stanza) -> str:
    kind, args = stanza.args[0], stanza.args[1:]
    if kind == "X25519":
        if len(args) != 1 or len(b64decode(args[0], "an X25519 share")) != X25519_SHARE:
            raise HeaderError("an X25519 stanza must carry one 32-byte share")
        if len(stanza.body) != WRAPPED_KEY:
            raise HeaderError("an X25519 stanza body must be a 32-byte wrapped key")
        return kind
    if kind == "mlkem768x25519":
        if len(args) != 1 or len(b64decode(args[0], "a hybrid encapsulated key")) != HYBRID_ENC:
            raise HeaderError("a hybrid stanza must carry one 1,120-byte encapsulated key")
        if len(stanza.body) != WRAPPED_KEY:
            raise HeaderError("a hybrid stanza body must be a 32-byte wrapped key")
        return kind
    if kind.endswith("-grease") and len(stanza.body) <= MAX_GREASE_BODY:
        return "grease"
    raise HeaderError(f"stanza type {kind[:20]!r} is not accepted: only X25519 or hybrid recipients are")
