"""``office audit``, the operations: read the audit trail, and check that it was not edited, cut or reordered."""

from __future__ import annotations

from ..operation import DeskError, Done, Field
from ..workflow.clock import local_time
from . import audit
from .desk import Desk

EMPTY = "Nhật ký trống / the audit trail is empty."
LIST = (Field("case_number", "Chỉ hồ sơ này", "only this case", option="--case"),)


def entries(desk: Desk, case_number: str | None = None) -> list[audit.Entry]:
    """Every entry of the trail, or of one case, in order."""
    return audit.entries(desk.db, case_number)


def line(e: audit.Entry) -> str:
    """One entry as ``office audit list`` prints it: when, who, what (and which step), the case, why."""
    from ..workflow.history import describe  # the workflow imports the register

    label = audit.ACTIONS.get(e.action, (e.action, e.action))
    told = describe(e)  # what changed, in words: "Phân loại", "Ghi nhận đã thông báo: ..."
    what = f"{label[0]} / {label[1]}" + (f": {_one_line(told[0])} / {_one_line(told[1])}" if told != label else "")
    return f"{e.seq:>6}  {local_time(e.at)}  {_one_line(e.who)}  {what}  {e.case_number or '-'}  {_one_line(e.reason)}"


def record(e: audit.Entry) -> dict:
    """One entry as data for other tools."""
    return {
        "seq": e.seq,
        "at": e.at,
        "who": e.who,
        "action": e.action,
        "case": e.case_number,
        "reason": e.reason,
        "details": e.details,
        "hash": e.hash,
    }


def verify(desk: Desk) -> Done:
    """Check the whole chain; refused, naming each entry that does not check out, when it was tampered with.

    ``Done.out`` says how many entries check out and the head to write in the Office's paper log.
    """
    problems, head = audit.verify(desk.db)
    count = desk.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    if problems:
        raise DeskError(
            f"nhật ký đã bị can thiệp ({len(problems)} lỗi): báo cáo Lãnh đạo Ban, đối chiếu bản sao lưu / "
            "the audit trail was tampered with",
            out=[f"LỖI / PROBLEM: {problem.message}" for problem in problems],
        )
    return Done(
        value=head,
        out=[f"Nhật ký toàn vẹn / the audit trail checks out: {count} entries", f"Đầu chuỗi / head: {head or '-'}"],
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())
