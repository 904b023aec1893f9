"""Text from a report, made safe to print on a terminal.

A report is written by a stranger. Escape sequences in it could rewrite the
screen, hide lines or change the window title, and bidirectional controls can
make text read differently from what it is; so every control and format
character except newline and tab is shown as a visible \\u escape instead.
"""

from __future__ import annotations

import sys
import unicodedata


def safe(text: str, *, single_line: bool = False) -> str:
    out = []
    for char in text:
        if char == "\n" and not single_line:
            out.append(char)
        elif char == "\t":
            out.append("    " if not single_line else " ")
        elif unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") or char in "\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "".join(out)


def utf8_streams() -> None:
    """Write UTF-8 to standard output and error, whatever the code page says.

    On Windows, output redirected to a file or piped (``office list > ds.txt``,
    ``| more``, ``| findstr``) is encoded with the ANSI code page (1258 on a
    Vietnamese system, 1252 on an English one), which cannot hold every
    Vietnamese letter: the command would end in a UnicodeEncodeError. UTF-8 holds
    them all, and is what Notepad, PowerShell 7 and every other tool read. A
    console is left alone: Python already writes to it in Unicode.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
