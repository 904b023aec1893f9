"""``office activity``: record what was done to carry out the plan besides handling cases.

The half-year report counts and lists these under the plan's tasks (II.1 to
II.5). Each entry is written with an audit entry; a mistaken one is corrected
(``edit``) or withdrawn (``remove``) with a reason, never erased.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..register import plan_records
from ..workflow import plan
from .common import by_option, data_option, desk_at, format_option, option, options, tell, who
from .terminal import safe


class TaskType(click.ParamType):
    """A task of the plan as the Office writes it: 3, II.3 or ii.3."""

    name = "1-5"

    def convert(self, value, param, ctx) -> int:
        if isinstance(value, int):
            return value
        try:
            return plan.task_number(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


def _fields(fields: tuple) -> object:
    """The operation's inputs as options; a task is read as the Office writes it (II.3)."""

    def decorate(command):
        for field in reversed(fields):
            command = option(field, type=TaskType())(command) if field.name == "task" else option(field)(command)
        return command

    return decorate


@click.group(name="activity")
def activity_group() -> None:
    """Hoạt động thực hiện Kế hoạch (không phải hồ sơ) / Activities of the plan that are not cases.

    
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


@activity_group.command(name="add")
@_fields(plan_records.ACTIVITY)
@data_option
@by_option
def activity_add(data: Path, by: str | None, **values) -> None:
    """Ghi nhận một hoạt động / Record an activity."""
    tell(plan_records.add_activity(desk_at(data), who=who(by), **values))


@activity_group.command(name="list")
@_fields(plan_records.ACTIVITY_LIST)
@format_option("table", "json")
@data_option
def activity_list(fmt: str, data: Path, **filters) -> None:
    """Liệt kê hoạt động / List the activities."""
    items = plan_records.list_activities(desk_at(data), **filters)
    if fmt == "json":
        click.echo(json.dumps([plan_records.activity_record(a) for a in items], ensure_ascii=False, indent=2))
        return
    if not items:
        click.echo(plan_records.NO_ACTIVITY, err=True)
        return
    for a in items:
        click.echo(safe(plan_records.activity_line(a)))


@activity_group.command(name="edit")
@click.argument("activity_id", metavar="ID", type=int)
@_fields(plan_records.ACTIVITY_EDIT)
@data_option
@by_option
def activity_edit(activity_id: int, data: Path, by: str | None, **values) -> None:
    """Sửa một hoạt động ghi sai / Correct an activity (the audit trail keeps the old values)."""
    tell(plan_records.correct_activity(desk_at(data), activity_id, who=who(by), **values))


@activity_group.command(name="remove")
@click.argument("activity_id", metavar="ID", type=int)
@options(plan_records.ACTIVITY_REMOVE)
@data_option
@by_option
def activity_remove(activity_id: int, reason: str, data: Path, by: str | None) -> None:
    """Hủy một hoạt động ghi nhầm / Withdraw a mistaken activity (kept in the register, left out of reports)."""
    tell(plan_records.withdraw_activity(desk_at(data), activity_id, reason=reason, who=who(by)))
