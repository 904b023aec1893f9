"""What every ``office`` command shares: its options, how it fails, how it opens the desk and the key.

Kept apart from ``cli.py`` so that each group of commands can live in its own
small module (``cases``, ``workflow``, ``audit``, ``report``, ``export``,
``followup``) without importing the command group itself.
"""

from __future__ import annotations

from pathlib import Path

import click

from intake_function import envelope

from .. import register
from ..keys import recipients
from ..register import audit
from ..register import desk as desk_module
from ..register.desk import Desk, open_desk
from ..workflow import settings as settings_module

store_option = click.option(
    "--store",
    envvar="OFFICE_STORE",
    metavar="URL",
    help="Kho lưu trữ / the store: s3://bucket/prefix or file:///path  [OFFICE_STORE]",
)
identity_option = click.option(
    "--identity",
    envvar="OFFICE_IDENTITY",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tệp khóa bí mật của Văn phòng / the Office's identity file  [OFFICE_IDENTITY]",
)
data_option = click.option(
    "--data",
    envvar="OFFICE_DATA",
    type=click.Path(path_type=Path, file_okay=False),
    default="office-data",
    show_default=True,
    help="Thư mục dữ liệu của Văn phòng / the Office's data folder  [OFFICE_DATA]",
)
by_option = click.option(
    "--by",
    metavar="NAME",
    help="Người thực hiện (ghi vào nhật ký) / who is acting, for the audit trail  [OFFICE_USER, else the OS user]",
)


def fail(message: str) -> click.ClickException:
    return click.ClickException(message)


def desk_at(path: Path, create: bool = False) -> Desk:
    """The data folder at ``path``; only the commands that bring cases in may start a new one.

    A command run where OFFICE_DATA does not point would otherwise start an empty
    register there and answer "no case", which looks like data was lost.
    """
    if not create and not desk_module.exists(path):
        raise fail(
            f"no register in {path} (không có sổ theo dõi ở thư mục này): check --data or OFFICE_DATA "
            "(kiểm tra --data hoặc biến OFFICE_DATA); a new register is started by office pull, import or add"
        )
    try:
        return open_desk(path)
    except (OSError, RuntimeError) as exc:
        raise fail(f"cannot open the data folder {path} (không mở được thư mục dữ liệu): {exc}") from None


def settings_of(desk: Desk) -> settings_module.Settings:
    try:
        return settings_module.load(desk.root)
    except settings_module.SettingsError as exc:
        raise fail(f"{exc} (lỗi trong tệp cài đặt; sửa rồi chạy: office settings)") from None


def load_identities(path: Path | None, desk: Desk | None = None) -> list[envelope.Identity]:
    """Load the Office identity (asking for its passphrase); remember its public key in the register."""
    if path is None:
        raise fail(
            "no identity file: give --identity FILE or set OFFICE_IDENTITY "
            "(chưa có tệp khóa: dùng --identity hoặc biến OFFICE_IDENTITY)"
        )

    def ask() -> str:
        return click.prompt(f"Mật khẩu của {path.name} / passphrase", hide_input=True, err=True)

    try:
        identities = envelope.load_identities(path, ask)
    except envelope.EnvelopeError as exc:
        raise fail(str(exc)) from None
    if desk is not None:
        recipients.remember_recipients(desk.db, identities)
    return identities


def find_case(desk: Desk, reference: str) -> register.Case:
    try:
        return register.find_case(desk.db, reference)
    except register.CaseNotFound:
        raise fail(f"no case {reference!r} in the register (không có hồ sơ này); see office list") from None


def decrypt_case(desk: Desk, case: register.Case, identities: list) -> bytes:
    try:
        return envelope.decrypt(desk.store.get(case.body_key), identities)
    except envelope.EnvelopeError as exc:
        raise fail(f"case {case.number}: {exc}") from None


def who(by: str | None) -> str:
    return audit.current_user(by)


def next_step(text: str) -> None:
    click.echo(f"Tiếp theo / next: {text}", err=True)
