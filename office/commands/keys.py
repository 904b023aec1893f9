"""``office recipients``: the Office's keys in force, and the one procedure that changes them.

Add a new key, retire an old or lost one, then re-encrypt what the data folder
keeps to the new list (``--rekey``): the handbook's key-change and key-loss
sections are these three steps. Each is recorded in the audit trail.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from intake_function import envelope

from .. import register
from ..keys import rekey as rekey_module
from ..keys.recipients import RecipientsError, change, one_key_warning, read_recipients, stored_recipients
from ..register import audit
from ..register.desk import DeskBusy
from .common import by_option, data_option, desk_at, fail, identity_option, load_identities, next_step, who


@click.command()
@click.option("--add", "added", multiple=True, metavar="AGE1...|TỆP", help="Thêm khóa / add a key (repeatable)")
@click.option(
    "--retire", "retired", multiple=True, metavar="AGE1...|TỆP", help="Thôi dùng khóa / retire a key (repeatable)"
)
@click.option("--set", "replaced", metavar="AGE1...|TỆP", help="Thay cả danh sách / replace the whole list")
@click.option(
    "--rekey",
    is_flag=True,
    help="Mã hóa lại mọi dữ liệu của sổ cho các khóa đang dùng (cần tệp khóa) / re-encrypt everything the data "
    "folder keeps to the keys in force (needs an identity file)",
)
@identity_option
@data_option
@by_option
def recipients(
    added: tuple[str, ...],
    retired: tuple[str, ...],
    replaced: str | None,
    rekey: bool,
    identity: Path | None,
    data: Path,
    by: str | None,
) -> None:
    """Khóa đang dùng; thêm, thôi dùng khóa, mã hóa lại / The keys in force; add, retire, re-encrypt.

    \b
    office recipients
    office recipients --add office-identity-2027.pub
    office recipients --retire office-identity.pub --rekey --identity office-backup.age

    Mọi hồ sơ, tệp đính kèm, thông tin bổ sung và bản sao câu trả lời đều được mã hóa cho tất cả
    các khóa liệt kê ở đây, khóa chính và khóa dự phòng. Sau mỗi thay đổi, --rekey mở từng mục
    bằng tệp khóa được chỉ định và mã hóa lại cho danh sách mới: khóa đã thôi dùng không còn mở
    được gì, khóa mới mở được tất cả. Có thể dừng giữa chừng rồi chạy lại an toàn.

    Every case, attachment, follow-up and copy of an answer is encrypted to
    all the keys listed here, the primary and the backup. After a change,
    --rekey opens each of them with the identity file given and encrypts it
    again to the new list: a retired key no longer opens anything, a new key
    opens everything. Safe to interrupt and run again.
    """
    desk = desk_at(data)
    actor = who(by)
    before = stored_recipients(desk.db)
    try:
        add = [k for value in added for k in read_recipients(value)]
        retire = [k for value in retired for k in read_recipients(value)]
        replace = read_recipients(replaced) if replaced else None
        if add or retire or replace is not None:
            with register.transaction(desk.db):
                after = change(desk.db, add=add, retire=retire, replace=replace)
                audit.append(
                    desk.db,
                    "keys",
                    who=actor,
                    reason="thay đổi khóa đang dùng",
                    details={
                        "added": [envelope.fingerprint(k) for k in after if k not in before],
                        "retired": [envelope.fingerprint(k) for k in before if k not in after],
                        "recipients": [envelope.fingerprint(k) for k in after],
                    },
                )
    except RecipientsError as exc:
        raise fail(str(exc)) from None
    current = stored_recipients(desk.db)
    if not current:
        click.echo("Sổ chưa có khóa / no key yet. Tiếp theo / next: office recipients --add TỆP", err=True)
        return
    click.echo("Khóa đang dùng / keys in force:", err=True)
    for key in current:
        click.echo(f"{key}  {envelope.fingerprint(key)}")
    if warning := one_key_warning(current):
        click.echo(warning, err=True)
    if rekey:
        _rekey(desk, load_identities(identity, desk), current, actor)
    elif current != before:
        next_step(
            "office recipients --rekey --identity TỆP-KHÓA (mã hóa lại dữ liệu cũ cho các khóa này / "
            "re-encrypt what is already kept)"
        )


def _rekey(desk, identities: list, current: list[str], actor: str) -> None:
    objects = rekey_module.sealed_objects(desk)
    try:
        with desk.locked():
            with click.progressbar(
                length=sum(size for _, size in objects), label="Mã hóa lại / re-encrypting", file=sys.stderr
            ) as bar:
                result = rekey_module.rekey(desk, identities, current, progress=bar.update)
    except DeskBusy as exc:
        raise fail(str(exc)) from None
    audit.record(
        desk.db,
        "keys",
        who=actor,
        reason="mã hóa lại dữ liệu cho các khóa đang dùng",
        details={
            "resealed": result.resealed,
            "already": result.already,
            "not_opened": len(result.not_opened),
            "recipients": [envelope.fingerprint(k) for k in current],
        },
    )
    already = f"; đã làm từ lần trước / done by an earlier run: {result.already}" if result.already else ""
    click.echo(f"Đã mã hóa lại / re-encrypted: {result.resealed}{already}", err=True)
    if result.not_opened:
        for key in result.not_opened:
            click.echo(f"  {key}", err=True)
        raise fail(
            f"{len(result.not_opened)} tệp không mở được bằng tệp khóa này nên giữ nguyên; chạy lại với tệp khóa mở "
            f"được chúng (ví dụ khóa cũ) / {len(result.not_opened)} objects did not open with this identity file and "
            "were left as they were; run again with a key that opens them (the old key, say)"
        )
