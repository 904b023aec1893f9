"""What every ``office`` command shares: its options, how it fails, how it opens the desk and the key.

Kept apart from ``cli.py`` so that each group of commands can live in its own
small module (``cases``, ``workflow``, ``audit``, ``report``, ``export``,
``followup``) without importing the command group itself.
"""

from __future__ import annotations

from pathlib import Path

import click

from intake_function import envelope
from intake_function.store import Store, StoreMissing, open_store

from .. import register
from ..keys import recipients
from ..register import audit
from ..register.desk import Desk, NoRegister, open_desk
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
recipients_option = click.option(
    "--recipients",
    envvar="OFFICE_RECIPIENTS",
    metavar="AGE1...|TỆP",
    help="Khóa công khai của Văn phòng Ban (khóa chính và khóa dự phòng), hoặc tệp chứa các khóa đó / the Office's "
    "public keys (primary and backup), or a recipients file  [OFFICE_RECIPIENTS]",
)
data_option = click.option(
    "--data",
    envvar="OFFICE_DATA",
    type=click.Path(path_type=Path, file_okay=False),
    default="office-data",
    show_default=True,
    help="Thư mục dữ liệu của Văn phòng / the Office's data folder  [OFFICE_DATA]",
)
table_format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Dạng in ra: table (bảng) hoặc json (cho công cụ khác) / output: a table, or JSON for other tools",
)
by_option = click.option(
    "--by",
    metavar="NAME",
    help="Người thực hiện (ghi vào nhật ký) / who is acting, for the audit trail  [OFFICE_USER, else the OS user]",
)


def fail(message: str) -> click.ClickException:
    """A refusal the person can act on: Vietnamese first, then English (``main`` prints it after "Lỗi / Error:")."""
    return click.ClickException(message)


def open_remote(url: str | None) -> Store:
    """The store a command was pointed at; a folder store must exist (a typo must not look like an empty store)."""
    if not url:
        raise fail(
            "chưa chỉ định kho lưu trữ: dùng --store hoặc biến OFFICE_STORE / "
            "no store: give --store URL or set OFFICE_STORE"
        )
    try:
        return open_store(url, create=False)
    except StoreMissing as exc:
        raise fail(str(exc)) from None
    except ValueError as exc:
        raise fail(f"địa chỉ kho không hợp lệ / not a store URL: {exc}") from None


def desk_at(path: Path) -> Desk:
    """The data folder at ``path``. No command but ``office init`` makes one.

    A command run where OFFICE_DATA does not point would otherwise start an empty
    register there: a second register, numbering from 0001, whose pull would take
    reports away from the real one.
    """
    try:
        return open_desk(path)
    except NoRegister:
        raise fail(
            f"không có sổ theo dõi ở thư mục {path}: kiểm tra --data hoặc biến OFFICE_DATA; sổ mới chỉ được lập "
            f"bằng office init / no register in {path}: check --data or OFFICE_DATA; a new register is made "
            "only by office init"
        ) from None
    except (OSError, RuntimeError) as exc:
        raise fail(f"không mở được thư mục dữ liệu {path} / cannot open the data folder: {exc}") from None


def settings_of(desk: Desk) -> settings_module.Settings:
    try:
        return settings_module.load(desk.root)
    except settings_module.SettingsError as exc:
        raise fail(f"lỗi trong tệp cài đặt; sửa rồi chạy office settings / the settings file is wrong: {exc}") from None


def load_identities(path: Path | None, desk: Desk | None = None) -> list[envelope.Identity]:
    """Load the Office identity (asking for its passphrase); say so if it is not among the keys in force."""
    if path is None:
        raise fail(
            "chưa có tệp khóa: dùng --identity hoặc biến OFFICE_IDENTITY / "
            "no identity file: give --identity FILE or set OFFICE_IDENTITY"
        )

    def ask() -> str:
        return click.prompt(f"Mật khẩu của {path.name} / passphrase", hide_input=True, err=True)

    try:
        identities = envelope.load_identities(path, ask)
    except envelope.EnvelopeError as exc:
        raise fail(str(exc)) from None
    if desk is not None:
        note_keys_outside(desk, identities, path)
    return identities


def note_keys_outside(desk: Desk, identities: list[envelope.Identity], path: Path) -> None:
    """Say so when an identity is not among the register's keys in force (a retired key, or the wrong file)."""
    for key in recipients.outside(desk.db, identities):
        click.echo(
            f"Lưu ý: khóa {envelope.fingerprint(key)} của {path.name} không thuộc các khóa đang dùng của sổ "
            "(office recipients); hồ sơ mới không được mã hóa cho khóa này / note: this key is not among the "
            "register's keys in force; new cases are not encrypted to it",
            err=True,
        )


def find_case(desk: Desk, reference: str) -> register.Case:
    try:
        return register.find_case(desk.db, reference)
    except register.CaseNotFound:
        raise fail(
            f"không có hồ sơ {reference!r} trong sổ: xem office list, kiểm tra OFFICE_DATA / "
            f"no case {reference!r} in the register: see office list"
        ) from None


def decrypt_case(desk: Desk, case: register.Case, identities: list) -> bytes:
    try:
        return envelope.decrypt(desk.store.get(case.body_key), identities)
    except envelope.EnvelopeError as exc:
        raise fail(f"hồ sơ / case {case.number}: {exc}") from None


def who(by: str | None) -> str:
    return audit.current_user(by)


def next_step(text: str) -> None:
    click.echo(f"Tiếp theo / next: {text}", err=True)
