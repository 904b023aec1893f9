"""Commands that move a case through the plan's workflow, list what is due, and keep the settings.

Each command changes one thing, records it in the audit trail with who and
why, and ends by saying what to do next.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from intake_function import report

from .. import register, workflow
from ..register import audit, overview
from ..register.desk import Desk
from ..reports.half_year import describe_periods
from ..workflow import WorkflowError
from ..workflow import settings as settings_module
from ..workflow.clock import local_time, now_iso, parse_day, parse_local, vn_date
from .common import (
    by_option,
    data_option,
    desk_at,
    fail,
    find_case,
    next_step,
    settings_of,
    table_format_option,
    who,
)
from .terminal import safe


def _apply(
    data: Path, reference: str, action: str, by: str | None, why: str, on: str | None = None, **values
) -> register.Case:
    desk = desk_at(data)
    case = find_case(desk, reference)
    try:
        at = parse_local(on) if on else None
        case = workflow.transition(desk.db, case, action, settings_of(desk), who=who(by), why=why, at=at, **values)
    except (WorkflowError, ValueError) as exc:
        raise fail(str(exc)) from None
    _report_change(desk, case)
    return case


def _report_change(desk: Desk, case: register.Case) -> None:
    click.echo(f"{case.number}: {workflow.bilingual(workflow.STATUSES, case.status)}", err=True)
    if case.track == "denunciation":
        click.echo(
            f"  Tố cáo đã thụ lý ngày {local_time(case.accepted_at)[:10]}, quyết định {case.acceptance_ref} / "
            "accepted denunciation",
            err=True,
        )
    settings = settings_of(desk)
    owed = [n for n in register.notices_of(desk.db, case.id) if n.given_at is None]
    for due in workflow.deadlines(case, settings, owed):
        click.echo(f"  Hạn / deadline: {due.label}: {vn_date(due.due_on)}", err=True)
        if due.statutory:
            click.echo(f"    căn cứ / basis: {due.basis}", err=True)
    if workflow.needs_leaders(case):
        click.echo(
            "  Cần báo cáo Lãnh đạo Ban (vụ việc được đánh dấu) / report this case to the Board's leaders, then: "
            f"office flag {case.number} --leaders-informed",
            err=True,
        )
    for notice in owed:
        click.echo(
            f"  Khi đã thông báo / once told: office notify {case.number} --to {notice.recipient} --about "
            f'{notice.about} --how "..."',
            err=True,
        )
    next_step(workflow.next_step(case))


reference_argument = click.argument("reference", metavar="ID")
on_option = click.option(
    "--on", help="Ngày thực hiện nếu không phải hôm nay / when it happened, if not now (dd/mm/yyyy [hh:mm])"
)


@click.command()
@reference_argument
@click.option(
    "--competence",
    type=click.Choice(list(workflow.COMPETENCE)),
    required=True,
    help="Thẩm quyền / competence: within (thuộc thẩm quyền của Ban), outside (không thuộc thẩm quyền của Ban)",
)
@click.option(
    "--category", type=click.Choice(list(report.categories())), help="Sửa loại nội dung / correct the category"
)
@click.option(
    "--again",
    is_flag=True,
    help="Phân loại lại hồ sơ đã phân loại, trước khi giao hay chuyển (cần --note) / correct the classification of "
    "a classified case, before it is assigned or forwarded (needs --note)",
)
@click.option("--note", default="", help="Ghi chú / why")
@on_option
@data_option
@by_option
def classify(
    reference: str,
    competence: str,
    category: str | None,
    again: bool,
    note: str,
    on: str | None,
    data: Path,
    by: str | None,
) -> None:
    """Phân loại, xác định thẩm quyền / Classify a case: within the Board's competence or not.

    Mỗi hồ sơ được phân loại một lần, từ bước "Đã tiếp nhận". Để sửa phân loại trước khi giao
    hay chuyển hồ sơ: dùng --again kèm --note nêu lý do.

    A case is classified once, from "Đã tiếp nhận". To correct the classification
    before the case is assigned or forwarded: --again with --note saying why.
    """
    if again and not note.strip():
        raise fail('phải nêu lý do phân loại lại: --note "..." / say why the classification changes: --note "..."')
    why = note or "phân loại"
    _apply(data, reference, "classify", by, why, on=on, competence=competence, category=category, again=again)


@click.command()
@reference_argument
@click.option("--unit", required=True, help="Phòng, đơn vị xử lý / the unit that handles it")
@click.option("--head", help="Người đứng đầu đơn vị (chịu trách nhiệm) / its head, responsible under the plan")
@click.option("--note", default="", help="Ghi chú / why")
@on_option
@data_option
@by_option
def assign(reference: str, unit: str, head: str | None, note: str, on: str | None, data: Path, by: str | None) -> None:
    """Giao đơn vị xử lý / Assign a case within the Board's competence to a unit.

    Người đứng đầu đơn vị lấy từ mục [units] của settings.toml, trừ khi có --head.

    The unit's head comes from [units] in settings.toml unless --head is given.
    """
    desk = desk_at(data)
    known = {*settings_of(desk).units, *(c.unit for c in register.all_cases(desk.db) if c.unit)}
    if unit not in known and (near := workflow.similar_units(unit, known)):
        raise fail(
            f"chưa có đơn vị {unit!r}; ý bạn là {' hoặc '.join(repr(n) for n in near)}? Đơn vị mới thì thêm vào "
            f"mục [units] của settings.toml / no unit {unit!r} yet; did you mean {' or '.join(repr(n) for n in near)}? "
            "A new unit goes under [units] in settings.toml first"
        )
    head = head or settings_of(desk).units.get(unit)
    if not head:
        raise fail(
            f'chưa rõ người đứng đầu {unit!r}: dùng --head "Họ và tên", hoặc thêm vào mục [units] của settings.toml / '
            f'who heads {unit!r}? give --head "Full name", or add it under [units] in settings.toml'
        )
    _apply(data, reference, "assign", by, note or f"giao {unit}", on=on, unit=unit, head=head)


@click.command()
@reference_argument
@click.option("--to", "authority", required=True, help="Cơ quan có thẩm quyền / the competent authority")
@click.option("--note", default="", help="Ghi chú, số văn bản chuyển / note, reference of the letter")
@click.option(
    "--denunciation",
    is_flag=True,
    help="Chuyển một tố cáo có danh tính (người tố cáo được thông báo) / a named denunciation is transferred "
    "(the denouncer is to be told)",
)
@click.option("--decision", help="Số văn bản chuyển tố cáo / reference of the transfer letter")
@on_option
@data_option
@by_option
def forward(
    reference: str,
    authority: str,
    note: str,
    denunciation: bool,
    decision: str | None,
    on: str | None,
    data: Path,
    by: str | None,
) -> None:
    """Chuyển cơ quan có thẩm quyền / Forward a case outside the Board's competence.

    Sau đó chuẩn bị hồ sơ để chuyển bằng `office export ID --out THƯ-MỤC` (không có danh tính
    người phản ánh, đã xóa siêu dữ liệu). Với --denunciation, người tố cáo phải được thông báo
    việc chuyển (Luật Tố cáo 2018 Điều 9): `office due` nhắc việc này và `office notice ID
    --kind transferred` lập dự thảo thông báo.

    Then prepare the package with `office export ID --out FOLDER` (no reporter identity, metadata stripped).
    With --denunciation the denouncer is owed a notice of the transfer (Luật Tố cáo 2018 Điều 9):
    `office due` reminds of it and `office notice ID --kind transferred` drafts it.
    """
    why = note or f"chuyển {authority}"
    case = _apply(
        data, reference, "forward", by, why, on=on, authority=authority, denunciation=denunciation, decision=decision
    )
    next_step(f"office export {case.number} --out FOLDER (hồ sơ không có danh tính để chuyển / package to send)")


@click.command()
@reference_argument
@click.option("--note", required=True, help="Kết quả đã biết, đôn đốc... / what is known of the result")
@on_option
@data_option
@by_option
def follow(reference: str, note: str, on: str | None, data: Path, by: str | None) -> None:
    """Theo dõi kết quả xử lý / Record a follow-up of the result (handled or forwarded)."""
    _apply(data, reference, "follow", by, note, on=on, note=note)


@click.command()
@reference_argument
@click.option("--result", required=True, help="Kết quả, kết luận / the result")
@on_option
@data_option
@by_option
def conclude(reference: str, result: str, on: str | None, data: Path, by: str | None) -> None:
    """Kết thúc hồ sơ / Conclude a case with its result."""
    _apply(data, reference, "conclude", by, result, on=on, result=result)


@click.command()
@reference_argument
@click.option("--reason", required=True, help="Lý do không xem xét, xử lý / why it is not taken up")
@on_option
@data_option
@by_option
def reject(reference: str, reason: str, on: str | None, data: Path, by: str | None) -> None:
    """Không xem xét, xử lý (nêu lý do) / Do not take a case up, with the reason.

    Dùng cho phản ánh. Tố cáo có danh tính mà không thụ lý thì ghi nhận bằng office decline;
    người tố cáo phải được thông báo việc đó.

    For a report (phản ánh). A named denunciation that is not accepted is recorded
    with office decline (không thụ lý), which owes the denouncer a notice.
    """
    _apply(data, reference, "reject", by, reason, on=on, reason=reason)


@click.command()
@reference_argument
@click.option("--reason", required=True, help="Lý do mở lại (thông tin mới...) / why (new information...)")
@on_option
@data_option
@by_option
def reopen(reference: str, reason: str, on: str | None, data: Path, by: str | None) -> None:
    """Mở lại hồ sơ đã kết thúc / Reopen a concluded case, or one not taken up.

    Dùng khi có thông tin mới về hồ sơ đã kết thúc: hồ sơ trở về bước "Đã tiếp nhận" và được
    phân loại lại; kết quả trước vẫn lưu trong nhật ký. Tố cáo đã thụ lý trở về diện phản ánh:
    thông tin mới cần một quyết định mới (office accept).

    For new information on a closed case: it goes back to "received" and is
    classified again; the earlier result stays in the audit trail. An accepted
    denunciation goes back to the phản ánh track: new information needs a new
    decision (office accept).
    """
    _apply(data, reference, "reopen", by, reason, on=on)


@click.command()
@reference_argument
@click.option("--reason", required=True, help="Lý do gia hạn (vụ việc phức tạp) / why (a complex case)")
@click.option("--decision", help="Số quyết định gia hạn (tố cáo) / reference of the extension decision")
@on_option
@data_option
@by_option
def extend(reference: str, reason: str, decision: str | None, on: str | None, data: Path, by: str | None) -> None:
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
    _apply(data, reference, "extend", by, reason, on=on, reason=reason, decision=decision)


@click.command()
@reference_argument
@click.option("--decision", required=True, help="Số quyết định thụ lý / the thụ lý decision's reference")
@click.option(
    "--conditions-met",
    is_flag=True,
    help="Xác nhận đã kiểm tra đủ các điều kiện thụ lý (không hỏi lại) / confirm the conditions were checked",
)
@click.option("--note", default="", help="Ghi chú / why")
@click.option("--on", help="Ngày ra quyết định thụ lý / the decision's date (dd/mm/yyyy; mặc định: hôm nay)")
@data_option
@by_option
def accept(
    reference: str, decision: str, conditions_met: bool, note: str, on: str | None, data: Path, by: str | None
) -> None:
    """Ghi nhận quyết định thụ lý tố cáo / Record the decision to accept a denunciation (thụ lý).

    \b
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
    case = find_case(desk, reference)
    if case.channel in ("online", "hotline", "email"):
        channel = workflow.bilingual(workflow.CHANNELS, case.channel)
        click.echo(
            f"Lưu ý / note: phản ánh nhận qua kênh {channel} không tự nó là tố cáo theo hình thức của Điều 22-23 "
            "(đơn, hoặc trình bày trực tiếp); việc kênh này có được coi là một hình thức tố cáo hay không CHƯA được "
            "kiểm chứng. / A report received this way is not by itself a denunciation in the form the law sets.",
            err=True,
        )
    confirmed = _confirm_conditions(conditions_met)
    why = note or f"thụ lý tố cáo, quyết định {decision}"
    case = _apply(data, reference, "accept", by, why, on=on, decision=decision, conditions=confirmed)
    click.echo(
        "  Nhắc / reminder: thông báo thụ lý cho người tố cáo VÀ thông báo nội dung tố cáo cho người bị tố cáo "
        "trong 05 ngày làm việc (Điều 29) / tell the denouncer AND the person denounced within 05 working days. "
        f"Dự thảo / draft: office notice {case.number} --kind accepted --out FILE.docx",
        err=True,
    )


def _confirm_conditions(conditions_met: bool) -> list[int]:
    """Ask the clerk, condition by condition; or take --conditions-met. Returns the confirmed numbers."""
    numbered = list(enumerate(workflow.ACCEPTANCE_CONDITIONS, start=1))
    if conditions_met:
        click.echo("Điều kiện thụ lý đã được xác nhận / conditions confirmed:", err=True)
        for number, (vi, en) in numbered:
            click.echo(f"  {number}. {vi} / {en}", err=True)
        return [number for number, _ in numbered]
    if not sys.stdin.isatty():
        raise fail(
            "chưa xác nhận các điều kiện thụ lý: kiểm tra từng điều kiện, rồi chạy lại với --conditions-met "
            "(hoặc chạy lệnh tại bàn phím để trả lời từng câu hỏi); chưa ghi nhận gì / the conditions for "
            "acceptance are not confirmed: check them, then run again with --conditions-met; nothing was "
            "recorded: " + "; ".join(f"{number}. {vi}" for number, (vi, _) in numbered)
        )
    for number, (vi, en) in numbered:
        if not click.confirm(f"{number}. {vi} / {en}?", default=False, err=True):
            raise fail(
                f"không đủ điều kiện thụ lý (điều kiện {number}); chưa ghi nhận gì. Ghi nhận không thụ lý bằng "
                'office decline ID --reason "...", hoặc xử lý hồ sơ như phản ánh / condition '
                f"{number} is not met: the denunciation is not accepted; record it with office decline, or handle "
                "the case as a report"
            )
    return [number for number, _ in numbered]


@click.command()
@reference_argument
@click.option(
    "--reason",
    required=True,
    help="Lý do không thụ lý, viết để thông báo cho người tố cáo / why, in words for the denouncer",
)
@click.option("--decision", help="Số văn bản (nếu có) / reference of the written decision, if any")
@on_option
@data_option
@by_option
def decline(reference: str, reason: str, decision: str | None, on: str | None, data: Path, by: str | None) -> None:
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
    case = _apply(data, reference, "decline", by, reason, on=on, reason=reason, decision=decision)
    click.echo(
        f"  Dự thảo thông báo / draft the notice: office notice {case.number} --kind not-accepted --out FILE.docx",
        err=True,
    )


@click.command()
@reference_argument
@click.option(
    "--set",
    "add",
    multiple=True,
    type=click.Choice(list(workflow.FLAGS)),
    help="Đánh dấu / set: complex (phức tạp), prolonged (kéo dài), many-people (đông người), over-levels (vượt cấp)",
)
@click.option("--clear", "remove", multiple=True, type=click.Choice(list(workflow.FLAGS)), help="Bỏ dấu / clear")
@click.option("--leaders-informed", is_flag=True, help="Đã báo cáo Lãnh đạo Ban / the Board's leaders were told")
@click.option("--note", default="", help="Ghi chú / why")
@on_option
@data_option
@by_option
def flag(
    reference: str,
    add: tuple[str, ...],
    remove: tuple[str, ...],
    leaders_informed: bool,
    note: str,
    on: str | None,
    data: Path,
    by: str | None,
) -> None:
    """Đánh dấu vụ việc cần báo cáo Lãnh đạo Ban / Flag a case the plan says to report to the leaders."""
    if not (add or remove or leaders_informed):
        raise fail("nêu việc cần đổi / say what to change: --set FLAG, --clear FLAG or --leaders-informed")
    desk = desk_at(data)
    case = find_case(desk, reference)
    try:
        case = workflow.set_flags(
            desk.db,
            case,
            add=list(add),
            remove=list(remove),
            leaders_informed=leaders_informed,
            who=who(by),
            reason=note or "đánh dấu",
            at=parse_local(on) if on else None,
        )
    except (WorkflowError, ValueError) as exc:
        raise fail(str(exc)) from None
    flags = ", ".join(workflow.bilingual(workflow.FLAGS, f) for f in sorted(case.flag_set)) or "-"
    click.echo(f"{case.number}: {flags}", err=True)
    _report_change(desk, case)


@click.command()
@reference_argument
@click.option("--how", required=True, help="Đã thông báo thế nào / how the reporter was told (gọi điện, thư...)")
@click.option(
    "--to",
    type=click.Choice(list(workflow.NOTICE_TO)),
    help="Người được thông báo / who was told: reporter (người phản ánh), denouncer (người tố cáo), "
    "denounced (người bị tố cáo)",
)
@click.option(
    "--about",
    type=click.Choice(list(workflow.NOTICE_ABOUT)),
    help="Thông báo về việc gì (khi có nhiều thông báo chờ gửi) / which notice, when several are owed",
)
@on_option
@data_option
@by_option
def notify(
    reference: str, how: str, to: str | None, about: str | None, on: str | None, data: Path, by: str | None
) -> None:
    """Ghi nhận đã thông báo / Record that the reporter, the denouncer or the person denounced was told.

    Phản ánh: người được thông báo là người phản ánh (--to reporter, mặc định). Tố cáo đã thụ lý
    có hai thông báo (Điều 29): cho người tố cáo và, về nội dung tố cáo, cho người bị tố cáo;
    ghi nhận từng thông báo với --to tương ứng.

    A report (phản ánh): the reporter (--to reporter, the default). An accepted
    denunciation owes two notices (Điều 29): to the denouncer and, of the
    content, to the person denounced; record each with its --to.
    """
    desk = desk_at(data)
    try:
        at = parse_local(on) if on else None
        case, said = workflow.record_notice(
            desk.db, find_case(desk, reference), how=how, who=who(by), to=to, about=about, at=at
        )
    except (WorkflowError, ValueError) as exc:
        raise fail(str(exc)) from None
    click.echo(f"{case.number}: đã ghi nhận / recorded: {said}", err=True)
    _report_change(desk, case)


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
