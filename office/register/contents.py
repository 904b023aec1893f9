"""What each attachment is, told by its content when it was pulled (``office.export.kinds``).

A reporter declares a type and a name for each file; ``office pull`` has each one decrypted in
memory anyway (to prove it and to seal it to the keys in force), looks at its first bytes then, and
keeps the kind here, by object key. ``office show`` puts it beside the declaration when the two
disagree, without decrypting a single attachment.
"""

from __future__ import annotations

import sqlite3


def note(db: sqlite3.Connection, kinds: dict[str, str]) -> None:
    """Record the content kind of attachments (object key -> kind code), inside the pull's transaction."""
    db.executemany(
        "INSERT INTO attachment_contents (key, content) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET content = excluded.content",
        list(kinds.items()),
    )


def of(db: sqlite3.Connection, keys: list[str]) -> dict[str, str]:
    """The kinds recorded for these object keys (attachments pulled before this was kept have none)."""
    found = {}
    for key in keys:
        row = db.execute("SELECT content FROM attachment_contents WHERE key = ?", (key,)).fetchone()
        if row:
            found[key] = row[0]
    return found
