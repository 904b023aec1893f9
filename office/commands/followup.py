"""Follow-up by receipt code, the Office's side: answer a reporter, see what reporters added.

``office reply`` encrypts an answer (``reply/1``) to the reply recipient the
report carried and puts it under ``outbox/<lookup id>/`` in the store, where
only the holder of the receipt code can fetch and read it. The Office keeps its
own copy, encrypted to the Office's key, so that ``office show`` can list what
was said. Follow-ups (``followup/1``) arrive with ``office pull`` and join
their case; ``office followups`` lists the cases with some not yet read. A
follow-up whose receipt code no case has is kept (``office list --unmatched``)
until its case arrives, or until the Office joins it by hand with ``office attach``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import notepad
from ..workflow import answers
from ..workflow.case_actions import ACTIONS
from .common import (
    by_option,
    data_option,
    desk_at,
    fail,
    identity_option,
    next_step,
    option,
    options,
    tell,
    unlocker,
    who,
)
from .terminal import safe


@click.command(help=ACTIONS["reply"].help)
@click.argument("reference", metavar="ID")
@options(answers.REPLY[:2])
@option(answers.MESSAGE_FILE)
@options(answers.REPLY[2:])
@click.option(
    "--store",
    envvar="OFFICE_STORE",
    metavar="URL",
    help="Kho lưu trữ / the store: s3://bucket/prefix or file:///path  [OFFICE_STORE]",
)
@click.option(
    "--to",
    "transfer_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Máy ngoại tuyến: ghi vào thư mục chuyển / offline computer: write into the transfer folder; "
    "the next office pull --encrypted-only --to FOLDER sends it",
)
@click.option("--yes", "-y", "confirmed", is_flag=True, help="Không hỏi lại trước khi gửi / do not ask before sending")
@identity_option
@data_option
@by_option
def reply(
    reference: str,
    message: str | None,
    message_file: Path | None,
    store: str | None,
    transfer_dir: Path | None,
    confirmed: bool,
    identity: Path | None,
    data: Path,
    by: str | None,
    **values,
) -> None:
    if message and message_file:
        raise fail("chỉ chọn một: --message hoặc --message-file / give --message or --message-file, not both")
    to = answers.target(store, transfer_dir)
    if message_file:
        try:
            read = notepad.read(message_file)  # as Notepad saves it: a BOM, or ANSI (code page 1258)
        except notepad.TextFileError as exc:
            raise fail(str(exc)) from None
        if read.legacy:
            click.echo(notepad.legacy_note(message_file), err=True)
        message = read.text
    desk = desk_at(data)
    answer = answers.draft(desk, reference, unlocker(identity, desk), message=message, **values)
    for note in answer.notes:
        click.echo(safe(note), err=True)
    if sys.stdin.isatty() and not confirmed:  # a person at the keyboard: an answer cannot be taken back
        click.echo(safe("\n".join(answer.preview())), err=True)
        if not click.confirm("Gửi trả lời này? / Send this answer?", default=False, err=True):
            raise fail("chưa gửi / not sent")
    tell(answers.send(desk, answer, to, who=who(by), transfer_dir=transfer_dir))


@click.command(name="followups")
@data_option
def followups_command(data: Path) -> None:
    """Liệt kê hồ sơ có thông tin bổ sung chưa đọc / Cases with follow-ups not read yet."""
    found = answers.unread(desk_at(data))
    if not found:
        click.echo(answers.NO_UNREAD, err=True)
        return
    for case, count in found:
        click.echo(answers.unread_line(case, count))
    next_step(answers.UNREAD_NEXT)


@click.command(help=ACTIONS["attach"].help)
@click.argument("followup", metavar="FOLLOWUP")
@click.argument("reference", metavar="CASE")
@options(answers.ATTACH)
@data_option
@by_option
def attach(followup: str, reference: str, reason: str, data: Path, by: str | None) -> None:
    tell(answers.attach(desk_at(data), followup, reference, reason=reason, who=who(by)))


COMMANDS = (reply, followups_command, attach)
