"""The public sentences the function's pages and the browser's pages both say (``words.json``).

A sentence a reporter can meet on either side (a field's problem, a refused receipt code, the
receipt's next steps) is written once, in ``words.json``, in Vietnamese and English with the
same keys. The function reads it here (``pages`` builds its page texts on it); the browser code
imports the same file when it is bundled (``web/src/messages.js``). A placeholder is a name in
braces, ``{n}`` or ``{groups}``, filled by ``say`` here and by ``fill`` in messages.js.
"""

from __future__ import annotations

import json
from pathlib import Path

CATALOG: dict[str, dict[str, str]] = json.loads(Path(__file__).with_name("words.json").read_text(encoding="utf-8"))


def say(key: str, lang: str = "vi", **values: object) -> str:
    """The sentence ``key`` in ``lang`` ("vi" or "en"), its placeholders filled with ``values``."""
    return CATALOG[lang][key].format_map(values)


def listed(numbers: tuple[int, ...] | list[int], lang: str = "vi") -> str:
    """Numbers as a sentence lists them: "2 và 3", "1, 2, 3 và 4" ("2 and 3" in English)."""
    words = [str(n) for n in numbers]
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {CATALOG[lang]['list_and']} {words[-1]}"
