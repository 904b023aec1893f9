"""Commands that move a case through the plan's workflow, list what is due, and keep the settings.

Each command is the face of one action of ``office/workflow/actions.py``: it changes
one thing, records it in the audit trail with who and why, and ends by saying what
to do next.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from .. import register, workflow
from ..register import audit, overview
from ..reports.half_year import describe_periods
from ..workflow import actions
from ..workflow import settings as settings_module
from ..workflow.clock import now_iso, parse_day, vn_date
from .common import (
    by_option,
    data_option,
    desk_at,
    fail,
    find_case,
    next_step,
    options,
    settings_of,
    table_format_option,
    tell,
    who,
)
from .terminal import safe

reference_argument = click.argument("reference", metavar="ID")


@click.command()
@reference_argument
@options(actions.CLASSIFY)
@data_option
@by_option
def classify(reference: str, data: Path, by: str | None, **values) -> None:
    """Phân loại, xác định thẩm quyền / Classify a case: within the Board's competence or not.

    Mỗi hồ sơ được phân loại một lần, từ bước "Đã tiếp nhận". Để sửa phân loại trước khi giao
    hay chuyển hồ sơ: dùng --again kèm --note nêu lý do.

    A case is classified once, from "Đã tiếp nhận". To correct the classification
    before the case is assigned or forwarded: --again with --note saying why.
    """
    tell(actions.classify(desk_at(data), reference, who=who(by), **values))


@click.command()
@reference_argument
@options(actions.ASSIGN)
@data_option
@by_option
def assign(reference: str, data: Path, by: str | None, **values) -> None:
    """Giao đơn vị xử lý / Assign a case within the Board's competence to a unit.

    Người đứng đầu đơn vị lấy từ mục [units] của settings.toml, trừ khi có --head.

    The unit's head comes from [units] in settings.toml unless --head is given.
    """
    tell(actions.assign(desk_at(data), reference, who=who(by), **values))


@click.command()
@reference_argument
@options(actions.FORWARD)
@data_option
@by_option
def forward(reference: str, data: Path, by: str | None, **values) -> None:
    """Chuyển cơ quan có thẩm quyền / Forward a case outside the Board's competence.

    Sau đó chuẩn bị hồ sơ để chuyển bằng `office export ID --out THƯ-MỤC` (không có danh tính
    người phản ánh, đã xóa siêu dữ liệu). Với --denunciation, người tố cáo phải được thông báo
    việc chuyển (Luật Tố cáo 2018 Điều 9): `office due` nhắc việc này và `office notice ID
    --kind transferred` lập dự thảo thông báo.

    Then prepare the package with `office export ID --out FOLDER` (no reporter identity, metadata stripped).
    With --denunciation the denouncer is owed a notice of the transfer (Luật Tố cáo 2018 Điều 9):
    `office due` reminds of it and `office notice ID --kind transferred` drafts it.
    """
    tell(actions.forward(desk_at(data), reference, who=who(by), **values))


@click.command()
@reference_argument
@options(actions.FOLLOW)
@data_option
@by_option
def follow(reference: str, data: Path, by: str | None, **values) -> None:
    """Theo dõi kết quả xử lý / Record a follow-up of the result (handled or forwarded)."""
    tell(actions.follow(desk_at(data), reference, who=who(by), **values))


@click.command()
@reference_argument
@options(actions.CONCLUDE)
@data_option
@by_option
def conclude(reference: str, data: Path, by: str | None, **values) -> None:
    """Kết thúc hồ sơ / Conclude a case with its result."""
    tell(actions.conclude(desk_at(data), reference, who=who(by), **values))


@click.command()
@reference_argument
@options(actions.REJECT)
@data_option
@by_option
def reject(reference: str, data: Path, by: str | None, **values) -> None:
    """Không xem xét, xử lý (nêu lý do) / Do not take a case up, with the reason.

    Dùng cho phản ánh. Tố cáo có danh tính mà không thụ lý thì ghi nhận bằng office decline;
    người tố cáo phải được thông báo việc đó.

    For a report (phản ánh). A named denunciation that is not accepted is recorded
    with office decline (không thụ lý), which owes the denouncer a notice.
    """
    tell(actions.reject(desk_at(data), reference, who=who(by), **values))


@click.command()
@reference_argument
@options(actions.REOPEN)
@data_option
@by_option
def reopen(reference: str, data: Path, by: str | None, **values) -> None:
    """Mở lại hồ sơ đã kết thúc / Reopen a concluded case, or one not taken up.

    Dùng khi có thông tin mới về hồ sơ đã kết thúc: hồ sơ trở về bước "Đã tiếp nhận" và được
    phân loại lại; kết quả trước vẫn lưu trong nhật ký. Tố cáo đã thụ lý trở về diện phản ánh:
    thông tin mới cần một quyết định mới (office accept).

    For new information on a closed case: it goes back to "received" and is
    classified again; the earlier result stays in the audit trail. An accepted
    denunciation goes back to the phản ánh track: new information needs a new
    decision (office accept).
    """
    tell(actions.reopen(desk_at(data), reference, who=who(by), **values))


@click.command()
@reference_argument
@options(actions.EXTEND)
@data_option
@by_option
def extend(reference: str, data: Path, by: str | None, **values) -> None:
    """Gia hạn giải quyết / Extend the deadline of a complex case.

    Phản ánh: cộng thêm deadlines.handling.extension_days (thời hạn do Ban chọn), tối đa
    max_extensions lần. Tố cáo đã thụ lý: gia hạn thời hạn theo Điều 30 thêm
    deadlines.denunciation.extension_days, và người tố cáo cùng người bị tố cáo phải được thông
    báo việc gia hạn. Hồ sơ được đánh dấu là phức tạp.

    A report: adds deadlines.handling.extension_days (the Board's choice), at most
    max_extensions times. An accepted denunciation: extends the Điều 30 limit by
    deadlines.denunciation.extension_days, and the denouncer and the person
    denounced are owed a notice of it. The case is flagged as complex.
    """
    tell(actions.extend(desk_at(data), reference, who=who(by), **values))


@click.command()
@reference_argument
@options((actions.ACCEPT[0], actions.CONDITIONS_MET, *actions.ACCEPT[2:]))
@data_option
@by_option
def accept(reference: str, conditions_met: bool, data: Path, by: str | None, **values) -> None:
    """Ghi nhận quyết định thụ lý tố cáo / Record the decision to accept a denunciation (thụ lý).

    
    Chỉ dùng cho tố cáo có danh tính, thuộc thẩm quyền của Ban, đã phân loại. Cán bộ
    xác nhận các điều kiện (công cụ không tự kiểm tra):
      - người tố cáo nêu rõ họ tên, địa chỉ (Luật Tố cáo 2018 Điều 25);
      - tố cáo theo Điều 23 (đơn, hoặc trực tiếp, đủ nội dung);
      - người tố cáo có đủ năng lực hành vi dân sự;
      - vụ việc thuộc thẩm quyền giải quyết của Ban;
      - nội dung có cơ sở xác định người vi phạm, hành vi vi phạm.
    Luật Tố cáo 2018 Điều 29 (văn bản năm 2018: kiểm tra văn bản đã sửa đổi theo
    Luật 136/2025/QH15, hiệu lực 01/7/2026).
    Only a named denunciation within the Board's competence, classified first; the clerk
    confirms the conditions above (the tool does not check them).

    Từ ngày ra quyết định, các thông báo theo Điều 29 (cho người tố cáo, và thông báo nội dung
    tố cáo cho người bị tố cáo, trong 05 ngày làm việc) và thời hạn theo Điều 30 bắt đầu tính;
    giao đơn vị xử lý là một bước riêng.

    From the decision's date the Điều 29 notices (to the denouncer, and of the
    content to the person denounced, within 05 working days) and the Điều 30
    time limit run; assigning a unit is a separate step.
    """
    desk = desk_at(data)
    for line in actions.acceptance_notes(desk, reference):
        click.echo(line, err=True)
    confirmed = _confirm_conditions(conditions_met)
    tell(actions.accept(desk, reference, conditions=confirmed, who=who(by), **values))


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


@click.command()
@reference_argument
@options(actions.DECLINE)
@data_option
@by_option
def decline(reference: str, data: Path, by: str | None, **values) -> None:
    """Ghi nhận không thụ lý tố cáo / Record that a named denunciation is not accepted (không thụ lý).

    Người tố cáo phải được thông báo việc không thụ lý (Luật Tố cáo 2018 Điều 9; văn bản năm
    2018: kiểm tra văn bản đã sửa đổi theo Luật 136/2025/QH15). Trạng thái hồ sơ không đổi: xử
    lý nội dung như phản ánh, hoặc kết thúc bằng office reject. Với phản ánh chỉ dùng office
    reject: người phản ánh đọc "Không xem xét, xử lý", không bao giờ đọc "không thụ lý".

    The denouncer is owed a notice of it (Luật Tố cáo 2018 Điều 9; the 2018 text:
    check it as amended by Law 136/2025/QH15). The case's status does not change:
    handle its content as a report, or close it with office reject. For a report
    use office reject alone: the reporter reads "Không xem xét, xử lý" (not taken
    up), never "không thụ lý".
    """
    tell(actions.decline(desk_at(data), reference, who=who(by), **values))


@click.command()
@reference_argument
@options(actions.FLAG_FIELDS)
@data_option
@by_option
def flag(reference: str, data: Path, by: str | None, **values) -> None:
    """Đánh dấu vụ việc cần báo cáo Lãnh đạo Ban / Flag a case the plan says to report to the leaders."""
    tell(actions.flag(desk_at(data), reference, who=who(by), **values))


@click.command()
@reference_argument
@options(actions.NOTIFY)
@data_option
@by_option
def notify(reference: str, data: Path, by: str | None, **values) -> None:
    """Ghi nhận đã thông báo / Record that the reporter, the denouncer or the person denounced was told.

    Phản ánh: người được thông báo là người phản ánh (--to reporter, mặc định). Tố cáo đã thụ lý
    có hai thông báo (Điều 29): cho người tố cáo và, về nội dung tố cáo, cho người bị tố cáo;
    ghi nhận từng thông báo với --to tương ứng.

    A report (phản ánh): the reporter (--to reporter, the default). An accepted
    denunciation owes two notices (Điều 29): to the denouncer and, of the
    content, to the person denounced; record each with its --to.
    """
    tell(actions.notify(desk_at(data), reference, who=who(by), **values))


@click.command()
@click.option(
    "--within",
    "within_days",
    type=int,
    help="Sắp đến hạn trong N ngày / due within N days (mặc định / default: deadlines.due_soon_days)",
)
@click.option("--today", "on", help="Tính đến ngày / as of this date (dd/mm/yyyy)")
@table_format_option
@data_option
def due(within_days: int | None, on: str | None, fmt: str, data: Path) -> None:
    """Hồ sơ quá hạn và sắp đến hạn / Cases that are late or due soon.

    Liệt kê cả các hồ sơ đã đánh dấu mà chưa báo cáo Lãnh đạo Ban.

    Also lists flagged cases not yet reported to the Board's leaders.
    """
    found = overview.due(desk_at(data), within=within_days, on=on)
    if fmt == "json":
        click.echo(json.dumps(_due_json(found), ensure_ascii=False, indent=2))
        return
    _due_table(found)


def _due_json(found: overview.DueList) -> dict:
    return {
        "deadlines": [
            {
                "number": d.case.number,
                "status": d.case.status,
                "step": d.what,
                "due_on": d.due_on.isoformat(),
                "days_left": item.left,
                "late": item.late,
                "unit": d.case.unit,
                "owner": item.owner,
                "track": d.case.track,
                "notice": {"about": d.notice.about, "to": d.notice.recipient} if d.notice else None,
                "statutory": d.statutory,
            }
            for item in found.items
            for d in (item.due,)
        ],
        "report_to_leaders": [{"number": c.number, "flags": sorted(c.flag_set)} for c in found.leaders],
    }


def _due_table(found: overview.DueList) -> None:
    click.echo(
        f"Tính đến / as of {vn_date(found.on)}; sắp đến hạn / due soon: trong {found.horizon} ngày / "
        f"within {workflow.days(found.horizon)}"
    )
    if not found.items:
        click.echo("Không có hồ sơ quá hạn hay sắp đến hạn / nothing late or due soon.")
    for item in found.items:
        d, left = item.due, item.left
        state = (
            f"QUÁ HẠN {-left} ngày / LATE {workflow.days(-left)}"
            if left < 0
            else f"còn {left} ngày / {workflow.days(left)} left"
        )
        unit = f"  [{safe(d.case.unit, single_line=True)}]" if d.case.unit else ""
        mark = " (*)" if d.statutory else ""
        click.echo(f"{d.case.number}  {vn_date(d.due_on)}  {state}  {d.label}{mark}{unit}")
    if any(item.due.statutory for item in found.items):
        click.echo(
            f"(*) Luật Tố cáo 2018, tố cáo đã thụ lý: {settings_module.AMENDMENT_NOTE} / the 2018 text: check it as "
            "amended by Law 136/2025/QH15 (in force 1 July 2026)"
        )
    if any(item.due.notice and item.due.notice.about == "accepted" for item in found.items):
        click.echo(
            "Điều 29: thông báo cho cả người tố cáo và người bị tố cáo / tell both the denouncer and the person "
            "denounced (office notify ID --to denouncer|denounced --how ...)"
        )
    if found.leaders:
        click.echo("Cần báo cáo Lãnh đạo Ban / to report to the Board's leaders:")
        for case in found.leaders:
            flags = ", ".join(workflow.bilingual(workflow.FLAGS, f) for f in sorted(case.flag_set))
            click.echo(f"{case.number}  {flags}  -> office flag {case.number} --leaders-informed")


@click.command(name="settings")
@click.option("--init", is_flag=True, help="Tạo settings.toml với giá trị mặc định / write the default file")
@data_option
@by_option
def settings_command(init: bool, data: Path, by: str | None) -> None:
    """Xem, tạo tệp cài đặt / Show or create the settings (deadlines, periods, report header)."""
    desk = desk_at(data)
    if init:
        try:
            path = settings_module.write_defaults(desk.root)
        except settings_module.SettingsError as exc:
            raise fail(str(exc)) from None
        audit.record(desk.db, "settings", who=who(by), reason="tạo tệp cài đặt mặc định")
        click.echo(f"Đã tạo / written: {path}", err=True)
        next_step(f"sửa tệp / edit {path}, rồi / then: office settings")
    s = settings_of(desk)
    click.echo(f"Tệp / file: {s.path or '(mặc định, chưa có tệp / defaults, no file: office settings --init)'}")
    click.echo(f"Sắp đến hạn / due soon: {s.due_soon_days} ngày / days")
    click.echo("Phản ánh, kiến nghị (thời hạn do Ban chọn) / reports (the Board's deadlines):")
    tracks = [
        *s.deadlines.items(),
        ("report_notice", s.report_notice),
        ("Tố cáo đã thụ lý, từ ngày thụ lý / accepted denunciations, from acceptance:", None),
        ("denunciation", s.denunciation),
        ("notify", s.notify),
        ("notices", s.notices),
    ]
    for step, d in tracks:
        if d is None:
            click.echo(step)
            continue
        kind = "ngày làm việc / working days" if d.kind == "working" else "ngày / calendar days"
        click.echo(f"[{step}] {d.label}: {d.days} {kind}" + ("" if d.enabled else " (tắt / off)"))
        click.echo(f"    căn cứ / basis: {d.basis}")
    if s.outdated:
        click.echo(
            "Lưu ý / note: tệp cài đặt còn giữ giá trị mặc định của phiên bản trước (tính thời hạn Luật Tố cáo từ "
            "khi giao đơn vị); đang dùng giá trị mặc định mới / the file holds a previous release's defaults, "
            f"today's are used instead: {', '.join(s.outdated)}. Xóa các dòng đó khỏi tệp / delete those lines."
        )
    click.echo(describe_periods(s.periods))
    click.echo(f"Ngày nghỉ / holidays: {len(s.holidays)}; đơn vị / units: {', '.join(s.units) or '-'}")


@click.group()
def incident() -> None:
    """Sự cố bảo mật thông tin người phản ánh / Confidentiality incidents.

    Các sự cố mà thông tin người phản ánh đã bị, hoặc có thể đã bị, tiết lộ. Số sự cố (cùng các
    hồ sơ loại "disclosure", tiết lộ thông tin người phản ánh) được đưa vào báo cáo 6 tháng.

    Incidents where a reporter's information was, or may have been, disclosed.
    Their number (with cases of the category "disclosure") goes in the half-year report.
    """


@incident.command(name="add")
@click.option("--date", "on", required=True, help="Ngày xảy ra / when (dd/mm/yyyy)")
@click.option("--note", required=True, help="Mô tả ngắn, không ghi danh tính / short note, no identity")
@click.option("--case", "case_number", help="Hồ sơ liên quan / related case")
@data_option
@by_option
def incident_add(on: str, note: str, case_number: str | None, data: Path, by: str | None) -> None:
    """Ghi nhận một sự cố / Record an incident."""
    desk = desk_at(data)
    try:
        day = parse_day(on)
    except ValueError as exc:
        raise fail(str(exc)) from None
    if case_number:
        case_number = find_case(desk, case_number).number
    actor = who(by)
    with register.transaction(desk.db):
        desk.db.execute(
            "INSERT INTO incidents (occurred_on, recorded_at, recorded_by, case_number, note) VALUES (?, ?, ?, ?, ?)",
            (day.isoformat(), now_iso(), actor, case_number, note),
        )
        audit.append(
            desk.db,
            "incident",
            who=actor,
            reason=note,
            case_number=case_number,
            details={"occurred_on": day.isoformat()},
        )
    click.echo(f"Đã ghi nhận sự cố ngày {vn_date(day)} / incident recorded.", err=True)
    next_step("báo cáo Lãnh đạo Ban; số sự cố có trong báo cáo 6 tháng / it is counted in the half-year report")


@incident.command(name="list")
@data_option
def incident_list(data: Path) -> None:
    """Liệt kê sự cố / List incidents."""
    desk = desk_at(data)
    rows = list(desk.db.execute("SELECT * FROM incidents ORDER BY occurred_on"))
    if not rows:
        click.echo("Chưa có sự cố nào được ghi nhận / no incident recorded.", err=True)
    for row in rows:
        click.echo(
            f"{vn_date(date.fromisoformat(row['occurred_on']))}  {row['case_number'] or '-'}  "
            f"{safe(row['note'], single_line=True)}"
        )


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
