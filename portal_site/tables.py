"""Tables that a keyboard can scroll: each table of a page in a box that takes focus.

On a phone a wide table scrolls sideways in its own box. A box that scrolls but cannot take focus
cannot be scrolled from the keyboard (WCAG 2.1.1; axe-core's ``scrollable-region-focusable``). So
every table is wrapped, at build time, in a region that is the one that scrolls (with and without
Material's script, see ``portal.css``), is in the tab order, and is named after the heading above
it, for a screen reader to announce what it is.
"""

from __future__ import annotations

import re
from html import escape, unescape

from .texts import label

# Markdown tables come out as a bare <table>: the only tables the pages have.
_TABLE = re.compile(r"<table>.*?</table>", re.S)
_HEADING = re.compile(r'<h([1-6])[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]+>")


def wrap_tables(html: str, lang: str, title: str) -> str:
    """``html`` with every table in a focusable, named region that scrolls sideways.

    A region is named by the heading above it; where one heading has several tables under it,
    each is numbered ("Bảng 2: ..."), since two regions with one name cannot be told apart.
    """
    tables = list(_TABLE.finditer(html))
    above = [(_HEADING.findall(html, 0, t.start()) or [None])[-1] for t in tables]
    shared = {h[1] for h in above if h and sum(1 for other in above if other and other[1] == h[1]) > 1}
    pieces, position, counts = [], 0, {}
    for match, heading in zip(tables, above, strict=True):
        if heading and heading[1] in shared:
            counts[heading[1]] = counts.get(heading[1], 0) + 1
            text = unescape(_TAG.sub("", heading[2])).strip()
            name = f'aria-label="{escape(label(lang, "table"))} {counts[heading[1]]}: {escape(text)}"'
        elif heading:
            name = f'aria-labelledby="{escape(heading[1])}"'
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
