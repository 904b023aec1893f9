"""The half-year report as Markdown (to read or paste) and as CSV (for a spreadsheet).

The Markdown copy renders the same blocks as the Word document (``content``),
so the two say the same thing. The CSV is written as UTF-8 with a byte-order
mark so that Excel on Windows shows the Vietnamese letters; each row is
``section, key, label, value, detail`` and, unlike the Word document, it
lists every forwarded and overdue case.
"""

from __future__ import annotations

import csv
import io

from ..workflow import plan
from .content import Block, Chart, Frame, Heading, Paragraph, Table
from .docx import PROVISIONAL, date_line
from .half_year import Figures, category_label, channel_label, status_label


def markdown(the: Frame, blocks: list[Block], chart_name: str) -> str:
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
    return "\n".join(out)


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
    out = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
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
    out.writerow(["summary", "closed_late", "Kết thúc trễ hạn", figures.closed_late, ""])
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
        ("status", figures.by_status, status_label),
    ):
        for code, count in counts.items():
            out.writerow([section, code, label(code), count, ""])
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
                f"quá hạn {counts.get('late', 0)}",
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
    for item in figures.overdue:
        out.writerow(["overdue", item.number, item.detail, item.day.isoformat(), item.days_late])
    for item in figures.protection:
        out.writerow(["protection", item.number, category_label(item.category), item.received.isoformat(), item.detail])
    return buffer.getvalue()
