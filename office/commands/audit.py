"""``office audit list`` and ``office audit verify``: read and check the audit trail."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..register import audit
from ..workflow.clock import local_time
from ..workflow.history import describe
from .common import data_option, desk_at, fail, table_format_option
from .terminal import safe


@click.group(name="audit")
def audit_group() -> None:
    """Nhật ký truy cập, thay đổi / The audit trail of views, reveals, changes, replies and exports."""


@audit_group.command(name="list")
@click.option("--case", "case_number", help="Chỉ hồ sơ này / only this case")
@table_format_option
@data_option
def audit_list(case_number: str | None, fmt: str, data: Path) -> None:
    """Liệt kê nhật ký / List the audit trail."""
    desk = desk_at(data)
    entries = audit.entries(desk.db, case_number)
    if fmt == "json":
        rows = [
            {
                "seq": e.seq,
                "at": e.at,
                "who": e.who,
                "action": e.action,
                "case": e.case_number,
                "reason": e.reason,
                "details": e.details,
                "hash": e.hash,
            }
            for e in entries
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not entries:
        click.echo("Nhật ký trống / the audit trail is empty.", err=True)
    for e in entries:
        label = audit.ACTIONS.get(e.action, (e.action, e.action))
        told = describe(e)  # what changed, in words: "Phân loại", "Ghi nhận đã thông báo: ..."
        what = f"{label[0]} / {label[1]}" + (f": {told[0]} / {told[1]}" if told != label else "")
        click.echo(
            f"{e.seq:>6}  {local_time(e.at)}  {safe(e.who, single_line=True)}  {what}  "
            f"{e.case_number or '-'}  {safe(e.reason, single_line=True)}"
        )


@audit_group.command(name="verify")
@data_option
def audit_verify(data: Path) -> None:
    """Kiểm tra nhật ký có bị sửa, xóa, đảo thứ tự / Check the trail was not edited, cut or reordered.

    Trả mã thoát 1 và nêu từng mục không khớp. Thỉnh thoảng chép đầu chuỗi (head) mà lệnh in ra
    vào sổ giấy của Văn phòng: nhật ký bị dựng lại từ đầu sẽ không ra cùng đầu chuỗi đó.

    Exits with status 1 and names each entry that does not check out. Write
    the head it prints in the Office's paper log from time to time: a trail
    rebuilt from scratch would not reach the same head.
    """
    desk = desk_at(data)
    problems, head = audit.verify(desk.db)
    count = desk.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    if problems:
        for problem in problems:
            click.echo(f"LỖI / PROBLEM: {problem.message}")
        raise fail(
            f"nhật ký đã bị can thiệp ({len(problems)} lỗi): báo cáo Lãnh đạo Ban, đối chiếu bản sao lưu / "
            "the audit trail was tampered with"
        )
    click.echo(f"Nhật ký toàn vẹn / the audit trail checks out: {count} entries")
    click.echo(f"Đầu chuỗi / head: {head or '-'}")
