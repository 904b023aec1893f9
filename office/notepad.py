"""Text files the Office writes by hand, read as Windows' Notepad saves them.

Notepad saves UTF-8 with or without a byte-order mark, "Unicode" (UTF-16 with a
mark), and "ANSI", which on a Vietnamese Windows is code page 1258. Code page
1258 writes most accented letters as a base letter followed by a combining tone
mark, so text read from it is normalised to NFC, the form everything else uses
(typed text, the register, the reports). A file that is none of these is
refused with a message that says how to save it again.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 4 * 1024 * 1024  # a settings file, a message, a case typed up: never more
ANSI = "cp1258"


class TextFileError(ValueError):
    """The file cannot be read as text; the message says how to save it."""


@dataclass(frozen=True)
class Text:
    text: str
    encoding: str  # "utf-8", "utf-16" or "cp1258"

    @property
    def legacy(self) -> bool:
        """Saved as ANSI: worth a note asking to save it as UTF-8 next time."""
        return self.encoding == ANSI


def read(path: Path) -> Text:
    """The text of a file saved by Notepad (or any editor), normalised to NFC."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise TextFileError(f"không đọc được tệp {path} / cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_BYTES:
        raise TextFileError(f"tệp {path} quá lớn / {path} is too large (> {MAX_BYTES} bytes)")
    return decode(data, str(path))


def decode(data: bytes, name: str) -> Text:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16"), "utf-16"
    else:
        try:
            text, encoding = data.decode("utf-8-sig"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode(ANSI), ANSI
            except UnicodeDecodeError:
                raise TextFileError(
                    f"tệp {name} không phải văn bản UTF-8 hay ANSI (Windows-1258): mở bằng Notepad, chọn File > "
                    f"Save As, Encoding: UTF-8, rồi lưu / {name} is neither UTF-8 nor ANSI (Windows-1258) text: "
                    "open it in Notepad, File > Save As, Encoding: UTF-8"
                ) from None
    if "\x00" in text:
        raise TextFileError(f"tệp {name} không phải văn bản / {name} is not a text file")
    return Text(unicodedata.normalize("NFC", text.replace("\r\n", "\n")), encoding)


def legacy_note(path: Path) -> str:
    return (
        f"Lưu ý: tệp {path} được đọc theo bảng mã ANSI Windows-1258; lần sau nên lưu dạng UTF-8 / "
        f"note: {path} was read as ANSI (Windows-1258); save it as UTF-8 next time"
    )
