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

from intake_function import codes, envelope, objects, report
from intake_function.store import StoreError, open_store

from .. import notepad, register, workflow
from ..keys import rekey
from ..keys.recipients import RecipientsError, recipients_for
from ..register import audit
from ..workflow import wording
from ..workflow.clock import now_iso
from .common import (
    by_option,
    data_option,
    desk_at,
    fail,
    find_case,
    identity_option,
    load_identities,
    next_step,
    settings_of,
    who,
)
from .terminal import safe

STATUSES = list(report.status_labels())


def _status_help() -> str:
    return ", ".join(f"{code} ({labels['vi']})" for code, labels in report.status_labels().items())


@click.command()
@click.argument("reference", metavar="ID")
@click.option(
    "--status",
    type=click.Choice(STATUSES),
    help=f"Trạng thái / status: {_status_help()}. Mặc định theo bước xử lý của hồ sơ / default: the case's step",
)
@click.option("--message", help="Nội dung trả lời / the message to the reporter")
@click.option(
    "--message-file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Đọc nội dung từ tệp (soạn bằng Notepad, lưu UTF-8) / read the message from a file (UTF-8)",
)
@click.option(
    "--authority",
    help="Cơ quan có thẩm quyền đã chuyển đến (với forwarded; mặc định: nơi đã chuyển) / where it went "
    "(default: the authority recorded by office forward)",
)
@click.option(
    "--reason", help="Lý do không xem xét, xử lý (bắt buộc với not_accepted) / why it is not taken up (not_accepted)"
)
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
    status: str | None,
    message: str | None,
    message_file: Path | None,
    authority: str | None,
    reason: str | None,
    store: str | None,
    transfer_dir: Path | None,
    confirmed: bool,
    identity: Path | None,
    data: Path,
    by: str | None,
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
    if transfer_dir is not None:
        if not transfer_dir.is_dir():
            raise fail(f"không thấy thư mục chuyển {transfer_dir} / the transfer folder does not exist")
        store = transfer_dir.resolve().as_uri()  # the same object key, in the transfer folder
    if not store:
        raise fail(
            "chưa chỉ định kho lưu trữ: dùng --store hoặc biến OFFICE_STORE / "
            "no store: give --store URL or set OFFICE_STORE"
        )
    if message_file:
        try:
            read = notepad.read(message_file)  # as Notepad saves it: a BOM, or ANSI (code page 1258)
        except notepad.TextFileError as exc:
            raise fail(str(exc)) from None
        if read.legacy:
            click.echo(notepad.legacy_note(message_file), err=True)
        message = read.text
    desk = desk_at(data)
    case = find_case(desk, reference)
    if not case.reply_lookup:
        raise fail(
            f"hồ sơ {case.number} không có mã tra cứu (kênh khác, hoặc gửi không kèm mã): trả lời qua kênh đã nhận / "
            "the case has no receipt code to answer through; answer it through the channel it came by"
        )
    recipient = case.reply_recipient or _recipient_from_report(desk, case, identity)
    step = workflow.reply_status(case)
    if status is None:
        status = step
    elif status != step:
        click.echo(
            f"Lưu ý: sổ ghi {case.number} ở bước '{workflow.status_label(case.status)}', người phản ánh sẽ đọc "
            f"'{report.status_labels()[status]['vi']}' / note: {case.number} is at step "
            f"'{workflow.status_label(case.status, 'en')}' in the register; the reporter will read "
            f"'{report.status_labels()[status]['en']}'",
            err=True,
        )
    if status == "forwarded" and not authority:
        authority = case.forwarded_to
    document = {"schema": report.REPLY_ID, "status": status, "at": now_iso()}
    for name, value in (("message", message), ("authority", authority), ("reason", reason)):
        if value and value.strip():
            document[name] = value.strip()
    _check_wording(case, document)
    if case.language in ("vi", "en"):
        document["language"] = case.language
    try:
        document = report.validate(document, accept=(report.REPLY_ID,))
    except report.ReportError as exc:
        hints = {"authority": "--authority", "reason": "--reason"}
        named = ", ".join(hints.get(p.field, p.field) for p in exc.problems)
        raise fail(f"câu trả lời còn thiếu / the answer is not complete: {named} ({exc})") from None
    if sys.stdin.isatty() and not confirmed:  # a person at the keyboard: an answer cannot be taken back
        click.echo(_preview(case, document), err=True)
        if not click.confirm("Gửi trả lời này? / Send this answer?", default=False, err=True):
            raise fail("chưa gửi / not sent")
    try:
        office_recipients = recipients_for(desk.db)
    except RecipientsError as exc:
        raise fail(str(exc)) from None
    plaintext = report.padded(document)
    object_id = codes.new_object_id()
    key = objects.outbox_key(case.reply_lookup, object_id)
    copy_key = f"replies/{object_id}.age"
    try:
        open_store(store, create=False).put(key, envelope.encrypt(plaintext, [envelope.parse_recipient(recipient)]))
    except (StoreError, ValueError) as exc:
        raise fail(
            f"{exc}. Chưa gửi được; chạy lại sau / the answer was not sent; run the command again later."
        ) from None
    desk.store.put(copy_key, envelope.encrypt(plaintext, office_recipients))
    # Telling the reporter the case's step is the Board's notice to a named reporter, when it is due.
    notice = status == step and workflow.report_notice_pending(case, settings_of(desk))
    with register.transaction(desk.db):
        register.add_reply(
            desk.db, case_id=case.id, at=document["at"], status=status, object_key=key, copy_key=copy_key
        )
        if notice:
            register.update_case(desk.db, case.id, notified_at=document["at"])
        rekey.note_sealed(desk.db, [copy_key], office_recipients)
        audit.append(
            desk.db,
            "reply",
            who=who(by),
            reason=f"trả lời qua mã tra cứu: {status}",
            case_number=case.number,
            details={
                "status": status,
                "has_message": "message" in document,
                **({"notice": "reporter"} if notice else {}),
            },
        )
    label = report.status_labels()[status]
    if transfer_dir is not None:  # not sent yet: it waits on the drive for the online computer
        click.echo(
            f"{case.number}: đã ghi trả lời vào thư mục chuyển, đang chờ máy nối mạng gửi lên kho / the answer is "
            f"written to the transfer folder and waits on the drive ({label['vi']} / {label['en']})",
            err=True,
        )
    else:
        click.echo(f"{case.number}: đã gửi trả lời / answer sent ({label['vi']} / {label['en']})", err=True)
    if notice:
        click.echo(
            "  Đã ghi nhận thông báo cho người phản ánh / recorded as the notice to the reporter (office notify)",
            err=True,
        )
    if case.track == "denunciation" or register.owed_notices(desk.db).get(case.id):
        click.echo(
            "  Lưu ý / note: trả lời qua mã tra cứu không thay cho thông báo bằng văn bản theo Luật Tố cáo "
            "(office notice, office notify --to denouncer|denounced) / it does not replace the written notices",
            err=True,
        )
    if transfer_dir is not None:
        next_step(
            f"mang thư mục về máy trực tuyến, chạy / on the online computer: office pull --encrypted-only --to FOLDER "
            f"({transfer_dir})"
        )
    else:
        next_step(
            "người giữ mã tra cứu đọc được trên trang tra cứu của cổng / "
            "the holder of the receipt code can read it on the portal's check page"
        )


def _check_wording(case: register.Case, document: dict) -> None:
    """Refuse a promise of an answer or a result, and "thụ lý" on a report (see workflow.wording)."""
    text = "\n".join(document.get(name, "") for name in ("message", "reason", "authority"))
    found = wording.promises(text)
    if found:
        raise fail(
            f"câu trả lời hứa điều mã tra cứu không bảo đảm: {', '.join(repr(f) for f in found)}. Chỉ nêu điều đã "
            'biết hoặc đề nghị bổ sung thông tin, ví dụ "Ông/Bà có thể tiếp tục bổ sung thông tin bằng mã tra cứu '
            'này."; chưa gửi gì / the answer promises what the receipt code cannot: say what is known now, or ask '
            "for information; nothing was sent"
        )
    if case.track == "report" and wording.says_acceptance(text):
        raise fail(
            f'hồ sơ {case.number} là phản ánh, kiến nghị, không phải tố cáo đã thụ lý: không viết "thụ lý" cho '
            'người phản ánh, hãy viết "xem xét, xử lý"; chưa gửi gì / case '
            f"{case.number} is a report, not an accepted denunciation: do not write that word to its reporter; "
            "nothing was sent"
        )


def _preview(case: register.Case, document: dict) -> str:
    """What the holder of the receipt code will read, shown before it is sent."""
    label = report.status_labels()[document["status"]]
    lines = [
        f"Người giữ mã tra cứu của hồ sơ {case.number} sẽ đọc / the receipt-code holder will read:",
        f"  Trạng thái / status: {label['vi']} / {label['en']}",
    ]
    for name, title in (("authority", "Cơ quan / authority"), ("reason", "Lý do / reason")):
        if name in document:
            lines.append(f"  {title}: {safe(document[name], single_line=True)}")
    if "message" in document:
        lines.append("  Nội dung / message:")
        lines.append("    " + safe(document["message"]).replace("\n", "\n    "))
    return "\n".join(lines)


def _recipient_from_report(desk, case: register.Case, identity: Path | None) -> str:
    """For cases registered before the reply key was kept in the register: read it from the report."""
    identities = load_identities(identity, desk)
    document = report.parse(envelope.decrypt(desk.store.get(case.body_key), identities))
    recipient = document.get("reply", {}).get("recipient")
    if not recipient:
        raise fail(f"hồ sơ {case.number} không có khóa trả lời / the case carries no reply key")
    with register.transaction(desk.db):
        register.set_reply_recipient(desk.db, case.id, recipient)
    return recipient


@click.command(name="followups")
@data_option
def followups_command(data: Path) -> None:
    """Liệt kê hồ sơ có thông tin bổ sung chưa đọc / Cases with follow-ups not read yet."""
    desk = desk_at(data)
    unread = register.unread_followups(desk.db)
    if not unread:
        click.echo("Không có thông tin bổ sung chưa đọc / no unread follow-ups.", err=True)
        return
    for case_id, count in sorted(unread.items()):
        case = register.case_by_id(desk.db, case_id)
        click.echo(f"{case.number}  {count} thông tin bổ sung chưa đọc / unread follow-up(s)")
    next_step("office show ID (xem và đánh dấu đã đọc / marks them as read)")


@click.command()
@click.argument("followup", metavar="FOLLOWUP")
@click.argument("reference", metavar="CASE")
@click.option(
    "--reason", default="", help="Vì sao thuộc hồ sơ này (ghi vào nhật ký) / why it belongs there, for the audit trail"
)
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
    desk = desk_at(data)
    waiting = register.unmatched_by_reference(desk.db, followup)
    if waiting is None:
        raise fail(
            f"không có thông tin bổ sung chưa khớp nào mang mã {followup!r}: xem mã đúng bằng office list "
            f"--unmatched; chưa gắn gì / no unmatched follow-up {followup!r}: see office list --unmatched"
        )
    case = find_case(desk, reference)
    same_code = case.reply_lookup == waiting.lookup_id
    with register.transaction(desk.db):
        register.join_followup(desk.db, waiting, case.id, "hand")
        audit.append(
            desk.db,
            "attach",
            who=who(by),
            reason=reason.strip() or "gắn thông tin bổ sung vào hồ sơ",
            case_number=case.number,
            details={"followup": waiting.reference, "by_receipt_code": same_code, "unverified": waiting.unverified},
        )
    click.echo(f"{waiting.reference} -> {case.number}: đã gắn vào hồ sơ / joined to the case", err=True)
    next_step(f"office show {case.number}")


COMMANDS = (reply, followups_command, attach)
