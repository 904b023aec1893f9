"""``office notice``, the operation: draft a notice owed on a denunciation as a Word document to complete and sign.

The register gives the case number, the dates, the decision's reference, the authority
and the reason (``workflow.notices`` holds the model notices); the denouncer's name
and address come from the encrypted report only when asked, with a reason, and that
is recorded in the audit trail as a disclosure, before anything is written. A notice
to the person denounced never carries anything of the denouncer.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from intake_function import report

from .. import register
from ..export import folder
from ..operation import CHOICE, FLAG, OUT_FILE, DeskError, Done, Field, Unlock, decrypt_case, find_case, settings_of
from ..register import audit
from ..register.desk import Desk
from . import notices
from .clock import today

NOTICE = (
    Field(
        "kind",
        "Loại thông báo",
        "kind",
        kind=CHOICE,
        choices=notices.KINDS,
        required=True,
        text="Loại thông báo / kind: accepted (thụ lý), not-accepted (không thụ lý), transferred (chuyển tố cáo), "
        "extended (gia hạn), concluded (kết luận nội dung tố cáo)",
    ),
    Field("out", "Tệp Word (.docx) sẽ tạo", "the .docx file to write", kind=OUT_FILE, required=True),
    Field(
        "recipient",
        "Gửi cho",
        "to",
        kind=CHOICE,
        choices=notices.RECIPIENTS,
        default="denouncer",
        option="--to",
        text="Gửi cho / to: denouncer (người tố cáo) hoặc denounced (người bị tố cáo: --kind accepted, extended, "
        "concluded)",
    ),
    Field(
        "with_identity",
        "Điền họ tên, địa chỉ người tố cáo từ hồ sơ mã hóa (cần --reason; ghi nhật ký như xem danh tính)",
        "fill in the denouncer's name and address from the encrypted report (needs --reason; a disclosure)",
        kind=FLAG,
    ),
    Field("reason", "Lý do (bắt buộc với --with-identity)", "why", default=""),
)


def draft_notice(
    desk: Desk,
    reference: str,
    unlock: Unlock,
    *,
    kind: str,
    out: Path | None = None,
    recipient: str = "denouncer",
    with_identity: bool = False,
    reason: str = "",
    stream: BinaryIO | None = None,
    who: str,
) -> Done:
    """Write the notice to ``out`` (a new .docx); ``Done.out`` names it. ``unlock`` only with ``with_identity``.

    With ``stream`` (the window's download) the document is written there and nothing on disk: a notice with the
    denouncer's identity never passes through a temporary file; ``out`` is then not used.
    """
    check_request(out, recipient=recipient, with_identity=with_identity, reason=reason, stream=stream is not None)
    case = find_case(desk, reference)
    settings = settings_of(desk)
    try:
        found = notices.facts(
            case, register.notices_of(desk.db, case.id), kind, recipient, settings=settings, today=today()
        )
    except notices.NoticeError as exc:
        raise DeskError(str(exc)) from None
    if with_identity:
        document = report.parse(decrypt_case(desk, case, unlock()))
        reporter = document.get("reporter") or {}
        used = {name: reporter[name].strip() for name in ("name", "address") if (reporter.get(name) or "").strip()}
        entry = ("reveal", reason.strip(), {"fields": sorted(used), "purpose": "notice", "kind": kind, "to": recipient})
        found = replace(
            found,
            name=used.get("name", notices.NAME_PLACEHOLDER),
            address=used.get("address", notices.ADDRESS_PLACEHOLDER),
            identity=bool(used),
        )
    else:
        details = {"kind": kind, "to": recipient, "identity": False}
        entry = ("notice", reason.strip() or f"dự thảo thông báo: {kind}", details)

    def record() -> None:  # before anything is written, as office reveal does
        action, why, details = entry
        audit.record(desk.db, action, who=who, reason=why, case_number=case.number, details=details)

    if stream is not None:
        record()
        notices.write(stream, found, settings.report)
        done = Done(case=case, value=stream)
    else:
        assert out is not None  # check_request refused it
        try:
            with folder.writing(desk, out, record, {"command": "notice", "case": case.number}) as temporary:
                notices.write(temporary, found, settings.report)
        except OSError as exc:  # FileExistsError too: a file that appeared meanwhile is never overwritten
            raise DeskError(f"{exc} (chưa ghi tệp / nothing written)") from None
        done = Done(case=case, out=[str(out)], value=out)
    if with_identity:
        done.say("Tệp có danh tính người tố cáo — BẢO MẬT / the file holds the denouncer's identity.")
    return done.next(
        f"điền các ô [ ], kiểm tra căn cứ, trình ký, gửi; rồi / fill in, check, sign, send; then: "
        f'office notify {case.number} --to {recipient} --about {kind} --how "..."'
    )


def check_request(out: Path | None, *, recipient: str, with_identity: bool, reason: str, stream: bool = False) -> None:
    """What is refused before the register is even opened."""
    if with_identity and recipient == "denounced":
        raise DeskError(
            "thông báo cho người bị tố cáo không bao giờ có danh tính người tố cáo (Điều 9 Luật Tố cáo): bỏ "
            "--with-identity / the notice to the person denounced never carries the denouncer's identity: "
            "drop --with-identity"
        )
    if with_identity and not reason.strip():
        raise DeskError(
            "--with-identity đưa danh tính người tố cáo vào tệp: phải nêu lý do bằng --reason / --with-identity "
            "discloses the denouncer's identity: say why with --reason"
        )
    if stream:
        return
    if out is None:
        raise DeskError("chọn tệp Word sẽ tạo: --out ….docx / choose the .docx file to write: --out")
    if out.suffix.lower() != ".docx":
        raise DeskError(
            f"{out}: thông báo là tệp Word, tên tệp phải có đuôi .docx / the notice is a Word file: name it ….docx"
        )
    if out.exists():
        raise DeskError(f"tệp {out} đã có; chọn tên khác bằng --out / {out} already exists; choose another --out")
