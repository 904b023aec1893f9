"""Abuse resistance without tracking: proof-of-work (ALTCHA) and single-use credentials.

Nobody is identified or counted by address. Instead each report costs its
sender a few seconds of computation: the page fetches a signed challenge set,
solves it in Web Workers, and presents the solution once. Two credentials
exist:

* an **ALTCHA solution** (header ``X-Altcha``) of a whole challenge set, for a
  report without files and for asking upload slots;
* an **upload ticket** (header ``X-Upload-Ticket``), returned with the slots,
  for the report that refers to those files.

A credential is spent by an atomic create-if-absent marker ``pow/<digest>``
holding the SHA-256 of the request it was spent on. Presenting it again with
the same request (a retry after a lost response) is answered as the first
time; with any other request it is refused. The objects a credential creates
get ids derived from it, so a retry can never store a second copy.

The digest names what was *verified*, never the text that carried it: an
ALTCHA solution by its set's id (signed into every part, each part verified),
a ticket by the proof-of-work it was bought with. And the text itself must be in its one canonical spelling
(``decode``), so that re-encoding a credential is refused, not counted anew.
A credential is spent only once the request it comes with has been found
good: a refused request leaves no marker behind.

**A challenge set** is ``PARTS`` ALTCHA challenges issued together, each with
an answer below ``ceil(max / PARTS)`` and, in its signed ``data``, the set's
random id and its own index. The expected work is the same as one challenge
of ``max`` (half of it), but the total is a sum of ``PARTS`` uniform draws, so
it spreads far less (the worst cases get rare), and the page's progress bar,
the mean over parts, never jumps by more than ``1 / PARTS``. The solution
(``encode_solution``) carries the parameters the parts share once, and per
part only what differs; the server rebuilds each part's challenge with its
index taken from its place in the list, so a part moved, repeated or taken
from another set no longer matches its signature.
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


PARTS = 6
# Per part: the parameters that differ between parts, the challenge's signature, the solution.
_PART_PARAMETERS = ("nonce", "salt", "keyPrefix", "keySignature")
_PART_FIELDS = frozenset({*_PART_PARAMETERS, "signature", "counter", "derivedKey"})
_SHARED_PARAMETERS = frozenset({"algorithm", "cost", "keyLength", "expiresAt", "data"})
_SHARED_DATA = frozenset({"set", "parts", "max"})
_HEX32 = re.compile(r"[0-9a-f]{32}")


def new_challenge(secret: bytes, cost: int, max_counter: int, ttl: int) -> dict:
    """A challenge set: ``{"parts": [...]}``, ``PARTS`` signed ALTCHA v2 challenges.

    Each answer is a random counter below ``ceil(max_counter / PARTS)``, fixed in
    advance (ALTCHA's deterministic mode), so the work is predictable: on average
    ``max_counter / 2`` key derivations of ``cost`` PBKDF2 rounds in all, which is
    what the difficulty is tuned with. ``data.max`` lets the page show progress.
    """
    import altcha

    part_max = -(-max_counter // PARTS)
    set_id = secrets.token_hex(16)
    expires_at = int(time.time()) + ttl
    parts = [
        altcha.create_challenge(
            ALGORITHM,
            cost,
            counter=secrets.randbelow(part_max),
            expires_at=expires_at,
            data={"set": set_id, "part": index, "parts": PARTS, "max": part_max},
            hmac_secret=_subkey(secret, "altcha").hex(),
            hmac_key_secret=_subkey(secret, "altcha-key").hex(),
        ).to_dict()
        for index in range(PARTS)
    ]
    return {"parts": parts}


def encode_solution(challenge_set: dict, solutions: list[dict]) -> str:
    """The ``X-Altcha`` value for a solved set (``solutions``: ALTCHA's ``counter`` and ``derivedKey``
    per part, in order). web/src/pow.js writes the same document; the tests solve with this one.

    ``{"parameters": <shared by all parts, data without "part">, "parts": [<what differs>, ...]}``
    """
    challenges = challenge_set["parts"]
    first = challenges[0]["parameters"]
    shared = {key: value for key, value in first.items() if key not in _PART_PARAMETERS}
    shared["data"] = {key: value for key, value in first["data"].items() if key != "part"}
    parts = [
        {
            **{key: challenge["parameters"][key] for key in _PART_PARAMETERS},
            "signature": challenge["signature"],
            "counter": solution["counter"],
            "derivedKey": solution["derivedKey"],
        }
        for challenge, solution in zip(challenges, solutions, strict=True)
    ]
    text = json.dumps({"parameters": shared, "parts": parts}, separators=(",", ":"))
    return base64.b64encode(text.encode()).decode("ascii")


# The X-Altcha value: base64 of a small JSON document, bounded before it is read. A solved set
# is about 3,350 characters; API Gateway allows 10,240 bytes for the request line and all headers.
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
    four levels, holding exactly ``PARTS`` parts of one set in index order, each
    verified by ALTCHA (the challenge's signature is an HMAC over the canonical
    JSON of its parameters, its set id and index included). The set's id then
    names the credential, so every spelling of one solved set spends the same
    marker.
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
        payloads = _part_payloads(document)
    except (decode.DecodeError, KeyError, TypeError, ValueError, AttributeError):
        raise invalid from None
    results = [
        altcha.verify_solution(
            part,
            _subkey(secret, "altcha").hex(),
            hmac_key_secret=_subkey(secret, "altcha-key").hex(),
        )
        for part in payloads
    ]
    if any(result.expired for result in results):
        raise ApiError(
            400,
            "pow_expired",
            "Mã xác minh đã hết hạn (quá vài phút). Vui lòng bấm gửi lại; trang sẽ tự lấy mã mới.",
        )
    if not all(result.verified for result in results):
        raise invalid
    digest = hashlib.sha256(("altcha-set:" + document["parameters"]["data"]["set"]).encode()).hexdigest()
    return Credential(digest, (document["parameters"]["expiresAt"] - ttl) * 1000)


def _part_payloads(document: object) -> list:
    """The ALTCHA payload of each part of a solution document, rebuilt with its index; ValueError if
    the document is not exactly the shape ``encode_solution`` writes (types only: ALTCHA checks values)."""
    import altcha

    if not isinstance(document, dict) or document.keys() != {"parameters", "parts"}:
        raise ValueError("not a solution document")
    shared, parts = document["parameters"], document["parts"]
    if not isinstance(shared, dict) or shared.keys() != _SHARED_PARAMETERS:
        raise ValueError("shared parameters")
    data = shared["data"]
    if not isinstance(data, dict) or data.keys() != _SHARED_DATA or not isinstance(data["set"], str):
        raise ValueError("set")
    if not _HEX32.fullmatch(data["set"]) or data["parts"] != PARTS or not isinstance(data["parts"], int):
        raise ValueError("set id or number of parts")
    expires_at = shared["expiresAt"]
    if not isinstance(expires_at, int) or isinstance(expires_at, bool):
        raise ValueError("expiry")
    if not isinstance(parts, list) or len(parts) != PARTS:
        raise ValueError("number of parts")
    payloads = []
    for index, part in enumerate(parts):
        if not isinstance(part, dict) or part.keys() != _PART_FIELDS:
            raise ValueError("part")
        for name in ("signature", "derivedKey"):
            if not isinstance(part[name], str) or not _HEX64.fullmatch(part[name]):
                raise ValueError(name)
        counter = part["counter"]
        if not isinstance(counter, int) or isinstance(counter, bool) or not 0 <= counter < 1 << 32:
            raise ValueError("counter")
        parameters = {
            **shared,
            **{key: part[key] for key in _PART_PARAMETERS},
            "data": {**data, "part": index},
        }
        challenge = altcha.v2.Challenge.from_dict({"parameters": parameters, "signature": part["signature"]})
        solution = altcha.v2.Solution(part["counter"], part["derivedKey"])
        payloads.append(altcha.v2.Payload(challenge, solution))
    return payloads


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
