"""The envelope: age v1 (https://c2sp.org/age), binary, to the Office's recipients.

This package is the only place that knows the format. Everything that encrypts,
decrypts or inspects a stored object goes through it, so that every object can
always be opened with a reference tool as a fallback: the ``age`` command-line
tool (age 1.3 or later for hybrid keys) or typage.

Two kinds of Office keys: **hybrid** post-quantum keys (ML-KEM-768 + X25519,
``age1pq1...``, the default) and **X25519** keys (``age1...``, "classic"). A file
encrypted to a classic key as well is no better than that key, so a set of
recipients never mixes the two kinds.

The format is written out here on ``cryptography``'s primitives, in the shape of
the reference implementation (FiloSottile/age):

    format.py     the header: stanzas, MAC line; the intake function's keyless check
    stream.py     the payload: STREAM in 64 KiB chunks, memory flat
    x25519.py     ``age1...`` / ``AGE-SECRET-KEY-1...``
    hybrid.py     ``age1pq1...`` / ``AGE-SECRET-KEY-PQ-1...``: ML-KEM-768 + X25519 through HPKE
    scrypt.py     passphrases, which protect identity files (as ``age -p``)
    armor.py      the ASCII armor (read, for files made by ``age -a``)
    bech32.py     the keys' text encoding
    errors.py     one exception per stage of opening an envelope

It is checked against the reference's test vectors (``cctv-age``), the ``age``
CLI and typage (tests/test_envelope.py, tests/test_vectors.py).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from .. import codes
from . import armor, bech32, format, hybrid, scrypt, stream, x25519
from .errors import ArmorError, EnvelopeError, HeaderError, MacError, NoMatchError, PayloadError
from .format import MAGIC, MAX_HEADER_SIZE, Header
from .format import VCHARS as _VCHARS
from .primitives import header_mac
from .stream import ciphertext_size, payload_size_is_possible

__all__ = [
    "MAGIC",
    "MAX_HEADER_SIZE",
    "ArmorError",
    "EnvelopeError",
    "Header",
    "HeaderError",
    "Identity",
    "MacError",
    "NoMatchError",
    "PayloadError",
    "Recipient",
    "check_envelope",
    "ciphertext_size",
    "decrypt",
    "decrypt_stream",
    "encrypt",
    "encrypt_stream",
    "fingerprint",
    "generate_identity",
    "identity_file_text",
    "kind_label",
    "load_identities",
    "parse_header",
    "parse_identities",
    "parse_recipient",
    "parse_recipients",
    "payload_size_is_possible",
    "protect_with_passphrase",
]

HYBRID, X25519 = "hybrid", "x25519"
Recipient = x25519.Recipient | hybrid.Recipient
Identity = x25519.Identity | hybrid.Identity

_RECIPIENT_RE = re.compile(r"age1[02-9ac-hj-np-z]{58}")
_HYBRID_RECIPIENT_RE = re.compile(r"age1pq1[02-9ac-hj-np-z]{1952}")
# Either kind of public key, for whoever looks for keys in a text (pages, manifests, files).
RECIPIENT_PATTERN = f"(?:{_HYBRID_RECIPIENT_RE.pattern}|{_RECIPIENT_RE.pattern})"
_SECRET_RE = re.compile(r"AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}")
_HYBRID_SECRET_RE = re.compile(r"AGE-SECRET-KEY-PQ-1[02-9AC-HJ-NP-Z]{58}")
_ARMOR_BEGIN = armor.BEGIN
_VCHARS = _VCHARS  # re-exported: the stanza argument rule (tests/test_validators.py)

_KIND_LABELS = {
    HYBRID: "khóa lai hậu lượng tử ML-KEM-768 + X25519 / hybrid post-quantum key (ML-KEM-768 + X25519)",
    X25519: "khóa X25519 cổ điển / classic X25519 key",
}


# --- keys -----------------------------------------------------------------------------------


def parse_recipient(text: str) -> Recipient:
    """Parse one recipient, hybrid (``age1pq1...``) or X25519 (``age1...``), naming what is wrong."""
    text = text.strip()
    if _HYBRID_RECIPIENT_RE.fullmatch(text):
        kind, prefix = hybrid.Recipient, hybrid.RECIPIENT_PREFIX
    elif _RECIPIENT_RE.fullmatch(text):
        kind, prefix = x25519.Recipient, x25519.RECIPIENT_PREFIX
    else:
        raise EnvelopeError(
            f"{text[:16]!r}... không phải khóa công khai age (age1pq1 và 1.952 ký tự, hoặc age1 và 58 ký tự) / "
            "is not an age recipient: expected a hybrid key ('age1pq1' and 1,952 characters) or an X25519 "
            "recipient ('age1' and 58 characters)"
        )
    try:
        hrp, data = bech32.decode(text)
        if hrp != prefix:
            raise ValueError("wrong prefix")
        return kind(data)
    except (ValueError, EnvelopeError) as exc:
        raise EnvelopeError(
            f"{text[:16]!r}... không phải khóa công khai hợp lệ (sai mã kiểm tra?) / "
            f"is not a valid age recipient: {exc}"
        ) from None


def check_kinds(recipients: Iterable[Recipient]) -> None:
    """Refuse a set of recipients that mixes hybrid and X25519 keys (see the module)."""
    kinds = {r.kind for r in recipients}
    if len(kinds) > 1:
        raise EnvelopeError(
            "không dùng lẫn khóa lai (age1pq1...) với khóa X25519 (age1...): dữ liệu mã hóa cho cả hai chỉ an toàn "
            "bằng khóa X25519; hãy thay cả danh sách bằng các khóa lai / hybrid (age1pq1...) and X25519 (age1...) "
            "keys cannot be mixed: a file encrypted to both is only as safe as the X25519 key; replace the whole "
            "list with hybrid keys"
        )


def parse_recipients(text: str) -> list[Recipient]:
    """Parse a comma- or whitespace-separated list of recipients (at least one, of one kind)."""
    items = [item for item in re.split(r"[\s,]+", text) if item]
    if not items:
        raise EnvelopeError(
            "chưa có khóa công khai nào / no recipient given: expected one or more 'age1pq1...' or 'age1...' keys"
        )
    recipients = [parse_recipient(item) for item in items]
    if len({str(r) for r in recipients}) != len(recipients):
        raise EnvelopeError("một khóa công khai được ghi hai lần / the same recipient is listed twice")
    check_kinds(recipients)
    return recipients


def kind_of(recipient: Recipient | str) -> str:
    """``hybrid`` or ``x25519``, for a recipient or its text."""
    if isinstance(recipient, str):
        return HYBRID if recipient.strip().startswith("age1pq1") else X25519
    return recipient.kind


def kind_label(recipient: Recipient | str) -> str:
    """Which kind of key this is, in words for the Office (Vietnamese first)."""
    return _KIND_LABELS[kind_of(recipient)]


def fingerprint(recipient: Recipient | str) -> str:
    """A short code that identifies a public key, to be read out over the phone.

    16 Crockford base32 characters (80 bits of SHA-256 over the key's text),
    in groups of four. Whoever publishes or checks a key compares these.
    """
    digest = hashlib.sha256(str(recipient).strip().encode("ascii")).digest()
    return codes.group(codes.encode_bytes(digest[:10]))


def generate_identity(kind: str = HYBRID) -> Identity:
    """A new identity: hybrid unless ``kind`` is ``x25519`` (a classic key, for a transition)."""
    return {HYBRID: hybrid.Identity, X25519: x25519.Identity}[kind].generate()


def identity_file_text(identity: Identity, created: str) -> str:
    """The text ``age-keygen`` writes, so that the reference tools read our files as their own."""
    return f"# created: {created}\n# public key: {identity.to_public()}\n{identity}\n"


def normalise_passphrase(passphrase: str) -> str:
    """The passphrase in Unicode NFC.

    Vietnamese keyboards (Unikey, the Windows one) type "ệ" either as one
    precomposed character or as "e" plus combining marks; the same passphrase
    typed on two computers must open the same file.
    """
    return unicodedata.normalize("NFC", passphrase)


def protect_with_passphrase(text: str, passphrase: str) -> bytes:
    """Encrypt an identity file with a passphrase (in NFC), as ``age -p`` would (scrypt stanza)."""
    if not passphrase:
        raise EnvelopeError("mật khẩu trống / the passphrase is empty")
    file_key = os.urandom(16)
    return _seal([scrypt.wrap(normalise_passphrase(passphrase), file_key)], file_key, io.BytesIO(text.encode()))


def is_passphrase_protected(data: bytes) -> bool:
    return data.startswith(MAGIC) or armor.is_armored(data)


def parse_identity(line: str) -> Identity:
    """One ``AGE-SECRET-KEY-PQ-1...`` or ``AGE-SECRET-KEY-1...`` line; ValueError if damaged."""
    if _HYBRID_SECRET_RE.fullmatch(line):
        kind, prefix = hybrid.Identity, hybrid.IDENTITY_PREFIX
    elif _SECRET_RE.fullmatch(line):
        kind, prefix = x25519.Identity, x25519.IDENTITY_PREFIX
    else:
        raise ValueError("not an age secret key")
    hrp, data = bech32.decode(line)
    if hrp != prefix:
        raise ValueError("wrong prefix")
    return kind(data)


def parse_identities(text: str) -> list[Identity]:
    """Read the secret key lines of an identity file (hybrid or X25519); comments are skipped."""
    identities = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not (_HYBRID_SECRET_RE.fullmatch(line) or _SECRET_RE.fullmatch(line)):
            raise EnvelopeError(
                f"dòng {number} của tệp khóa không phải khóa bí mật age (có thể dùng nhầm tệp, ví dụ tệp khóa công "
                f"khai) / line {number} of the identity file is not an age secret key (the wrong file?)"
            )
        try:
            identities.append(parse_identity(line))
        except ValueError:
            raise EnvelopeError(
                f"dòng {number} của tệp khóa hỏng (sai mã kiểm tra) / line {number} of the identity file is damaged"
            ) from None
    if not identities:
        raise EnvelopeError(
            "tệp khóa không có dòng AGE-SECRET-KEY-... / the identity file holds no 'AGE-SECRET-KEY-...' line"
        )
    return identities


def load_identities(path: Path, ask_passphrase: Callable[[], str]) -> list[Identity]:
    """Load an identity file, plain or passphrase-protected.

    ``ask_passphrase`` is called only when the file is protected; it should prompt
    the person at the keyboard. There is deliberately no way to pass a passphrase
    as a command-line argument, where it would end in shell history and ``ps``.
    The passphrase is tried in NFC first, then as typed (a file protected by the
    ``age`` tool from decomposed input).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise EnvelopeError(
            f"không thấy tệp khóa {path}: kiểm tra OFFICE_IDENTITY hoặc --identity / "
            f"identity file {path} does not exist"
        ) from None
    except OSError as exc:
        raise EnvelopeError(f"không đọc được tệp khóa {path} / cannot read the identity file: {exc.strerror}") from None
    if is_passphrase_protected(data):
        typed = ask_passphrase()
        for candidate in dict.fromkeys((normalise_passphrase(typed), typed)):
            try:
                data = decrypt(data, [scrypt.Identity(candidate)])
                break
            except EnvelopeError:
                continue
        else:
            raise EnvelopeError(
                f"mật khẩu không mở được {path} (sai mật khẩu, hoặc tệp khóa bị hỏng) / "
                f"the passphrase does not open {path} (or the file is damaged)"
            )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise EnvelopeError(
            f"{path} không phải tệp khóa age (có thể dùng nhầm tệp khóa) / "
            "is not an age identity file (the key file may be the wrong one)"
        ) from None
    return parse_identities(text)


# --- encryption -----------------------------------------------------------------------------


def _seal(stanzas: list[format.Stanza], file_key: bytes, source: BinaryIO, target: BinaryIO | None = None) -> bytes:
    covered = format.encode(stanzas)
    header = covered + b" " + format.b64encode(header_mac(file_key, covered)) + b"\n"
    sink = target or io.BytesIO()
    sink.write(header)
    stream.encrypt(file_key, source, sink)
    return b"" if target else sink.getvalue()


def _stanzas(file_key: bytes, recipients: Iterable[Recipient]) -> list[format.Stanza]:
    recipients = list(recipients)
    if not recipients:
        raise EnvelopeError("chưa có khóa công khai nào / no recipient to encrypt to")
    check_kinds(recipients)
    return [r.wrap(file_key) for r in recipients]


def encrypt(plaintext: bytes, recipients: Iterable[Recipient]) -> bytes:
    file_key = os.urandom(16)
    return _seal(_stanzas(file_key, recipients), file_key, io.BytesIO(plaintext))


def encrypt_stream(source: BinaryIO, target: BinaryIO, recipients: Iterable[Recipient]) -> None:
    """Encrypt from one file object to another in 64 KiB chunks; memory stays flat."""
    file_key = os.urandom(16)
    _seal(_stanzas(file_key, recipients), file_key, source, target)


# --- decryption -----------------------------------------------------------------------------


class _Prefixed(io.RawIOBase):
    """A stream that first gives back bytes already read from it."""

    def __init__(self, prefix: bytes, source: BinaryIO) -> None:
        self.prefix, self.source = prefix, source

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.prefix:
            size = min(len(buffer), len(self.prefix))
            buffer[:size], self.prefix = self.prefix[:size], self.prefix[size:]
            return size
        data = self.source.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _file_key(header: format.ParsedHeader, identities: Iterable) -> bytes:
    stanzas = header.stanzas
    if any(s.args[0] == scrypt.TYPE for s in stanzas) and len(stanzas) != 1:
        raise HeaderError("a passphrase (scrypt) stanza must be the only one in the header")
    for identity in identities:
        file_key = identity.unwrap(stanzas)
        if file_key is not None:
            break
    else:
        raise NoMatchError(
            "không giải mã được: tệp khóa này không mở được dữ liệu này (có thể dùng nhầm tệp khóa, hoặc dữ liệu được "
            "mã hóa cho khóa khác) / cannot decrypt: No matching keys found (the key file may be the wrong one)"
        )
    if not hmac.compare_digest(header_mac(file_key, header.covered), header.mac):
        raise MacError("không giải mã được: phần đầu dữ liệu bị sửa / cannot decrypt: the header's MAC does not match")
    return file_key


def decrypt_stream(source: BinaryIO, target: BinaryIO, identities: Iterable[Identity]) -> None:
    """Decrypt from one file object to another; raises EnvelopeError (a stage's subclass) on any damage.

    Plaintext is written as each 64 KiB chunk is authenticated: on a PayloadError,
    what was written before it is genuine but incomplete.
    """
    start = source.read(len(MAGIC))
    if armor.is_armored(start):
        source = armor.Reader(io.BufferedReader(_Prefixed(start, source)))
        start = b""
    try:
        header, rest = format.read(_Prefixed(start, source))
        stream.decrypt(_file_key(header, identities), source, target, rest)
    except (ArmorError, HeaderError, PayloadError) as exc:
        raise type(exc)(f"không giải mã được, dữ liệu bị hỏng / cannot decrypt: {exc}") from None


def decrypt(envelope: bytes, identities: Iterable[Identity]) -> bytes:
    sink = io.BytesIO()
    decrypt_stream(io.BytesIO(envelope), sink, identities)
    return sink.getvalue()


def recipient_kinds(data: bytes) -> set[str]:
    """The kinds of key an envelope is for (``hybrid``, ``x25519``, ``scrypt``), read from its header.

    Empty when the header does not parse. Says which identity file can open it:
    a hybrid key never opens an envelope made for X25519 keys, nor the reverse.
    """
    types = {x25519.TYPE: X25519, hybrid.TYPE: HYBRID, scrypt.TYPE: scrypt.TYPE}
    try:
        header, _ = format.read(io.BytesIO(data[: format.MAX_READ_HEADER]))
    except EnvelopeError:
        return set()
    return {types[s.args[0]] for s in header.stanzas if s.args[0] in types}


# --- structural check of untrusted input ------------------------------------------------------


def parse_header(data: bytes) -> Header:
    """Check the header of an untrusted envelope without a key (see format.check)."""
    return format.check(data)


def check_envelope(data: bytes, kind: str | None = None) -> Header:
    """Full structural check of a complete envelope held in memory.

    With ``kind``, the envelope must be encrypted to recipients of that kind only:
    once the Office's keys are hybrid, an envelope for X25519 keys is refused.
    """
    header = format.check(data)
    if kind is not None and header.kind != kind:
        raise HeaderError(f"the envelope is for {header.kind} recipients, not the Office's {kind} keys")
    if not payload_size_is_possible(len(data) - header.size):
        raise EnvelopeError("the envelope is truncated or has trailing bytes")
    return header
