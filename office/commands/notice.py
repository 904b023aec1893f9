"""``office notice``: draft a notice owed on a denunciation (to the denouncer, or to the person denounced) as a
Word document to complete and sign."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from intake_function import report

from .. import register
from ..export import folder
from ..register import audit
from ..workflow import notices
from .common import (
    by_option,
    data_option,
    decrypt_case,
    desk_at,
    fail,
    find_case,
    identity_option,
    load_identities,
    next_step,
    settings_of,
    who,
)


@click.command(name="notice")
@click.argument("reference", metavar="ID")
@click.option(
    "--kind",
    type=click.Choice(list(notices.KINDS)),
    required=True,
    help="Loại thông báo / kind: accepted (thụ lý), not-accepted (không thụ lý), transferred (chuyển tố cáo), "
    "extended (gia hạn)",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Tệp Word (.docx) sẽ tạo / the .docx file to write",
)
@click.option(
    "--to",
    "recipient",
    type=click.Choice(list(notices.RECIPIENTS)),
    default="denouncer",
    show_default=True,
    help="Gửi cho / to: denouncer (người tố cáo) hoặc denounced (người bị tố cáo: --kind accepted, extended)",
)
@click.option(
    "--with-identity",
    is_flag=True,
    help="Điền họ tên, địa chỉ người tố cáo từ hồ sơ mã hóa (cần --reason; ghi nhật ký như xem danh tính) / "
    "fill in the denouncer's name and address from the encrypted report (needs --reason; a disclosure)",
)
@click.option("--reason", default="", help="Lý do (bắt buộc với --with-identity) / why")
@identity_option
@data_option
@by_option
def notice_command(
    reference: str,
    kind: str,
    recipient: str,
    out: Path,
    with_identity: bool,
    reason: str,
    identity: Path | None,
    data: Path,
    by: str | None,
) -> None:
    """Dự thảo thông báo về tố cáo / Draft a notice on a denunciation (Word).

    \b
    office notice 2026-0005 --kind accepted --out thong-bao.docx
    office notice 2026-0005 --kind accepted --out thong-bao.docx --with-identity --reason "Gửi thông báo thụ lý"
    office notice 2026-0005 --kind accepted --to denounced --out noi-dung-to-cao.docx

    Thông báo cho người bị tố cáo (--to denounced: thụ lý, gia hạn) không bao giờ có gì của người
    tố cáo; --with-identity không dùng được với nó. The notices to the person denounced (accepted,
    extended) never carry anything of the denouncer; --with-identity is refused with them.

    Số hồ sơ, các ngày, số quyết định, cơ quan và lý do lấy từ sổ. Họ tên, địa chỉ người tố cáo
    để trống (chỗ điền) trừ khi dùng --with-identity để đọc từ phản ánh đã mã hóa; việc này được
    ghi vào nhật ký như một lần xem danh tính. Mọi chỗ trong [ ] là để Văn phòng điền hoặc kiểm
    tra (căn cứ pháp lý theo văn bản đã sửa đổi bởi Luật 136/2025/QH15) trước khi trình ký. Gửi
    xong: office notify ID --to denouncer.

    The case number, dates, decision reference, authority and reason come from
    the register. The denouncer's name and address stay placeholders unless
    --with-identity reads them from the encrypted report, which is recorded in
    the audit trail as a disclosure. Every point in [ ] is for the Office to fill
    in or check (the legal basis against the text as amended by Luật
    136/2025/QH15) before signing. Once sent: office notify ID --to denouncer.
    """
    if with_identity and recipient == "denounced":
        raise fail(
            "thông báo cho người bị tố cáo không bao giờ có danh tính người tố cáo (Điều 9 Luật Tố cáo): bỏ "
            "--with-identity / the notice to the person denounced never carries the denouncer's identity: "
            "drop --with-identity"
        )
    if with_identity and not reason.strip():
        raise fail(
            "--with-identity đưa danh tính người tố cáo vào tệp: phải nêu lý do bằng --reason / --with-identity "
            "discloses the denouncer's identity: say why with --reason"
        )
    if out.suffix.lower() != ".docx":
        raise fail(
            f"{out}: thông báo là tệp Word, tên tệp phải có đuôi .docx / the notice is a Word file: name it ….docx"
        )
    if out.exists():
        raise fail(f"tệp {out} đã có; chọn tên khác bằng --out / {out} already exists; choose another --out")
    desk = desk_at(data)
    case = find_case(desk, reference)
    try:
        found = notices.facts(case, register.notices_of(desk.db, case.id), kind, recipient)
    except notices.NoticeError as exc:
        raise fail(str(exc)) from None
    actor = who(by)
    if with_identity:
        document = report.parse(decrypt_case(desk, case, load_identities(identity, desk)))
        reporter = document.get("reporter") or {}
        used = {name: reporter[name].strip() for name in ("name", "address") if (reporter.get(name) or "").strip()}
        entry = ("reveal", reason.strip(), {"fields": sorted(used), "purpose": "notice", "kind": kind, "to": recipient})
        found = replace(
            found,
            name=used.get("name", notices.NAME_PLACEHOLDER),
            address=used.get("address", notices.ADDRESS_PLACEHOLDER),
        )
    else:
        details = {"kind": kind, "to": recipient, "identity": False}
        entry = ("notice", reason.strip() or f"dự thảo thông báo: {kind}", details)

    def record() -> None:  # before anything is written, as office reveal does
        action, why, details = entry
        audit.record(desk.db, action, who=actor, reason=why, case_number=case.number, details=details)

    try:
        with folder.writing(desk, out, record, {"command": "notice", "case": case.number}) as temporary:
            notices.write(temporary, found, settings_of(desk).report)
    except OSError as exc:
        raise fail(f"{exc} (chưa ghi tệp / nothing written)") from None
    click.echo(str(out))
    if with_identity:
        click.echo("Tệp có danh tính người tố cáo — BẢO MẬT / the file holds the denouncer's identity.", err=True)
    next_step(
        f"điền các ô [ ], kiểm tra căn cứ, trình ký, gửi; rồi / fill in, check, sign, send; then: "
        f'office notify {case.number} --to {recipient} --about {kind} --how "..."'
    )
