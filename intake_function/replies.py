"""The reporter's side of the follow-up: answers under ``outbox/<lookup id>/``.

The Office encrypts each answer (``reply/1``) to the reply recipient inside the
report and stores it under the report's lookup id. The function only lists and
hands out those envelopes; it cannot read them, except on the no-JavaScript
path, where the reporter gives it the receipt code for the time of one request.

There is no waiting to make every answer take the same time: a minimum
duration would hold a server thread for each request (24 clients of the check
page took /health from 1.3 ms to 610 ms), and it hid nothing that the answer
does not show to whoever asked, who reads the list, while a network observer
sees its size. Each answer does the same work for the same result: one
listing of the id's folder, then one read per answer. A malformed id is
refused before anything is read or spent.

The same listing tells whether the Office **knows** the code: it leaves a marker
(``outbox/<lookup id>/registered``) when it registers a case that carries one, and
answers only cases it has. So the reporter can be told truthfully whether what
they add will reach a case, or will be kept for the Office to match by hand.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass

from . import envelope, objects, receipt, report
from .store import ObjectMissing, Store

MAX_REPLIES = 100


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
    """The answers for a (valid) lookup id, and whether the Office knows it."""
    found, known = [], False
    for info in list(store.list(objects.outbox_prefix(lookup_id)))[:MAX_REPLIES]:
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
