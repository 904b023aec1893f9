"""The reporter's side of the follow-up: answers under ``outbox/<lookup id>/``.

The Office encrypts each answer (``reply/1``) to the reply recipient inside the
report and stores it under the report's lookup id. The function only lists and
hands out those envelopes; it cannot read them, except on the no-JavaScript
path, where the reporter gives it the receipt code for the time of one request.

Whether an id has answers must not show in how long the function takes: every
answer, for an unknown, an empty, a full or a malformed id, does the same
store listing and is held to the same minimum duration.

The same listing tells whether the Office **knows** the code: it leaves a marker
(``outbox/<lookup id>/registered``) when it registers a case that carries one, and
answers only cases it has. So the reporter can be told truthfully whether what
they add will reach a case, or will be kept for the Office to match by hand.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import dataclass

from . import envelope, objects, receipt, report
from .store import ObjectMissing, Store

MIN_SECONDS = 0.3
MAX_REPLIES = 100
# Listed in place of a malformed id, so that it costs what a real one costs.
_DECOY = "0" * 32


@dataclass(frozen=True)
class Reply:
    id: str
    document: dict


@dataclass(frozen=True)
class Answers:
    envelopes: list[dict[str, str]]  # {"id", "envelope" (base64)}, oldest first
    known: bool  # the Office has a case for this code


@dataclass(frozen=True)
class Read:
    replies: list[Reply]
    known: bool


def list_envelopes(store: Store, lookup_id: str) -> Answers:
    """The answers for an id, and whether the Office knows it; none and unknown if malformed."""
    valid = bool(objects.LOOKUP_ID_RE.fullmatch(lookup_id))
    found, known = [], False
    for info in list(store.list(objects.outbox_prefix(lookup_id if valid else _DECOY)))[:MAX_REPLIES]:
        if not valid:
            continue
        match = objects.OUTBOX_KEY_RE.fullmatch(info.key)
        known = known or bool(match or objects.OUTBOX_MARKER_RE.fullmatch(info.key))
        if not match:
            continue
        try:
            data = store.get(info.key)
        except ObjectMissing:
            continue
        found.append({"id": match.group(2), "envelope": base64.b64encode(data).decode("ascii")})
    return Answers(found, known)


def is_known(store: Store, lookup_id: str) -> bool:
    """Whether the Office has a case for this lookup id (one listing, no object read)."""
    return any(objects.is_outbox_key(info.key) for info in store.list(objects.outbox_prefix(lookup_id)))


def read_with_code(store: Store, code: str) -> Read:
    """Decrypt the answers for a receipt code, in memory (the no-JavaScript path)."""
    derived = receipt.derive(code)
    identity = envelope.parse_identities(derived.reply_identity)
    answers = list_envelopes(store, derived.lookup_id)
    replies = []
    for item in answers.envelopes:
        try:
            plaintext = envelope.decrypt(base64.b64decode(item["envelope"]), identity)
            replies.append(Reply(item["id"], report.parse(plaintext, accept=(report.REPLY_ID,))))
        except (envelope.EnvelopeError, report.ReportError, json.JSONDecodeError):
            continue  # not for this code, or damaged: the Office is told through its own log
    return Read(replies, answers.known)


def hold(started: float) -> None:
    """Sleep until ``MIN_SECONDS`` have passed since ``started`` (time.monotonic())."""
    left = MIN_SECONDS - (time.monotonic() - started)
    if left > 0:
        time.sleep(left)
