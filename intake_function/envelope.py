"""The envelope: age v1 (https://c2sp.org/age) to X25519 recipients, binary.

This module is the only place that knows the format. Everything that encrypts,
decrypts or inspects a stored object goes through it, so that every object can
always be opened with the reference ``age`` command-line tool as a fallback.

Cryptography is pyrage's (the Rust ``rage`` implementation). What is written
here is a structural check of untrusted input, done without any key, so that
the intake function can refuse junk before storing it; and the handling of
Office identity files.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyrage
from pyrage import passphrase as _passphrase
from pyrage import x25519

from . import codes

MAGIC = b"age-encryption.org/v1\n"
ARMOR_BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
# The payload is a 16-byte nonce then STREAM chunks of 64 KiB plaintext + a 16-byte tag.
NONCE_SIZE = 16
TAG_SIZE = 16
CHUNK_SIZE = 64 * 1024
# A header with a dozen recipients stays under 2 KiB; anything far larger is not ours.
MAX_HEADER_SIZE = 8 * 1024
MAX_STANZAS = 20
MAX_GREASE_STANZAS = 2

_RECIPIENT_RE = re.compile(r"age1[02-9ac-hj-np-z]{58}")
_SECRET_RE = re.compile(r"AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}")
# VCHAR per RFC 5234, as the age spec uses for stanza arguments.
_VCHARS = re.compile(rb"[\x21-\x7e]+")

Identity = x25519.Identity
Recipient = x25519.Recipient


class EnvelopeError(ValueError):
    """An envelope (or a key) is malformed, or cannot be opened with the keys given.

    Messages about keys and key files are read by the Office: Vietnamese first.
    """


# --- keys -----------------------------------------------------------------------------------


def parse_recipient(text: str) -> Recipient:
    """Parse one ``age1...`` X25519 recipient, with a message naming what is wrong."""
    text = text.strip()
    if not _RECIPIENT_RE.fullmatch(text):
        raise EnvelopeError(
            f"{text[:16]!r}... không phải khóa công khai age (age1 và 58 ký tự) / "
            "is not an age X25519 recipient (expected 'age1' and 58 characters)"
        )
    try:
        return x25519.Recipient.from_str(text)
    except pyrage.RecipientError as exc:
        raise EnvelopeError(
            f"{text[:16]!r}... không phải khóa công khai hợp lệ / is not a valid age recipient: {exc}"
        ) from None


def parse_recipients(text: str) -> list[Recipient]:
    """Parse a comma- or whitespace-separated list of recipients (at least one)."""
    items = [item for item in re.split(r"[\s,]+", text) if item]
    if not items:
        raise EnvelopeError("chưa có khóa công khai nào / no recipient given: expected one or more 'age1...' keys")
    recipients = [parse_recipient(item) for item in items]
    if len({str(r) for r in recipients}) != len(recipients):
        raise EnvelopeError("một khóa công khai được ghi hai lần / the same recipient is listed twice")
    return recipients


def fingerprint(recipient: Recipient | str) -> str:
    """A short code that identifies a public key, to be read out over the phone.

    16 Crockford base32 characters (80 bits of SHA-256 over the ``age1...`` text),
    in groups of four. Whoever publishes or checks a key compares these.
    """
    digest = hashlib.sha256(str(recipient).strip().encode("ascii")).digest()
    return codes.group(codes.encode_bytes(digest[:10]))


def generate_identity() -> Identity:
    return x25519.Identity.generate()


def identity_file_text(identity: Identity, created: str) -> str:
    """The text ``age-keygen`` writes, so that the ``age`` tool reads our files as its own."""
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
    return _passphrase.encrypt(text.encode("utf-8"), normalise_passphrase(passphrase))


def is_passphrase_protected(data: bytes) -> bool:
    return data.startswith(MAGIC) or data.lstrip().startswith(ARMOR_BEGIN)


def parse_identities(text: str) -> list[Identity]:
    """Read the ``AGE-SECRET-KEY-1...`` lines of an identity file; comments are skipped."""
    identities = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not _SECRET_RE.fullmatch(line):
            raise EnvelopeError(
                f"dòng {number} của tệp khóa không phải khóa bí mật age (có thể dùng nhầm tệp, ví dụ tệp khóa công "
                f"khai) / line {number} of the identity file is not an age secret key (the wrong file?)"
            )
        try:
            identities.append(x25519.Identity.from_str(line))
        except pyrage.IdentityError:
            raise EnvelopeError(
                f"dòng {number} của tệp khóa hỏng (sai mã kiểm tra) / line {number} of the identity file is damaged"
            ) from None
    if not identities:
        raise EnvelopeError(
            "tệp khóa không có dòng AGE-SECRET-KEY-1... / the identity file holds no 'AGE-SECRET-KEY-1...' line"
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
                data = _passphrase.decrypt(data, candidate)
                break
            except pyrage.DecryptError:
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


def encrypt(plaintext: bytes, recipients: Iterable[Recipient]) -> bytes:
    return pyrage.encrypt(plaintext, list(recipients))


def _decrypt_error(exc: Exception) -> EnvelopeError:
    if "No matching keys" in str(exc):
        return EnvelopeError(
            "không giải mã được: tệp khóa này không mở được dữ liệu này (có thể dùng nhầm tệp khóa, hoặc dữ liệu được "
            "mã hóa cho khóa khác) / cannot decrypt: No matching keys found (the key file may be the wrong one)"
        )
    return EnvelopeError(f"không giải mã được, dữ liệu bị hỏng / cannot decrypt: {exc}")


def decrypt(envelope: bytes, identities: Iterable[Identity]) -> bytes:
    try:
        return pyrage.decrypt(envelope, list(identities))
    except pyrage.DecryptError as exc:
        raise _decrypt_error(exc) from None


def encrypt_stream(source: BinaryIO, target: BinaryIO, recipients: Iterable[Recipient]) -> None:
    """Encrypt from one file object to another in 64 KiB chunks; memory stays flat."""
    pyrage.encrypt_io(source, target, list(recipients))


def decrypt_stream(source: BinaryIO, target: BinaryIO, identities: Iterable[Identity]) -> None:
    """Decrypt from one file object to another; raises EnvelopeError on any damage."""
    try:
        pyrage.decrypt_io(source, target, list(identities))
    except pyrage.DecryptError as exc:
        raise _decrypt_error(exc) from None
    except OSError as exc:
        # rage reports damage found mid-stream as an I/O error without an errno;
        # a real I/O failure of the file or disk keeps its errno and propagates.
        if exc.errno is not None:
            raise
        raise _decrypt_error(exc) from None


# --- structural check of untrusted input ------------------------------------------------------


@dataclass(frozen=True)
class Header:
    """What can be learned from an envelope without a key."""

    size: int
    x25519_stanzas: int


def _canonical_b64(text: bytes, what: str) -> bytes:
    """Decode age's base64: standard alphabet, no padding, canonical final bits."""
    if b"=" in text:
        raise EnvelopeError(f"{what} uses base64 padding, which age forbids")
    try:
        decoded = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except binascii.Error:
        raise EnvelopeError(f"{what} is not valid base64") from None
    if base64.b64encode(decoded).rstrip(b"=") != text:
        raise EnvelopeError(f"{what} is not canonical base64")
    return decoded


def parse_header(data: bytes) -> Header:
    """Check the header of an untrusted envelope; ``data`` may be just its beginning.

    Accepts only what our own encoders produce: X25519 stanzas, plus at most
    two "grease" stanzas (rage adds one at random, as the spec invites, to keep
    parsers honest about unknown stanzas). Passphrase (scrypt), SSH, plugin and
    armored envelopes are refused. The MAC is not checked: that needs the key.
    """
    if data.lstrip().startswith(ARMOR_BEGIN):
        raise EnvelopeError("armored (ASCII) envelopes are not accepted; send the binary form")
    if not data.startswith(MAGIC):
        raise EnvelopeError("not an age v1 envelope (the first line is wrong)")
    end = data.find(b"\n--- ", len(MAGIC) - 1, MAX_HEADER_SIZE)
    if end < 0:
        raise EnvelopeError(f"no header end within the first {MAX_HEADER_SIZE} bytes")
    mac_line_end = data.find(b"\n", end + 1)
    if mac_line_end < 0:
        raise EnvelopeError("the header ends without the MAC line")
    _check_mac_line(data[end + 1 : mac_line_end])
    lines = data[len(MAGIC) : end + 1].split(b"\n")[:-1]
    x25519_count, grease_count, index = 0, 0, 0
    while index < len(lines):
        kind, index = _check_stanza(lines, index)
        if kind == "X25519":
            x25519_count += 1
        else:
            grease_count += 1
        if x25519_count + grease_count > MAX_STANZAS:
            raise EnvelopeError(f"more than {MAX_STANZAS} stanzas in the header")
    if x25519_count == 0:
        raise EnvelopeError("the envelope has no X25519 recipient stanza")
    if grease_count > MAX_GREASE_STANZAS:
        raise EnvelopeError("too many unknown stanzas in the header")
    return Header(size=mac_line_end + 1, x25519_stanzas=x25519_count)


def _check_mac_line(line: bytes) -> None:
    mac = line[len(b"--- ") :]
    if len(mac) != 43 or len(_canonical_b64(mac, "the header MAC")) != 32:
        raise EnvelopeError("the header MAC has the wrong length")


def _check_stanza(lines: list[bytes], index: int) -> tuple[str, int]:
    """Check the stanza starting at ``lines[index]``; return its kind and the next index."""
    first = lines[index]
    if not first.startswith(b"-> "):
        raise EnvelopeError("a header line is neither a stanza nor the MAC line")
    args = first[3:].split(b" ")
    if not all(_VCHARS.fullmatch(arg) for arg in args):
        raise EnvelopeError("a stanza has an empty or non-printable argument")
    index += 1
    body_lines = []
    while True:
        if index >= len(lines):
            raise EnvelopeError("a stanza body is not terminated by a short line")
        line = lines[index]
        index += 1
        if len(line) > 64:
            raise EnvelopeError("a stanza body line is longer than 64 characters")
        body_lines.append(line)
        if len(line) < 64:
            break
    body = _canonical_b64(b"".join(body_lines), "a stanza body")
    kind = args[0]
    if kind == b"X25519":
        if len(args) != 2 or len(_canonical_b64(args[1], "an X25519 share")) != 32:
            raise EnvelopeError("an X25519 stanza must carry one 32-byte share")
        if len(body) != 32:
            raise EnvelopeError("an X25519 stanza body must be a 32-byte wrapped key")
        return "X25519", index
    if kind.endswith(b"-grease") and len(body) <= 256:
        return "grease", index
    name = kind.decode("ascii", "replace")[:20]
    raise EnvelopeError(f"stanza type {name!r} is not accepted: only X25519 recipients are")


def payload_size_is_possible(payload_size: int) -> bool:
    """Whether a payload of this many bytes can be a complete STREAM encryption.

    Catches most truncations without a key: each chunk is up to 64 KiB + a tag,
    and only an empty plaintext may end with an empty chunk.
    """
    body = payload_size - NONCE_SIZE
    if body < TAG_SIZE:
        return False
    last = body % (CHUNK_SIZE + TAG_SIZE)
    if last == 0:
        return True
    if last < TAG_SIZE:
        return False
    return not (last == TAG_SIZE and body > TAG_SIZE)


def check_envelope(data: bytes) -> Header:
    """Full structural check of a complete envelope held in memory."""
    header = parse_header(data)
    if not payload_size_is_possible(len(data) - header.size):
        raise EnvelopeError("the envelope is truncated or has trailing bytes")
    return header


def ciphertext_size(plaintext_size: int, header_size: int) -> int:
    """Size of an envelope for a plaintext of this size (used to pad into buckets)."""
    chunks = max(1, -(-plaintext_size // CHUNK_SIZE))
    return header_size + NONCE_SIZE + plaintext_size + chunks * TAG_SIZE
