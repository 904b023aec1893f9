"""The tasks of the Board's plan (Kế hoạch, part II) and the kinds of work the Office records under them.

The half-year report has one section per task, in the plan's order, because
the plan (IV.3) asks every unit to report the results of carrying it out, not
only the cases received. The titles below are the plan's own headings
(seed, II.1–II.5), word for word; the English is ours.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    number: int
    title: str  # the report's section heading (Vietnamese)
    title_en: str
    nothing: str  # what the report says when nothing was recorded under the task
    short: str = ""  # a few words of the title, for the help and the errors of `office activity`
    nothing_in_unit: str = ""  # what a unit's own report says instead of ``nothing``, if it differs


TASKS: dict[int, Task] = {
    1: Task(
        1,
        "Quán triệt, tuyên truyền, tổ chức hội nghị triển khai Chỉ thị 27-CT/TW và Kế hoạch 80-KH/TU",
        "Dissemination and study of Directive 27-CT/TW and Plan 80-KH/TU",
        "Trong kỳ, chưa ghi nhận hoạt động quán triệt, tuyên truyền nào.",
        "quán triệt, tuyên truyền",
    ),
    2: Task(
        2,
        "Công khai thông tin tiếp nhận, cập nhật đường dây nóng, hòm thư góp ý và quy trình bảo mật thông tin "
        "người tố cáo",
        "Publishing the channels; receiving and handling reports",
        "Trong kỳ, chưa ghi nhận việc công khai, cập nhật đường dây nóng, hòm thư góp ý, quy trình bảo mật.",
        "công khai kênh tiếp nhận",
    ),
    3: Task(
        3,
        "Tiếp dân và đối thoại, người đứng đầu thực hiện tiếp dân định kỳ để lắng nghe phản ánh về tham nhũng, "
        "tiêu cực",
        "Citizen reception and dialogues by the heads",
        "Trong kỳ, chưa ghi nhận buổi tiếp công dân, đối thoại nào.",
        "tiếp dân, đối thoại",
    ),
    4: Task(
        4,
        "Trách nhiệm người đứng đầu",
        "Responsibility of the heads of units",
        "Trong kỳ, chưa ghi nhận hoạt động kiểm tra, chấn chỉnh nào của người đứng đầu các phòng, đơn vị.",
        "trách nhiệm người đứng đầu",
        "Trong kỳ, chưa ghi nhận hoạt động kiểm tra, chấn chỉnh nào của người đứng đầu đơn vị.",
    ),
    5: Task(
        5,
        "Công tác bảo mật thông tin và xử lý vi phạm",
        "Confidentiality and handling of violations",
        "Trong kỳ, chưa ghi nhận việc xử lý vi phạm, biểu dương, khen thưởng nào.",
        "bảo mật thông tin, xử lý vi phạm",
    ),
}

# The plan's expected results (Kế hoạch, III. KẾT QUẢ CẦN ĐẠT), word for word, in its order: the report
# assesses each against its figures.
RESULTS: tuple[str, ...] = (
    "Tổ chức triển khai, quán triệt đầy đủ nội dung Chỉ thị số 27-CT/TW và các quy định liên quan đến toàn thể công "
    "chức, viên chức và người lao động thuộc Ban Quản lý Khu kinh tế.",
    "Thực hiện công khai, tiếp nhận, xử lý phản ánh, kiến nghị, tố giác thuộc phạm vi quản lý theo đúng quy định.",
    "Nâng cao trách nhiệm của người đứng đầu, công chức, viên chức trong thực hiện nhiệm vụ, công vụ; kịp thời phát "
    "hiện, chấn chỉnh các hành vi gây phiền hà, né tránh trách nhiệm hoặc xử lý công việc không đúng quy định.",
    "Bảo đảm thực hiện nghiêm quy định về bảo mật thông tin người phản ánh, tố giác; không để xảy ra trường hợp tiết "
    "lộ thông tin thuộc phạm vi quản lý của cơ quan.",
    "Kịp thời xử lý hoặc báo cáo xử lý các vụ việc phát sinh liên quan hành vi tham nhũng, lãng phí, tiêu cực theo "
    "quy định.",
    "Thực hiện đầy đủ chế độ theo dõi, tổng hợp và báo cáo kết quả thực hiện theo quy định.",
)

# Kinds of activity: code -> (Vietnamese, English). The Office picks one with --kind.
KINDS: dict[str, tuple[str, str]] = {
    "meeting": ("Hội nghị, cuộc họp quán triệt", "meeting"),
    "training": ("Tập huấn, bồi dưỡng", "training"),
    "propaganda": ("Tuyên truyền, lồng ghép", "dissemination"),
    "publication": ("Công khai, cập nhật kênh tiếp nhận", "publication of the channels"),
    "reception": ("Tiếp công dân định kỳ", "citizen reception session"),
    "dialogue": ("Đối thoại", "dialogue"),
    "inspection": ("Kiểm tra, rà soát, chấn chỉnh", "inspection or review"),
    "discipline": ("Xử lý vi phạm", "disciplinary measure"),
    "commendation": ("Biểu dương, khen thưởng", "commendation"),
    "other": ("Hoạt động khác", "other"),
}


def task_number(text: str) -> int:
    """``3``, ``II.3`` or ``ii.3`` -> 3; anything else is refused with the choices."""
    cleaned = text.strip().upper().removeprefix("II.")
    if cleaned.isdigit() and int(cleaned) in TASKS:
        return int(cleaned)
    choices = "; ".join(f"{n} = {t.short}" for n, t in TASKS.items())
    raise ValueError(
        f"{text!r} không phải nhiệm vụ của Kế hoạch; chọn số 1 đến 5 (mục II): {choices} / not a task of the plan: "
        "choose 1 to 5"
    )


def kind_label(code: str) -> str:
    return KINDS.get(code, (code, code))[0]
