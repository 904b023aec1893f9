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
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from . import codes
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


def verify_solution(payload: str, secret: bytes, ttl: int) -> Credential:
    """Check an ``X-Altcha`` payload; ApiError with a plain message if it is not good."""
    import altcha

    if not payload:
        raise ApiError(
            400,
            "pow_required",
            "Thiếu bước xác minh chống gửi tự động. Vui lòng tải lại trang rồi gửi lại.",
        )
    if len(payload) > 4096:
        raise ApiError(400, "pow_invalid", "Mã xác minh không hợp lệ. Vui lòng tải lại trang rồi gửi lại.")
    result = altcha.verify_solution(
        payload,
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
        raise ApiError(400, "pow_invalid", "Mã xác minh không hợp lệ. Vui lòng tải lại trang rồi gửi lại.")
    parsed = altcha.v2.Payload.from_base64(payload)
    expires_at = int(parsed.challenge.parameters.expires_at or time.time())
    digest = hashlib.sha256(("altcha:" + parsed.challenge.signature).encode()).hexdigest()
    return Credential(digest, (expires_at - ttl) * 1000)


def _serializer(secret: bytes, salt: str):
    from itsdangerous import URLSafeTimedSerializer

    return URLSafeTimedSerializer(secret, salt=salt)


def issue_token(secret: bytes, salt: str, content: dict) -> str:
    return _serializer(secret, salt).dumps(content)


def read_token(secret: bytes, salt: str, token: str, max_age: int) -> tuple[dict, int]:
    """The content of a signed token and its issue time in ms; ApiError if bad or expired."""
    from itsdangerous import BadSignature, SignatureExpired

    try:
        content, issued = _serializer(secret, salt).loads(token, max_age=max_age, return_timestamp=True)
    except SignatureExpired:
        raise ApiError(
            400,
            "token_expired",
            "Phiên gửi tệp đã hết hạn. Vui lòng bấm gửi lại; các tệp sẽ được tải lên lại.",
        ) from None
    except BadSignature:
        raise ApiError(400, "token_invalid", "Mã phiên gửi không hợp lệ. Vui lòng tải lại trang rồi gửi lại.") from None
    return content, int(issued.timestamp() * 1000)


def verify_ticket(token: str, secret: bytes, ttl: int) -> Credential:
    if len(token) > 8192:
        raise ApiError(400, "token_invalid", "Mã phiên gửi không hợp lệ. Vui lòng tải lại trang rồi gửi lại.")
    _, issued_ms = read_token(secret, TICKET_SALT, token, ttl)
    return Credential(hashlib.sha256(("ticket:" + token).encode()).hexdigest(), issued_ms)


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
