"""``office show`` and ``office extract``: one case decrypted in memory, every view in the audit trail."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from intake_function import report

from .. import workflow
from ..operation import NEXT
from ..register import audit, case_view
from ..safe_text import json_for_terminal
from ..workflow.case_actions import ACTIONS
from ..workflow.clock import local_date, local_time, vn_date
from .common import by_option, data_option, desk_at, identity_option, options, tell, unlocker, who
from .terminal import safe


@click.command()
@click.argument("reference", metavar="ID")
@identity_option
@data_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Dạng in ra: text (văn bản, ẩn danh tính) hoặc json (bản gốc như khi gửi, cần --reason nếu có danh tính) / "
    "text, or the report as submitted (JSON)",
)
@options(case_view.VIEW)
@by_option
def show(reference: str, identity: Path | None, data: Path, fmt: str, reason: str, by: str | None) -> None:
    """Xem một hồ sơ (giải mã trong bộ nhớ) / Show one case, decrypted in memory.

    ID là số hồ sơ (2026-0001) hoặc mã bản gửi; hoặc mã của thông tin bổ sung chưa khớp hồ sơ
    nào (office list --unmatched). Danh tính người phản ánh được ẩn: chỉ `office reveal ID
    --reason ...` mới in ra. Với --format json, phản ánh được in đúng như khi gửi, cho công cụ
    khác; nếu phản ánh có danh tính người phản ánh thì đó là việc xem danh tính như `reveal`,
    nên cần --reason và được ghi vào nhật ký như vậy. Mọi lần xem đều được ghi lại (ai, khi nào,
    vì sao).

    ID is the case number (2026-0001) or the submission id; or the id of a
    follow-up that matches no case (office list --unmatched). The reporter's
    identity is hidden: only `office reveal ID --reason ...` shows it. With
    --format json the report is printed exactly as it was submitted, for other
    tools; when it carries the reporter's identity that is a disclosure like
    `reveal`, so it needs --reason and the audit trail records it as such.
    Every view is recorded (who, when, why).
    """
    desk = desk_at(data)
    unlock = unlocker(identity, desk)
    kept = case_view.waiting(desk, reference)
    if kept is not None:
        found = case_view.view_waiting(desk, kept, unlock, who=who(by), reason=reason, fmt=fmt)
        _print_json(found.plaintext) if fmt == "json" else click.echo(_render_waiting(found))
        return
    if fmt == "json":
        _print_json(case_view.original(desk, reference, unlock, who=who(by), reason=reason))
        return
    seen = case_view.view(desk, reference, unlock, who=who(by), reason=reason)
    click.echo(_render_text(seen))
    click.echo(_render_followup(seen))
    click.echo(_render_workflow(seen))
    click.echo(_render_steps(seen))


def _print_json(plaintext: bytes) -> None:
    """The document as submitted: its exact bytes into a file or a pipe, for other tools; on a terminal,
    the same JSON with every character that could act on the screen escaped (``safe_text``)."""
    if sys.stdout.isatty():
        click.echo(json_for_terminal(report.parse(plaintext, accept=(report.SCHEMA_ID, report.FOLLOWUP_ID))))
        return
    sys.stdout.buffer.write(plaintext)
    sys.stdout.buffer.flush()


def _warned(seen: case_view.CaseView, item: dict, indent: str) -> str:
    return "".join(f"\n{indent}CẢNH BÁO / WARNING: {safe(text, single_line=True)}" for text in seen.warnings_of(item))


def _render_waiting(found: case_view.WaitingView) -> str:
    """What a reporter added with a receipt code no case has: read to find the case it belongs to."""
    kept, document = found.followup, found.document
    lines = [
        f"Thông tin bổ sung / follow-up {kept.reference} (nhận lúc / received {local_time(kept.received_at)})",
        "Chưa khớp hồ sơ nào / matches no case: mã tra cứu không thuộc hồ sơ nào trong sổ / "
        "its receipt code is on no case in the register",
        "Nội dung / message:",
        "  " + safe(document["message"]).replace("\n", "\n  "),
    ]
    for item in document.get("attachments", []):
        lines.append(f"  tệp / file: {safe(item['name'], single_line=True)} ({item['size']} bytes)")
    lines.append(NEXT + found.next_step)
    return "\n".join(lines)


def _render_text(seen: case_view.CaseView) -> str:
    case, document = seen.case, seen.document

    def line(label: str, value: str | None) -> str:
        return f"{label}: {safe(value, single_line=True) if value else '-'}"

    lines = [
        f"Hồ sơ / case {case.number}  ({workflow.bilingual(workflow.CHANNELS, case.channel)}, "
        f"nhận lúc / received {local_time(case.received_at)})",
    ]
    if case.received_by:
        lines.append(line("Người tiếp nhận / received by", case.received_by))
    if case.source_ref:
        lines.append(line("Nguồn, số văn bản / reference", case.source_ref))
    lines.append(line("Loại / category", f"{report.category_label(document['category'])} ({document['category']})"))
    lines += [line(label, document.get(name)) for name, label in case_view.FACTS]
    lines += ["Nội dung / description:", "  " + safe(document["description"]).replace("\n", "\n  ")]
    if seen.has_identity:
        lines.append(f"Người phản ánh / reporter: {case_view.HIDDEN}")
    else:
        lines.append("Người phản ánh / reporter: ẩn danh / anonymous")
    if seen.attachments:
        lines.append("Tệp đính kèm / attachments:")
        for number, item in enumerate(seen.attachments, start=1):
            lines.append(
                f"  {number}. {safe(item['name'], single_line=True)} ({safe(item['type'], single_line=True)}, "
                f"{item['size']} bytes){_warned(seen, item, '     ')}"
            )
    return "\n".join(lines)


def _render_followup(seen: case_view.CaseView) -> str:
    """What the reporter added with the receipt code, and what the Office answered, in time order."""
    events = []
    for event in seen.exchanges:
        if event.followup is not None:
            text = [
                f"{local_time(event.at)}  Người phản ánh bổ sung / reporter added:",
                "    " + safe(event.document["message"]).replace("\n", "\n    "),
            ]
            for item in event.document.get("attachments", []):
                text.append(
                    f"    tệp / file: {safe(item['name'], single_line=True)} ({item['size']} bytes)"
                    f"{_warned(seen, item, '      ')}"
                )
        else:
            label = report.status_labels()[event.document["status"]]
            text = [f"{local_time(event.at)}  Văn phòng trả lời / the Office answered: {label['vi']} / {label['en']}"]
            for name in ("authority", "reason", "message"):
                if event.document.get(name):
                    text.append("    " + safe(event.document[name]).replace("\n", "\n    "))
        events.append("\n".join(text))
    if not events:
        return ""
    return "Trao đổi qua mã tra cứu / follow-up by receipt code:\n" + "\n".join(events)


def _render_workflow(seen: case_view.CaseView) -> str:
    """The case's place in the workflow, its track, notices, deadlines and history (from the audit trail)."""
    case = seen.case
    lines = [f"Trạng thái / status: {workflow.bilingual(workflow.STATUSES, case.status)}"]
    if case.track == "denunciation":
        lines.append(
            f"Diện / track: {workflow.bilingual(workflow.TRACKS, case.track)}, ngày thụ lý / accepted on "
            f"{local_time(case.accepted_at)[:10]}, quyết định / decision {safe(case.acceptance_ref, single_line=True)}"
        )
    else:
        lines.append(
            f"Diện / track: {workflow.bilingual(workflow.TRACKS, case.track)} (theo Kế hoạch của Ban, không có thời "
            "hạn của Luật Tố cáo / under the Board's plan, no statutory time limit)"
        )
    for notice in seen.notices:
        state = (
            f"đã thông báo / given {local_time(notice.given_at)} ({safe(notice.how, single_line=True)})"
            if notice.given_at
            else "CHƯA thông báo / not yet given"
        )
        ref = f", {safe(notice.decision_ref, single_line=True)}" if notice.decision_ref else ""
        lines.append(
            f"Thông báo / notice: {workflow.notice_label(notice)} (quyết định / decided "
            f"{local_time(notice.decided_at)[:10]}{ref}): {state}"
        )
    if case.competence:
        lines.append(f"Thẩm quyền / competence: {workflow.bilingual(workflow.COMPETENCE, case.competence)}")
    if case.unit:
        head = f" (người đứng đầu / head: {safe(case.unit_head, single_line=True)})" if case.unit_head else ""
        lines.append(f"Đơn vị xử lý / unit: {safe(case.unit, single_line=True)}{head}")
    if case.forwarded_to:
        lines.append(f"Đã chuyển đến / forwarded to: {safe(case.forwarded_to, single_line=True)}")
    if case.outcome:
        lines.append(f"Kết quả, lý do / result or reason: {safe(case.outcome, single_line=True)}")
    if case.flag_set:
        flags = ", ".join(workflow.bilingual(workflow.FLAGS, f) for f in sorted(case.flag_set))
        told = (
            f"đã báo cáo Lãnh đạo Ban {local_time(case.leaders_informed_at)}"
            if case.leaders_informed_at
            else "CHƯA báo cáo Lãnh đạo Ban / leaders not yet told"
        )
        lines.append(f"Cảnh báo / flags: {flags} ({told})")
    for due in seen.deadlines:
        left = due.days_left(seen.on)
        state = (
            f"quá hạn {-left} ngày / {workflow.days(-left)} late"
            if left < 0
            else f"còn {left} ngày / {workflow.days(left)} left"
        )
        lines.append(f"Hạn / deadline: {due.label}: {vn_date(due.due_on)} ({state})")
        if due.statutory:
            lines.append(f"  căn cứ / basis: {due.basis}")
    lines.append(NEXT + seen.next_step)
    if seen.changes:
        lines.append("Diễn biến / history:")
        for entry in seen.changes:
            label = audit.ACTIONS.get(entry.action, (entry.action,))[0]
            what = entry.details.get("action") or ""
            lines.append(
                f"  {local_time(entry.at)}  {label} {what}  {safe(entry.who, single_line=True)}: "
                f"{safe(entry.reason, single_line=True)}"
            )
    return "\n".join(lines)


def _render_steps(seen: case_view.CaseView) -> str:
    """Each step the case waited in, who held it and when; then its late steps, with whose they were.

    The same reckoning as the half-year report (``reports.lateness``), as of today: what the report
    will count against whom can be seen, and put right, on the case itself.
    """
    lines = ["Các bước / steps:"]
    for row in seen.steps:
        holder = safe(row.unit, single_line=True) if row.unit else f"{seen.office} / the Office"
        until = vn_date(local_date(row.ended_at)) if row.ended_at else "nay / now"
        lines.append(f"  {vn_date(local_date(row.held_from))} – {until}  {seen.step_label(row)}  ({holder})")
    for item in seen.late:
        state = f"xong ngày / done {vn_date(item.done_on)}" if item.done_on else "chưa xong / not done"
        lines.append(
            f"  TRỄ HẠN / LATE: {item.label} ({safe(item.owner, single_line=True)}): hạn / due {vn_date(item.due_on)}, "
            f"{state}, trễ {item.days_late} ngày / {workflow.days(item.days_late)} late"
        )
    return "\n".join(lines)


@click.command(help=ACTIONS["extract"].help)
@click.argument("reference", metavar="ID")
@options(case_view.EXTRACT[:1])
@identity_option
@data_option
@options(case_view.EXTRACT[1:])
@by_option
def extract(reference: str, out: Path, identity: Path | None, data: Path, reason: str, by: str | None) -> None:
    desk = desk_at(data)
    tell(case_view.extract(desk, reference, out, unlocker(identity, desk), who=who(by), reason=reason))
