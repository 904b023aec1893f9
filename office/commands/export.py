"""``office export``: the package for the competent authority (see ``office/export/__init__.py``)."""

from __future__ import annotations

from pathlib import Path

import click

from intake_function import report

from .. import export
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
@click.option("--reason", default="", help="Lý do (ghi vào nhật ký) / why, for the audit trail")
@identity_option
@data_option
@by_option
def export_command(
    reference: str, out: Path, include_unverified: bool, reason: str, identity: Path | None, data: Path, by: str | None
) -> None:
    """Xuất hồ sơ để chuyển cơ quan có thẩm quyền / Export a case for forwarding.

    Ghi hồ sơ không kèm danh tính người phản ánh, các tệp đính kèm đã xóa siêu dữ liệu (EXIF và
    GPS của ảnh, tác giả của tệp PDF và Office) và bảng kê những gì đã xóa. Tệp không làm sạch
    được thì được liệt kê và không đưa vào (hoặc chép vào unverified/ khi có
    --include-unverified). Lệnh giải mã hồ sơ nên sẽ hỏi mật khẩu của tệp khóa.

    Writes the case without the reporter's identity, its attachments with
    their metadata removed (EXIF and GPS of photos, authors of PDF and Office
    files) and a manifest of what was removed. Files that cannot be cleaned
    are listed and left out (or copied into unverified/ with
    --include-unverified). Decrypts the case: asks for the key's passphrase.
    """
    desk = desk_at(data)
    case = find_case(desk, reference)
    identities = load_identities(identity, desk)
    document = report.parse(decrypt_case(desk, case, identities))
    try:
        result = export.export_case(
            desk, case, document, identities, out, include_unverified=include_unverified, who=who(by), reason=reason
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
    next_step(
        "đọc lại nội dung trước khi chuyển: người phản ánh có thể tự nêu danh tính / read the text before "
        "sending: the reporter may have named themselves"
    )
