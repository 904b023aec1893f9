"""``office recipients``, the operation: the Office's keys in force, and the one procedure that changes them.

Add a new key, retire an old or lost one, then re-encrypt what the data folder keeps
to the new list (``rekey``): the handbook's key-change and key-loss sections are these
three steps. Each is recorded in the audit trail.
"""

from __future__ import annotations

from intake_function import envelope

from .. import register
from ..operation import DeskError, Done, Field, Meters, Unlock, locked, no_meter
from ..register import audit
from ..register.desk import Desk
from . import rekey as rekey_module
from .recipients import (
    RecipientsError,
    change,
    key_names,
    names_in,
    note_names,
    one_key_warning,
    read_recipients,
    stored_recipients,
)

KEYS = "AGE1...|TỆP"
RECIPIENTS = (
    Field("added", "Thêm khóa", "add a key", hint="(repeatable)", option="--add", multiple=True),
    Field(
        "retired",
        "Thôi dùng khóa",
        "retire a key",
        hint="(repeatable)",
        option="--retire",
        multiple=True,
    ),
    Field("replaced", "Thay cả danh sách", "replace the whole list", option="--set"),
)
NO_KEY = "Sổ chưa có khóa / no key yet. Tiếp theo / next: office recipients --add TỆP"
IN_FORCE = "Khóa đang dùng / keys in force:"
UNNAMED = "chưa có tên (khóa nhập trực tiếp) / no name (a key typed as such)"


def change_keys(
    desk: Desk,
    *,
    added: tuple[str, ...] | list[str] = (),
    retired: tuple[str, ...] | list[str] = (),
    replaced: str | None = None,
    then_rekey: bool = False,
    who: str,
) -> Done:
    """Add, retire or replace keys (each a key, or a recipients file); ``Done.value`` is the list in force.

    ``Done.out`` lists the keys in force with their fingerprints, ``Done.lines`` what to know and do next
    (re-encrypting, unless ``then_rekey`` says it comes next).
    """
    before = stored_recipients(desk.db)
    try:
        add = [k for value in added for k in read_recipients(value)]
        retire = [k for value in retired for k in read_recipients(value)]
        replace = read_recipients(replaced) if replaced else None
        if add or retire or replace is not None:
            with register.transaction(desk.db):
                after = change(desk.db, add=add, retire=retire, replace=replace)
                named = {}
                for value in [*added, *([replaced] if replaced else [])]:
                    named.update(names_in(value))
                note_names(desk.db, named)
                audit.append(
                    desk.db,
                    "keys",
                    who=who,
                    reason="thay đổi khóa đang dùng",
                    details={
                        "added": [envelope.fingerprint(k) for k in after if k not in before],
                        "retired": [envelope.fingerprint(k) for k in before if k not in after],
                        "recipients": [envelope.fingerprint(k) for k in after],
                    },
                )
    except RecipientsError as exc:
        raise DeskError(str(exc)) from None
    current = stored_recipients(desk.db)
    done = Done(value=current)
    if not current:
        return done.say(NO_KEY)
    names = key_names(desk.db)
    done.say(
        IN_FORCE,
        *(
            f"  {envelope.fingerprint(key)}: {envelope.kind_label(key)} — {names.get(key) or UNNAMED}"
            for key in current
        ),
    )
    done.out = [f"{key}  {envelope.fingerprint(key)}" for key in current]
    if warning := one_key_warning(current):
        done.say(warning)
    if current != before and not then_rekey:
        done.next(
            "office recipients --rekey --identity TỆP-KHÓA (mã hóa lại dữ liệu cũ cho các khóa này / "
            "re-encrypt what is already kept)"
        )
    return done


def rekey(desk: Desk, unlock: Unlock, *, who: str, meters: Meters = no_meter) -> Done:
    """Open everything the data folder keeps with the identities and encrypt it again to the keys in force.

    Safe to interrupt and run again: what was already re-encrypted to this list is left alone.
    """
    current = stored_recipients(desk.db)
    identities = unlock()
    objects = rekey_module.sealed_objects(desk)
    with locked(desk), meters(sum(size for _, size in objects), "Mã hóa lại / re-encrypting") as meter:
        result = rekey_module.rekey(desk, identities, current, progress=meter.update)
    audit.record(
        desk.db,
        "keys",
        who=who,
        reason="mã hóa lại dữ liệu cho các khóa đang dùng",
        details={
            "resealed": result.resealed,
            "already": result.already,
            "not_opened": len(result.not_opened),
            "recipients": [envelope.fingerprint(k) for k in current],
        },
    )
    already = f"; đã làm từ lần trước / done by an earlier run: {result.already}" if result.already else ""
    done = Done(value=result).say(f"Đã mã hóa lại / re-encrypted: {result.resealed}{already}")
    if result.other_kind:
        done.say(
            f"Đã mã hóa cho loại khóa đang dùng, tệp khóa này (loại khác) không mở được, giữ nguyên / already for "
            f"the kind of key in force, which this identity file (of the other kind) cannot open, left as they "
            f"were: {len(result.other_kind)}"
        )
    if result.not_opened:
        raise DeskError(
            f"{len(result.not_opened)} tệp không mở được bằng tệp khóa này nên giữ nguyên; chạy lại với tệp khóa mở "
            f"được chúng (ví dụ khóa cũ) / {len(result.not_opened)} objects did not open with this identity file and "
            "were left as they were; run again with a key that opens them (the old key, say)",
            lines=[*done.lines, *(f"  {key}" for key in result.not_opened)],
        )
    return done
