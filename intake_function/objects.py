"""The object key layout shared by the function, the Office tool and the deployment policy.

    inbox/<id>.age               one encrypted report, written by the function
    attachments/<id>.age         one encrypted attachment, written by the function
    outbox/<lookup id>/<id>.age  an encrypted answer for a reporter, written by the Office
    outbox/<lookup id>/registered  (empty) the Office has a case for this receipt code
    pow/<digest>                 a spent proof-of-work marker (empty), written by the function
    office-register.json         names the Office's register this store feeds, written by the Office
                                 once (``office init``); the function never reads, serves or deletes it

Each prefix maps to one narrow permission (the function writes ``inbox/`` and
``attachments/`` and reads ``outbox/``; the Office reads and deletes the first two
and writes ``outbox/``), so the layout is part of the security design: change it
only together with ``infra/`` and every reader.
"""

from __future__ import annotations

import re

from . import codes

INBOX = "inbox/"
ATTACHMENTS = "attachments/"
OUTBOX = "outbox/"
POW = "pow/"
SUFFIX = ".age"
# Outside every prefix the function may touch: only the Office's policy reads and writes it.
REGISTER_MARKER = "office-register.json"

_ID = r"[0-7][0-9A-HJKMNP-TV-Z]{25}"
# Every pattern here is used with ``fullmatch``, never ``match``: a ``$`` also matches before a
# final newline, and "<32 hex>\n" is not a lookup id.
INBOX_KEY_RE = re.compile(rf"inbox/({_ID})\.age")
ATTACHMENT_KEY_RE = re.compile(rf"attachments/({_ID})\.age")
# Keys any store accepts: no "..", no leading slash, a small safe alphabet.
SAFE_KEY_RE = re.compile(r"(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._/-]{0,511}")


def inbox_key(object_id: str) -> str:
    return f"{INBOX}{object_id}{SUFFIX}"


def attachment_key(object_id: str) -> str:
    return f"{ATTACHMENTS}{object_id}{SUFFIX}"


LOOKUP_ID_RE = re.compile(r"[0-9a-f]{32}")
OUTBOX_KEY_RE = re.compile(rf"outbox/([0-9a-f]{{32}})/({_ID})\.age")


# Left by the Office when it registers a case that carries a receipt code, so that the function can
# tell a reporter honestly whether what they add will reach a case or wait for the Office to match it.
OUTBOX_MARKER = "registered"
OUTBOX_MARKER_RE = re.compile(rf"^outbox/([0-9a-f]{{32}})/{OUTBOX_MARKER}$")


def outbox_prefix(lookup_id: str) -> str:
    if not LOOKUP_ID_RE.fullmatch(lookup_id):
        raise ValueError("a lookup id is 32 lower-case hex characters")
    return f"{OUTBOX}{lookup_id}/"


def outbox_key(lookup_id: str, object_id: str) -> str:
    return f"{outbox_prefix(lookup_id)}{object_id}{SUFFIX}"


def outbox_marker_key(lookup_id: str) -> str:
    return f"{outbox_prefix(lookup_id)}{OUTBOX_MARKER}"


def is_outbox_key(key: str) -> bool:
    """An answer or a marker: what the Office may write under ``outbox/``."""
    return bool(OUTBOX_KEY_RE.fullmatch(key) or OUTBOX_MARKER_RE.fullmatch(key))


def new_inbox_key() -> tuple[str, str]:
    object_id = codes.new_object_id()
    return object_id, inbox_key(object_id)


def new_attachment_key() -> tuple[str, str]:
    object_id = codes.new_object_id()
    return object_id, attachment_key(object_id)


def object_id_of(key: str) -> str:
    """The id part of an inbox or attachment key; ValueError for anything else."""
    match = INBOX_KEY_RE.fullmatch(key) or ATTACHMENT_KEY_RE.fullmatch(key)
    if not match:
        raise ValueError(f"{key!r} is not an inbox or attachment key")
    return match.group(1)


def is_attachment_key(key: str) -> bool:
    return bool(ATTACHMENT_KEY_RE.fullmatch(key))


def is_safe_key(key: str) -> bool:
    return bool(SAFE_KEY_RE.fullmatch(key)) and not key.endswith("/")
