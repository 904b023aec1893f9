"""The terminal: text from a report made safe to print (``office.safe_text``), and UTF-8 streams."""

from __future__ import annotations

import sys

from ..safe_text import for_terminal as safe  # noqa: F401  (the name every command imports)


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
