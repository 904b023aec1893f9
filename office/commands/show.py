"""``office show`` and ``office extract``: one case decrypted in memory, every view in the audit trail."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from intake_function import envelope, report

from .. import register, workflow
from ..export import ExportError, kinds
from ..export.extract import extract_case
from ..intake import matching
from ..register import audit, contents, steps
from ..register.desk import Desk
from ..reports import lateness
from ..safe_text import json_for_terminal
from ..workflow.clock import local_date, local_time, now_iso, today, vn_date
from .common import (
    by_option,
    data_option,
    decrypt_case,
    desk_at,
    fail,
    find_case,
    identity_option,
    load_identities,
    settings_of,
    who,
)
from .terminal import safe

HIDDEN = "(ẩn – dùng office reveal)"


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
@click.option("--reason", default="", help="Lý do xem (ghi vào nhật ký) / why, for the audit trail")
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
    waiting = register.unmatched_by_reference(desk.db, reference)
    if waiting is not None:
        _show_unmatched(desk, waiting, load_identities(identity, desk), fmt, reason, by)
        return
    case = find_case(desk, reference)
    identities = load_identities(identity, desk)
    plaintext = decrypt_case(desk, case, identities)
    if fmt == "json":
        includes_identity = bool(report.parse(plaintext).get("reporter"))
        if includes_identity and not reason.strip():
            raise fail(
                f"hồ sơ {case.number} có danh tính người phản ánh: phải nêu lý do bằng --reason, hoặc xem dạng "
                "văn bản / the case carries the reporter's identity and --format json prints it: say why "
                "with --reason, or use the text format, which hides it"
            )
        audit.record(
            desk.db,
            "view-full",
            who=who(by),
            reason=reason or "xem bản gốc (JSON)",
            case_number=case.number,
            details={"format": "json", "includes_identity": includes_identity},
        )
        _print_json(plaintext, report.parse(plaintext))
        return
    document = report.parse(plaintext)
    with register.transaction(desk.db):
        audit.append(desk.db, "view", who=who(by), reason=reason or "xem hồ sơ", case_number=case.number)
        register.mark_followups_read(desk.db, case.id, now_iso())
    click.echo(_render_text(case, document, desk))
    click.echo(_render_followup(desk, case, identities))
    notices = register.notices_of(desk.db, case.id)
    settings = settings_of(desk)
    click.echo(_render_workflow(case, settings, audit.entries(desk.db, case.number), notices))
    click.echo(_render_steps(case, steps.of_case(desk.db, case.id), notices, settings))


def _show_unmatched(
    desk: Desk, waiting: register.UnmatchedFollowup, identities: list, fmt: str, reason: str, by: str | None
) -> None:
    """What a reporter added with a receipt code no case has: read to find the case it belongs to.

    A follow-up carries no identity (only a message and files), so its JSON is shown like its text.
    """
    try:
        plaintext = envelope.decrypt(desk.store.get(waiting.body_key), identities)
        document = report.parse(plaintext, accept=(report.FOLLOWUP_ID,))
    except envelope.EnvelopeError as exc:
        raise fail(f"thông tin bổ sung / follow-up {waiting.reference}: {exc}") from None
    audit.record(
        desk.db,
        "view",
        who=who(by),
        reason=reason or "xem thông tin bổ sung chưa khớp hồ sơ",
        details={"followup": waiting.reference, "format": fmt},
    )
    if fmt == "json":
        _print_json(plaintext, document)
        return
    lines = [
        f"Thông tin bổ sung / follow-up {waiting.reference} (nhận lúc / received {local_time(waiting.received_at)})",
        f"Chưa gắn vào hồ sơ nào / joined to no case: {matching.unverified_label(waiting.unverified)}",
        "Nội dung / message:",
        "  " + safe(document["message"]).replace("\n", "\n  "),
    ]
    for item in document.get("attachments", []):
        lines.append(f"  tệp / file: {safe(item['name'], single_line=True)} ({item['size']} bytes)")
    lines.append(f'Tiếp theo / next: office attach {waiting.reference} SỐ-HỒ-SƠ --reason "..."')
    click.echo("\n".join(lines))


def _print_json(plaintext: bytes, document: dict) -> None:
    """The document as submitted: its exact bytes into a file or a pipe, for other tools; on a terminal,
    the same JSON with every character that could act on the screen escaped (``safe_text``)."""
    if sys.stdout.isatty():
        click.echo(json_for_terminal(document))
        return
    sys.stdout.buffer.write(plaintext)
    sys.stdout.buffer.flush()


def _content_warning(desk: Desk, item: dict, indent: str) -> str:
    """What the desk saw in an attachment when it was pulled, when that is not what its sender declared."""
    kind = kinds.by_code(contents.of(desk.db, [item["key"]]).get(item["key"]))
    if kind is None:
        return ""
    said = [kinds.disagreement(kind, item.get("type"), item.get("name"))]
    if kind.active:
        said.append(f"{kind.label}: {ACTIVE}")
    return "".join(f"\n{indent}CẢNH BÁO / WARNING: {safe(text, single_line=True)}" for text in said if text)


def _render_text(case: register.Case, document: dict, desk: Desk) -> str:
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
    lines += [
        line("Loại / category", f"{report.category_label(document['category'])} ({document['category']})"),
        line("Thời gian xảy ra / when", document.get("occurred")),
        line("Địa điểm / where", document.get("place")),
        line("Người, đơn vị liên quan / involved", document.get("persons_involved")),
        "Nội dung / description:",
        "  " + safe(document["description"]).replace("\n", "\n  "),
    ]
    if document.get("reporter"):
        lines.append(f"Người phản ánh / reporter: {HIDDEN}")
    else:
        lines.append("Người phản ánh / reporter: ẩn danh / anonymous")
    attachments = document.get("attachments", [])
    if attachments:
        lines.append("Tệp đính kèm / attachments:")
        for number, item in enumerate(attachments, start=1):
            lines.append(
                f"  {number}. {safe(item['name'], single_line=True)} ({safe(item['type'], single_line=True)}, "
                f"{item['size']} bytes){_content_warning(desk, item, '     ')}"
            )
    return "\n".join(lines)


def case_followups(desk: Desk, case: register.Case, identities: list) -> list[tuple[register.Followup, dict]]:
    """The follow-ups joined to a case, decrypted (in memory)."""
    found = []
    for row in register.followups_of(desk.db, case.id):
        plaintext = envelope.decrypt(desk.store.get(row.body_key), identities)
        found.append((row, report.parse(plaintext, accept=(report.FOLLOWUP_ID,))))
    return found


def _render_followup(desk: Desk, case: register.Case, identities: list) -> str:
    """What the reporter added with the receipt code, and what the Office answered, in time order."""
    events = []
    for row, document in case_followups(desk, case, identities):
        text = [
            f"{local_time(row.received_at)}  {matching.verified_label(row.verified)}:",
            "    " + safe(document["message"]).replace("\n", "\n    "),
        ]
        for item in document.get("attachments", []):
            text.append(
                f"    tệp / file: {safe(item['name'], single_line=True)} ({item['size']} bytes)"
                f"{_content_warning(desk, item, '      ')}"
            )
        events.append((row.received_at, "\n".join(text)))
    for row in register.replies_of(desk.db, case.id):
        answer = report.parse(envelope.decrypt(desk.store.get(row.copy_key), identities), accept=(report.REPLY_ID,))
        label = report.status_labels()[answer["status"]]
        text = [f"{local_time(row.at)}  Văn phòng trả lời / the Office answered: {label['vi']} / {label['en']}"]
        for name in ("authority", "reason", "message"):
            if answer.get(name):
                text.append("    " + safe(answer[name]).replace("\n", "\n    "))
        events.append((row.at, "\n".join(text)))
    if not events:
        return ""
    return "Trao đổi qua mã tra cứu / follow-up by receipt code:\n" + "\n".join(t for _, t in sorted(events))


def _render_workflow(
    case: register.Case, settings, history: list[audit.Entry], notices: list[register.Notice] = ()
) -> str:
    """The case's place in the workflow, its track, notices, deadlines and history (from the audit trail)."""
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
    for notice in notices:
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
    for due in workflow.deadlines(case, settings, [n for n in notices if n.given_at is None]):
        left = due.days_left(today())
        state = (
            f"quá hạn {-left} ngày / {workflow.days(-left)} late"
            if left < 0
            else f"còn {left} ngày / {workflow.days(left)} left"
        )
        lines.append(f"Hạn / deadline: {due.label}: {vn_date(due.due_on)} ({state})")
        if due.statutory:
            lines.append(f"  căn cứ / basis: {due.basis}")
    lines.append(f"Tiếp theo / next: {workflow.next_step(case)}")
    changes = [e for e in history if e.action not in ("view", "view-full")]
    if changes:
        lines.append("Diễn biến / history:")
        for entry in changes:
            label = audit.ACTIONS.get(entry.action, (entry.action,))[0]
            what = entry.details.get("action") or ""
            lines.append(
                f"  {local_time(entry.at)}  {label} {what}  {safe(entry.who, single_line=True)}: "
                f"{safe(entry.reason, single_line=True)}"
            )
    return "\n".join(lines)


def _render_steps(case: register.Case, history: list[steps.Step], notices: list[register.Notice], settings) -> str:
    """Each step the case waited in, who held it and when; then its late steps, with whose they were.

    The same reckoning as the half-year report (``reports.lateness``), as of today: what the report
    will count against whom can be seen, and put right, on the case itself.
    """
    office = settings.report["compiled_by"]
    lines = ["Các bước / steps:"]
    for row in history:
        rule = settings.denunciation if row.step == steps.RESOLVE else settings.deadlines.get(row.step)
        label = rule.label if rule else workflow.bilingual(workflow.STATUSES, row.step)
        holder = safe(row.unit, single_line=True) if row.unit else f"{office} / the Office"
        until = vn_date(local_date(row.ended_at)) if row.ended_at else "nay / now"
        lines.append(f"  {vn_date(local_date(row.held_from))} – {until}  {label}  ({holder})")
    late = lateness.late_steps(case, history, notices, settings, today(), office)
    for item in sorted(late, key=lambda item: item.sort_key):
        state = f"xong ngày / done {vn_date(item.done_on)}" if item.done_on else "chưa xong / not done"
        lines.append(
            f"  TRỄ HẠN / LATE: {item.label} ({safe(item.owner, single_line=True)}): hạn / due {vn_date(item.due_on)}, "
            f"{state}, trễ {item.days_late} ngày / {workflow.days(item.days_late)} late"
        )
    return "\n".join(lines)


@click.command()
@click.argument("reference", metavar="ID")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Thư mục / folder")
@identity_option
@data_option
@click.option("--reason", default="", help="Lý do (ghi vào nhật ký) / why, for the audit trail")
@by_option
def extract(reference: str, out: Path, identity: Path | None, data: Path, reason: str, by: str | None) -> None:
    """Giải mã tệp đính kèm của một hồ sơ ra thư mục / Decrypt a case's attachments into a folder.

    Các tệp được ghi ra ở dạng không mã hóa: dùng thư mục trên ổ đĩa đã mã hóa và xóa tệp khi
    xong việc. Thư mục phải mới (hoặc trống); tệp có thể chạy mã lệnh khi mở (.hta, .bat, .html,
    .svg, .url...) được thêm đuôi .txt hoặc .bin.

    The files are written in clear: use a folder on an encrypted disk and
    delete them when done. The folder must be new (or empty); a file that
    could run code when opened (.hta, .bat, .html, .svg, .url...) gets .txt
    or .bin after its name.
    """
    desk = desk_at(data)
    case = find_case(desk, reference)
    identities = load_identities(identity, desk)
    document = report.parse(decrypt_case(desk, case, identities))
    try:
        extracted = extract_case(desk, case, document, identities, out, who=who(by), reason=reason)
    except ExportError as exc:
        raise fail(str(exc)) from None
    for item in extracted:
        click.echo(safe(str(item.path), single_line=True))
        if item.kind.active:
            click.echo(f"  CẢNH BÁO / WARNING: {item.kind.label}: {ACTIVE}", err=True)
        if item.mismatch:
            click.echo(f"  CẢNH BÁO / WARNING: {safe(item.mismatch, single_line=True)}", err=True)


ACTIVE = "mở tệp này có thể chạy mã lệnh; chỉ xem bằng trình soạn thảo / opening it may run code: view it as text"
