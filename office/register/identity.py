"""Which register this is, and which register a store feeds: so that reports go to one register only.

A register is made once, by ``office init`` (or the first ``office pull --init``),
and gets a random identity kept in its ``meta`` table. The store it takes reports
from carries a small marker object, ``office-register.json`` (the key is in
``intake_function/objects.py``), naming that identity. ``pull``, ``import`` and the
copy for the offline computer compare the two before they register or delete
anything: a data folder that does not hold the store's register is refused, so a
pull run in the wrong folder can never take a report away from the real register.

A store without a marker is claimed (the marker written, create-if-absent, so two
registers cannot both win) only when someone means it: ``office init --store URL``,
``office pull --init``, or the first pull of a register that is not bound to any
store yet (made by ``office init`` on a computer without the store, or by a
release before markers existed, which had been pulling from its store all along).

The marker holds the register's random id and the day it was made, and nothing of
the Office's computer (no folder path, no computer name: whoever can read the
bucket must not learn them). A marker written by an earlier release, which held
both, is rewritten without them at the next check by the register it names.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from intake_function import objects
from intake_function.store import ObjectMissing, Store

from .. import register
from ..workflow.clock import local_time
from . import audit

ID_KEY = "register_id"
CREATED_KEY = "register_created"
CLAIM_KEY = "store_claim"  # "first": may claim the first unmarked store it pulls from
SCHEMA = "office-register/2"
LEGACY_SCHEMA = "office-register/1"  # also held the register's folder and computer name
MAX_MARKER_BYTES = 4096
_ID_RE = re.compile(r"[0-9a-f]{32}")
_INSTANT_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class StoreOfAnotherRegister(Exception):
    """The store (or transfer folder) feeds another register; nothing was registered or deleted."""


class UnboundStore(Exception):
    """The store has no marker and this register may not claim it without being told to."""


@dataclass(frozen=True)
class Marker:
    register: str
    created: str
    legacy: bool = False  # read from an earlier release's marker, which also named the folder and computer

    def encode(self) -> bytes:
        fields = {"schema": SCHEMA, "register": self.register, "created": self.created}
        return json.dumps(fields, ensure_ascii=False, indent=1).encode("utf-8")

    def where(self) -> str:
        """Which register that is, for a person looking for the right folder (its first audit entry names it)."""
        return f"sổ / register {self.register[:8]}… ({local_time(self.created)})"


def parse_marker(data: bytes) -> Marker:
    """A marker read from a store: small, a known schema, every field checked (it is read, not trusted)."""
    if len(data) > MAX_MARKER_BYTES:
        raise ValueError("quá lớn / too large")
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("không phải JSON / not JSON") from None
    if not isinstance(value, dict) or value.get("schema") not in (SCHEMA, LEGACY_SCHEMA):
        raise ValueError("khác định dạng / another schema")
    legacy = value["schema"] == LEGACY_SCHEMA
    names = ("register", "created", "folder", "computer") if legacy else ("register", "created")
    if set(value) != {"schema", *names}:
        raise ValueError("thiếu mục hoặc thừa mục / a missing or unknown field")
    fields = {name: value[name] for name in names}
    if not all(isinstance(v, str) and len(v) <= 1024 for v in fields.values()):
        raise ValueError("mục sai kiểu hoặc quá dài / a field of the wrong type, or oversized")
    if not _ID_RE.fullmatch(fields["register"]) or not _INSTANT_RE.fullmatch(fields["created"]):
        raise ValueError("không nêu sổ hợp lệ nào / names no valid register")
    return Marker(fields["register"], fields["created"], legacy)


def register_id(db: sqlite3.Connection) -> str:
    value = register.meta_get(db, ID_KEY)
    if value is None:  # the migration gives every register one; a register without it was tampered with
        raise RuntimeError(
            "sổ không có mã định danh (tệp sổ có thể đã bị sửa): báo cán bộ công nghệ thông tin, đối chiếu bản sao "
            "lưu / the register has no identity (its file may have been altered)"
        )
    return value


def own_marker(db: sqlite3.Connection) -> Marker:
    return Marker(register=register_id(db), created=register.meta_get(db, CREATED_KEY) or "1970-01-01T00:00:00Z")


def rewrite_legacy(store: Store, marker: Marker) -> bool:
    """Rewrite an earlier release's marker without the folder and computer name; True if it was one."""
    if not marker.legacy:
        return False
    store.put(objects.REGISTER_MARKER, marker.encode())
    return True


def read_marker(store: Store) -> Marker | None:
    try:
        data = store.get(objects.REGISTER_MARKER)
    except ObjectMissing:
        return None
    try:
        return parse_marker(data)
    except ValueError as exc:
        raise StoreOfAnotherRegister(
            f"dấu nhận biết sổ trong kho {store.url} bị hỏng ({exc}); không tải gì, không xóa gì: báo cán bộ công "
            f"nghệ thông tin / the store's register marker is damaged; nothing was pulled or deleted"
        ) from None


def check_store(
    db: sqlite3.Connection, root: Path, store: Store, *, claim: bool = False, who: str | None = None
) -> Marker:
    """Make sure ``store`` feeds this register, claiming an unmarked one only when allowed; see the module.

    Returns the store's marker. Raises StoreOfAnotherRegister or UnboundStore,
    having changed nothing, when the store is not this register's.
    """
    mine = own_marker(db)
    found = read_marker(store)
    if found is None:
        if not (claim or register.meta_get(db, CLAIM_KEY) == "first"):
            raise UnboundStore(
                f"kho {store.url} chưa gắn với sổ nào, và sổ ở {root} đã gắn với kho khác. Nếu đây đúng là sổ của "
                f"Văn phòng Ban, gắn kho một lần bằng: office init --store URL. Không tải gì, không xóa gì. / "
                f"the store carries no register marker and this register is bound to another store; if this is "
                f"the Office's register, bind it once with office init --store URL. Nothing was pulled or deleted."
            )
        if not store.create(objects.REGISTER_MARKER, mine.encode()):  # another register won a race
            found = read_marker(store)
        else:
            with register.transaction(db):
                register.meta_set(db, CLAIM_KEY, "bound")
                audit.append(
                    db,
                    "init",
                    who=audit.current_user(who),
                    reason="gắn kho lưu trữ với sổ",
                    details={"store": store.url, "register": mine.register},
                )
            return mine
    if found is None or found.register != mine.register:
        where = found.where() if found else "?"
        raise StoreOfAnotherRegister(
            f"kho {store.url} cấp phản ánh cho một sổ khác ({where}); thư mục {root} giữ {mine.where()}, không phải "
            f"sổ đó: kiểm tra biến OFFICE_DATA hoặc --data. Không vào sổ gì, không xóa gì trên kho. / "
            f"the store feeds another register ({where}); {root} holds {mine.where()}, not that one: check "
            f"OFFICE_DATA or --data. Nothing was registered or deleted from the store."
        )
    if rewrite_legacy(store, found):
        with register.transaction(db):
            audit.append(
                db,
                "upgrade",
                who=audit.current_user(who),
                reason="dấu nhận biết sổ trong kho được viết lại, bỏ đường dẫn thư mục và tên máy / the store's "
                "register marker rewritten without the folder path and computer name",
                details={"store": store.url, "register": mine.register, "marker": SCHEMA},
            )
    return found
