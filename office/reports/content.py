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
from ..workflow.settings import AMENDMENT_NOTE
from .half_year import DECISIONS, Figures, Listed, category_label, channel_label, status_label
from .lateness import Late


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
        self.late_table = ""  # the name of the list of late steps, once made

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
        reports, accepted = (sum(f.by_track[track].values()) for track in ("report", "denunciation"))
        self.say(
            f"Phân loại: {f.within} hồ sơ thuộc thẩm quyền của Ban, {f.outside} hồ sơ không thuộc thẩm quyền. "
            f"Theo diện xử lý: {reports} hồ sơ là phản ánh, kiến nghị, xử lý theo Kế hoạch của Ban; {accepted} hồ sơ "
            "là tố cáo đã có quyết định thụ lý. Tình trạng xử lý các hồ sơ tiếp nhận trong kỳ theo từng diện, tính "
            f"đến hết ngày {vn_date(f.as_of)} (Bảng {self.tables + 1}):"
        )
        self.by_track()
        self.say(
            f"Chuyển cơ quan có thẩm quyền: {len(f.forwarded)} hồ sơ được chuyển trong kỳ (Bảng {self.tables + 1})."
        )
        rows, note = self.listing(f.forwarded)
        self.table(
            "Hồ sơ chuyển cơ quan có thẩm quyền",
            ["STT", "Số hồ sơ", "Ngày nhận", "Loại nội dung", "Cơ quan nhận", "Ngày chuyển"],
            rows or [["", "Không có", "", "", "", ""]],
            [1.2, 2.5, 2.6, 3.0, 4.6, 2.6],
        )
        if note:
            self.say(note)
        self.say(
            f"Vụ việc phức tạp, kéo dài, có dấu hiệu đông người, vượt cấp: {f.flagged} hồ sơ; đã báo cáo Lãnh đạo "
            f"Ban: {f.flagged_informed} hồ sơ."
        )
        self.denunciations()
        self.late()

    def by_track(self) -> None:
        """The statuses of the period's cases, on each track: a phản ánh is never counted as accepted."""
        f = self.figures
        reports, accepted = f.by_track["report"], f.by_track["denunciation"]
        rows = [
            [str(n), status_label(code), str(reports[code]), str(accepted[code]), str(reports[code] + accepted[code])]
            for n, code in enumerate(f.by_status, start=1)
        ]
        rows.append(["", "Tổng cộng", str(sum(reports.values())), str(sum(accepted.values())), str(f.total)])
        self.table(
            "Hồ sơ tiếp nhận trong kỳ theo diện và tình trạng xử lý",
            ["STT", "Tình trạng", "Phản ánh, kiến nghị", "Tố cáo đã thụ lý", "Cộng"],
            rows,
            [1.2, 6.5, 3.2, 3.0, 2.6],
            total_row=True,
        )

    def denunciations(self) -> None:
        """The decisions the law distinguishes on a named denunciation, apart from the phản ánh track."""
        f = self.figures
        self.heading("d) Tố cáo", 3)
        self.say(
            f"Tố cáo được giải quyết theo {DENUNCIATION_LAW} khi có quyết định thụ lý; thời hạn giải quyết (Điều 30) "
            f"và việc thông báo cho người tố cáo, người bị tố cáo (Điều 29) tính từ ngày thụ lý. {LAW_NOTE} Việc giao "
            "phòng, đơn vị xử lý phản ánh, kiến nghị không phải là thụ lý tố cáo."
        )
        if not any(f.decisions.values()) and not (f.denunciations_concluded or f.denunciations_open):
            self.say("Trong kỳ, chưa ghi nhận quyết định thụ lý, không thụ lý hay chuyển tố cáo nào.")
            return
        self.say(f"Quyết định đối với tố cáo có danh tính người tố cáo, ban hành trong kỳ (Bảng {self.tables + 1}):")
        rows = [[str(n), DECISION_LABELS[code], str(f.decisions[code])] for n, code in enumerate(DECISIONS, start=1)]
        rows.append(["", "Tổng cộng", str(sum(f.decisions.values()))])
        self.table(
            "Quyết định đối với tố cáo", ["STT", "Quyết định", "Số tố cáo"], rows, [1.2, 11.0, 4.3], total_row=True
        )
        overdue = len({i.number for i in f.late if i.what == "resolve" and i.open})
        self.say(
            f"Tố cáo đã thụ lý: {f.denunciations_concluded} tố cáo đã kết thúc trong kỳ; {f.denunciations_open} tố "
            f"cáo đang giải quyết tại ngày {vn_date(f.as_of)}, trong đó {overdue} tố cáo quá thời hạn giải quyết."
        )

    def late(self) -> None:
        """Each late step with whoever owned it: the Office for its own steps, the unit for its handling."""
        f = self.figures
        self.heading("đ) Bước xử lý trễ hạn", 3)
        if not f.late:
            self.say(f"Tính đến ngày {vn_date(f.as_of)}, không có bước xử lý nào trễ hạn.")
            return
        done, lapsed = f.late_done, len(f.late) - f.late_done - f.late_open
        gone = ""
        if lapsed:  # notices to a named reporter, owed while the case was open, never given
            gone = f"; {lapsed} thông báo cho người phản ánh không được thực hiện trước khi hồ sơ kết thúc"
        self.say(
            f"Tính đến ngày {vn_date(f.as_of)}, {len(f.late)} bước xử lý của {f.late_cases} hồ sơ trễ hạn: {done} "
            f"bước đã hoàn thành sau hạn trong kỳ, {f.late_open} bước còn quá hạn{gone}. {OWNERS} Theo người chịu "
            f"trách nhiệm (Bảng {self.tables + 1}) và theo từng hồ sơ (Bảng {self.tables + 2}):"
        )
        by_owner = f.late_by_owner()
        rows = [
            [str(n), owner, label, str(done), str(still), str(done + still)]
            for n, (owner, label, done, still) in enumerate(by_owner, start=1)
        ]
        rows.append(["", "Tổng cộng", "", str(done), str(len(f.late) - done), str(len(f.late))])
        self.table(
            "Bước xử lý trễ hạn theo người chịu trách nhiệm",
            ["STT", "Người chịu trách nhiệm", "Bước xử lý", "Hoàn thành sau hạn", "Chưa hoàn thành", "Cộng"],
            rows,
            [1.2, 3.8, 5.3, 2.3, 2.1, 1.8],
            total_row=True,
        )
        rows = [
            [
                str(n),
                item.number,
                item.label,
                item.owner,
                vn_date(item.due_on),
                _done(item),
                str(item.days_late),
            ]
            for n, item in enumerate(f.late[: self.limit], start=1)
        ]
        self.late_table = self.table(
            "Hồ sơ trễ hạn",
            ["STT", "Số hồ sơ", "Bước xử lý", "Người chịu trách nhiệm", "Hạn", "Hoàn thành", "Trễ (ngày)"],
            rows,
            [1.2, 2.4, 3.7, 2.8, 2.4, 2.4, 1.6],
        )
        more = len(f.late) - self.limit
        if more > 0:
            self.say(f"Và {more} bước trễ hạn khác (xem bản CSV).")

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
            ["STT", "Đơn vị", "Người đứng đầu", "Được giao", "Đã kết thúc", "Đang xử lý", "Trễ hạn"],
            unit_rows,
            [1.2, 4.3, 3.5, 1.9, 1.9, 1.9, 1.8],
        )
        where = f" (chi tiết tại {self.late_table})" if self.late_table else ""
        self.say(
            "Cột Trễ hạn: số hồ sơ có bước xử lý trễ hạn do phòng, đơn vị chịu trách nhiệm" + where + f". {OWNERS}"
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

    def listing(self, items: list[Listed]) -> tuple[list[list[str]], str]:
        rows = [
            [str(n), i.number, vn_date(i.received), category_label(i.category), i.detail, vn_date(i.day)]
            for n, i in enumerate(items[: self.limit], start=1)
        ]
        more = len(items) - self.limit
        note = f"Và {more} hồ sơ khác (xem bản CSV)." if more > 0 else ""
        return rows, note


ACTIVITY_WIDTHS = [1.2, 2.4, 3.0, 5.4, 3.0, 1.5]

# Who owns which step (``lateness``), as the report says it beside each count of late steps.
OWNERS = (
    "Văn phòng Ban chịu trách nhiệm các bước phân loại, giao xử lý hoặc chuyển cơ quan có thẩm quyền, theo dõi hồ sơ "
    "đã chuyển và các thông báo; phòng, đơn vị được giao chịu trách nhiệm việc xử lý hồ sơ được giao."
)

# Every citation of the 2018 law carries the note to check the text as amended (settings.AMENDMENT_NOTE).
DENUNCIATION_LAW = "Luật Tố cáo năm 2018 (Luật số 25/2018/QH14)"
LAW_NOTE = f"Văn bản năm 2018: {AMENDMENT_NOTE}."

DECISION_LABELS = {
    "accepted": "Thụ lý tố cáo",
    "not-accepted": "Không thụ lý tố cáo",
    "transferred": "Chuyển tố cáo đến cơ quan có thẩm quyền giải quyết",
}

_NONE = {
    ("discipline",): "Trong kỳ, chưa ghi nhận trường hợp vi phạm nào bị xử lý.",
    ("commendation",): "Trong kỳ, chưa ghi nhận việc biểu dương, khen thưởng nào.",
}


def _none_of(kinds: tuple[str, ...]) -> str:
    return _NONE.get(kinds, "Trong kỳ, chưa ghi nhận hoạt động nào.")


def _done(item: Late) -> str:
    """When a late step was done; "Chưa" if it is still owed; "Không" if it lapsed (a notice to a reporter
    whose case was closed without it)."""
    if item.done_on is not None:
        return vn_date(item.done_on)
    return "Chưa" if item.open else "Không"


def _share(count: int, total: int) -> str:
    return f"{count * 100 / total:.1f}%".replace(".", ",") if total else "-"
