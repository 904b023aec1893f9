"""What the half-year report says, as a list of blocks that the Word and Markdown writers lay out.

The report follows the plan (Kế hoạch, part II): one section per task, then the
difficulties and the tasks of the next period, which only the Office can write
and which stay a visible placeholder until it does. Where nothing was recorded
under a task the report says so in plain words; it never fills a gap with a
figure it does not have. A unit's own report (``office report --unit``) is the
same text about the unit's cases and activities, with the unit as its author.

Keeping the content apart from the layout means the Word document and the
Markdown copy cannot drift apart: both render these blocks.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..workflow import plan
from ..workflow.clock import vn_date
from .half_year import Figures, Listed, category_label, channel_label, status_label


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1: I., II.; 2: 1., 2.; 3: a), b)


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]
    widths_cm: list[float]
    total_row: bool = False  # the last row is a "Tổng cộng" row, in bold


@dataclass(frozen=True)
class Chart:
    caption: str


Block = Heading | Paragraph | Table | Chart


@dataclass(frozen=True)
class Frame:
    """Everything around the body: the header block, the title, the closing; from the settings."""

    superior_body: str
    issuing_body: str
    number: str
    place: str
    issued: date
    title: str
    subject: str
    author: str  # who reports ("Văn phòng Ban", or the unit), the subject of the opening sentence
    recipients: list[str]
    signature_lines: list[str]
    signer: str
    provisional: bool
    placeholder_by: str  # who fills the placeholders in: "Văn phòng Ban" or the unit


@dataclass
class Texts:
    """What the Office writes itself (--difficulties, --next-tasks): lines of text, or nothing yet."""

    difficulties: list[str] = field(default_factory=list)
    next_tasks: list[str] = field(default_factory=list)


def frame(figures: Figures, settings: dict[str, Any], units: dict[str, str], issued: date) -> Frame:
    """The header and closing of the Office's report, or of a unit's report to the Office."""
    subject = settings["subject"].format(period=figures.period.label)
    if figures.unit is None:
        return Frame(
            superior_body=settings["superior_body"],
            issuing_body=settings["issuing_body"],
            number=settings["number"],
            place=settings["place"],
            issued=issued,
            title=settings["title"],
            subject=subject,
            author=settings["compiled_by"],
            recipients=list(settings["recipients"]),
            signature_lines=[line for line in (settings["signature_authority"], settings["signature_title"]) if line],
            signer=settings["signer"],
            provisional=figures.provisional,
            placeholder_by=settings["compiled_by"],
        )
    return Frame(
        superior_body=settings["issuing_body"],
        issuing_body=figures.unit,
        number=settings["unit_number"],
        place=settings["place"],
        issued=issued,
        title=settings["title"],
        subject=subject,
        author=figures.unit,
        recipients=list(settings["unit_recipients"]),
        signature_lines=[settings["unit_signature_title"]],
        signer=units.get(figures.unit) or "[Họ và tên]",
        provisional=figures.provisional,
        placeholder_by="Đơn vị",
    )


def body(figures: Figures, settings: dict[str, Any], the: Frame, texts: Texts) -> list[Block]:
    """The report's body, from the opening sentence to the tasks of the next period."""
    builder = _Body(figures, int(settings["list_limit"]))
    p = figures.period
    builder.say(f"Thực hiện {settings['plan_reference']}, {the.author} báo cáo kết quả thực hiện {p.label} như sau:")
    if figures.provisional:
        builder.say(
            f"Kỳ báo cáo ({p.span}) chưa kết thúc: số liệu dưới đây tính đến ngày {vn_date(figures.as_of)}, "
            "là SỐ LIỆU TẠM TÍNH, sẽ thay đổi đến hết ngày chốt số liệu."
        )
    else:
        builder.say(
            f"Số liệu trong báo cáo tính từ ngày {vn_date(p.start)} đến hết ngày {vn_date(p.last_day)} "
            "(ngày chốt số liệu của kỳ báo cáo)."
        )
    builder.heading("I. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ CỦA KẾ HOẠCH", 1)
    builder.task_one()
    builder.task_two()
    builder.task_three()
    builder.task_four()
    builder.task_five()
    builder.heading("II. KHÓ KHĂN, VƯỚNG MẮC, KIẾN NGHỊ, ĐỀ XUẤT", 1)
    builder.written(texts.difficulties, f"[{the.placeholder_by} bổ sung khó khăn, vướng mắc, kiến nghị, đề xuất.]")
    builder.heading("III. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", 1)
    builder.written(texts.next_tasks, f"[{the.placeholder_by} bổ sung nhiệm vụ trọng tâm kỳ tới.]", last=True)
    return builder.blocks


class _Body:
    """Appends blocks in order and numbers the tables (Bảng 1, Bảng 2...) as it goes."""

    def __init__(self, figures: Figures, list_limit: int) -> None:
        self.figures = figures
        self.limit = list_limit
        self.blocks: list[Block] = []
        self.tables = 0

    # --- primitives ---------------------------------------------------------------------------

    def say(self, text: str) -> None:
        self.blocks.append(Paragraph(text))

    def heading(self, text: str, level: int) -> None:
        self.blocks.append(Heading(text, level))

    def table(self, title: str, header: list[str], rows: list[list[str]], widths: list[float], **kw: bool) -> str:
        """Add a numbered table; return its name ("Bảng 3") for the sentence that introduces it."""
        self.tables += 1
        name = f"Bảng {self.tables}"
        self.blocks.append(Table(f"{name}. {title}", header, rows, widths, **kw))
        return name

    def written(self, lines: list[str], placeholder: str, last: bool = False) -> None:
        lines = [line for line in lines if line.strip()] or [placeholder]
        for n, line in enumerate(lines):
            line = line.rstrip()
            if last and n == len(lines) - 1 and not line.endswith("./."):
                line += "/." if line.endswith(".") else "./."  # the end of the text (Nghị định 30/2020)
            self.say(line)

    # --- the activities recorded under a task ---------------------------------------------------

    def activities(self, task: int, title: str, kinds: tuple[str, ...] | None = None) -> list:
        """Say how many activities of a task were recorded, list them in a table, or say there were none."""
        items = [a for a in self.figures.activities_of(task) if kinds is None or a.kind in kinds]
        if not items:
            self.say(plan.TASKS[task].nothing if kinds is None else _none_of(kinds))
            return items
        kinds_count = Counter(a.kind for a in items)
        detail = "; ".join(f"{count} {plan.kind_label(kind).lower()}" for kind, count in kinds_count.items())
        people = sum(a.people or 0 for a in items)
        with_people = f", với {people} lượt người tham gia" if people else ""
        units = sorted({a.unit for a in items})
        where = f" tại {len(units)} phòng, đơn vị" if self.figures.unit is None and len(units) > 1 else ""
        name = f"Bảng {self.tables + 1}"
        self.say(f"Trong kỳ, đã thực hiện {len(items)} hoạt động{where}{with_people} ({detail}), chi tiết tại {name}:")
        rows = [
            [
                str(n),
                vn_date(a.held_on),
                plan.kind_label(a.kind),
                a.what,
                a.unit,
                "" if a.people is None else str(a.people),
            ]
            for n, a in enumerate(items, start=1)
        ]
        self.table(
            title, ["STT", "Ngày", "Hình thức", "Nội dung", "Đơn vị thực hiện", "Số người"], rows, ACTIVITY_WIDTHS
        )
        return items

    # --- the plan's five tasks ------------------------------------------------------------------

    def task_one(self) -> None:
        self.heading(f"1. {plan.TASKS[1].title}", 2)
        self.activities(1, "Hoạt động quán triệt, tuyên truyền")

    def task_two(self) -> None:
        f = self.figures
        self.heading(f"2. {plan.TASKS[2].title}", 2)
        self.heading("a) Công khai thông tin tiếp nhận", 3)
        self.activities(2, "Hoạt động công khai, cập nhật thông tin tiếp nhận")
        self.heading("b) Tiếp nhận phản ánh, tố giác", 3)
        received = "được giao xử lý" if f.unit else "tiếp nhận"
        self.say(
            f"Trong kỳ, {received} {f.total} phản ánh, tố giác, trong đó {f.anonymous} phản ánh ẩn danh và "
            f"{f.total - f.anonymous} phản ánh có thông tin người gửi; {f.carried_over} hồ sơ của kỳ trước chuyển sang."
        )
        first = self.tables + 1
        self.say(f"Số phản ánh, tố giác theo kênh tiếp nhận (Bảng {first}) và theo loại nội dung (Bảng {first + 1}):")
        self.counts("Số phản ánh, tố giác theo kênh tiếp nhận", "Kênh tiếp nhận", f.by_channel, channel_label)
        self.counts("Số phản ánh, tố giác theo loại nội dung", "Loại nội dung", f.by_category, category_label)
        self.say("Diễn biến theo tháng và theo loại nội dung (Hình 1):")
        self.blocks.append(Chart("Hình 1. Số phản ánh, tố giác theo tháng và theo loại nội dung"))
        self.heading("c) Phân loại, xử lý", 3)
        self.say(
            f"Phân loại: {f.within} hồ sơ thuộc thẩm quyền của Ban, {f.outside} hồ sơ không thuộc thẩm quyền. "
            f"Tình trạng xử lý các hồ sơ tiếp nhận trong kỳ, tính đến ngày lập báo cáo "
            f"{vn_date(f.made_on or f.as_of)} (Bảng {self.tables + 1}):"
        )
        self.counts("Hồ sơ tiếp nhận trong kỳ theo tình trạng xử lý", "Tình trạng", f.by_status, status_label)
        self.say(
            f"Chuyển cơ quan có thẩm quyền: {len(f.forwarded)} hồ sơ được chuyển trong kỳ (Bảng {self.tables + 1})."
        )
        rows, note = self.listing(f.forwarded, overdue=False)
        self.table(
            "Hồ sơ chuyển cơ quan có thẩm quyền",
            ["STT", "Số hồ sơ", "Ngày nhận", "Loại nội dung", "Cơ quan nhận", "Ngày chuyển"],
            rows or [["", "Không có", "", "", "", ""]],
            [1.2, 2.5, 2.6, 3.0, 4.6, 2.6],
        )
        if note:
            self.say(note)
        self.say(
            f"Hồ sơ quá hạn tính đến ngày {vn_date(f.as_of)}: {len(f.overdue)} hồ sơ (Bảng {self.tables + 1}); "
            f"số hồ sơ đã kết thúc nhưng trễ hạn trong kỳ: {f.closed_late}."
        )
        rows, note = self.listing(f.overdue, overdue=True)
        self.table(
            "Hồ sơ quá hạn",
            ["STT", "Số hồ sơ", "Ngày nhận", "Loại nội dung", "Bước xử lý", "Hạn", "Trễ (ngày)"],
            rows or [["", "Không có", "", "", "", "", ""]],
            [1.2, 2.3, 2.4, 2.8, 3.8, 2.4, 1.6],
        )
        if note:
            self.say(note)
        self.say(
            f"Vụ việc phức tạp, kéo dài, có dấu hiệu đông người, vượt cấp: {f.flagged} hồ sơ; đã báo cáo Lãnh đạo "
            f"Ban: {f.flagged_informed} hồ sơ."
        )

    def task_three(self) -> None:
        f = self.figures
        self.heading(f"3. {plan.TASKS[3].title}", 2)
        self.activities(3, "Tiếp công dân, đối thoại")
        self.say(f"Số phản ánh, tố giác nhận qua tiếp công dân trong kỳ: {f.by_channel.get('reception', 0)}.")

    def task_four(self) -> None:
        f = self.figures
        self.heading(f"4. {plan.TASKS[4].title}", 2)
        self.activities(4, "Hoạt động kiểm tra, rà soát, chấn chỉnh của người đứng đầu")
        unit_rows = [
            [
                str(n),
                name,
                f.unit_heads.get(name, ""),
                str(c.get("assigned", 0)),
                str(c.get("concluded", 0)),
                str(c.get("open", 0)),
                str(c.get("late", 0)),
            ]
            for n, (name, c) in enumerate(f.by_unit.items(), start=1)
        ] or [["", "Không có", "", "0", "0", "0", "0"]]
        self.say(f"Hồ sơ giao các phòng, đơn vị xử lý, theo người đứng đầu (Bảng {self.tables + 1}):")
        self.table(
            "Hồ sơ theo đơn vị xử lý",
            ["STT", "Đơn vị", "Người đứng đầu", "Được giao", "Đã kết thúc", "Đang xử lý", "Quá hạn"],
            unit_rows,
            [1.2, 4.3, 3.5, 1.9, 1.9, 1.9, 1.8],
        )
        if f.unit is None:
            self.units_summary()

    def units_summary(self) -> None:
        """The Office's summary adds up what each unit did, task by task."""
        by_unit = self.figures.activities_by_unit()
        if not by_unit:
            self.say("Trong kỳ, chưa phòng, đơn vị nào được ghi nhận hoạt động thực hiện Kế hoạch.")
            return
        self.say(f"Hoạt động thực hiện Kế hoạch của các phòng, đơn vị, theo nhiệm vụ (Bảng {self.tables + 1}):")
        rows = [
            [str(n), name, *(str(counts.get(task, 0)) for task in plan.TASKS), str(sum(counts.values()))]
            for n, (name, counts) in enumerate(by_unit.items(), start=1)
        ]
        totals = Counter()
        for counts in by_unit.values():
            totals.update(counts)
        rows.append(["", "Tổng cộng", *(str(totals.get(task, 0)) for task in plan.TASKS), str(sum(totals.values()))])
        self.table(
            "Hoạt động theo phòng, đơn vị và nhiệm vụ",
            ["STT", "Đơn vị", *(f"NV {task}" for task in plan.TASKS), "Cộng"],
            rows,
            [1.2, 5.8, 1.5, 1.5, 1.5, 1.5, 1.5, 2.0],
            total_row=True,
        )
        self.say("NV 1 đến NV 5: các nhiệm vụ 1 đến 5 tại mục II của Kế hoạch.")

    def task_five(self) -> None:
        f = self.figures
        self.heading(f"5. {plan.TASKS[5].title}", 2)
        self.heading("a) Bảo mật thông tin người phản ánh, tố giác", 3)
        self.say(
            f"Số vụ việc liên quan đến việc tiết lộ thông tin người phản ánh, tố giác trong kỳ: "
            f'{f.confidentiality_incidents} (gồm {f.disclosure_cases} phản ánh thuộc loại "Tiết lộ thông tin người '
            f'phản ánh, tố giác" và {f.incidents} sự cố do Văn phòng ghi nhận).'
        )
        self.heading("b) Phòng ngừa, xử lý hành vi trù dập người phản ánh, tố giác", 3)
        self.say(
            f'Số phản ánh, tố giác thuộc loại "Trù dập người phản ánh, tố giác" tiếp nhận trong kỳ: '
            f"{f.retaliation_cases}."
        )
        if f.protection:
            self.say(f"Các hồ sơ về trù dập, tiết lộ thông tin người phản ánh, tố giác (Bảng {self.tables + 1}):")
            rows = [
                [str(n), i.number, vn_date(i.received), category_label(i.category), status_label(i.status)]
                for n, i in enumerate(f.protection, start=1)
            ]
            self.table(
                "Hồ sơ về trù dập, tiết lộ thông tin người phản ánh, tố giác",
                ["STT", "Số hồ sơ", "Ngày nhận", "Loại nội dung", "Tình trạng"],
                rows,
                [1.2, 2.6, 2.6, 5.6, 4.5],
            )
        self.heading("c) Xử lý vi phạm", 3)
        self.activities(5, "Xử lý vi phạm", kinds=("discipline",))
        self.heading("d) Biểu dương, khen thưởng", 3)
        self.activities(5, "Biểu dương, khen thưởng", kinds=("commendation",))
        others = tuple(k for k in plan.KINDS if k not in ("discipline", "commendation"))
        if any(a.kind in others for a in f.activities_of(5)):
            self.heading("đ) Hoạt động khác", 3)
            self.activities(5, "Hoạt động khác về bảo mật thông tin và xử lý vi phạm", kinds=others)

    # --- tables of counts and of cases ------------------------------------------------------------

    def counts(self, title: str, what: str, counts: dict[str, int], label) -> None:
        total = sum(counts.values())
        rows = [
            [str(n), label(code), str(count), _share(count, total)]
            for n, (code, count) in enumerate(counts.items(), start=1)
        ]
        rows.append(["", "Tổng cộng", str(total), "100%" if total else "-"])
        self.table(title, ["STT", what, "Số hồ sơ", "Tỷ lệ"], rows, [1.2, 9.0, 2.8, 2.5], total_row=True)

    def listing(self, items: list[Listed], overdue: bool) -> tuple[list[list[str]], str]:
        rows = []
        for n, item in enumerate(items[: self.limit], start=1):
            row = [str(n), item.number, vn_date(item.received), category_label(item.category), item.detail]
            row.append(vn_date(item.day))
            rows.append([*row, str(item.days_late)] if overdue else row)
        more = len(items) - self.limit
        note = f"Và {more} hồ sơ khác (xem bản CSV hoặc lệnh office due)." if more > 0 else ""
        return rows, note


ACTIVITY_WIDTHS = [1.2, 2.4, 3.0, 5.4, 3.0, 1.5]

_NONE = {
    ("discipline",): "Trong kỳ, chưa ghi nhận trường hợp vi phạm nào bị xử lý.",
    ("commendation",): "Trong kỳ, chưa ghi nhận việc biểu dương, khen thưởng nào.",
}


def _none_of(kinds: tuple[str, ...]) -> str:
    return _NONE.get(kinds, "Trong kỳ, chưa ghi nhận hoạt động nào.")


def _share(count: int, total: int) -> str:
    return f"{count * 100 / total:.1f}%".replace(".", ",") if total else "-"
