"""Follow-up by receipt code, the Office's side: answer a reporter, see what reporters added, join what matched
no case.

An answer (``reply/1``) is encrypted to the reply recipient the report carried and put
under ``outbox/<lookup id>/`` in the store, where only the holder of the receipt code
can fetch and read it; the Office keeps its own copy, encrypted to the Office's keys,
so that the case shows what was said. Answering is two steps, so that the person sees
what the reporter will read before it leaves (an answer cannot be taken back):
``draft`` checks everything (no promise the law does not support, no "thụ lý" on a
report, a complete answer) and ``send`` sends it. A follow-up whose receipt code no
case has is kept until its case arrives, or until the Office joins it (``attach``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from intake_function import codes, envelope, objects, report
from intake_function.store import StoreError, open_store

from .. import register, workflow
from ..keys import rekey
from ..keys.recipients import RecipientsError, recipients_for
from ..operation import CHOICE, FILE, LONG_TEXT, DeskError, Done, Field, Unlock, find_case, settings_of
from ..register import audit
from ..register.desk import Desk
from . import wording
from .clock import now_iso

STATUS_LABELS = {code: (labels["vi"], labels["en"]) for code, labels in report.status_labels().items()}

REPLY = (
    Field(
        "status",
        "Trạng thái",
        "status",
        kind=CHOICE,
        choices=STATUS_LABELS,
        text=f"Trạng thái / status: {', '.join(f'{code} ({vi})' for code, (vi, _) in STATUS_LABELS.items())}. "
        "Mặc định theo bước xử lý của hồ sơ / default: the case's step",
    ),
    Field("message", "Nội dung trả lời", "the message to the reporter", kind=LONG_TEXT),
    Field(
        "authority",
        "Cơ quan có thẩm quyền đã chuyển đến (với forwarded; mặc định: nơi đã chuyển)",
        "where it went (default: the authority recorded by office forward)",
    ),
    Field(
        "reason",
        "Lý do không xem xét, xử lý (bắt buộc với not_accepted)",
        "why it is not taken up (not_accepted)",
        kind=LONG_TEXT,
    ),
)
# The command line can read the message from a file the clerk wrote in Notepad.
MESSAGE_FILE = Field(
    "message_file",
    "Đọc nội dung từ tệp (soạn bằng Notepad, lưu UTF-8)",
    "read the message from a file (UTF-8)",
    kind=FILE,
)
ATTACH = (
    Field(
        "reason",
        "Vì sao thuộc hồ sơ này (ghi vào nhật ký)",
        "why it belongs there, for the audit trail",
        kind=LONG_TEXT,
        default="",
    ),
)


def target(store: str | None, transfer_dir: Path | None = None) -> str:
    """Where an answer goes: the store, or (on the offline computer) the transfer folder for the next copy."""
    if transfer_dir is not None:
        if not transfer_dir.is_dir():
            raise DeskError(f"không thấy thư mục chuyển {transfer_dir} / the transfer folder does not exist")
        return transfer_dir.resolve().as_uri()  # the same object key, in the transfer folder
    if not store:
        raise DeskError(
            "chưa chỉ định kho lưu trữ: dùng --store hoặc biến OFFICE_STORE / "
            "no store: give --store URL or set OFFICE_STORE"
        )
    return store


@dataclass
class Draft:
    """An answer checked and ready to send, and what the Office should know before sending it."""

    case: register.Case
    document: dict  # a valid reply/1 document
    recipient: str  # the reporter's reply key
    step: str  # what the register says the reporter's status is
    notes: list[str] = field(default_factory=list)

    def preview(self) -> list[str]:
        """What the holder of the receipt code will read (the command shows it before asking to send)."""
        vi, en = STATUS_LABELS[self.document["status"]]
        lines = [
            f"Người giữ mã tra cứu của hồ sơ {self.case.number} sẽ đọc / the receipt-code holder will read:",
            f"  Trạng thái / status: {vi} / {en}",
        ]
        for name, title in (("authority", "Cơ quan / authority"), ("reason", "Lý do / reason")):
            if name in self.document:
                lines.append(f"  {title}: {' '.join(self.document[name].split())}")
        if "message" in self.document:
            lines.append("  Nội dung / message:")
            lines.append("    " + self.document["message"].replace("\n", "\n    "))
        return lines


def draft(
    desk: Desk,
    reference: str,
    unlock: Unlock,
    *,
    status: str | None = None,
    message: str | None = None,
    authority: str | None = None,
    reason: str | None = None,
) -> Draft:
    """Check an answer; ``unlock`` is called only for a case registered before its reply key was kept."""
    case = find_case(desk, reference)
    if not case.reply_lookup:
        raise DeskError(
            f"hồ sơ {case.number} không có mã tra cứu (kênh khác, hoặc gửi không kèm mã): trả lời qua kênh đã nhận / "
            "the case has no receipt code to answer through; answer it through the channel it came by"
        )
    recipient = case.reply_recipient or _recipient_from_report(desk, case, unlock)
    step = workflow.reply_status(case)
    notes = []
    if status is None:
        status = step
    elif status != step:
        vi, en = STATUS_LABELS[status]
        notes.append(
            f"Lưu ý: sổ ghi {case.number} ở bước '{workflow.status_label(case.status)}', người phản ánh sẽ đọc "
            f"'{vi}' / note: {case.number} is at step '{workflow.status_label(case.status, 'en')}' in the "
            f"register; the reporter will read '{en}'"
        )
    if status == "forwarded" and not authority:
        authority = case.forwarded_to
    document = {"schema": report.REPLY_ID, "status": status, "at": now_iso()}
    for name, value in (("message", message), ("authority", authority), ("reason", reason)):
        if value and value.strip():
            document[name] = value.strip()
    check_wording(case, document)
    if case.language in ("vi", "en"):
        document["language"] = case.language
    try:
        document = report.validate(document, accept=(report.REPLY_ID,))
    except report.ReportError as exc:
        hints = {"authority": "--authority", "reason": "--reason"}
        named = ", ".join(hints.get(p.field, p.field) for p in exc.problems)
        raise DeskError(f"câu trả lời còn thiếu / the answer is not complete: {named} ({exc})") from None
    return Draft(case, document, recipient, step, notes)


def check_wording(case: register.Case, document: dict) -> None:
    """Refuse a promise of an answer or a result, and "thụ lý" on a report (see ``workflow.wording``)."""
    text = "\n".join(document.get(name, "") for name in ("message", "reason", "authority"))
    found = wording.promises(text)
    if found:
        raise DeskError(
            f"câu trả lời hứa điều mã tra cứu không bảo đảm: {', '.join(repr(f) for f in found)}. Chỉ nêu điều đã "
            'biết hoặc đề nghị bổ sung thông tin, ví dụ "Ông/Bà có thể tiếp tục bổ sung thông tin bằng mã tra cứu '
            'này."; chưa gửi gì / the answer promises what the receipt code cannot: say what is known now, or ask '
            "for information; nothing was sent"
        )
    if case.track == "report" and wording.says_acceptance(text):
        raise DeskError(
            f'hồ sơ {case.number} là phản ánh, kiến nghị, không phải tố cáo đã thụ lý: không viết "thụ lý" cho '
            'người phản ánh, hãy viết "xem xét, xử lý"; chưa gửi gì / case '
            f"{case.number} is a report, not an accepted denunciation: do not write that word to its reporter; "
            "nothing was sent"
        )


def _recipient_from_report(desk: Desk, case: register.Case, unlock: Unlock) -> str:
    """For cases registered before the reply key was kept in the register: read it from the report."""
    document = report.parse(envelope.decrypt(desk.store.get(case.body_key), unlock()))
    recipient = document.get("reply", {}).get("recipient")
    if not recipient:
        raise DeskError(f"hồ sơ {case.number} không có khóa trả lời / the case carries no reply key")
    with register.transaction(desk.db):
        register.set_reply_recipient(desk.db, case.id, recipient)
    return recipient


def send(desk: Desk, answer: Draft, to: str, *, who: str, transfer_dir: Path | None = None) -> Done:
    """Send a checked answer to ``to`` (``target``); with ``transfer_dir`` it waits in that folder instead."""
    case, document = answer.case, answer.document
    status = document["status"]
    try:
        office_recipients = recipients_for(desk.db)
    except RecipientsError as exc:
        raise DeskError(str(exc)) from None
    plaintext = report.padded(document)
    object_id = codes.new_object_id()
    key = objects.outbox_key(case.reply_lookup, object_id)
    copy_key = f"replies/{object_id}.age"
    try:
        open_store(to, create=False).put(key, envelope.encrypt(plaintext, [envelope.parse_recipient(answer.recipient)]))
    except (StoreError, ValueError) as exc:
        raise DeskError(
            f"{exc}. Chưa gửi được; chạy lại sau / the answer was not sent; run the command again later."
        ) from None
    desk.store.put(copy_key, envelope.encrypt(plaintext, office_recipients))
    # Telling the reporter the case's step is the Board's notice to a named reporter, when it is due.
    notice = status == answer.step and workflow.report_notice_pending(case, settings_of(desk))
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
            who=who,
            reason=f"trả lời qua mã tra cứu: {status}",
            case_number=case.number,
            details={
                "status": status,
                "has_message": "message" in document,
                **({"notice": "reporter"} if notice else {}),
            },
        )
    done = Done(case=register.case_by_id(desk.db, case.id))
    vi, en = STATUS_LABELS[status]
    if transfer_dir is not None:  # not sent yet: it waits on the drive for the online computer
        done.say(
            f"{case.number}: đã ghi trả lời vào thư mục chuyển, đang chờ máy nối mạng gửi lên kho / the answer is "
            f"written to the transfer folder and waits on the drive ({vi} / {en})"
        )
    else:
        done.say(f"{case.number}: đã gửi trả lời / answer sent ({vi} / {en})")
    if notice:
        done.say("  Đã ghi nhận thông báo cho người phản ánh / recorded as the notice to the reporter (office notify)")
    if case.track == "denunciation" or register.owed_notices(desk.db).get(case.id):
        done.say(
            "  Lưu ý / note: trả lời qua mã tra cứu không thay cho thông báo bằng văn bản theo Luật Tố cáo "
            "(office notice, office notify --to denouncer|denounced) / it does not replace the written notices"
        )
    if transfer_dir is not None:
        return done.next(
            f"mang thư mục về máy trực tuyến, chạy / on the online computer: office pull --encrypted-only --to FOLDER "
            f"({transfer_dir})"
        )
    return done.next(
        "người giữ mã tra cứu đọc được trên trang tra cứu của cổng / "
        "the holder of the receipt code can read it on the portal's check page"
    )


# --- what reporters added -----------------------------------------------------------------------------------


def unread(desk: Desk) -> list[tuple[register.Case, int]]:
    """The cases with follow-ups nobody has shown yet, and how many each."""
    return [
        (register.case_by_id(desk.db, case_id), count)
        for case_id, count in sorted(register.unread_followups(desk.db).items())
    ]


NO_UNREAD = "Không có thông tin bổ sung chưa đọc / no unread follow-ups."
UNREAD_NEXT = "office show ID (xem và đánh dấu đã đọc / marks them as read)"


def unread_line(case: register.Case, count: int) -> str:
    return f"{case.number}  {count} thông tin bổ sung chưa đọc / unread follow-up(s)"


def attach(desk: Desk, followup: str, reference: str, *, reason: str = "", who: str) -> Done:
    """Join a follow-up that matched no case to a case, as if its receipt code had matched."""
    waiting = register.unmatched_by_reference(desk.db, followup)
    if waiting is None:
        raise DeskError(
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
            who=who,
            reason=reason.strip() or "gắn thông tin bổ sung vào hồ sơ",
            case_number=case.number,
            details={"followup": waiting.reference, "by_receipt_code": same_code, "unverified": waiting.unverified},
        )
    done = Done(case=case).say(f"{waiting.reference} -> {case.number}: đã gắn vào hồ sơ / joined to the case")
    return done.next(f"office show {case.number}")
