"""Reports come into the register: pulled from the store, imported from a transfer folder, or kept in quarantine.

A report is stored in the data folder before its remote copy is deleted; what does
not decrypt or validate waits in quarantine, left on the server (``intake.pull``).
These operations add what the Office needs around it: the store must feed this
register (``register.identity``), one run at a time (the data folder's lock), and a
summary of what came in, in the person's words.
"""

from __future__ import annotations

from pathlib import Path

from intake_function import envelope, objects
from intake_function.store import FileStore, Store, StoreError, StoreRefused

from .. import register
from ..keys.recipients import outside_notes, stored_recipients
from ..operation import LONG_TEXT, DeskError, Done, Field, Meters, locked, no_meter, open_desk_at
from ..register import desk as desk_module
from ..register import identity as register_identity
from ..register import setup
from ..register.desk import Desk
from ..workflow.clock import local_time
from . import quarantine, transfer
from .pull import PullResult, WrongKey, pending, pull

# What refuses a pull or an import having changed nothing; the message says why.
_REFUSALS = (WrongKey, register_identity.StoreOfAnotherRegister, register_identity.UnboundStore)


def pull_reports(
    data: Path,
    remote: Store,
    identities: list[envelope.Identity],
    *,
    who: str,
    keep_remote: bool = False,
    make_new: bool = False,
    recipients: str | None = None,
    key_name: str = "",
    retry_quarantined: bool = False,
    meters: Meters = no_meter,
) -> Done:
    """Pull every new report and follow-up into the register at ``data``; ``Done.value`` is the PullResult.

    ``make_new``: the first pull makes the register if the folder has none (with ``recipients``,
    as ``office init`` does) and binds the store. ``key_name`` names the identity file in the
    note about a key that is not among the register's keys in force. ``retry_quarantined``:
    examine again what an earlier pull quarantined (with the right key file, say).
    """
    done = Done()
    try:
        if make_new and not desk_module.exists(data):
            made = setup.make_register(data, recipients, remote, who=who, identities=identities)
            desk, done.lines = made.value, made.lines
        else:
            desk = open_desk_at(data)
        done.say(*outside_notes(desk.db, identities, key_name))
        confirmed = any(str(i.to_public()) in stored_recipients(desk.db) for i in identities)
        with locked(desk):
            register_identity.check_store(desk.db, desk.root, remote, claim=make_new, who=who)
            waiting = pending(remote)
            attachments = sum(i.size for i in remote.list(objects.ATTACHMENTS))
            with meters(sum(i.size for i in waiting) + attachments, "Tải về / pulling") as meter:
                result = pull(
                    remote,
                    desk,
                    identities,
                    keep_remote=keep_remote,
                    keys=[i.key for i in waiting],
                    progress=meter.update,
                    actor=who,
                    key_confirmed=confirmed,
                    retry_quarantined=retry_quarantined,
                )
    except StoreRefused as exc:
        raise DeskError(f"{exc}. Không mất gì / nothing was lost.", lines=done.lines) from None
    except StoreError as exc:
        raise DeskError(
            f"{exc}. Không mất gì; chạy lại sau / Nothing was lost; run the command again later.", lines=done.lines
        ) from None
    except _REFUSALS as exc:
        raise DeskError(str(exc), lines=done.lines) from None
    done.value = result
    return done.say(*summary(result, keep_remote))


def copy_for_offline(remote: Store, transfer_dir: Path | None, *, meters: Meters = no_meter) -> Done:
    """Copy the ciphertext only, for the offline computer that holds the key (``office import`` there)."""
    if transfer_dir is None:
        raise DeskError(
            "--encrypted-only cần --to THƯ-MỤC (thư mục chuyển sang máy ngoại tuyến) / "
            "--encrypted-only needs --to FOLDER"
        )
    try:
        folder = FileStore(transfer_dir)
        infos = [*remote.list(objects.ATTACHMENTS), *remote.list(objects.INBOX)]
        with meters(sum(i.size for i in infos), "Sao chép / copying") as meter:
            copied = transfer.mirror(remote, folder, progress=meter.update)
    except StoreRefused as exc:
        raise DeskError(f"{exc}. Không mất gì / nothing was lost.") from None
    except StoreError as exc:
        raise DeskError(f"{exc}. Không mất gì; chạy lại sau / Nothing was lost; run the command again later.") from None
    done = Done(value=copied).say(
        f"Đã sao chép / copied: {copied.copied}; đã có / already there: {copied.present}; "
        f"đã xóa trên máy chủ (đã nhập ở máy ngoại tuyến) / deleted as imported: {copied.deleted_remote}; "
        f"trả lời đã gửi lên kho / answers sent: {copied.answers_sent}"
    )
    return done.next(f"office import {transfer_dir} (máy ngoại tuyến / on the offline computer)")


def import_transfer(desk: Desk, folder: Path, identities: list[envelope.Identity]) -> Done:
    """On the offline computer: decrypt and register what ``copy_for_offline`` copied into ``folder``."""
    confirmed = any(str(i.to_public()) in stored_recipients(desk.db) for i in identities)
    try:
        with locked(desk):
            result = transfer.import_folder(folder, desk, identities, key_confirmed=confirmed)
    except _REFUSALS as exc:
        raise DeskError(str(exc)) from None
    return Done(value=result).say(*summary(result, keep_remote=True))


def _numbers(numbers: list[str]) -> str:
    """A few case numbers in full; a long run as its first and last (a first pull can bring hundreds)."""
    if len(numbers) <= 10:
        return ", ".join(numbers)
    return f"{numbers[0]} … {numbers[-1]}"


def summary(result: PullResult, keep_remote: bool) -> list[str]:
    """What came in, what waits, what was quarantined and deleted: the words after a pull or an import."""
    new = f" ({_numbers(result.new_cases)})" if result.new_cases else ""
    lines = [
        f"Phản ánh mới / new reports: {len(result.new_cases)}{new}",
        f"Tệp đính kèm / attachments: {result.attachments}; đã có trong sổ / already registered: "
        f"{result.already_registered}",
    ]
    if result.followups or result.joined_waiting:
        joined = result.followups + result.joined_waiting
        lines.append(
            f"Thông tin bổ sung / follow-ups: {len(joined)} ({_numbers(joined)}); xem / read with: office show ID"
        )
    if result.unmatched:
        lines.append(
            f"Thông tin bổ sung chưa khớp hồ sơ nào / follow-ups matching no case: {len(result.unmatched)}; "
            "xem / see: office list --unmatched"
        )
    if result.unverified:
        lines.append(
            f"Thông tin bổ sung chưa xác minh, không gắn vào hồ sơ (không chứng minh được mã tra cứu) / unverified "
            f"follow-ups, not joined (no proof of the receipt code): {len(result.unverified)}; "
            "xem / see: office list --unmatched"
        )
    if result.quarantined:
        kept = len(result.quarantined)
        lines.append(f"Cách ly / quarantined: {kept} (giữ nguyên trên máy chủ / kept on the server):")
        lines += [f"  {key}: {' '.join(reason.split())}" for key, reason in result.quarantined]
    if result.kept_aside:
        lines.append(
            f"Đã cách ly từ lần trước, không tải lại / quarantined earlier, left aside: {result.kept_aside}; xem / "
            "see: office quarantine"
        )
    if result.resealed:
        lines.append(
            f"Đã mã hóa lại cho đủ {result.keys_in_force} khóa đang dùng / sealed again to the keys in force: "
            f"{result.resealed} tệp / envelope(s)"
        )
    if result.fewer_keys:
        lines.append(
            f"Gửi đến ít khóa hơn số khóa đang dùng, nay đã mã hóa lại / sent to fewer keys than in force, "
            f"now sealed to all: {_numbers(result.fewer_keys)}"
        )
    if result.other_kind:
        lines.append(
            f"Mã hóa cho loại khóa khác với tệp khóa này, giữ nguyên trên máy chủ / for another kind of key than "
            f"this identity file's, left on the server: {len(result.other_kind)}; tải bằng tệp khóa mở được chúng "
            "(ví dụ khóa X25519 cũ) / pull them with the key file that opens them (the old X25519 key, say)"
        )
    if not keep_remote:
        lines.append(f"Đã xóa trên máy chủ / deleted from the store: {result.deleted_remote}")
    return lines


# --- the quarantine -------------------------------------------------------------------------------------------

NOTHING_QUARANTINED = "Không có phản ánh nào bị cách ly / nothing in quarantine."
DROP = (
    Field("dropped", "Xóa phản ánh cách ly này khỏi kho", "remove it from the store", option="--drop"),
    Field("reason", "Lý do xóa (bắt buộc với --drop)", "why (needed with --drop)", kind=LONG_TEXT, default=""),
)


def quarantined(desk: Desk) -> list[str]:
    """The reports kept aside and why: one line each (key, when last seen, size, the reason, whether dropped)."""
    lines = []
    for row in register.quarantined(desk.db):
        state = f"  [đã xóa khỏi kho / removed {local_time(row['dropped_at'])}]" if row["dropped_at"] else ""
        size = f"  {row['size']} bytes" if row["size"] is not None else ""
        lines.append(
            f"{row['source_key']}  {local_time(row['last_seen'])}{size}  {' '.join(row['reason'].split())}{state}"
        )
    return lines


def drop_quarantined(desk: Desk, remote: Store, key: str, *, reason: str, who: str) -> Done:
    """Remove a quarantined envelope from the store, once its copy in the quarantine folder is durably kept."""
    try:
        with locked(desk):
            dropped = quarantine.drop(desk, remote, key, reason=reason, who=who)
    except quarantine.QuarantineError as exc:
        raise DeskError(str(exc)) from None
    except StoreError as exc:
        raise DeskError(f"{exc}. Chưa xóa gì trên kho / nothing was deleted from the store.") from None
    where = "đã xóa khỏi kho / removed from the store" if dropped.was_remote else "kho không còn / not in the store"
    return Done(value=dropped).say(
        f"{dropped.key}: {where}; bản sao / copy: quarantine/{dropped.key} ({dropped.size} bytes)"
    )
