"""``office list``: the register at a glance, metadata only (never a report's content or a reporter's identity)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..register import listing
from .common import data_option, desk_at, format_option, next_step, options, settings_of
from .terminal import safe


@click.command(name="list")
@data_option
@format_option("table", "json", "csv")
@options(listing.FIELDS)
@click.option(
    "--unmatched",
    is_flag=True,
    help="Thông tin bổ sung chưa khớp hồ sơ nào / follow-ups whose receipt code matches no case",
)
def list_command(data: Path, fmt: str, unmatched: bool, **filters) -> None:
    """Liệt kê các hồ sơ trong sổ / List the cases in the register.

    Chỉ in thông tin quản lý (không bao giờ in nội dung phản ánh hay danh tính người phản ánh):
    số hồ sơ, ngày nhận, kênh, loại, trạng thái, đơn vị, hạn của bước hiện tại. Lọc theo trạng
    thái, kênh, đơn vị, diện, kỳ báo cáo (hồ sơ nhận trong kỳ), hồ sơ quá hạn; tìm theo chữ;
    sắp xếp. Với --format csv: đúng các dòng đó, cho Excel. Với --unmatched: các thông tin bổ
    sung được giữ lại vì mã tra cứu không thuộc hồ sơ nào; đọc bằng office show ID, gắn vào hồ
    sơ bằng office attach ID SỐ-HỒ-SƠ.

    Shows metadata only (never a report's content or a reporter's identity):
    number, date, channel, category, status, unit, deadline of the current step.
    Filters by status, channel, unit, track, report period (cases received in
    it), late cases; searches; sorts. With --format csv: exactly those rows,
    for Excel. With --unmatched: the follow-ups kept because no case carries
    their receipt code; read one with office show ID, join it with office
    attach ID CASE.
    """
    desk = desk_at(data)
    if unmatched:
        _list_unmatched(listing.unmatched(desk), fmt)
        return
    found = listing.rows(desk, settings_of(desk), listing.Query(**filters))
    if fmt == "json":
        click.echo(json.dumps([listing.record(row) for row in found], ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        sys.stdout.buffer.write(listing.csv_bytes(found))
        sys.stdout.buffer.flush()
        return
    if not found:
        empty = not any(value for name, value in filters.items() if name != "sort")
        click.echo(listing.EMPTY if empty else listing.NONE_MATCH, err=True)
        return
    header = [title for title, _ in listing.COLUMNS]
    table = [header] + [[safe(cell, single_line=True) for cell in listing.cells(row)] for row in found]
    click.echo(_aligned(table))


def _list_unmatched(waiting: list[listing.Waiting], fmt: str) -> None:
    """The follow-ups waiting for a case: id, when, how many files (never their content)."""
    if fmt == "json":
        click.echo(json.dumps([listing.unmatched_record(w) for w in waiting], ensure_ascii=False, indent=2))
        return
    if fmt == "csv":
        raise click.UsageError("--unmatched: chỉ in dạng table hoặc json / only as a table or JSON")
    if not waiting:
        click.echo(listing.NO_UNMATCHED, err=True)
        return
    click.echo(_aligned([list(listing.UNMATCHED_HEADER)] + [listing.unmatched_cells(w) for w in waiting]))
    next_step(listing.UNMATCHED_NEXT)


def _aligned(table: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table)
