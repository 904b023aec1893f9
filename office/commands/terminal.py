"""Text from a report, made safe to print on a terminal.

A report is written by a stranger. Escape sequences in it could rewrite the
screen, hide lines or change the window title, and bidirectional controls can
make text read differently from what it is; so every control and format
character except newline and tab is shown as a visible \\u escape instead.
"""

from __future__ import annotations

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
