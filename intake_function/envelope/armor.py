"""ASCII armor (c2sp.org/age, "ASCII armor"): strict PEM, "AGE ENCRYPTED FILE", as the reference reads it.

Whitespace is allowed before and after the block, and lines may end in CRLF;
anything else (headers, short lines in the middle, missing padding, spaces at
line ends, data around the block) is refused.
"""

from __future__ import annotations

import base64
import binascii
import io

from .errors import ArmorError

BEGIN = b"-----BEGIN AGE ENCRYPTED FILE-----"
END = b"-----END AGE ENCRYPTED FILE-----"
COLUMNS = 64
BYTES_PER_LINE = 48
_SPACE = b" \t\r\n\v\f"
MAX_SPACE = 1024


def is_armored(start: bytes) -> bool:
    return start.lstrip(_SPACE).startswith(b"-----BEGIN")


class Reader(io.RawIOBase):
    """The binary envelope inside an armored stream, decoded one line at a time."""

    def __init__(self, source) -> None:
        self.source = source
        self.started = False
        self.finished = False
        self.unread = b""

    def readable(self) -> bool:
        return True

    def _line(self) -> bytes:
        line = self.source.readline(COLUMNS + 3)
        if not line:
            raise ArmorError("the armor ends without its END line")
        if not line.endswith(b"\n") and len(line) > COLUMNS + 1:
            raise ArmorError("an armor line is too long")
        return line.removesuffix(b"\n").removesuffix(b"\r")

    def _begin(self) -> None:
        skipped = 0
        while True:
            byte = self.source.read(1)
            if not byte:
                raise ArmorError("no armored data")
            if byte not in _SPACE:
                break
            skipped += 1
            if skipped > MAX_SPACE:
                raise ArmorError("too much whitespace before the armor")
        if byte + self._line() != BEGIN:
            raise ArmorError("the armor's first line is not '-----BEGIN AGE ENCRYPTED FILE-----'")
        self.started = True

    def _end(self) -> None:
        rest = self.source.read(MAX_SPACE)
        if rest.strip(_SPACE) or len(rest) == MAX_SPACE:
            raise ArmorError("data follows the armor's END line")
        self.finished = True

    def readinto(self, buffer) -> int:
        if not self.unread and not self.finished:
            if not self.started:
                self._begin()
            line = self._line()
            if line == END:
                self._end()
            else:
                if not line or len(line) > COLUMNS:
                    raise ArmorError("an armor line is empty or longer than 64 characters")
                try:
                    decoded = base64.b64decode(line, validate=True)
                except binascii.Error:
                    raise ArmorError("an armor line is not padded base64") from None
                if base64.b64encode(decoded) != line:
                    raise ArmorError("an armor line is not canonical base64")
                self.unread = decoded
                if len(decoded) < BYTES_PER_LINE:
                    if self._line() != END:
                        raise ArmorError("a short armor line must be the last one")
                    self._end()
        size = min(len(buffer), len(self.unread))
        buffer[:size] = self.unread[:size]
        self.unread = self.unread[size:]
        return size


def encode(data: bytes) -> bytes:
    text = base64.b64encode(data)
    lines = [text[i : i + COLUMNS] for i in range(0, len(text), COLUMNS)]
    return b"\n".join([BEGIN, *lines, END]) + b"\n"
