"""Tables that a keyboard can scroll: each table of a page in a box that takes focus.

On a phone a wide table scrolls sideways in its own box. A box that scrolls but cannot take focus
cannot be scrolled from the keyboard (WCAG 2.1.1; axe-core's ``scrollable-region-focusable``). So
every table is wrapped, at build time, in a region that is the one that scrolls (with and without
Material's script, see ``portal.css``), is in the tab order, and is named after the heading above
it, for a screen reader to announce what it is.
"""

from __future__ import annotations

import re
from html import escape

from .texts import label

# Markdown tables come out as a bare <table>: the only tables the pages have.
_TABLE = re.compile(r"<table>.*?</table>", re.S)
_HEADING = re.compile(r'<h[1-6][^>]*\bid="([^"]+)"[^>]*>', re.S)


def wrap_tables(html: str, lang: str, title: str) -> str:
    """``html`` with every table in a focusable, named region that scrolls sideways."""
    pieces, position = [], 0
    for match in _TABLE.finditer(html):
        headings = _HEADING.findall(html, 0, match.start())
        if headings:
            name = f'aria-labelledby="{escape(headings[-1])}"'
        else:
            name = f'aria-label="{escape(label(lang, "table"))}: {escape(title)}"'
        pieces += [
            html[position : match.start()],
            f'<div class="portal-table" role="region" tabindex="0" {name}>',
            match.group(0),
            "</div>",
        ]
        position = match.end()
    pieces.append(html[position:])
    return "".join(pieces)
