"""``office notice``: draft a notice owed on a denunciation (to the denouncer, or to the person denounced) as a
Word document to complete and sign."""

from __future__ import annotations

from pathlib import Path

import click

from ..workflow import drafts
from .common import by_option, data_option, desk_at, identity_option, option, options, tell, unlocker, who


@click.command(name="notice")
@click.argument("reference", metavar="ID")
@options(drafts.NOTICE[:2])
@option(drafts.NOTICE[2], show_default=True)
@options(drafts.NOTICE[3:])
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

    
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
    drafts.check_request(out, recipient=recipient, with_identity=with_identity, reason=reason)
    desk = desk_at(data)
    done = drafts.draft_notice(
        desk,
        reference,
        unlocker(identity, desk),
        kind=kind,
        out=out,
        recipient=recipient,
        with_identity=with_identity,
        reason=reason,
        who=who(by),
    )
    tell(done)
