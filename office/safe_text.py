"""Text that leaves the desk: to a terminal, into a document, into a CSV cell, as a file name.

A report is written by a stranger, and so is everything in it that the desk ever prints or
writes: its text, its attachments' names, their declared types. Each way out has its own
danger, and this module holds the rule for each, so that every writer calls the same one:

* a terminal: escape sequences rewrite the screen, hide lines or change the window title, and
  bidirectional controls make text read differently from what it is (``for_terminal``, and
  ``json_for_terminal`` for a document printed as JSON);
* a document (Word's XML, a UTF-8 text file): XML 1.0 cannot hold most control characters and
  UTF-8 cannot hold a lone surrogate, so the writer would stop half-way (``for_document``);
* a CSV cell: a spreadsheet runs a cell that starts with = + - @ as a formula (``csv_cell``);
* a file name: separators, Windows' reserved names, lengths no file system holds, and
  extensions that make Windows run the file instead of showing it (``file_name``).

What cannot pass is shown, not dropped: a control character becomes a visible ``\\u000b``, so
that the reader sees that something was there.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import PurePath

# Control, format (bidirectional overrides, zero-width...), surrogate, private-use and unassigned
# characters, and the two Unicode line separators: none is needed to read a report, each can hide text.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def _hidden(char: str) -> bool:
    return unicodedata.category(char) in _HIDDEN_CATEGORIES or char in "\u2028\u2029"


def _visible(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def for_terminal(text: str, *, single_line: bool = False) -> str:
    """Text to print: every hidden character escaped; newlines kept (unless ``single_line``), tabs as spaces."""
    if text.isprintable():  # str.isprintable is False for every hidden character (and for newlines and tabs)
        return text
    out = []
    for char in text:
        if char == "\n" and not single_line:
            out.append(char)
        elif char == "\t":
            out.append("    " if not single_line else " ")
        elif _hidden(char):
            out.append(_visible(char))
        else:
            out.append(char)
    return "".join(out)


def for_document(text: str) -> str:
    """Text to write into a Word document or a UTF-8 file: newlines and tabs kept, every other hidden character
    escaped (so XML and UTF-8 can hold it, and nothing reads backwards)."""
    if text.isprintable():  # no control, format, surrogate, private or unassigned character: the common case, in C
        return text
    text = text.replace("\r\n", "\n")
    return "".join(_visible(c) if _hidden(c) and c not in "\n\t" else c for c in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # beyond the first plane JSON spells a character as its UTF-16 surrogate pair
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def json_for_terminal(document: object) -> str:
    """A JSON document to show on a terminal: the same JSON, with every hidden character written as an escape.

    A ``\\r`` is JSON whitespace and a C1 or bidirectional control may stand raw inside a string: printed
    as they came, they overwrite or reorder what the reader sees. Re-serialised this way, the text
    still parses to the same document.
    """
    text = json.dumps(document, ensure_ascii=False, indent=2)  # a newline in it is indentation: strings escape theirs
    return "".join(_json_escape(c) if _hidden(c) and c != "\n" else c for c in text)


# A cell a spreadsheet would run as a formula (or as DDE) when it starts with one of these.
_FORMULA_START = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*%?|-")


def csv_cell(value: object) -> object:
    """A value for a CSV cell: numbers as they are; text with hidden characters escaped and a formula
    neutralised by a leading apostrophe (Excel and LibreOffice then show it as text)."""
    if not isinstance(value, str):
        return value
    text = for_document(value)
    if text[:1] in _FORMULA_START and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


# Extensions a file may keep when the desk writes it out: opening one of these shows it, runs nothing.
# Anything else (scripts, HTML, SVG, shortcuts, registry files, programs, macro documents, RTF,
# archives...) gets a neutral extension after its own: "bang-chung.hta" -> "bang-chung.hta.txt".
INERT_EXTENSIONS = frozenset(
    ".bin .pdf .jpg .jpeg .png .gif .webp .tif .tiff .heic .heif .bmp .txt .docx .xlsx .pptx .odt .ods .odp "
    ".mp3 .m4a .aac .wav .ogg .oga .opus .amr .mp4 .m4v .mov .3gp .webm".split()
)
_WINDOWS_DEVICES = re.compile(r"(con|prn|aux|nul|conin\$|conout\$|(com|lpt)[0-9¹²³])", re.IGNORECASE)
# A name short enough for a Windows path of 260 characters under a folder of ordinary length,
# and for 255 bytes of UTF-8 on Linux (a Vietnamese letter takes up to 3).
MAX_NAME_CHARS = 80
MAX_NAME_BYTES = 200


def file_name(name: str, *, text: bool = False, fallback: str = "tep") -> str:
    """A safe name for a file the desk writes from a name a stranger chose.

    Letters, digits, ``. _ -`` and spaces are kept, anything else becomes ``_`` (no separator, drive,
    stream or control character survives); no leading dot or dash, no trailing dot or space, no
    Windows device name; an extension outside ``INERT_EXTENSIONS`` is followed by ``.txt`` (``text``)
    or ``.bin``; and the whole fits ``MAX_NAME_CHARS`` characters and ``MAX_NAME_BYTES`` bytes,
    shortened in the middle of its stem so that its extension stays.
    """
    name = unicodedata.normalize("NFC", name)
    name = "".join(c if c.isalnum() or c in "._- " else "_" for c in name)
    name = name.lstrip(". -").rstrip(". ") or fallback
    stem, suffix = _split(name)
    if _WINDOWS_DEVICES.fullmatch(stem.split(".")[0].rstrip(" ")):
        stem = "_" + stem
    if suffix.lower() not in INERT_EXTENSIONS:
        stem, suffix = stem + suffix, ".txt" if text else ".bin"
    return _shorten(stem, suffix)


def _split(name: str) -> tuple[str, str]:
    suffix = PurePath(name).suffix
    if not suffix or len(suffix) > 16 or suffix == name:
        return name, ""
    return name[: -len(suffix)], suffix


def _shorten(stem: str, suffix: str) -> str:
    def fits(text: str) -> bool:
        return len(text) <= MAX_NAME_CHARS and len(text.encode("utf-8")) <= MAX_NAME_BYTES

    if fits(stem + suffix):
        return stem + suffix
    if not fits("x~" + suffix):  # an extension that alone is too long is not kept
        suffix = ".bin"
    while stem and not fits(stem + "~" + suffix):
        stem = stem[:-1]
    return stem.rstrip(". ") + "~" + suffix


class _CellWriter:
    """A ``csv.writer`` whose every cell goes through ``csv_cell``."""

    def __init__(self, writer) -> None:
        self._writer = writer

    def writerow(self, row) -> object:
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(stream, **options) -> _CellWriter:
    """``csv.writer(stream, **options)`` for a file a spreadsheet will open: every cell safe (``csv_cell``)."""
    import csv

    return _CellWriter(csv.writer(stream, **options))
