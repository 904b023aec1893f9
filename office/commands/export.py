"""``office export``: the package for the competent authority (see ``office/export/__init__.py``)."""

from __future__ import annotations

from pathlib import Path

import click

from intake_function import report

from .. import export, register
from ..export import transfer
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
from .terminal import safe


@click.command(name="export")
@click.argument("reference", metavar="ID")
@click.option(
    "--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Thư mục mới / a new, empty folder"
)
@click.option(
    "--include-unverified",
    is_flag=True,
    help="Chép cả tệp không làm sạch được vào unverified/ / also copy files that could not be cleaned",
)
@click.option(
    "--consent",
    help="Phản ánh chuyển cơ quan khác: người phản ánh đồng ý chuyển danh tính (ghi cách, ngày đồng ý) / a report "
    "forwarded: the reporter agreed to pass their identity on (how, when)",
)
@click.option("--reason", default="", help="Lý do (ghi vào nhật ký) / why, for the audit trail")
@identity_option
@data_option
@by_option
def export_command(
    reference: str,
    out: Path,
    include_unverified: bool,
    consent: str | None,
    reason: str,
    identity: Path | None,
    data: Path,
    by: str | None,
) -> None:
    """Xuất hồ sơ để chuyển cơ quan có thẩm quyền hoặc giao đơn vị / Export a case to forward or assign.

    Tố cáo chuyển cơ quan có thẩm quyền (office forward --denunciation): kèm danh tính người tố cáo
    ở phần riêng MAT-thong-tin-nguoi-to-cao, đánh dấu MẬT, đề nghị giữ bí mật, để cơ quan nhận có
    thể thụ lý. Phản ánh chuyển cơ quan khác: danh tính chỉ kèm theo khi người phản ánh đồng ý
    (--consent). Hồ sơ giao phòng, đơn vị của Ban: không bao giờ kèm danh tính. Các tệp đính kèm
    đã xóa siêu dữ liệu (EXIF và GPS của ảnh, tác giả của tệp PDF và Office), có bảng kê những gì
    đã xóa; tệp không làm sạch được thì không đưa vào (hoặc chép vào unverified/ khi có
    --include-unverified). Lệnh giải mã hồ sơ nên sẽ hỏi mật khẩu của tệp khóa.

    A denunciation transferred (office forward --denunciation) goes with the
    denouncer's identity in a separate part marked confidential, with the
    request to keep it secret, so that the authority can accept it; a report
    forwarded, only with the reporter's consent (--consent); a case for one of
    the Board's units, never. Attachments lose their metadata; the manifest
    says what was removed. Decrypts the case: asks for the key's passphrase.
    """
    desk = desk_at(data)
    case = find_case(desk, reference)
    try:
        purpose = transfer.purpose_of(case, register.notices_of(desk.db, case.id), consent)
    except transfer.TransferError as exc:
        raise fail(str(exc)) from None
    identities = load_identities(identity, desk)
    document = report.parse(decrypt_case(desk, case, identities))
    if purpose.consent and not (document.get("reporter") or {}):
        raise fail(f"hồ sơ {case.number} không có danh tính người phản ánh / the case carries no identity")
    try:
        result = export.export_case(
            desk,
            case,
            document,
            identities,
            out,
            include_unverified=include_unverified,
            who=who(by),
            reason=reason,
            purpose=purpose,
            settings=settings_of(desk).report,
        )
    except export.ExportError as exc:
        raise fail(str(exc)) from None
    click.echo(str(out))
    for entry in result.files:
        click.echo(f"  {entry['file'] or '(không xuất / left out)'}: {entry['status']}", err=True)
        shown = [*(entry["notes"] if entry["status"] == "unverified" else []), entry["declaration"]]
        for note in filter(None, shown):
            click.echo(f"    {safe(note, single_line=True)}", err=True)
    if result.unverified:
        click.echo(
            f"CẢNH BÁO / WARNING: {len(result.unverified)} tệp không làm sạch được (xem manifest.txt) / "
            "file(s) could not be cleaned (see manifest.txt)",
            err=True,
        )
    if result.masked:
        click.echo(
            f"Đã che {result.masked} chỗ trùng thông tin người phản ánh trong nội dung / masked in the text", err=True
        )
    if result.identity:
        click.echo(
            f"Phần riêng có danh tính {purpose.person} — MẬT: gửi riêng, theo quy định bảo mật / the identity part is "
            "confidential: send it apart, as confidential documents are sent",
            err=True,
        )
    next_step(
        "đọc lại nội dung trước khi chuyển: người phản ánh có thể tự nêu danh tính / read the text before "
        "sending: the reporter may have named themselves"
    )
