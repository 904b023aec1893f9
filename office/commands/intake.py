"""``office pull``, ``office import`` and ``office quarantine``: reports come into the register.

A report is stored in the data folder before its remote copy is deleted; what does
not decrypt or validate waits in quarantine, left on the server.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..intake import receiving
from .common import (
    by_option,
    data_option,
    desk_at,
    identity_option,
    load_identities,
    open_remote,
    option,
    recipients_option,
    store_option,
    tell,
    who,
)
from .terminal import safe


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

        check_before_pull(check_site, data, by)
    remote = open_remote(store)
    if encrypted_only:
        tell(receiving.copy_for_offline(remote, transfer_dir, meters=_bytes_bar))
        return
    if not make_new and identity is not None and identity.is_file():
        desk_at(data)  # a wrong data folder is said before the passphrase is asked
    identities = load_identities(identity)
    done = receiving.pull_reports(
        data,
        remote,
        identities,
        who=who(by),
        keep_remote=keep_remote,
        make_new=make_new,
        recipients=recipients,
        key_name=identity.name,
        retry_quarantined=retry_quarantined,
        meters=_bytes_bar,
    )
    tell(done)


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
    tell(receiving.import_transfer(desk, folder, load_identities(identity, desk)))


@click.command()
@data_option
@option(receiving.DROP[0], metavar="KEY")
@option(receiving.DROP[1])
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
        tell(receiving.drop_quarantined(desk, open_remote(store), dropped, reason=reason, who=who(by)))
        return
    lines = receiving.quarantined(desk)
    if not lines:
        click.echo(receiving.NOTHING_QUARANTINED, err=True)
    for line in lines:
        click.echo(safe(line))
