"""The reporter's side of the follow-up: answers under ``outbox/<lookup id>/``.

The Office encrypts each answer (``reply/1``) to the reply recipient inside the
report and stores it under the report's lookup id. The function only lists and
hands out those envelopes; it cannot read them, except on the no-JavaScript
path, where the reporter gives it the receipt code for the time of one request.

Whether an id has answers must not show in how long the function takes: every
answer, for an unknown, an empty, a full or a malformed id, does the same
store listing and is held to the same minimum duration.
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


def list_envelopes(store: Store, lookup_id: str) -> list[dict[str, str]]:
    """The answers for an id as ``{"id", "envelope" (base64)}``, oldest first; [] if none or malformed."""
    valid = bool(objects.LOOKUP_ID_RE.match(lookup_id))
    found = []
    for info in list(store.list(objects.outbox_prefix(lookup_id if valid else _DECOY)))[:MAX_REPLIES]:
        match = objects.OUTBOX_KEY_RE.match(info.key)
        if not match or not valid:
            continue
        try:
            data = store.get(info.key)
        except ObjectMissing:
            continue
        found.append({"id": match.group(2), "envelope": base64.b64encode(data).decode("ascii")})
    return found


def read_with_code(store: Store, code: str) -> list[Reply]:
    """Decrypt the answers for a receipt code, in memory (the no-JavaScript path)."""
    derived = receipt.derive(code)
    identity = envelope.parse_identities(derived.reply_identity)
    replies = []
    for item in list_envelopes(store, derived.lookup_id):
        try:
            plaintext = envelope.decrypt(base64.b64decode(item["envelope"]), identity)
            replies.append(Reply(item["id"], report.parse(plaintext, accept=(report.REPLY_ID,))))
        except (envelope.EnvelopeError, report.ReportError, json.JSONDecodeError):
            continue  # not for this code, or damaged: the Office is told through its own log
    return replies


def hold(started: float) -> None:
    """Sleep until ``MIN_SECONDS`` have passed since ``started`` (time.monotonic())."""
    left = MIN_SECONDS - (time.monotonic() - started)
    if left > 0:
        time.sleep(left)
