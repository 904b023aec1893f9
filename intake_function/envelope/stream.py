"""The payload: STREAM over ChaCha20-Poly1305 in 64 KiB chunks (c2sp.org/age, "Payload").

Both directions hold one chunk at a time, whatever the size of the file. The
reading side follows the reference implementation step by step, so that what it
releases before finding damage is exactly what the test vectors expect.
"""

from __future__ import annotations

import os
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from .errors import HeaderError, PayloadError
from .primitives import hkdf

NONCE_SIZE = 16
TAG_SIZE = 16
CHUNK_SIZE = 64 * 1024
ENCRYPTED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def _read_exactly(source: BinaryIO, size: int, start: bytes = b"") -> bytes:
    data = start
    while len(data) < size:
        block = source.read(size - len(data))
        if not block:
            break
        data += block
    return data


def encrypt(file_key: bytes, source: BinaryIO, target: BinaryIO) -> None:
    """Write the payload nonce and the encrypted chunks of ``source`` to ``target``."""
    nonce = os.urandom(NONCE_SIZE)
    target.write(nonce)
    aead = ChaCha20Poly1305(hkdf(file_key, nonce, b"payload"))
    counter = 0
    chunk = _read_exactly(source, CHUNK_SIZE)
    while True:
        following = _read_exactly(source, CHUNK_SIZE) if len(chunk) == CHUNK_SIZE else b""
        last = not following
        target.write(aead.encrypt(_nonce(counter, last), chunk, None))
        if last:
            return
        chunk, counter = following, counter + 1


def decrypt(file_key: bytes, source: BinaryIO, target: BinaryIO, start: bytes = b"") -> None:
    """Decrypt the payload from ``source`` (after the ``start`` bytes already read) to ``target``.

    Each chunk is written once authenticated; PayloadError at the first chunk that is not.
    """
    nonce = _read_exactly(source, NONCE_SIZE, start[:NONCE_SIZE])
    if len(nonce) < NONCE_SIZE:
        raise HeaderError("the payload nonce is missing or short")
    aead = ChaCha20Poly1305(hkdf(file_key, nonce, b"payload"))
    pending, counter = start[NONCE_SIZE:], 0
    while True:
        chunk = _read_exactly(source, ENCRYPTED_CHUNK_SIZE, pending[:ENCRYPTED_CHUNK_SIZE])
        pending = pending[ENCRYPTED_CHUNK_SIZE:]
        if not chunk:
            raise PayloadError("the payload ends without its final chunk (truncated)")
        last = len(chunk) < ENCRYPTED_CHUNK_SIZE
        if last and counter > 0 and len(chunk) == TAG_SIZE:
            raise PayloadError("the final chunk is empty, which only an empty payload may be")
        try:
            plaintext = aead.decrypt(_nonce(counter, last), chunk, None)
        except InvalidTag:
            plaintext = None
        if plaintext is None and not last:
            last = True  # a full-length final chunk
            try:
                plaintext = aead.decrypt(_nonce(counter, last), chunk, None)
            except InvalidTag:
                plaintext = None
        if plaintext is None:
            raise PayloadError(f"chunk {counter} of the payload does not authenticate (damaged or truncated)")
        target.write(plaintext)
        if last:
            if pending or source.read(1):
                raise PayloadError("data follows the payload's final chunk")
            return
        counter += 1


def payload_size_is_possible(payload_size: int) -> bool:
    """Whether a payload of this many bytes can be a complete STREAM encryption.

    Catches most truncations without a key: each chunk is up to 64 KiB + a tag,
    and only an empty plaintext may end with an empty chunk.
    """
    body = payload_size - NONCE_SIZE
    if body < TAG_SIZE:
        return False
    last = body % ENCRYPTED_CHUNK_SIZE
    if last == 0:
        return True
    if last < TAG_SIZE:
        return False
    return not (last == TAG_SIZE and body > TAG_SIZE)


def ciphertext_size(plaintext_size: int, header_size: int) -> int:
    """Size of an envelope for a plaintext of this size (used to pad into buckets)."""
    chunks = max(1, -(-plaintext_size // CHUNK_SIZE))
    return header_size + NONCE_SIZE + plaintext_size + chunks * TAG_SIZE
