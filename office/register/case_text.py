"""A case in the words the Office reads, from its view (``case_view``): the blocks ``office show`` prints.

The window shows the same words: each function takes ``clean``, what makes a stranger's text safe
where it is shown (the terminal's ``safe_text.for_terminal`` by default, called with
``single_line=True`` for a value that must stay on its line).
"""

from __future__ import annotations

from collections.abc import Callable

from intake_function import report

from .. import workflow
from ..intake import matching
from ..layout import bare_reference
from ..operation import NEXT
from ..reports import lateness
from ..safe_text import for_terminal
from ..workflow.clock import local_date, local_time, vn_date
from ..workflow.history import describe
from . import protection_records, steps
from .case_view import FACTS, HIDDEN, CaseView, WaitingView

Clean = Callable[..., str]


def blocks(seen: CaseView, clean: Clean = for_terminal) -> list[str]:
    """The case as ``office show`` prints it: the report, the follow-up by receipt code, the workflow, the steps,
    and the measures protecting its reporter ("" when there are none, as the follow-up without one)."""
    return [
        report_text(seen, clean),
        exchanges_text(seen, clean),
        workflow_text(seen, clean),
        steps_text(seen, clean),
        measures_text(seen, clean),
    ]


def measures_text(seen: CaseView, clean: Clean = for_terminal) -> str:
    """The measures protecting the case's reporter, stage by stage (``office protection list``'s lines)."""
    if not seen.measures:
        return ""
    lines = protection_records.measure_lines(seen.measures, lambda text: clean(text, single_line=True))
    return "\n".join([protection_records.HEADING, *lines])


def _warned(seen: CaseView, item: dict, indent: str, clean: Clean) -> str:
    return "".join(f"\n{indent}CẢNH BÁO / WARNING: {clean(text, single_line=True)}" for text in seen.warnings_of(item))


def waiting_text(found: WaitingView, clean: Clean = for_terminal) -> str:
    """What a reporter added with a receipt code no case has: read to find the case it belongs to."""
    kept, document = found.followup, found.document
    lines = [
        f"Thông tin bổ sung / follow-up {kept.reference} (nhận lúc / received {local_time(kept.received_at)})",
        f"Chưa gắn vào hồ sơ nào / joined to no case: {matching.unverified_label(kept.unverified)}",
        "Nội dung / message:",
        "  " + clean(document["message"]).replace("\n", "\n  "),
    ]
    for item in document.get("attachments", []):
        lines.append(f"  tệp / file: {clean(item['name'], single_line=True)} ({item['size']} bytes)")
    lines.append(NEXT + found.next_step)
    return "\n".join(lines)


def report_text(seen: CaseView, clean: Clean = for_terminal) -> str:
    case, document = seen.case, seen.document

    def line(label: str, value: str | None) -> str:
        return f"{label}: {clean(value, single_line=True) if value else '-'}"

    lines = [
        f"Hồ sơ / case {case.number}  ({workflow.bilingual(workflow.CHANNELS, case.channel)}, "
        f"nhận lúc / received {local_time(case.received_at)})",
    ]
    if case.received_by:
        lines.append(line("Người tiếp nhận / received by", case.received_by))
    if case.source_ref:
        lines.append(line("Nguồn, số văn bản / reference", case.source_ref))
    lines.append(line("Loại / category", f"{report.category_label(document['category'])} ({document['category']})"))
    lines += [line(label, document.get(name)) for name, label in FACTS]
    lines += ["Nội dung / description:", "  " + clean(document["description"]).replace("\n", "\n  ")]
    if seen.has_identity:
        lines.append(f"Người phản ánh / reporter: {HIDDEN}")
    else:
        lines.append("Người phản ánh / reporter: ẩn danh / anonymous")
    if seen.attachments:
        lines.append("Tệp đính kèm / attachments:")
        for number, item in enumerate(seen.attachments, start=1):
            lines.append(
                f"  {number}. {clean(item['name'], single_line=True)} ({clean(item['type'], single_line=True)}, "
                f"{item['size']} bytes){_warned(seen, item, '     ', clean)}"
            )
    return "\n".join(lines)


def exchanges_text(seen: CaseView, clean: Clean = for_terminal) -> str:
    """What the reporter added with the receipt code, and what the Office answered, in time order."""
    events = []
    for event in seen.exchanges:
        if event.followup is not None:
            text = [
                f"{local_time(event.at)}  {matching.verified_label(event.followup.verified)}:",
                "    " + clean(event.document["message"]).replace("\n", "\n    "),
            ]
            for item in event.document.get("attachments", []):
                text.append(
                    f"    tệp / file: {clean(item['name'], single_line=True)} ({item['size']} bytes)"
                    f"{_warned(seen, item, '      ', clean)}"
                )
        else:
            label = report.status_labels()[event.document["status"]]
            text = [f"{local_time(event.at)}  Văn phòng trả lời / the Office answered: {label['vi']} / {label['en']}"]
            for name in ("authority", "reason", "message"):
                if event.document.get(name):
                    text.append("    " + clean(event.document[name]).replace("\n", "\n    "))
        events.append("\n".join(text))
    if not events:
        return ""
    return "Trao đổi qua mã tra cứu / follow-up by receipt code:\n" + "\n".join(events)


def workflow_text(seen: CaseView, clean: Clean = for_terminal) -> str:
    """The case's place in the workflow, its track, notices, deadlines and history (from the audit trail)."""
    case = seen.case
    lines = [f"Trạng thái / status: {workflow.bilingual(workflow.STATUSES, case.status)}"]
    if case.track == "denunciation":
        lines.append(
            f"Diện / track: {workflow.bilingual(workflow.TRACKS, case.track)}, ngày thụ lý / accepted on "
            f"{local_time(case.accepted_at)[:10]}, Quyết định số / decision "
            f"{clean(bare_reference(case.acceptance_ref), single_line=True)}"
        )
    else:
        lines.append(
            f"Diện / track: {workflow.bilingual(workflow.TRACKS, case.track)} (theo Kế hoạch của Ban, không có thời "
            "hạn của Luật Tố cáo / under the Board's plan, no statutory time limit)"
        )
    for notice in seen.notices:  # every notice, each its own record: given or owed, to whom, how, when
        state = (
            f"đã thông báo / given {local_time(notice.given_at)} ({clean(notice.how, single_line=True)})"
            if notice.given_at
            else "CHƯA thông báo / not yet given"
        )
        if not notice.legal:
            lines.append(f"Thông báo / notice: {workflow.notice_label(notice)}: {state}")
            continue
        ref = (
            f", số / ref. {clean(bare_reference(notice.decision_ref), single_line=True)}" if notice.decision_ref else ""
        )
        lines.append(
            f"Thông báo / notice: {workflow.notice_label(notice)} (quyết định / decided "
            f"{local_time(notice.decided_at)[:10]}{ref}): {state}"
        )
    if case.competence:
        lines.append(f"Thẩm quyền / competence: {workflow.bilingual(workflow.COMPETENCE, case.competence)}")
    if case.unit:
        head = f" (người đứng đầu / head: {clean(case.unit_head, single_line=True)})" if case.unit_head else ""
        lines.append(f"Đơn vị xử lý / unit: {clean(case.unit, single_line=True)}{head}")
    if case.forwarded_to:
        lines.append(f"Đã chuyển đến / forwarded to: {clean(case.forwarded_to, single_line=True)}")
    if case.outcome:
        lines.append(f"Kết quả, lý do / result or reason: {clean(case.outcome, single_line=True)}")
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
            label = describe(entry)[0]
            lines.append(
                f"  {local_time(entry.at)}  {label}  {clean(entry.who, single_line=True)}: "
                f"{clean(entry.reason, single_line=True)}"
            )
    return "\n".join(lines)


def steps_text(seen: CaseView, clean: Clean = for_terminal) -> str:
    """Each step the case waited in, who held it and when; then its late steps, with whose they were.

    The same reckoning as the half-year report (``reports.lateness``), as of today: what the report
    will count against whom can be seen, and put right, on the case itself.
    """
    lines = ["Các bước / steps:"]
    for row in seen.steps:
        holder = clean(row.unit, single_line=True) if row.unit else f"{seen.office} / the Office"
        if row.step == steps.RESOLVE:
            holder = lateness.RESOLVER  # a role, named as the law names it
        elif row.waits_on:
            holder = f"{clean(row.waits_on, single_line=True)} (cơ quan được chuyển / the authority)"
        until = vn_date(local_date(row.ended_at)) if row.ended_at else "nay / now"
        lines.append(f"  {vn_date(local_date(row.held_from))} – {until}  {seen.step_label(row)}  ({holder})")
    for item in seen.late:
        state = f"xong ngày / done {vn_date(item.done_on)}" if item.done_on else "chưa xong / not done"
        lines.append(
            f"  TRỄ HẠN / LATE: {item.label} ({clean(item.owner, single_line=True)}): "
            f"hạn / due {vn_date(item.due_on)}, {state}, "
            f"trễ {item.days_late} ngày / {workflow.days(item.days_late)} late"
        )
    return "\n".join(lines)
