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

The marker holds no secret: a random id, when and where the register was made,
so that the message that refuses a pull can say where the right folder is.
"""

from __future__ import annotations

import json
import platform
import re
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path

from intake_function import objects
from intake_function.store import ObjectMissing, Store

from .. import register
from ..workflow.clock import local_time
from . import audit

ID_KEY = "register_id"
CREATED_KEY = "register_created"
CLAIM_KEY = "store_claim"  # "first": may claim the first unmarked store it pulls from
SCHEMA = "office-register/1"
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
    folder: str
    computer: str

    def encode(self) -> bytes:
        return json.dumps({"schema": SCHEMA, **asdict(self)}, ensure_ascii=False, indent=1).encode("utf-8")

    def where(self) -> str:
        """Where that register lives, for a person looking for the right folder."""
        return f"{self.folder} ({self.computer}, {local_time(self.created)})"


def parse_marker(data: bytes) -> Marker:
    """A marker read from a store: small, one schema, every field checked (it is read, not trusted)."""
    if len(data) > MAX_MARKER_BYTES:
        raise ValueError("quá lớn / too large")
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("không phải JSON / not JSON") from None
    if not isinstance(value, dict) or value.get("schema") != SCHEMA:
        raise ValueError("khác định dạng / another schema")
    fields = {name: value.get(name) for name in ("register", "created", "folder", "computer")}
    if not all(isinstance(v, str) and len(v) <= 1024 for v in fields.values()):
        raise ValueError("thiếu mục hoặc mục quá dài / a missing or oversized field")
    if not _ID_RE.fullmatch(fields["register"]) or not _INSTANT_RE.fullmatch(fields["created"]):
        raise ValueError("không nêu sổ hợp lệ nào / names no valid register")
    return Marker(**fields)


def register_id(db: sqlite3.Connection) -> str:
    value = register.meta_get(db, ID_KEY)
    if value is None:  # the migration gives every register one; a register without it was tampered with
        raise RuntimeError(
            "sổ không có mã định danh (tệp sổ có thể đã bị sửa): báo cán bộ công nghệ thông tin, đối chiếu bản sao "
            "lưu / the register has no identity (its file may have been altered)"
        )
    return value


def own_marker(db: sqlite3.Connection, root: Path) -> Marker:
    return Marker(
        register=register_id(db),
        created=register.meta_get(db, CREATED_KEY) or "1970-01-01T00:00:00Z",
        folder=str(root),
        computer=platform.node() or "?",
    )


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
    mine = own_marker(db, root)
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
            f"kho {store.url} cấp phản ánh cho một sổ khác, lập tại {where}; thư mục {root} không phải sổ đó: "
            f"kiểm tra biến OFFICE_DATA hoặc --data. Không vào sổ gì, không xóa gì trên kho. / "
            f"the store feeds another register, made at {where}; {root} is not it: check OFFICE_DATA or --data. "
            f"Nothing was registered or deleted from the store."
        )
    return found
