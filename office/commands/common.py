"""What every ``office`` command shares: its options, how it fails, how it asks for the key, how it prints.

A command is a thin face over a desk operation (``office/operation.py`` says what
they share): it parses its options (built from the operation's field
declarations by ``options``), gets the decrypted identities when the operation
asks for them (``unlocker``: the passphrase is asked here, never by an
operation), calls the operation and prints what it returns (``tell``). Kept apart
from ``cli.py`` so that each group of commands can live in its own small module
without importing the command group itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from intake_function import envelope

from ..keys import recipients
from ..operation import (
    CHOICE,
    FILE,
    FLAG,
    FOLDER,
    NEXT,
    NUMBER,
    OUT_FILE,
    OUT_FOLDER,
    Done,
    Field,
    Unlock,
    current_user,
    open_desk_at,
)

# What the commands open before they call an operation (the checks themselves live in office/operation.py).
from ..operation import open_remote as open_remote
from ..operation import settings_of as settings_of
from ..register.desk import Desk
from .terminal import safe

desk_at = open_desk_at

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


FORMATS = {
    "table": ("bảng", "a table"),
    "json": ("cho công cụ khác", "JSON for other tools"),
    "csv": ("cho Excel", "CSV for Excel"),
}


def format_option(*formats: str) -> Callable:
    """How a list is printed: a table for the person, JSON for other tools, CSV for Excel (where offered)."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(formats)),
        default="table",
        show_default=True,
        help=f"Dạng in ra: {_either([f'{f} ({FORMATS[f][0]})' for f in formats], 'hoặc')} / output: "
        f"{_either([FORMATS[f][1] for f in formats], 'or')}",
    )


def _either(choices: list[str], word: str) -> str:
    """ "a, b or c": the last choice after ``word`` (and, in English, a comma)."""
    comma = "," if word == "or" else ""
    return ", ".join(choices[:-1]) + f"{comma} {word} " + choices[-1] if len(choices) > 1 else choices[0]


table_format_option = format_option("table", "json")
by_option = click.option(
    "--by",
    metavar="NAME",
    help="Người thực hiện (ghi vào nhật ký) / who is acting, for the audit trail  [OFFICE_USER, else the OS user]",
)


def fail(message: str) -> click.ClickException:
    """A refusal of the command line itself: Vietnamese first, then English (printed after "Lỗi / Error:").

    What an operation refuses it raises as ``DeskError``, which ``main`` prints the same way.
    """
    return click.ClickException(message)


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


def unlocker(path: Path | None, desk: Desk | None = None) -> Unlock:
    """The identities an operation asks for, loaded (and the passphrase asked) only when it asks."""
    return lambda: load_identities(path, desk)


def note_keys_outside(desk: Desk, identities: list[envelope.Identity], path: Path) -> None:
    """Say so when an identity is not among the register's keys in force (a retired key, or the wrong file)."""
    for note in recipients.outside_notes(desk.db, identities, path.name):
        click.echo(note, err=True)


def who(by: str | None) -> str:
    return current_user(by)


def next_step(text: str) -> None:
    click.echo(NEXT + text, err=True)


def tell(done: Done) -> Done:
    """Print what an operation did: its lines for the person on standard error, ``out`` on standard output."""
    for line in done.out:
        click.echo(safe(line))
    for line in done.lines:
        click.echo(safe(line), err=True)
    return done


# --- options built from the operations' field declarations (office/operation.py) -----------------------

_PATHS = {
    FILE: {"dir_okay": False, "exists": True},
    OUT_FILE: {"dir_okay": False},
    FOLDER: {"file_okay": False, "exists": True},
    OUT_FOLDER: {"file_okay": False},
}


def option(field: Field, **overrides: Any) -> Callable:
    """The command-line option of an operation's input, with the help the window's form shows too."""
    settings: dict[str, Any] = {"help": field.help}
    if field.required:
        settings["required"] = True
    if field.multiple:
        settings["multiple"] = True
    if field.default is not None:
        settings["default"] = field.default
        settings["show_default"] = bool(field.default) and isinstance(field.default, str)
    if field.kind == FLAG:
        settings["is_flag"] = True
    elif field.kind == CHOICE and field.choices:
        settings["type"] = click.Choice(list(field.choices))
    elif field.kind == NUMBER:
        settings["type"] = click.IntRange(min=0)
    elif field.kind in _PATHS:
        settings["type"] = click.Path(path_type=Path, **_PATHS[field.kind])
    settings.update(overrides)
    return click.option(field.flag, field.name, **settings)


def options(fields: tuple[Field, ...]) -> Callable:
    """Every input of an operation as an option, in the order declared."""

    def decorate(command: Callable) -> Callable:
        for field in reversed(fields):
            command = option(field)(command)
        return command

    return decorate
