"""The half-year report as Markdown (to read or paste) and as CSV (for a spreadsheet).

The Markdown copy renders the same blocks as the Word document (``content``),
so the two say the same thing. The CSV is written as UTF-8 with a byte-order
mark so that Excel on Windows shows the Vietnamese letters; each row is
``section, key, label, value, detail`` and, unlike the Word document, it
lists every forwarded case and every late step (``late``: the case, the step, the days late,
then its owner, deadline and completion).
"""

from __future__ import annotations

import io

from .. import workflow
from ..register import protection
from ..safe_text import csv_writer, for_document
from ..workflow import plan
from ..workflow.clock import vn_date
from .content import (
    ANONYMOUS,
    DECISION_LABELS,
    TRACK_LABELS,
    Annex,
    Block,
    Chart,
    Frame,
    Heading,
    Paragraph,
    Table,
    late_text,
)
from .docx import PROVISIONAL, date_line
from .half_year import DECISIONS, STANDINGS, Figures, category_label, channel_label, status_label


def markdown(the: Frame, blocks: list[Block], chart_name: str, annex: Annex | None = None) -> str:
    out = [
        f"{the.superior_body.upper()}  ",
        f"**{the.issuing_body.upper()}**  ",
        f"{the.number}",
        "",
        "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**  ",
        "**Độc lập - Tự do - Hạnh phúc**",
        "",
        f"*{date_line(the.place, the.issued)}*",
        "",
        f"# {the.title.upper()}",
        f"**{' '.join(the.subject.split())}**",
        "",
    ]
    if the.provisional:
        out += [f"> **{PROVISIONAL}**", ""]
    for block in blocks:
        if isinstance(block, Heading):
            out += [f"{'#' * (block.level + 1)} {block.text}", ""]
        elif isinstance(block, Paragraph):
            out += [block.text, ""]
        elif isinstance(block, Table):
            out += [f"*{block.caption}*", "", *_table(block), ""]
        elif isinstance(block, Chart):
            out += [f"![{block.caption}]({chart_name})", ""]
    out += [
        "**Nơi nhận:**",
        *[f"{line if line.startswith('-') else '- ' + line}  " for line in the.recipients],
        "",
        *[f"**{line.upper()}**  " for line in the.signature_lines],
        f"**{the.signer}**",
        "",
    ]
    if annex is not None:
        out += [f"## {annex.title}", "", *[f"**{line}**  " for line in annex.subtitle.split("\n")], ""]
        out += [*_table(Table("", annex.header, annex.rows, annex.widths_cm)), "", f"*{annex.note}*", ""]
    return for_document("\n".join(out))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(block: Table) -> list[str]:
    numeric = ["---:" if all(_is_number(row[i]) for row in block.rows) else "---" for i in range(len(block.header))]
    lines = [f"| {' | '.join(_cell(h) for h in block.header)} |", f"| {' | '.join(numeric)} |"]
    for n, row in enumerate(block.rows, start=1):
        cells = [_cell(c) for c in row]
        if block.total_row and n == len(block.rows):
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append(f"| {' | '.join(cells)} |")
    return lines


def _is_number(text: str) -> bool:
    return text == "" or text.replace(",", "").replace("%", "").isdigit() or text == "-"


# Excel with Vietnamese regional settings splits columns at ";" (its list separator; "," is the
# decimal one) and reads UTF-8 only after a byte-order mark, which ``office report`` writes.
CSV_DELIMITER = ";"


def csv_text(figures: Figures) -> str:
    buffer = io.StringIO()
    out = csv_writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    out.writerow(["section", "key", "label", "value", "detail"])
    p = figures.period
    out.writerow(["period", p.code, p.label, p.start.isoformat(), (p.last_day).isoformat()])
    out.writerow(["period", "cutoff", "Ngày chốt số liệu", p.last_day.isoformat(), ""])
    if figures.provisional:
        out.writerow(["period", "provisional", PROVISIONAL, figures.as_of.isoformat(), "kỳ báo cáo chưa kết thúc"])
    if figures.unit is not None:
        out.writerow(["period", "unit", "Đơn vị báo cáo", figures.unit, ""])
    out.writerow(["summary", "total", "Tổng số tiếp nhận", figures.total, ""])
    out.writerow(["summary", "anonymous", "Ẩn danh", figures.anonymous, ""])
    out.writerow(["summary", "carried_over", "Kỳ trước chuyển sang", figures.carried_over, ""])
    out.writerow(["summary", "within", "Thuộc thẩm quyền", figures.within, ""])
    out.writerow(["summary", "outside", "Không thuộc thẩm quyền", figures.outside, ""])
    for track, (label, _) in workflow.TRACKS.items():
        count = sum(figures.by_track[track].values())
        out.writerow(["summary", f"track_{track}", f"Tiếp nhận trong kỳ: {label}", count, ""])
    for code in DECISIONS:
        out.writerow(["denunciation", code, DECISION_LABELS[code], figures.decisions[code], "quyết định trong kỳ"])
    out.writerow(
        ["denunciation", "concluded", "Tố cáo đã thụ lý, kết thúc trong kỳ", figures.denunciations_concluded, ""]
    )
    out.writerow(["denunciation", "open", "Tố cáo đã thụ lý, đang giải quyết", figures.denunciations_open, ""])
    out.writerow(["summary", "late_steps", "Bước xử lý trễ hạn", len(figures.late), f"{figures.late_cases} hồ sơ"])
    out.writerow(["summary", "late_open", "Bước xử lý còn quá hạn", figures.late_open, figures.as_of.isoformat()])
    out.writerow(["summary", "flagged", "Vụ việc cần báo cáo Lãnh đạo Ban", figures.flagged, ""])
    out.writerow(["summary", "flagged_informed", "Đã báo cáo Lãnh đạo Ban", figures.flagged_informed, ""])
    out.writerow(
        [
            "summary",
            "confidentiality_incidents",
            "Sự cố bảo mật",
            figures.confidentiality_incidents,
            f"{figures.disclosure_cases} phản ánh + {figures.incidents} sự cố",
        ]
    )
    out.writerow(["summary", "retaliation", "Phản ánh về trù dập", figures.retaliation_cases, ""])
    for section, counts, label in (
        ("channel", figures.by_channel, channel_label),
        ("category", figures.by_category, category_label),
    ):
        for code, count in counts.items():
            out.writerow([section, code, label(code), count, ""])
    reports, accepted = figures.by_track["report"], figures.by_track["denunciation"]
    for code, count in figures.by_status.items():
        detail = f"phản ánh, kiến nghị {reports[code]}; tố cáo đã thụ lý {accepted[code]}"
        out.writerow(["status", code, status_label(code), count, detail])
    for (year, month), count in figures.per_month.items():
        out.writerow(["month", f"{year}-{month:02d}", f"{month:02d}/{year}", count, ""])
    for name, counts in figures.by_unit.items():
        out.writerow(
            [
                "unit",
                name,
                figures.unit_heads.get(name, ""),
                counts.get("assigned", 0),
                f"kết thúc {counts.get('concluded', 0)}; đang xử lý {counts.get('open', 0)}; "
                f"trễ hạn trong số được giao trong kỳ {counts.get('late_assigned', 0)}; "
                f"trễ hạn hồ sơ khác {counts.get('late_other', 0)}",
            ]
        )
    for task, item in plan.TASKS.items():
        done = figures.activities_of(task)
        people = sum(a.people or 0 for a in done)
        out.writerow(["task", task, item.title, len(done), f"{people} lượt người"])
    for a in figures.activities:
        detail = f"{a.unit}; {a.what}" + ("" if a.people is None else f"; {a.people} người")
        out.writerow(["activity", a.id, f"NV {a.task}: {plan.kind_label(a.kind)}", a.held_on.isoformat(), detail])
    for item in figures.forwarded:
        out.writerow(["forwarded", item.number, category_label(item.category), item.day.isoformat(), item.detail])
    for owner, label, done, still in figures.late_by_owner():
        out.writerow(["late_owner", owner, label, done + still, f"hoàn thành sau hạn {done}; chưa hoàn thành {still}"])
    for item in figures.late:
        if item.done_on:
            done = f"hoàn thành {item.done_on.isoformat()}"
        else:
            done = "chưa hoàn thành" if item.open else f"không thực hiện, hồ sơ kết thúc {item.ended_on.isoformat()}"
        detail = f"{item.owner}; hạn {item.due_on.isoformat()}; {done}"
        out.writerow(["late", item.number, item.label, item.days_late, detail])
    for item in figures.protection:
        out.writerow(["protection", item.number, category_label(item.category), item.received.isoformat(), item.detail])
    for item in figures.incident_rows:
        found = "; phát hiện sau khi báo cáo kỳ trước đã lập" if item.late_found else ""
        detail = f"xảy ra {item.occurred.isoformat()}; ghi nhận {item.recorded.isoformat()}{found}"
        out.writerow(["incident", item.case_number or "", "Sự cố bảo mật", item.occurred.isoformat(), detail])
    for item in figures.measures:
        stages = "; ".join(f"{e.stage} {e.on.isoformat()} ({e.by})" for e in item.events)
        out.writerow(["measure", item.case_number, protection.KINDS[item.kind][0], item.stage, stages])
    for name in figures.units_expected:
        received = figures.unit_reports.get(name)
        out.writerow(["unit_report", name, "Báo cáo của phòng, đơn vị", received.isoformat() if received else "", ""])
    return buffer.getvalue()


# The annex as a spreadsheet: one row per case, with every column a figure of the report is counted from.
ANNEX_COLUMNS = (
    "Số hồ sơ",
    "Ngày nhận",
    "Trong kỳ",
    "Kênh tiếp nhận",
    "Người gửi",
    "Loại nội dung",
    "Thẩm quyền",
    "Diện",
    "Tình trạng tại ngày chốt",
    "Đơn vị xử lý",
    "Người đứng đầu",
    "Chuyển đến",
    "Ngày chuyển",
    "Quyết định về tố cáo trong kỳ",
    "Ngày thụ lý",
    "Ngày kết thúc",
    "Cần báo cáo Lãnh đạo Ban",
    "Đã báo cáo Lãnh đạo Ban",
    "Bước xử lý trễ hạn",
)


def annex_csv(figures: Figures) -> str:
    """The cases behind the figures (``Figures.cases``), for Excel: ";"-separated, dates as dd/mm/yyyy.

    A unit's annex leaves out the channel and whether the sender is named (content review M7).
    """
    office = figures.unit is None
    columns = [c for c in ANNEX_COLUMNS if office or c not in ("Kênh tiếp nhận", "Người gửi")]
    buffer = io.StringIO()
    out = csv_writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    out.writerow(columns)

    def day(value) -> str:
        return vn_date(value) if value else ""

    for row in figures.cases:
        values = {
            "Số hồ sơ": row.number,
            "Ngày nhận": day(row.received),
            "Trong kỳ": STANDINGS[row.standing],
            "Kênh tiếp nhận": channel_label(row.channel),
            "Người gửi": ANONYMOUS[row.anonymous],
            "Loại nội dung": category_label(row.category),
            "Thẩm quyền": workflow.COMPETENCE.get(row.competence or "", ("",))[0],
            "Diện": TRACK_LABELS[row.track],
            "Tình trạng tại ngày chốt": status_label(row.status),
            "Đơn vị xử lý": row.unit or "",
            "Người đứng đầu": row.unit_head or "",
            "Chuyển đến": row.forwarded_to or "",
            "Ngày chuyển": day(row.forwarded_on),
            "Quyết định về tố cáo trong kỳ": "; ".join(DECISION_LABELS[d] for d in row.decisions),
            "Ngày thụ lý": day(row.accepted_on),
            "Ngày kết thúc": day(row.closed_on),
            "Cần báo cáo Lãnh đạo Ban": "Có" if row.flags else "",
            "Đã báo cáo Lãnh đạo Ban": "Có" if row.flags and row.leaders_informed else "",
            "Bước xử lý trễ hạn": " | ".join(late_text(item) for item in row.late),
        }
        out.writerow([values[c] for c in columns])
    return buffer.getvalue()
