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


@click.command()
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
    """Trả lời người phản ánh qua mã tra cứu / Answer the reporter through the receipt code.

    Câu trả lời được mã hóa để chỉ người giữ mã tra cứu đọc được, và được lưu ở nơi trang tra
    cứu của cổng lấy về. Hồ sơ từ kênh khác, hoặc phản ánh trực tuyến gửi không kèm mã tra cứu,
    không có địa chỉ như vậy: trả lời qua kênh đã nhận. Trên máy ngoại tuyến, --to THƯ-MỤC để
    câu trả lời trong thư mục chuyển cho máy nối mạng gửi đi.

    The answer is encrypted so that only the holder of the receipt code can
    read it, and stored where the portal's check page fetches it. Cases from
    other channels, or online reports sent without a receipt code, have no such
    address: answer them through the channel they came by. On the offline
    computer, --to FOLDER leaves the answer in the transfer folder for the
    online computer to send.

    Không có --status, câu trả lời nêu bước xử lý hiện tại của hồ sơ (office classify, assign,
    forward, conclude, reject chuyển bước); lý do không xem xét, xử lý không bao giờ lấy từ sổ:
    điều người phản ánh đọc phải được viết cho họ.

    Without --status the answer tells the case's current step (office classify,
    assign, forward, conclude, reject move it); a reason for not accepting is
    never taken from the register: what the reporter reads is written for them.

    Mã tra cứu không kèm lời hứa nào: câu trả lời không bao giờ nói rằng rồi sẽ có câu trả lời
    hay kết quả (Luật Tố cáo 2018 Điều 25), và với phản ánh thì không nói đến thụ lý. Câu trả
    lời nêu bước xử lý của hồ sơ được tính là thông báo cho người phản ánh có danh tính (office
    notify) khi thông báo đó đến hạn.

    The receipt code carries no promise: an answer never says that an answer or
    a result will come (Luật Tố cáo 2018 Điều 25), and on a report (phản ánh)
    never speaks of thụ lý. An answer that tells the case's step counts as the
    notice to a named reporter (office notify) when that notice is due.
    """
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


@click.command()
@click.argument("followup", metavar="FOLLOWUP")
@click.argument("reference", metavar="CASE")
@options(answers.ATTACH)
@data_option
@by_option
def attach(followup: str, reference: str, reason: str, data: Path, by: str | None) -> None:
    """Gắn thông tin bổ sung chưa khớp vào một hồ sơ / Join an unmatched follow-up to a case.

    FOLLOWUP là mã mà office list --unmatched in ra; CASE là số hồ sơ. Từ đó thông tin bổ sung
    và các tệp của nó thuộc hồ sơ như thể mã tra cứu đã khớp: office show và office extract hiển
    thị chúng, office followups liệt kê chúng cho đến khi được đọc. Nhật ký ghi ai đã gắn, khi
    nào và vì sao.

    FOLLOWUP is the id that office list --unmatched shows; CASE the case number.
    The follow-up and its files then belong to the case as if its receipt code
    had matched: office show and office extract show them, office followups
    lists them until read. The audit trail records who joined it, when and why.
    """
    tell(answers.attach(desk_at(data), followup, reference, reason=reason, who=who(by)))


COMMANDS = (reply, followups_command, attach)
