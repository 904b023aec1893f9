"""A no-JavaScript post sent again answers as the first time: one report, one receipt code.

A person who reloads the receipt page, or comes back to it through the browser's history, makes
the browser post the form again, byte for byte, down to the multipart boundary that the browser
drew at random when the form was first sent. That boundary makes a body unique to one submission
(two people who type the same words send different bodies), so the body, keyed with the
function's secret, names the submission:

* the receipt code is derived from the body under one key: the same code each time the receipt
  is shown, and known to nobody who has not had the body, which exists only in the request;
* markers are named by the body under another key (a marker's name does not give the code):
  ``pow/form-<name>`` holds the id the submission's document is stored under, and
  ``pow/form-<name>-stored`` its time, once it is durably stored. A post that finds the second
  marker stores nothing and spends no budget; one that finds only the first stores the document
  under the same id, create-if-absent, so that a post repeated while the first is still being
  stored (or after it failed half-way) still leaves exactly one document.

A body whose boundary has fewer than 16 characters other than dashes (a urlencoded post, or a
client that does not draw its boundary at random) is never recognised: each such post is a new
submission. Markers live as long as proof-of-work markers (24 hours, ``proof.MARKER_LIFETIME``):
a post repeated after that is a new submission. Markers are only ever created, never replaced,
as the function's permission on ``pow/`` allows.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Request

from . import codes, receipt
from .errors import store_unavailable
from .store import ObjectMissing, Store, StoreError

MIN_BOUNDARY = 16  # characters other than dashes: browsers draw 16 (Chrome) to 32 (Firefox)


@dataclass(frozen=True)
class Submission:
    name: str  # hex: names the markers
    code: str  # the receipt code of a report (unused for a follow-up)


@dataclass(frozen=True)
class Stored:
    object_id: str
    received: datetime
    first: bool  # stored by this request (False: an earlier post of the same submission did it)


def _key(secret: bytes, purpose: str) -> bytes:
    return hmac.new(secret, f"resubmission:{purpose}".encode(), hashlib.sha256).digest()


def recognise(secret: bytes, request: Request, kind: str) -> Submission | None:
    """The submission a form post is (``kind`` is "report" or "followup"), or None if its body
    cannot tell one submission from another. The body must have been read with caching."""
    boundary = request.mimetype_params.get("boundary", "") if request.mimetype == "multipart/form-data" else ""
    if len(boundary.replace("-", "")) < MIN_BOUNDARY:
        return None
    body = hashlib.sha256(kind.encode() + b"\0" + request.get_data(cache=True)).digest()
    name = hmac.new(_key(secret, "name"), body, hashlib.sha256).hexdigest()
    seed = hmac.new(_key(secret, "receipt-code"), body, hashlib.sha256).digest()
    data = int.from_bytes(seed[:13], "big") >> (13 * 8 - receipt.CODE_BITS)
    return Submission(name, receipt.format_code(codes.encode_int(data, receipt.CODE_LENGTH)))


def _marker(submission: Submission, suffix: str = "") -> str:
    return f"pow/form-{submission.name}{suffix}"


def _read(store: Store, key: str) -> dict | None:
    try:
        return json.loads(store.get(key))
    except ObjectMissing:
        return None


def earlier(store: Store, submission: Submission) -> Stored | None:
    """The stored document of an earlier post of this submission, if there is one."""
    try:
        found = _read(store, _marker(submission, "-stored"))
    except StoreError:
        raise store_unavailable() from None
    if found is None:
        return None
    return Stored(found["id"], datetime.fromisoformat(found["at"]), first=False)


def object_id(store: Store, submission: Submission) -> str:
    """The id this submission's document goes under: drawn by its first post, kept by the rest."""
    candidate = codes.new_object_id()
    record = json.dumps({"id": candidate}).encode()
    try:
        if store.create(_marker(submission), record):
            return candidate
        claimed = _read(store, _marker(submission))
    except StoreError:
        raise store_unavailable() from None
    return claimed["id"] if claimed else candidate


def mark_stored(store: Store, submission: Submission, stored_id: str) -> Stored:
    """Record that the document is durably stored; an earlier record of a twin post wins."""
    now = datetime.now(UTC).replace(microsecond=0)
    record = json.dumps({"id": stored_id, "at": now.isoformat()}).encode()
    try:
        if store.create(_marker(submission, "-stored"), record):
            return Stored(stored_id, now, first=True)
        found = _read(store, _marker(submission, "-stored"))
    except StoreError:
        # The document is stored; a repeated post finds it by its id and stores nothing new.
        return Stored(stored_id, now, first=True)
    if found is None:
        return Stored(stored_id, now, first=True)
    return Stored(found["id"], datetime.fromisoformat(found["at"]), first=False)
