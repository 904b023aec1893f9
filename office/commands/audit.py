"""``office audit list`` and ``office audit verify``: read and check the audit trail."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..register import trail
from .common import data_option, desk_at, options, table_format_option, tell
from .terminal import safe


@click.group(name="audit")
def audit_group() -> None:
    """Nhật ký truy cập, thay đổi / The audit trail of views, reveals, changes, replies and exports."""


@audit_group.command(name="list")
@options(trail.LIST)
@table_format_option
@data_option
def audit_list(case_number: str | None, fmt: str, data: Path) -> None:
    """Liệt kê nhật ký / List the audit trail."""
    entries = trail.entries(desk_at(data), case_number)
    if fmt == "json":
        click.echo(json.dumps([trail.record(e) for e in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        click.echo(trail.EMPTY, err=True)
    for e in entries:
        click.echo(safe(trail.line(e)))


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
    tell(trail.verify(desk_at(data)))
