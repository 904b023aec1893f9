"""Commands that move a case through the plan's workflow, list what is due, and keep the settings.

Each command is the face of one action of ``office/workflow/actions.py``: it changes
one thing, records it in the audit trail with who and why, and ends by saying what
to do next.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..operation import DeskError, Unlock
from ..register import overview, plan_records, setup
from ..workflow import actions
from ..workflow.case_actions import ACTIONS
from .common import (
    by_option,
    data_option,
    desk_at,
    identity_option,
    option,
    options,
    table_format_option,
    tell,
    unlocker,
    who,
)
from .terminal import safe

reference_argument = click.argument("reference", metavar="ID")


@click.command(help=ACTIONS["classify"].help)
@reference_argument
@options(actions.CLASSIFY)
@data_option
@by_option
def classify(reference: str, data: Path, by: str | None, **values) -> None:
    tell(actions.classify(desk_at(data), reference, who=who(by), **values))


@click.command(help=ACTIONS["assign"].help)
@reference_argument
@options(actions.ASSIGN)
@identity_option
@data_option
@by_option
def assign(reference: str, identity: Path | None, data: Path, by: str | None, **values) -> None:
    desk = desk_at(data)
    unlock = _once(unlocker(identity, desk)) if identity is not None else None
    try:
        done = actions.assign(desk, reference, unlock, who=who(by), **values)
    except DeskError as exc:
        if exc.field != "named_reason" or not sys.stdin.isatty():
            raise
        for line in (*exc.lines, str(exc)):
            click.echo(safe(line), err=True)
        values["named_reason"] = click.prompt(actions.NAMED_REASON.label, err=True)
        done = actions.assign(desk, reference, unlock, who=who(by), **values)
    tell(done)


def _once(unlock: Unlock) -> Unlock:
    """The key asked for once in a command, however often the operation needs it."""
    kept: list = []

    def identities():
        if not kept:
            kept.append(unlock())
        return kept[0]

    return identities


@click.command(help=ACTIONS["forward"].help)
@reference_argument
@options(actions.FORWARD)
@data_option
@by_option
def forward(reference: str, data: Path, by: str | None, **values) -> None:
    tell(actions.forward(desk_at(data), reference, who=who(by), **values))


@click.command(help=ACTIONS["follow"].help)
@reference_argument
@options(actions.FOLLOW)
@data_option
@by_option
def follow(reference: str, data: Path, by: str | None, **values) -> None:
    tell(actions.follow(desk_at(data), reference, who=who(by), **values))


@click.command(help=ACTIONS["conclude"].help)
@reference_argument
@options(actions.CONCLUDE)
@data_option
@by_option
def conclude(reference: str, data: Path, by: str | None, **values) -> None:
    tell(actions.conclude(desk_at(data), reference, who=who(by), **values))


@click.command(help=ACTIONS["reject"].help)
@reference_argument
@options(actions.REJECT)
@data_option
@by_option
def reject(reference: str, data: Path, by: str | None, **values) -> None:
    tell(actions.reject(desk_at(data), reference, who=who(by), **values))


@click.command(help=ACTIONS["reopen"].help)
@reference_argument
@options(actions.REOPEN)
@data_option
@by_option
def reopen(reference: str, data: Path, by: str | None, **values) -> None:
    tell(actions.reopen(desk_at(data), reference, who=who(by), **values))


@click.command(help=ACTIONS["extend"].help)
@reference_argument
@options(actions.EXTEND)
@data_option
@by_option
def extend(reference: str, data: Path, by: str | None, **values) -> None:
    tell(actions.extend(desk_at(data), reference, who=who(by), **values))


@click.command(help=ACTIONS["accept"].help)
@reference_argument
@options((actions.ACCEPT[0], actions.CONDITIONS_MET, *actions.ACCEPT[2:]))
@identity_option
@data_option
@by_option
def accept(reference: str, conditions_met: bool, identity: Path | None, data: Path, by: str | None, **values) -> None:
    desk = desk_at(data)
    unlock = _once(unlocker(identity, desk)) if identity is not None else None
    # Refused before the conditions are asked: the step, and a report without the denouncer's name and address.
    for line in actions.acceptance_check(desk, reference, unlock, decision=values["decision"]):
        click.echo(line, err=True)
    confirmed = _confirm_conditions(conditions_met)
    tell(actions.accept(desk, reference, unlock, conditions=confirmed, who=who(by), **values))


def _confirm_conditions(conditions_met: bool) -> list[str] | None:
    """Ask the clerk, condition by condition, up to the first "no"; or take --conditions-met.

    Returns the conditions confirmed (None when there is no one to ask); the operation refuses
    unless they are all there.
    """
    if conditions_met:
        for line in actions.conditions_confirmed():
            click.echo(line, err=True)
        return list(actions.CONDITIONS)
    if not sys.stdin.isatty():  # no one to ask: the operation says how to confirm them
        return None
    confirmed: list[str] = []
    for number, (vi, en) in actions.CONDITIONS.items():
        if not click.confirm(f"{number}. {vi} / {en}?", default=False, err=True):
            break
        confirmed.append(number)
    return confirmed


@click.command(help=ACTIONS["decline"].help)
@reference_argument
@options(actions.DECLINE)
@data_option
@by_option
def decline(reference: str, data: Path, by: str | None, **values) -> None:
    tell(actions.decline(desk_at(data), reference, who=who(by), **values))


@click.command(help=ACTIONS["flag"].help)
@reference_argument
@options(actions.FLAG_FIELDS)
@data_option
@by_option
def flag(reference: str, data: Path, by: str | None, **values) -> None:
    tell(actions.flag(desk_at(data), reference, who=who(by), **values))


@click.command(help=ACTIONS["notify"].help)
@reference_argument
@options(actions.NOTIFY)
@data_option
@by_option
def notify(reference: str, data: Path, by: str | None, **values) -> None:
    tell(actions.notify(desk_at(data), reference, who=who(by), **values))


@click.command()
@option(overview.DUE[0], type=int)  # as before: a negative horizon lists only what is that late
@option(overview.DUE[1])
@table_format_option
@data_option
def due(within: int | None, on: str | None, fmt: str, data: Path) -> None:
    """Hồ sơ quá hạn và sắp đến hạn / Cases that are late or due soon.

    Liệt kê cả các hồ sơ đã đánh dấu mà chưa báo cáo Lãnh đạo Ban.

    Also lists flagged cases not yet reported to the Board's leaders.
    """
    found = overview.due(desk_at(data), within=within, on=on)
    if fmt == "json":
        click.echo(json.dumps(overview.due_record(found), ensure_ascii=False, indent=2))
        return
    for line in overview.due_lines(found):
        click.echo(line)


@click.command(name="settings")
@click.option("--init", is_flag=True, help="Tạo settings.toml với giá trị mặc định / write the default file")
@data_option
@by_option
def settings_command(init: bool, data: Path, by: str | None) -> None:
    """Xem, tạo tệp cài đặt / Show or create the settings (deadlines, periods, report header)."""
    desk = desk_at(data)
    if init:
        tell(setup.write_settings(desk, who=who(by)))
    for line in setup.describe_settings(desk):
        click.echo(line)


@click.group()
def incident() -> None:
    """Sự cố bảo mật thông tin người phản ánh / Confidentiality incidents.

    Các sự cố mà thông tin người phản ánh đã bị, hoặc có thể đã bị, tiết lộ. Số sự cố (cùng các
    hồ sơ loại "disclosure", tiết lộ thông tin người phản ánh) được đưa vào báo cáo 6 tháng.

    Incidents where a reporter's information was, or may have been, disclosed.
    Their number (with cases of the category "disclosure") goes in the half-year report.
    """


@incident.command(name="add")
@options(plan_records.INCIDENT)
@data_option
@by_option
def incident_add(data: Path, by: str | None, **values) -> None:
    """Ghi nhận một sự cố / Record an incident."""
    tell(plan_records.add_incident(desk_at(data), who=who(by), **values))


@incident.command(name="list")
@data_option
def incident_list(data: Path) -> None:
    """Liệt kê sự cố, với ngày xảy ra và ngày ghi nhận / List incidents, with the day each happened and was
    recorded."""
    desk = desk_at(data)
    found = plan_records.incidents(desk)
    if not found:
        click.echo(plan_records.NO_INCIDENT, err=True)
        return
    periods = plan_records.reported_in(desk, found)
    click.echo(plan_records.INCIDENT_HEADER)
    for item in found:
        click.echo(safe(plan_records.incident_line(item, periods[item.id])))


COMMANDS = [
    classify,
    assign,
    forward,
    follow,
    conclude,
    reject,
    reopen,
    extend,
    flag,
    notify,
    accept,
    decline,
    due,
    settings_command,
    incident,
]
