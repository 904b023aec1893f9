"""Re-encrypt everything the data folder keeps sealed to the keys in force, losing nothing on the way.

The data folder's ``store/`` holds only age envelopes: online reports and
follow-ups as they arrived (``inbox/``), cases from other channels (``cases/``),
attachments (``attachments/``) and the Office's copies of its answers
(``replies/``). After a key is added or retired, ``office recipients --rekey``
opens each one with the identity given and seals the same plaintext again to
the new list, so that a retired key (lost, or in the wrong hands) no longer
opens anything, and a new key opens everything.

Each object is written whole to a temporary file, flushed, and only then
renamed over the old one (``FileStore.put_many``): at every instant the object
is either the old envelope or the new one, never missing or half-written. Each
object done is noted in the register (``sealed_for``) right after, so a run that
is interrupted, or that met objects its key could not open, is simply run
again (with another key, if need be): it skips what is already done. The
plaintext stays in memory (an attachment is at most a few tens of MiB), never
on disk. The quarantine is left alone: what is there
did not open in the first place.

The register's SHA-256 of an attachment stays the one of the envelope as it
arrived, the fact the pull proved; the file itself is a new envelope afterwards.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from intake_function import envelope
from intake_function.store import exclusive_file

from .. import register
from ..register.desk import Desk
from .recipients import digest


@dataclass
class RekeyResult:
    resealed: int = 0
    already: int = 0  # sealed to this list by an earlier run
    not_opened: list[str] = field(default_factory=list)
    # Already for keys of the kind in force, which the identity file (of the other kind) cannot open:
    # after a move from X25519 to hybrid keys, reports that came in since for the hybrid keys.
    other_kind: list[str] = field(default_factory=list)


def note_sealed(db, keys: list[str], recipients: list) -> None:
    """Record that new objects are sealed to the keys in force (inside the transaction that registers them).

    A later ``--rekey`` to the same list then leaves them alone, even when run with
    a key that is no longer in it.
    """
    target = digest([str(r) for r in recipients])
    db.executemany(
        "INSERT INTO sealed_for (key, recipients) VALUES (?, ?)"
        " ON CONFLICT(key) DO UPDATE SET recipients = excluded.recipients",
        [(key, target) for key in keys],
    )


def sealed_objects(desk: Desk) -> list[tuple[str, int]]:
    """Every envelope the data folder keeps, with its size, in key order."""
    return sorted((info.key, info.size) for info in desk.store.list(""))


def rekey(
    desk: Desk,
    identities: list[envelope.Identity],
    recipients: list[str],
    *,
    progress: Callable[[int], None] = lambda size: None,
) -> RekeyResult:
    """Seal every object again to ``recipients``; see the module. Call holding the desk's lock."""
    target = digest(recipients)
    sealed_to = [envelope.parse_recipient(r) for r in recipients]
    result = RekeyResult()
    done = {row[0] for row in desk.db.execute("SELECT key FROM sealed_for WHERE recipients = ?", (target,))}
    for key, size in sealed_objects(desk):
        if key in done:
            result.already += 1
        elif _reseal(desk, key, identities, sealed_to):
            result.resealed += 1
            # Noted at once: a later run must not try to open, with a key that no longer fits,
            # an object already sealed to this list.
            with register.transaction(desk.db):
                note_sealed(desk.db, [key], recipients)
        elif (kinds := _of_kind(desk, key)) == {r.kind for r in sealed_to} and not kinds & {i.kind for i in identities}:
            result.other_kind.append(key)
        else:
            result.not_opened.append(key)
        progress(size)
    return result


def _of_kind(desk: Desk, key: str) -> set[str]:
    with desk.store.open_read(key) as source:
        return envelope.recipient_kinds(source.read(envelope.MAX_HEADER_SIZE))


def _reseal(desk: Desk, key: str, identities: list, recipients: list) -> bool:
    """One object: decrypt in memory, encrypt to a flushed temporary file, rename it over the old one."""
    plaintext = io.BytesIO()
    try:
        with desk.store.open_read(key) as source:
            envelope.decrypt_stream(source, plaintext, identities)
    except envelope.EnvelopeError:
        return False
    plaintext.seek(0)
    temp = desk.store.temporary_name()
    try:
        with exclusive_file(temp) as sink:
            envelope.encrypt_stream(plaintext, sink, recipients)
        desk.store.put_many([(key, temp)])  # flushed, renamed over the old envelope, folder flushed
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    finally:
        plaintext.seek(0)
        plaintext.truncate()
    return True
