"""The scrypt (passphrase) recipient type: how an identity file is protected, as ``age -p`` does it."""

from __future__ import annotations

import hashlib
import os
import re

from .errors import HeaderError
from .format import Stanza, b64decode, b64encode
from .primitives import aead_decrypt, aead_encrypt

TYPE = "scrypt"
LABEL = b"age-encryption.org/v1/scrypt"
WORK_FACTOR = 18  # what the age CLI writes: about a second on an office PC
MAX_WORK_FACTOR = 22  # the reference's bound: 2^22 x 1 KiB of memory is 4 GiB
_DECIMAL = re.compile(r"[1-9][0-9]*")


def _wrap_key(passphrase: str, salt: bytes, log_n: int) -> bytes:
    n = 1 << log_n
    return hashlib.scrypt(
        passphrase.encode("utf-8"), salt=LABEL + salt, n=n, r=8, p=1, dklen=32, maxmem=129 * 8 * n + (1 << 20)
    )


def wrap(passphrase: str, file_key: bytes, log_n: int = WORK_FACTOR) -> Stanza:
    salt = os.urandom(16)
    body = aead_encrypt(_wrap_key(passphrase, salt, log_n), file_key)
    return Stanza([TYPE, b64encode(salt).decode("ascii"), str(log_n)], body)


class Identity:
    """A passphrase, to open the (single) scrypt stanza of a file."""

    kind = "scrypt"

    def __init__(self, passphrase: str) -> None:
        self.passphrase = passphrase

    def unwrap(self, stanzas: list[Stanza]) -> bytes | None:
        for stanza in stanzas:
            if stanza.args[0] != TYPE:
                continue
            if len(stanza.args) != 3:
                raise HeaderError("a scrypt stanza must have a salt and a work factor")
            salt = b64decode(stanza.args[1], "a scrypt salt")
            if len(salt) != 16:
                raise HeaderError("a scrypt salt must be 16 bytes")
            if not _DECIMAL.fullmatch(stanza.args[2]) or int(stanza.args[2]) > MAX_WORK_FACTOR:
                raise HeaderError(f"a scrypt work factor must be a decimal number from 1 to {MAX_WORK_FACTOR}")
            if len(stanza.body) != 32:
                raise HeaderError("a scrypt stanza body must be a 32-byte wrapped key")
            file_key = aead_decrypt(_wrap_key(self.passphrase, salt, int(stanza.args[2])), stanza.body)
            if file_key is not None:
                return file_key
        return None
