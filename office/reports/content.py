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

from ..register import protection
from ..workflow import law, plan
from ..workflow.clock import vn_date
from .half_year import DECISIONS, STANDINGS, Figures, Listed, category_label, channel_label, status_label
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
class Annex:
    """The list of the cases behind the report's figures, after the signature (Phụ lục), set landscape."""

    title: str
    subtitle: str
    header: list[str]
    rows: list[list[str]]
    widths_cm: list[float]
    note: str


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
    builder.heading("II. ĐÁNH GIÁ CHUNG", 1)
    builder.assessment(the)
    builder.heading("III. KHÓ KHĂN, VƯỚNG MẮC, KIẾN NGHỊ, ĐỀ XUẤT", 1)
    builder.written(texts.difficulties, f"[{the.placeholder_by} bổ sung khó khăn, vướng mắc, kiến nghị, đề xuất.]")
    builder.heading("IV. NHIỆM VỤ TRỌNG TÂM KỲ TỚI", 1)
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
            nothing = plan.TASKS[task].nothing
            if self.figures.unit is not None and plan.TASKS[task].nothing_in_unit:
                nothing = plan.TASKS[task].nothing_in_unit
            self.say(nothing if kinds is None else _none_of(kinds))
            return items
        kinds_count = Counter(a.kind for a in items)
        detail = "; ".join(f"{count} {plan.kind_label(kind).lower()}" for kind, count in kinds_count.items())
        people = sum(a.people or 0 for a in items)
        # Those commended or disciplined are not "participants" (content review L14).
        counted = "người được biểu dương, khen thưởng" if kinds == ("commendation",) else "lượt người tham gia"
        counted = "người bị xử lý" if kinds == ("discipline",) else counted
        with_people = f", với {people} {counted}" if people else ""
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
        split = f", trong đó {f.anonymous} phản ánh ẩn danh và {f.total - f.anonymous} phản ánh có thông tin người gửi"
        if f.small((f.anonymous, f.total - f.anonymous)):
            split = ""
        self.say(
            f"Trong kỳ, {received} {f.total} phản ánh, tố giác{split}; {f.carried_over} hồ sơ của kỳ trước chuyển sang."
        )
        withheld = [
            name
            for name, counts in (
                ("có thông tin người gửi hay ẩn danh", (f.anonymous, f.total - f.anonymous)),
                ("kênh tiếp nhận", f.by_channel.values()),
                ("tháng", f.per_month.values()),
            )
            if f.small(counts)
        ]
        if withheld:
            self.say(
                f"Số hồ sơ theo {', theo '.join(withheld)} không nêu trong báo cáo của đơn vị vì có nhóm chỉ gồm 1 "
                "hoặc 2 hồ sơ, có thể giúp nhận biết người phản ánh, tố giác (Kế hoạch, nhiệm vụ 5: bảo đảm bí mật "
                "thông tin trong quá trình báo cáo); Văn phòng Ban tổng hợp các số liệu này trong báo cáo chung."
            )
        if "kênh tiếp nhận" in withheld:
            self.say(f"Số phản ánh, tố giác theo loại nội dung (Bảng {self.tables + 1}):")
        else:
            first = self.tables + 1
            self.say(
                f"Số phản ánh, tố giác theo kênh tiếp nhận (Bảng {first}) và theo loại nội dung (Bảng {first + 1}):"
            )
            self.counts("Số phản ánh, tố giác theo kênh tiếp nhận", "Kênh tiếp nhận", f.by_channel, channel_label)
        self.counts("Số phản ánh, tố giác theo loại nội dung", "Loại nội dung", f.by_category, category_label)
        if "tháng" not in withheld:
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
            f"Vụ việc phức tạp, kéo dài, có dấu hiệu đông người, vượt cấp, hoặc về trù dập người phản ánh, tố giác: "
            f"{f.flagged} hồ sơ; đã báo cáo Lãnh đạo Ban: {f.flagged_informed} hồ sơ."
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
            f"Tố cáo được giải quyết theo {law.DENUNCIATION_LAW} khi có quyết định thụ lý; thời hạn giải quyết tố cáo "
            "và việc thông báo cho người tố cáo, người bị tố cáo tính từ ngày thụ lý. Việc giao phòng, đơn vị xử lý "
            "phản ánh, kiến nghị không phải là thụ lý tố cáo."
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
                f.unit_heads.get(name) or "[Họ và tên]",
                str(c.get("assigned", 0)),
                str(c.get("concluded", 0)),
                str(c.get("open", 0)),
                str(c.get("late_assigned", 0)),
                str(c.get("late_other", 0)),
            ]
            for n, (name, c) in enumerate(f.by_unit.items(), start=1)
        ] or [["", "Không có", "", "0", "0", "0", "0", "0"]]
        self.say(f"Hồ sơ giao các phòng, đơn vị xử lý, theo người đứng đầu (Bảng {self.tables + 1}):")
        self.table(
            "Hồ sơ theo đơn vị xử lý",
            [
                "STT",
                "Đơn vị",
                "Người đứng đầu",
                "Được giao trong kỳ",
                "Đã kết thúc",
                "Đang xử lý",
                "Trễ hạn: trong số được giao trong kỳ",
                "Trễ hạn: hồ sơ khác",
            ],
            unit_rows,
            [1.1, 3.6, 3.0, 1.7, 1.6, 1.6, 2.0, 1.9],
        )
        where = f" (chi tiết tại {self.late_table})" if self.late_table else ""
        self.say(
            "Hai cột Trễ hạn: số hồ sơ có bước xử lý trễ hạn do phòng, đơn vị chịu trách nhiệm" + where + ", tách "
            "thành hồ sơ được giao trong kỳ và hồ sơ khác (giao từ kỳ trước, hoặc bước của Văn phòng Ban trên hồ sơ do "
            f"đơn vị khác xử lý). {OWNERS}"
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
        late_found = [i for i in f.incident_rows if i.late_found]
        self.say(
            f"Số vụ việc liên quan đến việc tiết lộ thông tin người phản ánh, tố giác trong kỳ: "
            f'{f.confidentiality_incidents} (gồm {f.disclosure_cases} phản ánh thuộc loại "Tiết lộ thông tin người '
            f'phản ánh, tố giác" và {f.incidents} sự cố do Văn phòng Ban ghi nhận'
            + (
                f", trong đó {len(late_found)} sự cố xảy ra trong kỳ trước nhưng được phát hiện sau khi báo cáo kỳ "
                "trước đã lập)."
                if late_found
                else ")."
            )
        )
        if f.incident_rows and not f.small([f.incidents]):
            self.say(f"Các sự cố, với ngày xảy ra và ngày ghi nhận (Bảng {self.tables + 1}):")
            rows = [
                [str(n), vn_date(i.occurred), vn_date(i.recorded), i.case_number or "", _incident_note(i)]
                for n, i in enumerate(f.incident_rows, start=1)
            ]
            self.table(
                "Sự cố bảo mật thông tin người phản ánh, tố giác",
                ["STT", "Ngày xảy ra", "Ngày ghi nhận", "Hồ sơ liên quan", "Ghi chú"],
                rows,
                [1.2, 2.8, 2.8, 3.0, 6.7],
            )
        self.heading("b) Phòng ngừa, xử lý hành vi trù dập người phản ánh, tố giác", 3)
        self.say(
            f'Số phản ánh, tố giác thuộc loại "Trù dập người phản ánh, tố giác" tiếp nhận trong kỳ: '
            f"{f.retaliation_cases}."
        )
        if f.protection and f.unit is None:
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
        if f.unit is None:
            self.measures()
        self.heading("c) Xử lý vi phạm", 3)
        self.activities(5, "Xử lý vi phạm", kinds=("discipline",))
        self.heading("d) Biểu dương, khen thưởng", 3)
        self.activities(5, "Biểu dương, khen thưởng", kinds=("commendation",))
        others = tuple(k for k in plan.KINDS if k not in ("discipline", "commendation"))
        if any(a.kind in others for a in f.activities_of(5)):
            self.heading("đ) Hoạt động khác", 3)
            self.activities(5, "Hoạt động khác về bảo mật thông tin và xử lý vi phạm", kinds=others)

    # --- the plan's expected results (III) and the units' reports (IV.3) --------------------------

    def assessment(self, the: Frame) -> None:
        """Each expected result of the plan's section III against the period's figures, and the units' reports."""
        f = self.figures
        if f.unit is None:
            self.units_reports()
        rows = [[str(n), result, *_assessed(f, n, the)] for n, result in enumerate(plan.RESULTS, start=1)]
        widths = [1.2, 5.6, 5.6, 4.1]
        met = sum(row[3] == MET for row in rows)
        unmet = sum(row[3].startswith(UNMET) for row in rows)
        self.say(
            f"Đối chiếu với kết quả cần đạt của Kế hoạch (mục III), theo số liệu của kỳ: {met} kết quả đạt, {unmet} "
            f"kết quả chưa đạt, {len(rows) - met - unmet} kết quả do {the.placeholder_by} đánh giá "
            f"(Bảng {self.tables + 1}):"
        )
        self.table(
            "Đánh giá kết quả thực hiện so với kết quả cần đạt của Kế hoạch",
            ["STT", "Kết quả cần đạt (Kế hoạch, mục III)", "Số liệu trong kỳ", "Đánh giá"],
            rows,
            widths,
        )

    def units_reports(self) -> None:
        """Which units sent the Office their own report for the period, and when (IV.3)."""
        f = self.figures
        deadline = f" trước ngày {vn_date(f.period.deadline)}" if f.period.deadline else ""
        if not f.units_expected:
            self.say(f"Báo cáo của các phòng, đơn vị (Kế hoạch, mục IV.3){deadline}: [Văn phòng Ban bổ sung].")
            return
        sent = [u for u in f.units_expected if u in f.unit_reports]
        missing = [u for u in f.units_expected if u not in f.unit_reports]
        listed = "; ".join(f"{u} (ngày {vn_date(f.unit_reports[u])})" for u in sent)
        text = f"Báo cáo của các phòng, đơn vị (Kế hoạch, mục IV.3){deadline}: Văn phòng Ban đã nhận {len(sent)}/"
        text += f"{len(f.units_expected)} báo cáo" + (f": {listed}" if sent else "")
        text += f"; chưa nhận: {'; '.join(missing)}." if missing else "."
        self.say(text)

    def measures(self) -> None:
        """The protection measures: requested, decided, applied, by whom and when (task 5)."""
        f = self.figures
        if not f.measures:
            self.say("Trong kỳ, chưa ghi nhận đề nghị hay quyết định áp dụng biện pháp bảo vệ người phản ánh, tố giác.")
            return
        applied = sum(any(e.stage == "applied" for e in m.events) for m in f.measures)
        self.say(
            f"Biện pháp bảo vệ người phản ánh, tố giác: {len(f.measures)} biện pháp được đề nghị hoặc quyết định, "
            f"trong đó {applied} biện pháp đã được áp dụng (Bảng {self.tables + 1}):"
        )
        rows = []
        for n, m in enumerate(f.measures, start=1):
            stages = "; ".join(f"{protection.STAGES[e.stage][0]} {vn_date(e.on)} ({e.by})" for e in m.events)
            rows.append([str(n), m.case_number, protection.KINDS[m.kind][0], stages, protection.STAGES[m.stage][0]])
        self.table(
            "Biện pháp bảo vệ người phản ánh, tố giác",
            ["STT", "Số hồ sơ", "Biện pháp", "Đề nghị, quyết định, áp dụng (ngày, người thực hiện)", "Tình trạng"],
            rows,
            [1.1, 2.4, 4.0, 6.6, 2.4],
        )

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
    "đã chuyển và các thông báo; phòng, đơn vị được giao chịu trách nhiệm việc xử lý hồ sơ được giao; người giải quyết "
    "tố cáo chịu trách nhiệm thời hạn giải quyết tố cáo đã thụ lý. Thời gian chờ kết quả của cơ quan được chuyển hồ sơ "
    "không tính là trễ hạn của Văn phòng Ban."
)

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


def annex(figures: Figures, the: Frame) -> Annex:
    """The annex: every case a figure counts, as it stood at the cut-off (a unit's: without channel or sender).

    Its CSV twin (``text.annex_csv``) has the same cases with every column a figure is counted from.
    """
    office = figures.unit is None
    header = ["STT", "Số hồ sơ", "Ngày nhận", "Trong kỳ"]
    header += ["Kênh tiếp nhận", "Người gửi"] if office else []
    header += ["Loại nội dung", "Diện", "Tình trạng tại ngày chốt", "Đơn vị xử lý", "Bước xử lý trễ hạn"]
    rows = []
    for n, row in enumerate(figures.cases, start=1):
        cells = [str(n), row.number, vn_date(row.received), STANDINGS[row.standing]]
        if office:
            cells += [channel_label(row.channel), ANONYMOUS[row.anonymous]]
        cells += [
            category_label(row.category),
            TRACK_LABELS[row.track],
            status_label(row.status),
            row.unit or "",
            "; ".join(late_text(item, short=True) for item in row.late),
        ]
        rows.append(cells)
    # The landscape text is 25.2 cm wide (297 mm less the 30 and 15 mm margins); the late steps get the most.
    widths = [1.0, 2.0, 2.1, 2.2, 2.0, 1.6, 2.4, 1.9, 2.0, 2.3, 5.7]
    widths = widths if office else [1.0, 2.1, 2.1, 2.4, 2.6, 2.2, 2.4, 2.8, 7.6]
    return Annex(
        title="PHỤ LỤC",
        subtitle=(
            f"DANH SÁCH HỒ SƠ TÍNH TRONG BÁO CÁO {figures.period.label.upper()}\n(Kèm theo {the.title.capitalize()} "
            f"số {the.number.removeprefix('Số:').strip()} của {the.author})"
        ),
        header=header,
        rows=rows or [["", "Không có", *[""] * (len(header) - 2)]],
        widths_cm=widths,
        note=(
            f"Tình trạng, diện xử lý tính đến hết ngày {vn_date(figures.as_of)}. Mỗi số liệu về hồ sơ trong báo cáo "
            "được đếm từ các hồ sơ trong danh sách này; bản CSV kèm theo có đủ các cột."
        ),
    )


def late_text(item: Late, short: bool = False) -> str:
    """One late step as the annex lists it: the step, its owner, its deadline and when (or whether) it was done;
    ``short``: the days as dd/mm, for the annex's table."""

    def day(value) -> str:
        return value.strftime("%d/%m") if short else vn_date(value)

    if item.done_on is not None:
        done = f"xong {day(item.done_on)}" if short else f"hoàn thành {day(item.done_on)}"
    else:
        done = ("chưa xong" if short else "chưa hoàn thành") if item.open else "không thực hiện trước khi kết thúc"
    return f"{item.label} ({item.owner}): hạn {day(item.due_on)}, {done}"


ANONYMOUS = {True: "Ẩn danh", False: "Có thông tin"}
TRACK_LABELS = {"report": "Phản ánh, kiến nghị", "denunciation": "Tố cáo đã thụ lý"}


MET = "Đạt"
UNMET = "Chưa đạt"


def _assessed(f: Figures, result: int, the: Frame) -> tuple[str, str]:
    """(the period's figures, the assessment) for the plan's expected result number ``result`` (III)."""
    judge = f"[{the.placeholder_by} đánh giá]"
    if result == 1:
        done = f.activities_of(1)
        people = sum(a.people or 0 for a in done)
        evidence = f"{len(done)} hoạt động quán triệt, tuyên truyền; {people} lượt người tham gia"
        if not done:
            return evidence, f"{UNMET}: chưa ghi nhận hoạt động quán triệt nào"
        return evidence, f"{judge}: đối chiếu số lượt người với tổng số công chức, viên chức, người lao động"
    if result == 2:
        published = len(f.activities_of(2))
        evidence = (
            f"{published} hoạt động công khai, cập nhật kênh tiếp nhận; {f.total} hồ sơ tiếp nhận; {len(f.late)} "
            f"bước xử lý trễ hạn ({f.late_open} còn quá hạn tại ngày chốt)"
        )
        if f.late:
            return evidence, f"{UNMET}: {len(f.late)} bước xử lý trễ hạn"
        return evidence, MET
    if result == 3:
        inspections = len(f.activities_of(4))
        by_units = len({i.number for i in f.late if i.owner_kind == "unit"})
        evidence = (
            f"{inspections} hoạt động kiểm tra, rà soát, chấn chỉnh của người đứng đầu; {by_units} hồ sơ có bước xử "
            "lý trễ hạn do phòng, đơn vị chịu trách nhiệm"
        )
        if by_units:
            return evidence, f"{UNMET}: {by_units} hồ sơ trễ hạn tại phòng, đơn vị"
        return evidence, MET if inspections else f"{judge}: chưa ghi nhận hoạt động kiểm tra nào"
    if result == 4:
        evidence = (
            f"{f.confidentiality_incidents} vụ việc tiết lộ thông tin người phản ánh, tố giác ({f.disclosure_cases} "
            f"phản ánh, {f.incidents} sự cố)"
        )
        return evidence, (f"{UNMET}: đã xảy ra tiết lộ thông tin" if f.confidentiality_incidents else MET)
    if result == 5:
        evidence = (
            f"{f.flagged} vụ việc cần báo cáo Lãnh đạo Ban, đã báo cáo {f.flagged_informed}; {f.late_open} bước xử lý "
            "còn quá hạn tại ngày chốt"
        )
        if f.flagged_informed < f.flagged or f.late_open:
            return evidence, f"{UNMET}: còn vụ việc chưa báo cáo hoặc chưa xử lý đúng hạn"
        return evidence, MET
    if f.unit is not None:
        return "Báo cáo này gửi Văn phòng Ban để tổng hợp", judge
    late = [
        u
        for u in f.units_expected
        if u not in f.unit_reports or (f.period.deadline and f.unit_reports[u] >= f.period.deadline)
    ]
    sent = len(f.units_expected) - len([u for u in f.units_expected if u not in f.unit_reports])
    evidence = f"{sent}/{len(f.units_expected)} phòng, đơn vị gửi báo cáo kỳ này"
    if not f.units_expected:
        return "[Văn phòng Ban bổ sung số phòng, đơn vị gửi báo cáo]", judge
    return evidence, (f"{UNMET}: {len(late)} phòng, đơn vị chưa gửi báo cáo đúng hạn" if late else MET)


def _incident_note(item) -> str:
    """Why an incident is in this period: found after the report of the period it happened in."""
    return "Phát hiện sau khi báo cáo kỳ trước đã lập" if item.late_found else ""


def _done(item: Late) -> str:
    """When a late step was done; "Chưa" if it is still owed; "Không" if it lapsed (a notice to a reporter
    whose case was closed without it)."""
    if item.done_on is not None:
        return vn_date(item.done_on)
    return "Chưa" if item.open else "Không"


def _share(count: int, total: int) -> str:
    return f"{count * 100 / total:.1f}%".replace(".", ",") if total else "-"
