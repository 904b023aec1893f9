"""``office list``: the register at a glance, metadata only (never a report's content or a reporter's identity)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from intake_function import report

from .. import register, workflow
from ..intake import matching
from ..register.desk import Desk
from ..workflow.clock import local_time, today, vn_date
from .common import (
    data_option,
    desk_at,
    next_step,
    settings_of,
    table_format_option,
)
from .terminal import safe


@click.command(name="list")
@data_option
@table_format_option
@click.option("--status", type=click.Choice(list(workflow.STATUSES)), help="Chỉ trạng thái này / only this status")
@click.option("--channel", type=click.Choice(list(workflow.CHANNELS)), help="Chỉ kênh này / only this channel")
@click.option("--unit", help="Chỉ đơn vị này / only this unit")
@click.option("--open", "only_open", is_flag=True, help="Chỉ hồ sơ chưa kết thúc / only open cases")
@click.option(
    "--unmatched",
    is_flag=True,
    help="Thông tin bổ sung chưa khớp hồ sơ nào / follow-ups whose receipt code matches no case",
)
def list_command(
    data: Path, fmt: str, status: str | None, channel: str | None, unit: str | None, only_open: bool, unmatched: bool
) -> None:
    """Liệt kê các hồ sơ trong sổ / List the cases in the register.

    Chỉ in thông tin quản lý (không bao giờ in nội dung phản ánh hay danh tính người phản ánh):
    số hồ sơ, ngày nhận, kênh, loại, trạng thái, đơn vị, hạn của bước hiện tại. Với --unmatched:
    các thông tin bổ sung được giữ lại vì mã tra cứu không thuộc hồ sơ nào; đọc bằng office show
    ID, gắn vào hồ sơ bằng office attach ID SỐ-HỒ-SƠ.

    Shows metadata only (never a report's content or a reporter's identity):
    number, date, channel, category, status, unit, deadline of the current step.
    With --unmatched: the follow-ups kept because no case carries their receipt
    code; read one with office show ID, join it with office attach ID CASE.
    """
    desk = desk_at(data)
    if unmatched:
        _list_unmatched(desk, fmt)
        return
    settings = settings_of(desk)
    counts = register.attachment_counts(desk.db)
    unread = register.unread_followups(desk.db)
    cases = [
        c
        for c in register.all_cases(desk.db)
        if (status is None or c.status == status)
        and (channel is None or c.channel == channel)
        and (unit is None or c.unit == unit)
        and (not only_open or c.status in workflow.OPEN_STATUSES)
    ]

    owed = register.owed_notices(desk.db)

    def due_of(case: register.Case) -> str | None:
        found = workflow.current_deadline(case, settings)
        return found.due_on.isoformat() if found else None

    day = today()

    def overdue(case: register.Case) -> bool:
        return any(d.due_on < day for d in workflow.deadlines(case, settings, owed.get(case.id, ())))

    def due_cell(case: register.Case) -> str:
        due = due_of(case)
        shown = vn_date(datetime.fromisoformat(due).date()) if due else "-"
        return f"{shown} QUÁ HẠN" if overdue(case) else shown

    if fmt == "json":
        rows = [
            {
                "number": c.number,
                "channel": c.channel,
                "received_at": c.received_at,
                "category": c.category,
                "status": c.status,
                "anonymous": c.anonymous,
                "attachments": counts.get(c.id, 0),
                "status_label": workflow.status_label(c.status),
                "competence": c.competence,
                "unit": c.unit,
                "unit_head": c.unit_head,
                "forwarded_to": c.forwarded_to,
                "flags": sorted(c.flag_set),
                "due_on": due_of(c),
                "track": c.track,  # report (phản ánh, kiến nghị) or denunciation (tố cáo đã thụ lý)
                "accepted_at": c.accepted_at,
                "acceptance_ref": c.acceptance_ref,
                "assigned_at": c.assigned_at,
                "notices_owed": [{"about": n.about, "to": n.recipient} for n in owed.get(c.id, [])],
                "overdue": overdue(c),
                "unread_followups": unread.get(c.id, 0),
                "has_receipt_code": bool(c.reply_lookup),  # office reply can answer it
            }
            for c in cases
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not cases:
        click.echo(
            "Sổ chưa có hồ sơ nào; tiếp theo: office pull hoặc office add --channel hotline / no case yet; next: "
            "office pull, or office add --channel hotline",
            err=True,
        )
        return
    header = (
        "Số / No.",
        "Nhận lúc / Received",
        "Kênh",
        "Loại / Category",
        "Trạng thái",
        "Diện",
        "Đơn vị",
        "Hạn",
        "Ẩn danh",
        "Mã tra cứu",
        "Tệp",
        "Bổ sung mới",
    )
    table = [header] + [
        (
            c.number,
            local_time(c.received_at),
            workflow.CHANNELS.get(c.channel, (c.channel,))[0],
            report.category_label(c.category or "", "vi"),
            workflow.status_label(c.status),
            "tố cáo" if c.track == "denunciation" else "phản ánh",
            safe(c.unit or c.forwarded_to or "-", single_line=True),
            due_cell(c),
            "có" if c.anonymous else "không",
            "có" if c.reply_lookup else "-",  # office reply can answer through it
            str(counts.get(c.id, 0)),
            str(unread[c.id]) if unread.get(c.id) else "-",
        )
        for c in cases
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in table]
    click.echo("\n".join(lines))


def _list_unmatched(desk: Desk, fmt: str) -> None:
    """The follow-ups waiting for a case, or unverified: id, when, files, why (never their content)."""
    waiting = register.unmatched_followups(desk.db)
    files = {w.id: len(register.unmatched_attachments_of(desk.db, w.id)) for w in waiting}
    if fmt == "json":
        rows = [
            {
                "id": w.reference,
                "received_at": w.received_at,
                "kept_at": w.kept_at,
                "attachments": files[w.id],
                "unverified": w.unverified,  # null: no case has its receipt code; else why its proof fails
                "proof": w.proof_commitment is not None,
            }
            for w in waiting
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not waiting:
        click.echo("Không có thông tin bổ sung nào chưa khớp hồ sơ / no unmatched follow-up.", err=True)
        return
    table = [("Mã bổ sung / Follow-up", "Nhận lúc / Received", "Tệp", "Vì sao / Why")] + [
        (w.reference, local_time(w.received_at), str(files[w.id]), matching.unverified_label(w.unverified))
        for w in waiting
    ]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    click.echo("\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table))
    next_step("office show ID (đọc / read it); office attach ID SỐ-HỒ-SƠ (gắn vào hồ sơ / join it to a case)")
