"""``office init``: make the register, once, on purpose; and bind it to the store it takes reports from.

No other command makes a register: ``pull``, ``add``, ``import`` and the rest
refuse a folder without one. So a command run in the wrong folder says so
instead of starting a second register that numbers from 0001 and empties the
store (see ``office/register/identity.py`` for the store's marker).
"""

from __future__ import annotations

from pathlib import Path

import click

from intake_function import envelope
from intake_function.store import Store, StoreError

from .. import register
from ..keys.recipients import RecipientsError, change, one_key_warning, read_recipients, stored_recipients
from ..register import audit, identity
from ..register import desk as desk_module
from ..register.desk import Desk
from .common import by_option, data_option, desk_at, fail, next_step, open_remote, recipients_option, who


def make_register(
    data: Path,
    recipients: str | None,
    remote: Store | None,
    by: str | None,
    identities: list[envelope.Identity] = (),
) -> Desk:
    """A new register at ``data``, with the Office's keys, bound to ``remote`` if given; nothing made on refusal."""
    if not recipients:
        raise fail(
            "lập sổ cần khóa công khai của Văn phòng Ban, khóa chính và khóa dự phòng (như INTAKE_RECIPIENTS của "
            "cổng): --recipients office-recipients.txt hoặc biến OFFICE_RECIPIENTS / a new register needs the "
            "Office's public keys, primary and backup (as the portal's INTAKE_RECIPIENTS): --recipients or "
            "OFFICE_RECIPIENTS"
        )
    try:
        keys = read_recipients(recipients)
    except RecipientsError as exc:
        raise fail(str(exc)) from None
    strangers = [str(i.to_public()) for i in identities if str(i.to_public()) not in keys]
    if strangers:
        raise fail(
            f"tệp khóa ({envelope.fingerprint(strangers[0])}) không thuộc các khóa đã khai báo: có thể dùng nhầm tệp "
            "khóa hoặc tệp khóa công khai; chưa lập sổ / the identity file is not one of the public keys given: the "
            "key file may be the wrong one; no register was made"
        )
    if remote is not None:
        try:
            marker = identity.read_marker(remote)
        except identity.StoreOfAnotherRegister as exc:
            raise fail(str(exc)) from None
        if marker is not None:
            raise fail(
                f"kho {remote.url} đã cấp phản ánh cho sổ lập tại {marker.where()}; không lập sổ thứ hai: dùng thư "
                f"mục đó (OFFICE_DATA) / the store already feeds the register made at {marker.where()}; a second "
                "register is not made: use that folder (OFFICE_DATA)"
            )
    desk = desk_module.create_desk(data)
    actor = who(by)
    with register.transaction(desk.db):
        change(desk.db, replace=keys)
        audit.append(
            desk.db,
            "init",
            who=actor,
            reason="lập sổ theo dõi",
            details={
                "register": identity.register_id(desk.db),
                "recipients": [envelope.fingerprint(k) for k in keys],
            },
        )
    click.echo(f"Đã lập sổ theo dõi / register made: {desk.root}", err=True)
    for key in keys:
        click.echo(f"  khóa / key {envelope.fingerprint(key)}", err=True)
    if warning := one_key_warning(keys):
        click.echo(warning, err=True)
    if remote is not None:
        _bind(desk, remote, actor)
    return desk


def _bind(desk: Desk, remote: Store, actor: str) -> None:
    try:
        with desk.locked():
            identity.check_store(desk.db, desk.root, remote, claim=True, who=actor)
    except (identity.StoreOfAnotherRegister, identity.UnboundStore, desk_module.DeskBusy) as exc:
        raise fail(str(exc)) from None
    except StoreError as exc:
        raise fail(f"{exc}. Chưa gắn kho; chạy lại sau / the store is not bound yet; run again later.") from None
    click.echo(f"Kho / store {remote.url}: gắn với sổ này / bound to this register", err=True)


@click.command(name="init")
@click.option(
    "--store",
    envvar="OFFICE_STORE",
    metavar="URL",
    help="Kho lưu trữ sẽ tải phản ánh về sổ này (không có: máy ngoại tuyến) / the store this register takes "
    "reports from (none: the offline computer)  [OFFICE_STORE]",
)
@recipients_option
@data_option
@by_option
def init_command(store: str | None, recipients: str | None, data: Path, by: str | None) -> None:
    """Lập sổ theo dõi (một lần) / Make the register (once).

    \b
    office init --recipients office-recipients.txt

    Tạo thư mục dữ liệu với sổ trống, các khóa công khai của Văn phòng (khóa chính và khóa dự
    phòng: mọi hồ sơ được mã hóa cho cả hai) và mã định danh của sổ, rồi đánh dấu kho
    (OFFICE_STORE) là kho cấp phản ánh cho sổ này, để việc tải phản ánh về một thư mục khác bị
    từ chối. Chạy lại trên sổ đã có thì chỉ gắn kho được chỉ định.

    Makes the data folder with an empty register, the Office's public keys
    (primary and backup: every case is encrypted to both) and the register's
    identity, and marks the store (OFFICE_STORE) as feeding this register, so
    that a pull from any other folder is refused. Run again on an existing
    register, it only binds the store given.
    """
    remote = open_remote(store) if store else None
    if desk_module.exists(data):
        desk = desk_at(data)
        try:
            given = sorted(read_recipients(recipients)) if recipients else None
        except RecipientsError as exc:
            raise fail(str(exc)) from None
        if given is not None and given != sorted(stored_recipients(desk.db)):
            click.echo(
                "Khóa của sổ không đổi: thay khóa bằng office recipients / the register's keys are unchanged: "
                "change them with office recipients",
                err=True,
            )
        if remote is not None:
            _bind(desk, remote, who(by))
        click.echo(f"Đã có sổ theo dõi / a register is already here: {desk.root}", err=True)
        return
    make_register(data, recipients, remote, by)
    next_step("office settings --init, rồi / then office pull")
