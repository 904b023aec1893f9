"""``office pull``, ``office import`` and ``office quarantine``: reports come into the register.

A report is stored in the data folder before its remote copy is deleted; what does
not decrypt or validate waits in quarantine, left on the server.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from intake_function import objects
from intake_function.store import FileStore, StoreError, StoreRefused

from .. import register
from ..intake import quarantine as quarantine_module
from ..intake import transfer
from ..intake.pull import PullResult, WrongKey, pending, pull
from ..keys.recipients import stored_recipients
from ..register import desk as desk_module
from ..register import identity as register_identity
from ..register.desk import DeskBusy
from ..workflow.clock import local_time
from .common import (
    by_option,
    data_option,
    desk_at,
    fail,
    identity_option,
    load_identities,
    note_keys_outside,
    open_remote,
    recipients_option,
    store_option,
    who,
)
from .setup import make_register
from .terminal import safe


def _numbers(numbers: list[str]) -> str:
    """A few case numbers in full; a long run as its first and last (a first pull can bring hundreds)."""
    if len(numbers) <= 10:
        return ", ".join(numbers)
    return f"{numbers[0]} … {numbers[-1]}"


def _summary(result: PullResult, keep_remote: bool) -> None:
    new = f" ({_numbers(result.new_cases)})" if result.new_cases else ""
    click.echo(f"Phản ánh mới / new reports: {len(result.new_cases)}{new}", err=True)
    click.echo(
        f"Tệp đính kèm / attachments: {result.attachments}; đã có trong sổ / already registered: "
        f"{result.already_registered}",
        err=True,
    )
    if result.followups or result.joined_waiting:
        joined = result.followups + result.joined_waiting
        click.echo(
            f"Thông tin bổ sung / follow-ups: {len(joined)} ({_numbers(joined)}); xem / read with: office show ID",
            err=True,
        )
    if result.unmatched:
        click.echo(
            f"Thông tin bổ sung chưa khớp hồ sơ nào / follow-ups matching no case: {len(result.unmatched)}; "
            "xem / see: office list --unmatched",
            err=True,
        )
    if result.unverified:
        click.echo(
            f"Thông tin bổ sung chưa xác minh, không gắn vào hồ sơ (không chứng minh được mã tra cứu) / unverified "
            f"follow-ups, not joined (no proof of the receipt code): {len(result.unverified)}; "
            "xem / see: office list --unmatched",
            err=True,
        )
    if result.quarantined:
        click.echo(
            f"Cách ly / quarantined: {len(result.quarantined)} (giữ nguyên trên máy chủ / kept on the server):",
            err=True,
        )
        for key, reason in result.quarantined:
            click.echo(f"  {key}: {safe(reason, single_line=True)}", err=True)
    if result.kept_aside:
        click.echo(
            f"Đã cách ly từ lần trước, không tải lại / quarantined earlier, left aside: {result.kept_aside}; xem / "
            "see: office quarantine",
            err=True,
        )
    if result.resealed:
        click.echo(
            f"Đã mã hóa lại cho đủ {result.keys_in_force} khóa đang dùng / sealed again to the keys in force: "
            f"{result.resealed} tệp / envelope(s)",
            err=True,
        )
    if result.fewer_keys:
        click.echo(
            f"Gửi đến ít khóa hơn số khóa đang dùng, nay đã mã hóa lại / sent to fewer keys than in force, "
            f"now sealed to all: {_numbers(result.fewer_keys)}",
            err=True,
        )
    if result.other_kind:
        click.echo(
            f"Mã hóa cho loại khóa khác với tệp khóa này, giữ nguyên trên máy chủ / for another kind of key than "
            f"this identity file's, left on the server: {len(result.other_kind)}; tải bằng tệp khóa mở được chúng "
            "(ví dụ khóa X25519 cũ) / pull them with the key file that opens them (the old X25519 key, say)",
            err=True,
        )
    if not keep_remote:
        click.echo(f"Đã xóa trên máy chủ / deleted from the store: {result.deleted_remote}", err=True)


@click.command(name="pull")
@store_option
@identity_option
@data_option
@click.option("--keep-remote", is_flag=True, help="Không xóa bản trên máy chủ / leave the remote copies")
@click.option(
    "--encrypted-only",
    is_flag=True,
    help="Chỉ tải bản mã hóa, không giải mã (máy không giữ khóa) / copy ciphertext only, for `office import`",
)
@click.option(
    "--to",
    "transfer_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Thư mục chuyển (với --encrypted-only) / transfer folder for --encrypted-only",
)
@click.option(
    "--check-site",
    metavar="URL",
    help="Trước hết kiểm tra trang (office check-site); dừng nếu khác bản phát hành / check the live site first",
)
@click.option(
    "--init",
    "make_new",
    is_flag=True,
    help="Lần tải đầu tiên: lập sổ ở thư mục dữ liệu nếu chưa có (như office init) / the first pull: make the "
    "register if the data folder has none (as office init does)",
)
@click.option(
    "--retry-quarantined",
    is_flag=True,
    help="Xem lại cả các phản ánh đã bị cách ly (ví dụ sau khi có đúng tệp khóa) / examine quarantined reports "
    "again (e.g. with the right key file)",
)
@recipients_option
@by_option
def pull_command(
    store: str | None,
    identity: Path | None,
    data: Path,
    keep_remote: bool,
    encrypted_only: bool,
    transfer_dir: Path | None,
    check_site: str | None,
    make_new: bool,
    retry_quarantined: bool,
    recipients: str | None,
    by: str | None,
) -> None:
    """Tải phản ánh mới về, giải mã và vào sổ / Pull new reports into the register.

    Mỗi phản ánh được lưu vào thư mục dữ liệu trước khi bản trên máy chủ bị xóa; phản ánh không
    giải mã được hoặc không hợp lệ thì được cách ly và giữ nguyên trên máy chủ. Lệnh từ chối,
    không vào sổ và không xóa gì, khi thư mục dữ liệu chưa có sổ (lập bằng office init, hoặc
    --init) hoặc có một sổ khác với sổ mà kho cấp phản ánh. Có thể dừng giữa chừng rồi chạy lại
    an toàn.

    Each report is stored in the data folder before its remote copy is
    deleted; a report that does not decrypt or validate is quarantined and
    left on the server. Refused, with nothing registered or deleted, when the
    data folder holds no register (make it with office init, or --init) or
    another register than the one the store feeds. Safe to interrupt and run
    again.
    """
    if check_site:
        from .site import check_before_pull

        check_before_pull(check_site, data)
    remote = open_remote(store)
    try:
        if encrypted_only:
            if transfer_dir is None:
                raise fail(
                    "--encrypted-only cần --to THƯ-MỤC (thư mục chuyển sang máy ngoại tuyến) / "
                    "--encrypted-only needs --to FOLDER"
                )
            folder = FileStore(transfer_dir)
            infos = [*remote.list(objects.ATTACHMENTS), *remote.list(objects.INBOX)]
            with _bytes_bar(sum(i.size for i in infos), "Sao chép / copying") as bar:
                copied = transfer.mirror(remote, folder, progress=bar.update)
            click.echo(
                f"Đã sao chép / copied: {copied.copied}; đã có / already there: {copied.present}; "
                f"đã xóa trên máy chủ (đã nhập ở máy ngoại tuyến) / deleted as imported: {copied.deleted_remote}; "
                f"trả lời đã gửi lên kho / answers sent: {copied.answers_sent}",
                err=True,
            )
            click.echo(
                f"Tiếp theo / next: office import {transfer_dir} (máy ngoại tuyến / on the offline computer)", err=True
            )
            return
        identities = load_identities(identity)
        if make_new and not desk_module.exists(data):
            desk = make_register(data, recipients, remote, by, identities)
        else:
            desk = desk_at(data)
        note_keys_outside(desk, identities, identity)
        confirmed = any(str(i.to_public()) in stored_recipients(desk.db) for i in identities)
        with desk.locked():
            register_identity.check_store(desk.db, desk.root, remote, claim=make_new, who=by)
            waiting = pending(remote)
            attachments = sum(i.size for i in remote.list(objects.ATTACHMENTS))
            with _bytes_bar(sum(i.size for i in waiting) + attachments, "Tải về / pulling") as bar:
                result = pull(
                    remote,
                    desk,
                    identities,
                    keep_remote=keep_remote,
                    keys=[i.key for i in waiting],
                    progress=bar.update,
                    actor=by,
                    key_confirmed=confirmed,
                    retry_quarantined=retry_quarantined,
                )
    except StoreRefused as exc:
        raise fail(f"{exc}. Không mất gì / nothing was lost.") from None
    except StoreError as exc:
        raise fail(f"{exc}. Không mất gì; chạy lại sau / Nothing was lost; run the command again later.") from None
    except (DeskBusy, WrongKey, register_identity.StoreOfAnotherRegister, register_identity.UnboundStore) as exc:
        raise fail(str(exc)) from None
    _summary(result, keep_remote)


def _bytes_bar(total: int, label: str):
    """A progress bar counting bytes (a large attachment moves it as much as many small reports)."""
    return click.progressbar(length=max(total, 1), label=label, file=sys.stderr, show_pos=False)


@click.command(name="import")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@identity_option
@data_option
def import_command(folder: Path, identity: Path | None, data: Path) -> None:
    """Nhập phản ánh từ thư mục chuyển (máy ngoại tuyến) / Import a transfer folder.

    Dùng trên máy ngoại tuyến: giải mã và vào sổ những gì `office pull --encrypted-only --to
    THƯ-MỤC` đã sao chép, rồi ghi chúng vào THƯ-MỤC/imported.txt để lần sao chép sau xóa chúng
    khỏi kho. Lệnh từ chối, không vào sổ gì, khi thư mục dữ liệu chưa có sổ hoặc thư mục chuyển
    được sao chép từ kho cấp phản ánh cho một sổ khác.

    For the offline computer: decrypts and registers what `office pull
    --encrypted-only --to FOLDER` copied, then lists it in FOLDER/imported.txt
    so that the next copy deletes it from the store. Refused, with nothing
    registered, when the data folder holds no register or the folder was
    copied from a store that feeds another register.
    """
    desk = desk_at(data)
    identities = load_identities(identity, desk)
    confirmed = any(str(i.to_public()) in stored_recipients(desk.db) for i in identities)
    try:
        with desk.locked():
            result = transfer.import_folder(folder, desk, identities, key_confirmed=confirmed)
    except (DeskBusy, WrongKey, register_identity.StoreOfAnotherRegister, register_identity.UnboundStore) as exc:
        raise fail(str(exc)) from None
    _summary(result, keep_remote=True)


@click.command()
@data_option
@click.option("--drop", "dropped", metavar="KEY", help="Xóa phản ánh cách ly này khỏi kho / remove it from the store")
@click.option("--reason", default="", help="Lý do xóa (bắt buộc với --drop) / why (needed with --drop)")
@store_option
@by_option
def quarantine(data: Path, dropped: str | None, reason: str, store: str | None, by: str | None) -> None:
    """Liệt kê các phản ánh bị cách ly và lý do / List quarantined reports and why.

    Phản ánh bị cách ly chỉ được xem xét một lần: các lần tải sau bỏ qua (trừ khi có
    --retry-quarantined). --drop KEY --reason "..." xóa nó khỏi kho, sau khi bản sao trong thư
    mục cách ly đã được lưu chắc chắn; việc xóa được ghi vào nhật ký.

    A quarantined report is examined once: later pulls leave it aside (unless
    --retry-quarantined). --drop KEY --reason "..." removes it from the store,
    once its copy in the quarantine folder is durably kept; the audit trail
    records it.
    """
    desk = desk_at(data)
    if dropped:
        remote = open_remote(store)
        try:
            with desk.locked():
                done = quarantine_module.drop(desk, remote, dropped, reason=reason, who=who(by))
        except (DeskBusy, quarantine_module.QuarantineError) as exc:
            raise fail(str(exc)) from None
        except StoreError as exc:
            raise fail(f"{exc}. Chưa xóa gì trên kho / nothing was deleted from the store.") from None
        where = "đã xóa khỏi kho / removed from the store" if done.was_remote else "kho không còn / not in the store"
        click.echo(f"{done.key}: {where}; bản sao / copy: quarantine/{done.key} ({done.size} bytes)", err=True)
        return
    rows = register.quarantined(desk.db)
    if not rows:
        click.echo("Không có phản ánh nào bị cách ly / nothing in quarantine.", err=True)
    for row in rows:
        state = f"  [đã xóa khỏi kho / removed {local_time(row['dropped_at'])}]" if row["dropped_at"] else ""
        size = f"  {row['size']} bytes" if row["size"] is not None else ""
        click.echo(
            f"{row['source_key']}  {local_time(row['last_seen'])}{size}  {safe(row['reason'], single_line=True)}{state}"
        )
