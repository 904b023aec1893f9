"""Abuse resistance without tracking: proof-of-work (ALTCHA) and single-use credentials.

Nobody is identified or counted by address. Instead each report costs its
sender a few seconds of computation: the page fetches a signed challenge,
solves it in a Web Worker, and presents the solution once. Two credentials
exist:

* an **ALTCHA solution** (header ``X-Altcha``), for a report without files and
  for asking upload slots;
* an **upload ticket** (header ``X-Upload-Ticket``), returned with the slots,
  for the report that refers to those files.

A credential is spent by an atomic create-if-absent marker ``pow/<digest>``
holding the SHA-256 of the request it was spent on. Presenting it again with
the same request (a retry after a lost response) is answered as the first
time; with any other request it is refused. The objects a credential creates
get ids derived from it, so a retry can never store a second copy.

The digest names what was *verified*, never the text that carried it: an
ALTCHA solution by its challenge's signature, a ticket by the proof-of-work it
was bought with. And the text itself must be in its one canonical spelling
(``decode``), so that re-encoding a credential is refused, not counted anew.
A credential is spent only once the request it comes with has been found
good: a refused request leaves no marker behind.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass

from . import codes, decode
from .errors import ApiError
from .store import Store, StoreError

ALGORITHM = "PBKDF2/SHA-256"
TICKET_SALT = "upload-ticket"
SLOT_SALT = "upload-slot"
# Markers outlive every credential that could still be presented.
MARKER_LIFETIME = 24 * 3600


@dataclass(frozen=True)
class Credential:
    digest: str  # hex; names the marker and seeds the ids of what it creates
    issued_ms: int


def _subkey(secret: bytes, purpose: str) -> bytes:
    return hmac.new(secret, purpose.encode(), hashlib.sha256).digest()


def new_challenge(secret: bytes, cost: int, max_counter: int, ttl: int) -> dict:
    """A signed ALTCHA v2 challenge whose answer is a random counter below ``max_counter``.

    Fixing the counter in advance (ALTCHA's deterministic mode) makes the work
    predictable: on average ``max_counter / 2`` key derivations of ``cost``
    PBKDF2 rounds, which is what the difficulty is tuned with. ``data.max`` lets
    the page show progress.
    """
    import altcha

    challenge = altcha.create_challenge(
        ALGORITHM,
        cost,
        counter=secrets.randbelow(max_counter),
        expires_at=int(time.time()) + ttl,
        data={"max": max_counter},
        hmac_secret=_subkey(secret, "altcha").hex(),
        hmac_key_secret=_subkey(secret, "altcha-key").hex(),
    )
    return challenge.to_dict()


# The X-Altcha value: base64 of a small JSON document, bounded before it is read.
MAX_PAYLOAD_CHARS = 4096
MAX_TOKEN_CHARS = 8192
_HEX64 = re.compile(r"[0-9a-f]{64}")
_POW_INVALID = "Mã xác minh không hợp lệ. Vui lòng tải lại trang rồi gửi lại."
_TOKEN_INVALID = "Mã phiên gửi không hợp lệ. Vui lòng tải lại trang rồi gửi lại."  # noqa: S105 (a message)


def one_header(value: str | None, invalid: ApiError) -> str:
    """The value of a credential header sent at most once.

    Servers and gateways join repeated headers with commas (RFC 9110), and no
    credential of ours contains a comma: a comma means a second header, which
    is refused rather than guessed between.
    """
    value = value or ""
    if "," in value:
        raise invalid
    return value


def verify_solution(payload: str, secret: bytes, ttl: int) -> Credential:
    """Check an ``X-Altcha`` payload; ApiError with a plain message if it is not good.

    The payload must be canonical base64 of a JSON object under a few KiB and
    four levels; the challenge's signature (HMAC over the canonical JSON of its
    parameters, compared byte for byte by ALTCHA) then names the credential, so
    every spelling of one solved challenge spends the same marker.
    """
    import altcha

    if not payload:
        raise ApiError(
            400,
            "pow_required",
            "Thiếu bước xác minh chống gửi tự động. Vui lòng tải lại trang rồi gửi lại.",
        )
    invalid = ApiError(400, "pow_invalid", _POW_INVALID)
    if len(payload) > MAX_PAYLOAD_CHARS:
        raise invalid
    try:
        document = decode.load_json(decode.canonical_b64decode(payload), max_bytes=MAX_PAYLOAD_CHARS, max_depth=4)
        parsed = altcha.v2.Payload.from_dict(document)
    except (decode.DecodeError, KeyError, TypeError, ValueError, AttributeError):
        raise invalid from None
    signature = parsed.challenge.signature
    if not isinstance(signature, str) or not _HEX64.fullmatch(signature):
        raise invalid
    if not isinstance(parsed.solution.derived_key, str) or not _HEX64.fullmatch(parsed.solution.derived_key):
        raise invalid
    result = altcha.verify_solution(
        parsed,
        _subkey(secret, "altcha").hex(),
        hmac_key_secret=_subkey(secret, "altcha-key").hex(),
    )
    if result.expired:
        raise ApiError(
            400,
            "pow_expired",
            "Mã xác minh đã hết hạn (quá vài phút). Vui lòng bấm gửi lại; trang sẽ tự lấy mã mới.",
        )
    if not result.verified:
        raise invalid
    expires_at = parsed.challenge.parameters.expires_at
    if not isinstance(expires_at, int):
        raise invalid
    digest = hashlib.sha256(("altcha:" + signature).encode()).hexdigest()
    return Credential(digest, (expires_at - ttl) * 1000)


# --- signed tokens ------------------------------------------------------------------------------
#
# A token is ``base64url(JSON).base64url(HMAC-SHA-256)``, the MAC keyed per purpose and taken
# over the first part's text. Both parts must be canonical unpadded base64url, so a token has
# exactly one spelling. (itsdangerous, used before, decodes leniently: a signature's unused
# bits could be set four ways, and the ticket was spent by its text.)


def issue_token(secret: bytes, purpose: str, content: dict, now: float | None = None) -> str:
    body = {**content, "t": int(now if now is not None else time.time())}
    text = base64.urlsafe_b64encode(json.dumps(body, separators=(",", ":")).encode()).rstrip(b"=")
    mac = hmac.new(_subkey(secret, "token:" + purpose), text, hashlib.sha256).digest()
    return (text + b"." + base64.urlsafe_b64encode(mac).rstrip(b"=")).decode("ascii")


def read_token(secret: bytes, purpose: str, token: str, max_age: int) -> tuple[dict, int]:
    """The content of a signed token and its issue time in ms; ApiError if bad, re-encoded or expired."""
    invalid = ApiError(400, "token_invalid", _TOKEN_INVALID)
    if len(token) > MAX_TOKEN_CHARS or token.count(".") != 1:
        raise invalid
    text, _, mac_text = token.partition(".")
    try:
        body = decode.canonical_b64decode(text, urlsafe=True)
        mac = decode.canonical_b64decode(mac_text, urlsafe=True)
    except decode.DecodeError:
        raise invalid from None
    expected = hmac.new(_subkey(secret, "token:" + purpose), text.encode("ascii"), hashlib.sha256).digest()
    if not hmac.compare_digest(mac, expected):
        raise invalid
    try:
        content = decode.load_json(body, max_bytes=MAX_TOKEN_CHARS, max_depth=3)
    except decode.DecodeError:
        raise invalid from None  # only a token we signed gets here, and we sign only valid JSON
    issued = content.get("t") if isinstance(content, dict) else None
    if not isinstance(issued, int) or isinstance(issued, bool):
        raise invalid
    if time.time() - issued > max_age:
        raise ApiError(
            400,
            "token_expired",
            "Phiên gửi tệp đã hết hạn. Vui lòng bấm gửi lại; các tệp sẽ được tải lên lại.",
        )
    return content, issued * 1000


def ticket_content(credential: Credential, keys: list[str]) -> dict:
    """What an upload ticket carries: the proof-of-work it was bought with, and its files."""
    return {"c": credential.digest, "i": credential.issued_ms, "k": keys}


def verify_ticket(token: str, secret: bytes, ttl: int) -> Credential:
    """The credential an upload ticket stands for.

    It is named by the proof-of-work the ticket was bought with, not by the
    ticket's text: a retried slot request gets a second ticket for the same
    proof, and both name the same credential, marker and report id.
    """
    content, _ = read_token(secret, TICKET_SALT, token, ttl)
    spent, issued_ms = content.get("c"), content.get("i")
    if not isinstance(spent, str) or not _HEX64.fullmatch(spent) or not isinstance(issued_ms, int):
        raise ApiError(400, "token_invalid", _TOKEN_INVALID)
    return Credential(hashlib.sha256(("ticket:" + spent).encode()).hexdigest(), issued_ms)


def derived_id(secret: bytes, credential: Credential, index: int) -> str:
    """The id of the ``index``-th object a credential creates: time-sortable, unguessable, repeatable."""
    mac = hmac.new(_subkey(secret, "object-id"), f"{credential.digest}:{index}".encode(), hashlib.sha256).digest()
    return codes.encode_int(credential.issued_ms, 10) + codes.encode_int(int.from_bytes(mac[:10], "big"), 16)


def spend(store: Store, credential: Credential, request_digest: bytes) -> None:
    """Mark a credential as used for this request; the same request again is a harmless retry."""
    key = f"pow/{credential.digest}"
    try:
        if store.create(key, request_digest):
            return
        if hmac.compare_digest(store.get(key), request_digest):
            return
    except StoreError:
        from .errors import store_unavailable

        raise store_unavailable() from None
    raise ApiError(
        429,
        "pow_reused",
        "Mã xác minh này đã được dùng cho một lần gửi khác. Vui lòng bấm gửi lại để nhận mã mới.",
    )


def remove_old_markers(store: Store, now: float | None = None) -> int:
    """Delete spent markers older than any credential they could block (folder store only;
    on S3 a lifecycle rule on ``pow/`` does this)."""
    root = getattr(store, "root", None)
    if root is None or not (root / "pow").is_dir():
        return 0
    limit = (now or time.time()) - MARKER_LIFETIME
    old = [f"pow/{p.name}" for p in (root / "pow").iterdir() if p.stat().st_mtime < limit]
    store.delete_many(old)
    return len(old)
