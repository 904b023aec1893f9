"""The register at a glance: its rows, filtered, searched and sorted; the same rows as a CSV for Excel.

Metadata only, never a report's content or a reporter's identity: ``office list``
prints these rows, the window shows them, and both can hand the clerk a CSV of
exactly the rows shown. A row carries what the Office follows a case by: its
step, its unit, the deadline of its current step and whether any deadline has
passed, the notices it owes, the follow-ups nobody has read.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from intake_function import report

from .. import register, workflow
from ..intake import matching
from ..operation import CHOICE, FLAG, DeskError, Field
from ..reports import half_year
from ..safe_text import csv_writer
from ..workflow.clock import local_time, today, vn_date
from ..workflow.settings import Settings
from .desk import Desk

# What a list can be sorted by: code -> (Vietnamese, English); "-due" sorts the other way.
SORTS: dict[str, tuple[str, str]] = {
    "received": ("Ngày nhận", "received"),
    "number": ("Số hồ sơ", "case number"),
    "due": ("Hạn", "deadline"),
    "status": ("Trạng thái", "status"),
    "unit": ("Đơn vị", "unit"),
    "channel": ("Kênh", "channel"),
    "category": ("Loại", "category"),
}

FIELDS: tuple[Field, ...] = (
    Field("status", "Chỉ trạng thái này", "only this status", kind=CHOICE, choices=workflow.STATUSES),
    Field("channel", "Chỉ kênh này", "only this channel", kind=CHOICE, choices=workflow.CHANNELS),
    Field("unit", "Chỉ đơn vị này", "only this unit"),
    Field("track", "Chỉ diện này", "only this track", kind=CHOICE, choices=workflow.TRACKS),
    Field(
        "period",
        "Chỉ hồ sơ trong báo cáo kỳ này (như phụ lục của báo cáo: nhận trong kỳ, kỳ trước chuyển sang...)",
        "only the cases of this period's report (as its annex: received in it, carried over...)",
        hint="(2026-H2; ngày chốt số liệu / cut-offs: settings.toml [periods])",
    ),
    Field("late", "Chỉ hồ sơ có hạn đã qua", "only cases with a deadline passed", kind=FLAG),
    Field("only_open", "Chỉ hồ sơ chưa kết thúc", "only open cases", kind=FLAG, option="--open"),
    Field(
        "search",
        "Tìm theo số hồ sơ, kênh, loại, trạng thái, đơn vị, cơ quan, kết quả",
        "search the number, channel, category, status, unit, authority, result",
    ),
    Field(
        "sort",
        "Sắp xếp theo",
        "sort by",
        choices=SORTS,
        spell=True,
        hint="(-KEY: giảm dần / descending)",
        default="received",
    ),
)


@dataclass(frozen=True)
class Query:
    """Which rows, in which order: every filter is optional, and they all apply together."""

    status: str | None = None
    channel: str | None = None
    unit: str | None = None
    track: str | None = None
    period: str | None = None  # a report period, 2026-H1 or 2026-H2: the cases of its report (its annex)
    late: bool = False
    only_open: bool = False
    search: str | None = None
    sort: str = "received"  # a key of SORTS, "-KEY" for the other way


@dataclass(frozen=True)
class Row:
    case: register.Case
    attachments: int
    unread_followups: int
    notices_owed: tuple[register.Notice, ...]
    due: workflow.Due | None  # the deadline of the case's own progress (its step, or Điều 30)
    late: bool  # a deadline of the case (its step, a notice it owes) has passed

    @property
    def due_on(self) -> date | None:
        return self.due.due_on if self.due else None


def rows(desk: Desk, settings: Settings, query: Query = Query(), *, on: date | None = None) -> list[Row]:
    """The register's rows that answer ``query``, as of ``on`` (today), in the order it asks for."""
    _check(query)
    day = on or today()
    period = _period(query.period, settings)
    # The cases the period's report counts, exactly its annex: received in it, carried over into it, or with a
    # late step, a forwarding or a decision in it (``half_year.annex``), so the list and the report agree.
    annexed = {row.number for row in half_year.annex(desk.db, settings, period, day)} if period else None
    words = workflow.fold(query.search or "").split()
    counts = register.attachment_counts(desk.db)
    unread = register.unread_followups(desk.db)
    owed = register.owed_notices(desk.db)
    found: list[Row] = []
    for case in register.all_cases(desk.db):
        if not (
            (query.status is None or case.status == query.status)
            and (query.channel is None or case.channel == query.channel)
            and (query.unit is None or case.unit == query.unit)
            and (query.track is None or case.track == query.track)
            and (not query.only_open or case.status in workflow.OPEN_STATUSES)
            and (annexed is None or case.number in annexed)
            and (not words or all(word in _searched(case) for word in words))
        ):
            continue
        notices = tuple(owed.get(case.id, ()))
        found_deadlines = workflow.deadlines(case, settings, notices)
        late = any(d.due_on < day for d in found_deadlines)
        if query.late and not late:
            continue
        due = workflow.current_deadline(case, settings, found_deadlines)
        found.append(Row(case, counts.get(case.id, 0), unread.get(case.id, 0), notices, due, late))
    key, descending = _sort_key(query.sort)
    if key is not None:
        found.sort(key=key, reverse=descending)
    elif descending:
        found.reverse()
    return found


def _check(query: Query) -> None:
    for name, value, table in (
        ("--status", query.status, workflow.STATUSES),
        ("--channel", query.channel, workflow.CHANNELS),
        ("--track", query.track, workflow.TRACKS),
    ):
        if value is not None and value not in table:
            raise DeskError(f"{name}: {value!r} không thuộc các giá trị / is not one of {', '.join(table)}")
    if query.sort.removeprefix("-") not in SORTS:
        raise DeskError(
            f"--sort: {query.sort!r} không thuộc các giá trị / is not one of {', '.join(SORTS)} "
            "(-KEY: giảm dần / descending)"
        )


def _period(code: str | None, settings: Settings) -> half_year.Period | None:
    if not code:
        return None
    try:
        return half_year.half_year(code, settings)
    except ValueError as exc:
        raise DeskError(str(exc)) from None


def _searched(case: register.Case) -> str:
    """What a search looks in: the case's metadata, folded (no case, no tone marks)."""
    parts = [
        case.number,
        workflow.bilingual(workflow.CHANNELS, case.channel),
        case.category or "",
        report.category_label(case.category or "", "vi"),
        workflow.bilingual(workflow.STATUSES, case.status),
        *(value or "" for value in (case.unit, case.unit_head, case.forwarded_to, case.outcome)),
        *(value or "" for value in (case.source_ref, case.received_by, case.acceptance_ref)),
    ]
    return workflow.fold(" ".join(parts))


_STATUS_ORDER = {code: n for n, code in enumerate(workflow.STATUSES)}
_LATEST = date.max


def _sort_key(sort: str) -> tuple[Callable[[Row], object] | None, bool]:
    """The key that puts rows in order (None: the register's own order, by arrival), and whether reversed."""
    name, descending = sort.removeprefix("-"), sort.startswith("-")
    keys: dict[str, Callable[[Row], object] | None] = {
        "received": None,
        "number": lambda r: r.case.number,
        "due": lambda r: (r.due_on or _LATEST, r.case.number),
        "status": lambda r: (_STATUS_ORDER.get(r.case.status, 99), r.case.number),
        "unit": lambda r: (workflow.fold(r.case.unit or r.case.forwarded_to or "~"), r.case.number),
        "channel": lambda r: (r.case.channel, r.case.number),
        "category": lambda r: (report.category_label(r.case.category or "", "vi"), r.case.number),
    }
    return keys[name], descending


# --- the columns the Office reads: the table of ``office list``, the window's, the CSV ------------------


def due_cell(row: Row) -> str:
    shown = vn_date(row.due_on) if row.due_on else "-"
    return f"{shown} QUÁ HẠN" if row.late else shown


# (header, the cell of a row), in the order they are shown.
COLUMNS: tuple[tuple[str, Callable[[Row], str]], ...] = (
    ("Số / No.", lambda r: r.case.number),
    ("Nhận lúc / Received", lambda r: local_time(r.case.received_at)),
    ("Kênh", lambda r: workflow.CHANNELS.get(r.case.channel, (r.case.channel,))[0]),
    ("Loại / Category", lambda r: report.category_label(r.case.category or "", "vi")),
    ("Trạng thái", lambda r: workflow.status_label(r.case.status)),
    ("Diện", lambda r: "tố cáo" if r.case.track == "denunciation" else "phản ánh"),
    ("Đơn vị", lambda r: r.case.unit or r.case.forwarded_to or "-"),
    ("Hạn", due_cell),
    ("Ẩn danh", lambda r: "có" if r.case.anonymous else "không"),
    ("Mã tra cứu", lambda r: "có" if r.case.reply_lookup else "-"),  # office reply can answer through it
    ("Tệp", lambda r: str(r.attachments)),
    ("Bổ sung mới", lambda r: str(r.unread_followups) if r.unread_followups else "-"),
)

EMPTY = (
    "Sổ chưa có hồ sơ nào; tiếp theo: office pull hoặc office add --channel hotline / no case yet; next: "
    "office pull, or office add --channel hotline"
)
NONE_MATCH = "Không có hồ sơ nào khớp điều kiện lọc / no case matches the filters"


def cells(row: Row) -> list[str]:
    return [cell(row) for _, cell in COLUMNS]


def record(row: Row) -> dict:
    """A row as data for other tools (``office list --format json``)."""
    c = row.case
    return {
        "number": c.number,
        "channel": c.channel,
        "received_at": c.received_at,
        "category": c.category,
        "status": c.status,
        "anonymous": c.anonymous,
        "attachments": row.attachments,
        "status_label": workflow.status_label(c.status),
        "competence": c.competence,
        "unit": c.unit,
        "unit_head": c.unit_head,
        "forwarded_to": c.forwarded_to,
        "flags": sorted(c.flag_set),
        "due_on": row.due_on.isoformat() if row.due_on else None,
        "track": c.track,  # report (phản ánh, kiến nghị) or denunciation (tố cáo đã thụ lý)
        "accepted_at": c.accepted_at,
        "acceptance_ref": c.acceptance_ref,
        "assigned_at": c.assigned_at,
        "notices_owed": [{"about": n.about, "to": n.recipient} for n in row.notices_owed],
        "overdue": row.late,
        "unread_followups": row.unread_followups,
        "has_receipt_code": bool(c.reply_lookup),  # office reply can answer it
    }


def csv_bytes(found: list[Row]) -> bytes:
    """The rows as Excel opens them: UTF-8 with a byte-order mark, ";" between cells (Vietnamese settings), no
    cell run as a formula (``safe_text.csv_writer``). A cell the table shows as "-" (nothing) is empty.
    """
    from ..reports.text import CSV_DELIMITER  # the report's: with it, its Word writer (loaded only for a CSV)

    buffer = io.StringIO()
    out = csv_writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    out.writerow([header for header, _ in COLUMNS])
    for row in found:
        out.writerow([text if text != "-" else "" for text in cells(row)])
    return buffer.getvalue().encode("utf-8-sig")


# --- follow-ups that match no case ------------------------------------------------------------------------


@dataclass(frozen=True)
class Waiting:
    followup: register.UnmatchedFollowup
    files: int


def unmatched(desk: Desk) -> list[Waiting]:
    """The follow-ups waiting for a case, oldest first, with how many files each brought (never their content)."""
    return [
        Waiting(w, len(register.unmatched_attachments_of(desk.db, w.id))) for w in register.unmatched_followups(desk.db)
    ]


UNMATCHED_HEADER = ("Mã bổ sung / Follow-up", "Nhận lúc / Received", "Tệp", "Vì sao / Why")
NO_UNMATCHED = "Không có thông tin bổ sung nào chưa khớp hồ sơ / no unmatched follow-up."
UNMATCHED_NEXT = "office show ID (đọc / read it); office attach ID SỐ-HỒ-SƠ (gắn vào hồ sơ / join it to a case)"


def unmatched_cells(waiting: Waiting) -> list[str]:
    w = waiting.followup
    return [w.reference, local_time(w.received_at), str(waiting.files), matching.unverified_label(w.unverified)]


def unmatched_record(waiting: Waiting) -> dict:
    w = waiting.followup
    return {
        "id": w.reference,
        "received_at": w.received_at,
        "kept_at": w.kept_at,
        "attachments": waiting.files,
        "unverified": w.unverified,  # null: no case has its receipt code; else why its proof fails
        "proof": w.proof_commitment is not None,
    }
