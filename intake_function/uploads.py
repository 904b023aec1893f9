"""Upload slots: where the page puts each encrypted attachment, before the report.

The page encrypts every file first, so it knows each envelope's exact size,
then asks for slots with one proof-of-work. The function picks the keys
(under ``attachments/``, derived from the credential so a retry gets the same
ones) and answers, per file:

* on S3, a presigned POST whose policy pins the key, the exact size
  (``content-length-range``), the content type and server-side encryption,
  valid for ``INTAKE_UPLOAD_TTL`` seconds; the bytes go straight to S3;
* on a folder store, a signed ``PUT /api/v1/uploads/<token>`` that the
  function streams to disk within the same bound.

With the slots comes a ticket, the credential for submitting the report.
"""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime
from typing import BinaryIO

from . import decode, envelope, objects, proof, report
from .config import Config
from .errors import ApiError, size_text, store_unavailable
from .store import ObjectExists, ObjectTooLarge, Store, StoreError

# A slot request names at most 20 sizes: a few hundred bytes. Anything far larger is not one.
MAX_REQUEST_BYTES = 4096


def envelope_limit(plaintext_bytes: int) -> int:
    """The largest envelope a plaintext of this size can make (a header of any size we accept)."""
    return envelope.ciphertext_size(plaintext_bytes, envelope.MAX_HEADER_SIZE)


def read_sizes(body: bytes, config: Config) -> list[int]:
    """The envelope sizes the page announces; ApiError with a plain message if out of bounds."""
    shape = 'Yêu cầu phải có dạng {"files": [{"size": số byte}, ...]}.'
    try:
        document = decode.load_json(body, max_bytes=MAX_REQUEST_BYTES, max_depth=3)
    except decode.DecodeError:
        raise ApiError(400, "bad_request", shape) from None
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(files, list) or not all(isinstance(item, dict) and "size" in item for item in files):
        raise ApiError(400, "bad_request", shape)
    sizes = [item["size"] for item in files]
    most = report.max_attachments()  # the report schema's own limit: a report can refer to no more
    if not sizes or len(sizes) > most:
        raise ApiError(400, "too_many_files", f"Mỗi phản ánh đính kèm từ 1 đến {most} tệp.")
    if not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in sizes):
        raise ApiError(400, "bad_request", "Kích thước tệp phải là số nguyên dương.")
    if max(sizes) > envelope_limit(config.max_file_bytes):
        raise ApiError(413, "file_too_large", f"Mỗi tệp tối đa {size_text(config.max_file_bytes)}.")
    if sum(sizes) > envelope_limit(config.max_report_bytes) + len(sizes) * envelope.MAX_HEADER_SIZE:
        raise ApiError(413, "report_too_large", f"Tổng dung lượng tệp tối đa {size_text(config.max_report_bytes)}.")
    return sizes


def grant(store: Store, config: Config, credential: proof.Credential, sizes: list[int], api_base: str) -> dict:
    """The slots and the ticket for these files (the credential must already be spent)."""
    slots, keys = [], []
    for index, size in enumerate(sizes):
        key = objects.attachment_key(proof.derived_id(config.secret, credential, index))
        keys.append(key)
        slot_for = getattr(store, "upload_slot", None)
        if slot_for is not None:
            slot = slot_for(key, size, config.upload_ttl)
        else:
            token = proof.issue_token(config.secret, proof.SLOT_SALT, {"k": key, "n": size})
            slot = {
                "method": "PUT",
                "url": f"{api_base}/uploads/{token}",
                "headers": {"Content-Type": "application/octet-stream"},
            }
        slots.append({"key": key, "size": size, **slot})
    ticket = proof.issue_token(config.secret, proof.TICKET_SALT, proof.ticket_content(credential, keys))
    expires = datetime.fromtimestamp(datetime.now(UTC).timestamp() + config.upload_ttl, UTC)
    return {"slots": slots, "ticket": ticket, "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}


class _CheckedHead(io.RawIOBase):
    """Reads a stream through, checking the age header as soon as its first bytes arrive."""

    def __init__(self, source: BinaryIO, size: int) -> None:
        self.source = source
        self.size = size
        self.head = b""
        self.checked = False
        self.header: envelope.Header | None = None
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        chunk = self.source.read(size)
        self.digest.update(chunk)
        if not self.checked:
            self.head += chunk
            if len(self.head) >= min(self.size, envelope.MAX_HEADER_SIZE) or not chunk:
                self.header = envelope.parse_header(self.head)
                if not envelope.payload_size_is_possible(self.size - self.header.size):
                    raise envelope.EnvelopeError("the announced size cannot be a complete envelope")
                self.checked = True
                self.head = b""
        return chunk


def receive(store: Store, config: Config, token: str, source: BinaryIO, length: int | None) -> tuple[str, bool]:
    """Stream one upload into its slot; return (key, created) — not created on a harmless retry.

    A slot is filled once. The same bytes again (a retry after a lost answer)
    are answered as the first time; other bytes for a filled slot are refused
    with 409 and change nothing.
    """
    content, _ = proof.read_token(config.secret, proof.SLOT_SALT, token, config.upload_ttl)
    key, size = content.get("k"), content.get("n")
    if not isinstance(key, str) or not objects.is_attachment_key(key) or not isinstance(size, int):
        raise ApiError(400, "token_invalid", "Mã phiên gửi không hợp lệ. Vui lòng tải lại trang rồi gửi lại.")
    if length is None:
        raise ApiError(400, "length_required", "Thiếu độ dài nội dung (Content-Length).")
    if length != size:
        raise ApiError(400, "size_mismatch", "Kích thước tệp gửi lên khác với kích thước đã đăng ký.")
    checked = _CheckedHead(source, size)
    try:
        stored = store.put_stream(key, checked, max_bytes=size)
    except envelope.EnvelopeError:
        raise ApiError(400, "invalid_envelope", "Tệp gửi lên không phải là phong bì mã hóa hợp lệ.") from None
    except ObjectTooLarge:
        raise ApiError(413, "too_large", "Tệp gửi lên lớn hơn kích thước đã đăng ký.") from None
    except ObjectExists:
        if _stored_digest(store, key) == checked.digest.digest():
            return key, False
        raise ApiError(
            409,
            "slot_used",
            "Chỗ gửi tệp này đã nhận một tệp khác; tệp vừa gửi không được lưu. Vui lòng bấm gửi lại từ đầu.",
        ) from None
    except StoreError:
        raise store_unavailable() from None
    if stored != size:
        store.delete(key)
        raise ApiError(400, "size_mismatch", "Tệp gửi lên bị thiếu dữ liệu; vui lòng gửi lại.")
    return key, True


class _Hashing(io.RawIOBase):
    def __init__(self) -> None:
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.digest.update(data)
        return len(data)


def _stored_digest(store: Store, key: str) -> bytes:
    sink = _Hashing()
    try:
        store.download(key, sink)
    except StoreError:
        raise store_unavailable() from None
    return sink.digest.digest()


def request_digest(body: bytes) -> bytes:
    return hashlib.sha256(body).digest()
