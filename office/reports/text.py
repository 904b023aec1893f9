"""The half-year report as Markdown (to read or paste) and as CSV (for a spreadsheet).

The CSV is written as UTF-8 with a byte-order mark so that Excel on Windows
shows the Vietnamese letters; each row is ``section, key, label, value, detail``
and, unlike the Word document, it lists every forwarded and overdue case.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from ..workflow.clock import vn_date
from .docx import date_line
from .half_year import Figures, category_label, channel_label, status_label


def markdown(figures: Figures, settings: dict[str, Any], issued: date, chart_name: str) -> str:
    p = figures.period
    out = [
        f"{settings['superior_body'].upper()}  ",
        f"**{settings['issuing_body'].upper()}**  ",
        f"{settings['number']}",
        "",
        "**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**  ",
        "**Độc lập - Tự do - Hạnh phúc**",
        "",
        f"*{date_line(settings['place'], issued)}*",
        "",
        f"# {settings['title'].upper()}",
        f"**{settings['subject'].format(period=p.label)}**",
        "",
        f"Thực hiện {settings['plan_reference']}, báo cáo kết quả tiếp nhận, xử lý phản ánh, tố giác về tham "
        f"nhũng, lãng phí, tiêu cực {p.label} ({p.span}) như sau:",
        "",
        "## I. TÌNH HÌNH TIẾP NHẬN",
        "",
        f"Trong kỳ, đã tiếp nhận {figures.total} phản ánh, tố giác ({figures.anonymous} ẩn danh); "
        f"{figures.carried_over} hồ sơ của kỳ trước chuyển sang.",
        "",
        *_count_table("Kênh tiếp nhận", figures.by_channel, channel_label),
        *_count_table("Loại nội dung", figures.by_category, category_label),
        f"![Hình 1. Số phản ánh, tố giác theo tháng và theo loại nội dung]({chart_name})",
        "",
        "## II. KẾT QUẢ PHÂN LOẠI, XỬ LÝ",
        "",
        f"Thuộc thẩm quyền: {figures.within}; không thuộc thẩm quyền: {figures.outside}.",
        "",
        *_count_table("Tình trạng", figures.by_status, status_label),
        "| Đơn vị | Người đứng đầu | Được giao | Đã kết thúc | Đang xử lý | Quá hạn |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
        *[
            f"| {_cell(name)} | {_cell(figures.unit_heads.get(name, ''))} | {c.get('assigned', 0)} | "
            f"{c.get('concluded', 0)} | {c.get('open', 0)} | {c.get('late', 0)} |"
            for name, c in figures.by_unit.items()
        ],
        "",
        f"Chuyển cơ quan có thẩm quyền: {len(figures.forwarded)} hồ sơ.",
        "",
        "| Số hồ sơ | Ngày nhận | Loại nội dung | Cơ quan nhận | Ngày chuyển |",
        "| --- | --- | --- | --- | --- |",
        *[
            f"| {i.number} | {vn_date(i.received)} | {category_label(i.category)} | {_cell(i.detail)} | "
            f"{vn_date(i.day)} |"
            for i in figures.forwarded[: int(settings["list_limit"])]
        ],
        "",
        f"Hồ sơ quá hạn tính đến ngày {vn_date(figures.as_of)}: {len(figures.overdue)}; đã kết thúc nhưng trễ "
        f"hạn trong kỳ: {figures.closed_late}.",
        "",
        "| Số hồ sơ | Ngày nhận | Loại nội dung | Bước xử lý | Hạn | Số ngày trễ |",
        "| --- | --- | --- | --- | --- | ---: |",
        *[
            f"| {i.number} | {vn_date(i.received)} | {category_label(i.category)} | {_cell(i.detail)} | "
            f"{vn_date(i.day)} | {i.days_late} |"
            for i in figures.overdue[: int(settings["list_limit"])]
        ],
        "",
        f"Vụ việc phức tạp, kéo dài, đông người, vượt cấp: {figures.flagged}; đã báo cáo Lãnh đạo Ban: "
        f"{figures.flagged_informed}.",
        "",
        "## III. CÔNG TÁC BẢO MẬT THÔNG TIN NGƯỜI PHẢN ÁNH, TỐ GIÁC",
        "",
        f"Số vụ việc liên quan đến việc tiết lộ thông tin người phản ánh, tố giác: "
        f'{figures.confidentiality_incidents} ({figures.disclosure_cases} phản ánh loại "Tiết lộ thông tin", '
        f"{figures.incidents} sự cố được ghi nhận).",
        "",
        "## IV. ĐÁNH GIÁ, KIẾN NGHỊ",
        "",
        "[Văn phòng bổ sung nhận xét, đánh giá và kiến nghị, đề xuất.]./.",
        "",
        "**Nơi nhận:**",
        *[f"{line if line.startswith('-') else '- ' + line}  " for line in settings["recipients"]],
        "",
        *[f"**{line.upper()}**  " for line in (settings["signature_authority"], settings["signature_title"]) if line],
        f"**{settings['signer']}**",
        "",
    ]
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _count_table(what: str, counts: dict[str, int], label) -> list[str]:
    total = sum(counts.values())
    return [
        f"| {what} | Số hồ sơ |",
        "| --- | ---: |",
        *[f"| {label(code)} | {count} |" for code, count in counts.items()],
        f"| **Tổng cộng** | **{total}** |",
        "",
    ]


# Excel with Vietnamese regional settings splits columns at ";" (its list separator; "," is the
# decimal one) and reads UTF-8 only after a byte-order mark, which ``office report`` writes.
CSV_DELIMITER = ";"


def csv_text(figures: Figures) -> str:
    buffer = io.StringIO()
    out = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    out.writerow(["section", "key", "label", "value", "detail"])
    p = figures.period
    out.writerow(["period", p.code, p.label, p.start.isoformat(), (p.last_day).isoformat()])
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
    for item in figures.forwarded:
        out.writerow(["forwarded", item.number, category_label(item.category), item.day.isoformat(), item.detail])
    for item in figures.overdue:
        out.writerow(["overdue", item.number, item.detail, item.day.isoformat(), item.days_late])
    return buffer.getvalue()
