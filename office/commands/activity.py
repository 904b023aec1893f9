"""``office activity``: record what was done to carry out the plan besides handling cases.

The half-year report counts and lists these under the plan's tasks (II.1 to
II.5). Each entry is written with an audit entry; a mistaken one is corrected
(``edit``) or withdrawn (``remove``) with a reason, never erased.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import click

from ..register import activities
from ..register.activities import Activity, ActivityError
from ..reports import half_year
from ..workflow import plan
from ..workflow.clock import parse_day, vn_date
from .common import by_option, data_option, desk_at, fail, next_step, settings_of, table_format_option, who
from .terminal import safe

TASK_HELP = (
    "Nhiệm vụ của Kế hoạch, mục II: "
    + "; ".join(f"{n} = {t.short}" for n, t in plan.TASKS.items())
    + " / task of the plan, part II: "
    + "; ".join(f"{n} = {t.title_en}" for n, t in plan.TASKS.items())
)
KIND_HELP = "Hình thức / kind: " + ", ".join(f"{code} ({vi.lower()})" for code, (vi, _) in plan.KINDS.items())


class TaskType(click.ParamType):
    name = "1-5"

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int):
            return value
        try:
            return plan.task_number(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@click.group(name="activity")
def activity_group() -> None:
    """Hoạt động thực hiện Kế hoạch (không phải hồ sơ) / Activities of the plan that are not cases.

    \b
    office activity add --task 1 --date 15/07/2026 --kind meeting --what "Hội nghị quán triệt ..." --people 45
    office activity list --period 2026-H2
    office activity edit 3 --people 40 --reason "Sửa số người dự"
    office activity remove 3 --reason "Ghi trùng"

    Hội nghị, tập huấn, buổi tiếp công dân, đối thoại, công khai kênh tiếp nhận, biểu dương,
    khen thưởng, xử lý vi phạm: báo cáo 6 tháng đếm và liệt kê chúng theo các nhiệm vụ của Kế
    hoạch. Không ghi danh tính người phản ánh trong --what.

    Meetings, trainings, citizen reception sessions, dialogues, publications
    of the channels, commendations, disciplinary measures: the half-year
    report counts and lists them under the plan's tasks. Write no reporter's
    identity in --what.
    """


def _day(text: str) -> object:
    try:
        return parse_day(text)
    except ValueError as exc:
        raise fail(str(exc)) from None


def _unit(desk, settings, unit: str | None, new_unit: bool) -> str:
    """The unit that did it (the Office by default); a near miss of a known unit is refused as a typo."""
    if not unit:
        return settings.report["compiled_by"]
    unit = " ".join(unit.split())
    known = set(settings.units) | activities.units(desk.db) | {settings.report["compiled_by"]}
    known |= {row[0] for row in desk.db.execute("SELECT DISTINCT unit FROM cases WHERE unit IS NOT NULL")}
    if unit in known or new_unit:
        return unit
    close = difflib.get_close_matches(unit, sorted(known), n=3, cutoff=0.75)
    if close:
        raise fail(
            f"đơn vị {unit!r} chưa có; có phải / did you mean: {', '.join(close)}? Nếu đúng là đơn vị mới, "
            "thêm --new-unit / if it really is a new unit, add --new-unit"
        )
    return unit


@activity_group.command(name="add")
@click.option("--task", type=TaskType(), required=True, help=TASK_HELP)
@click.option("--date", "held", required=True, help="Ngày thực hiện / when (dd/mm/yyyy)")
@click.option("--what", required=True, help="Nội dung, không ghi danh tính người phản ánh / what was done, no identity")
@click.option("--kind", type=click.Choice(list(plan.KINDS)), default="other", show_default=True, help=KIND_HELP)
@click.option("--people", type=click.IntRange(min=0), help="Số người tham dự, liên quan / number of people")
@click.option(
    "--unit",
    help="Phòng, đơn vị thực hiện hoạt động, không phải đơn vị được kiểm tra (mặc định Văn phòng Ban); đơn vị được "
    "kiểm tra ghi trong --what / the unit that did it, not the one checked (that goes in --what)",
)
@click.option("--new-unit", is_flag=True, help="Đơn vị chưa có trong sổ / a unit not yet known")
@data_option
@by_option
def activity_add(
    task: int,
    held: str,
    what: str,
    kind: str,
    people: int | None,
    unit: str | None,
    new_unit: bool,
    data: Path,
    by: str | None,
) -> None:
    """Ghi nhận một hoạt động / Record an activity."""
    desk = desk_at(data)
    settings = settings_of(desk)
    try:
        done = activities.add(
            desk.db,
            task=task,
            kind=kind,
            held_on=_day(held),
            what=what,
            people=people,
            unit=_unit(desk, settings, unit, new_unit),
            who=who(by),
        )
    except ActivityError as exc:
        raise fail(str(exc)) from None
    click.echo(str(done.id))
    click.echo(
        f"Đã ghi hoạt động số {done.id} (nhiệm vụ {done.task}, {vn_date(done.held_on)}, {done.unit}) "
        f"/ activity {done.id} recorded",
        err=True,
    )
    next_step("office activity list; số liệu có trong báo cáo 6 tháng / counted in the half-year report")


@activity_group.command(name="list")
@click.option("--period", help="Chỉ kỳ này / only this period (2026-H2)")
@click.option("--task", type=TaskType(), help="Chỉ nhiệm vụ này / only this task")
@click.option("--unit", help="Chỉ đơn vị này / only this unit")
@click.option("--all", "everything", is_flag=True, help="Cả hoạt động đã hủy / withdrawn ones too")
@table_format_option
@data_option
def activity_list(
    period: str | None, task: int | None, unit: str | None, everything: bool, fmt: str, data: Path
) -> None:
    """Liệt kê hoạt động / List the activities."""
    desk = desk_at(data)
    start = end = None
    if period:
        try:
            chosen = half_year.half_year(period, settings_of(desk))
        except ValueError as exc:
            raise fail(str(exc)) from None
        start, end = chosen.start, chosen.end
    items = activities.listed(
        desk.db,
        start=start,
        end=end,
        unit=" ".join(unit.split()) if unit else None,
        task=task,
        include_withdrawn=everything,
    )
    if fmt == "json":
        click.echo(json.dumps([_json(a) for a in items], ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo(
            "Chưa có hoạt động nào được ghi nhận / no activity recorded. "
            'Tiếp theo / next: office activity add --task 1 --date dd/mm/yyyy --what "..."',
            err=True,
        )
        return
    for a in items:
        people = "-" if a.people is None else str(a.people)
        state = f"  [ĐÃ HỦY / withdrawn: {safe(a.removed_reason or '', single_line=True)}]" if a.removed else ""
        click.echo(
            f"{a.id:>4}  {vn_date(a.held_on)}  NV {a.task}  {plan.kind_label(a.kind)}  "
            f"{safe(a.unit, single_line=True)}  {people}  {safe(a.what, single_line=True)}{state}"
        )


def _json(a: Activity) -> dict:
    return {
        "id": a.id,
        "task": a.task,
        "kind": a.kind,
        "date": a.held_on.isoformat(),
        "what": a.what,
        "people": a.people,
        "unit": a.unit,
        "recorded_by": a.recorded_by,
        "withdrawn": a.removed,
        "withdrawn_reason": a.removed_reason,
    }


@activity_group.command(name="edit")
@click.argument("activity_id", metavar="ID", type=int)
@click.option("--task", type=TaskType(), help=TASK_HELP)
@click.option("--date", "held", help="Ngày thực hiện / when (dd/mm/yyyy)")
@click.option("--what", help="Nội dung / what was done")
@click.option("--kind", type=click.Choice(list(plan.KINDS)), help=KIND_HELP)
@click.option("--people", type=click.IntRange(min=0), help="Số người / number of people")
@click.option("--unit", help="Phòng, đơn vị / the unit")
@click.option("--new-unit", is_flag=True, help="Đơn vị chưa có trong sổ / a unit not yet known")
@click.option("--reason", required=True, help="Lý do sửa (ghi vào nhật ký) / why, for the audit trail")
@data_option
@by_option
def activity_edit(
    activity_id: int,
    task: int | None,
    held: str | None,
    what: str | None,
    kind: str | None,
    people: int | None,
    unit: str | None,
    new_unit: bool,
    reason: str,
    data: Path,
    by: str | None,
) -> None:
    """Sửa một hoạt động ghi sai / Correct an activity (the audit trail keeps the old values)."""
    desk = desk_at(data)
    settings = settings_of(desk)
    try:
        done = activities.correct(
            desk.db,
            activity_id,
            who=who(by),
            reason=reason,
            task=task,
            kind=kind,
            held_on=_day(held) if held else None,
            what=what,
            people=people,
            unit=_unit(desk, settings, unit, new_unit) if unit else None,
        )
    except ActivityError as exc:
        raise fail(str(exc)) from None
    click.echo(f"Đã sửa hoạt động số {done.id} / activity {done.id} corrected", err=True)


@activity_group.command(name="remove")
@click.argument("activity_id", metavar="ID", type=int)
@click.option("--reason", required=True, help="Lý do hủy (ghi vào nhật ký) / why, for the audit trail")
@data_option
@by_option
def activity_remove(activity_id: int, reason: str, data: Path, by: str | None) -> None:
    """Hủy một hoạt động ghi nhầm / Withdraw a mistaken activity (kept in the register, left out of reports)."""
    desk = desk_at(data)
    try:
        done = activities.withdraw(desk.db, activity_id, who=who(by), reason=reason)
    except ActivityError as exc:
        raise fail(str(exc)) from None
    click.echo(f"Đã hủy hoạt động số {done.id} / activity {done.id} withdrawn", err=True)
