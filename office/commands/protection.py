"""``office protection`` and ``office unit-report``: the protection of reporters, and the units' own reports.

Both record what the plan asks the Office to keep (``office/register/protection.py``): each stage of
a measure protecting a reporter (requested, decided, applied, declined, ended: by whom, when), and
the receipt of each unit's half-year report (IV.3). The half-year report shows both.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..register import protection
from ..reports.half_year import PERIOD_RE
from ..workflow.clock import now_iso, parse_day, today, vn_date
from .common import by_option, data_option, desk_at, fail, find_case, next_step, who
from .terminal import safe

STAGE_HELP = ", ".join(f"{code} ({vi.lower()})" for code, (vi, _) in protection.STAGES.items())
KIND_HELP = ", ".join(f"{code} ({vi.lower()})" for code, (vi, _) in protection.KINDS.items())
by_whom_option = click.option(
    "--by-whom",
    required=True,
    help="Ai đề nghị, quyết định, áp dụng (chức vụ, cơ quan; không ghi danh tính người phản ánh) / who requested, "
    "decided or applied it (a post, a body; never the reporter's identity)",
)
on_option = click.option("--on", help="Ngày / the day (dd/mm/yyyy; mặc định hôm nay / default today)")
note_option = click.option("--note", default="", help="Ghi chú, số văn bản / a note, a document's reference")


@click.group(name="protection")
def protection_group() -> None:
    """Biện pháp bảo vệ người phản ánh, tố giác / Measures protecting a reporter.

    Mỗi biện pháp qua các bước: đề nghị (requested), quyết định (decided), áp dụng (applied),
    không áp dụng (declined), chấm dứt (ended); mỗi bước ghi ai, ngày nào, vào nhật ký. Báo cáo 6
    tháng liệt kê các biện pháp ở nhiệm vụ 5.

    Each measure goes through stages: requested, decided, applied, declined,
    ended; each stage records who and when, in the audit trail. The half-year
    report lists the measures under task 5.
    """


@protection_group.command(name="add")
@click.argument("reference", metavar="ID")
@click.option("--kind", type=click.Choice(list(protection.KINDS)), required=True, help=f"Biện pháp / kind: {KIND_HELP}")
@click.option("--what", required=True, help="Nội dung biện pháp, không ghi danh tính / what it is, no identity")
@click.option(
    "--stage",
    type=click.Choice(["requested", "decided"]),
    default="requested",
    show_default=True,
    help="Bước đầu tiên / the first stage: requested (đề nghị) or decided (quyết định áp dụng)",
)
@by_whom_option
@on_option
@note_option
@data_option
@by_option
def protection_add(
    reference: str,
    kind: str,
    what: str,
    stage: str,
    by_whom: str,
    on: str | None,
    note: str,
    data: Path,
    by: str | None,
) -> None:
    """Ghi nhận một biện pháp bảo vệ / Record a protection measure (its first stage)."""
    desk = desk_at(data)
    case = find_case(desk, reference)
    try:
        day = parse_day(on) if on else today()
        number = protection.add_measure(
            desk.db,
            case_id=case.id,
            case_number=case.number,
            kind=kind,
            what=what,
            stage=stage,
            on=day,
            by_whom=by_whom,
            note=note,
            who=who(by),
            now=now_iso(),
            today=today(),
        )
    except (ValueError, protection.ProtectionError) as exc:
        raise fail(str(exc)) from None
    click.echo(str(number))
    click.echo(f"Đã ghi nhận biện pháp số {number} / measure {number} recorded ({case.number})", err=True)
    next_step(f'office protection stage {number} --stage decided|applied --by-whom "..." (bước tiếp / next stage)')


@protection_group.command(name="stage")
@click.argument("measure", type=int, metavar="SỐ")
@click.option("--stage", type=click.Choice(list(protection.STAGES)), required=True, help=f"Bước / stage: {STAGE_HELP}")
@by_whom_option
@on_option
@note_option
@data_option
@by_option
def protection_stage(
    measure: int, stage: str, by_whom: str, on: str | None, note: str, data: Path, by: str | None
) -> None:
    """Ghi nhận bước tiếp theo của một biện pháp / Record the next stage of a measure."""
    desk = desk_at(data)
    try:
        day = parse_day(on) if on else today()
        protection.add_stage(
            desk.db,
            measure_id=measure,
            stage=stage,
            on=day,
            by_whom=by_whom,
            note=note,
            who=who(by),
            now=now_iso(),
            today=today(),
        )
    except (ValueError, protection.ProtectionError) as exc:
        raise fail(str(exc)) from None
    click.echo(
        f"Biện pháp số {measure}: {protection.STAGES[stage][0]} ngày {vn_date(day)} / measure {measure}: {stage}",
        err=True,
    )


@protection_group.command(name="list")
@click.argument("reference", metavar="ID", required=False)
@data_option
def protection_list(reference: str | None, data: Path) -> None:
    """Liệt kê các biện pháp bảo vệ (của một hồ sơ) / List the protection measures (of one case)."""
    desk = desk_at(data)
    case_id = find_case(desk, reference).id if reference else None
    found = protection.measures(desk.db, case_id)
    if not found:
        click.echo("Chưa có biện pháp bảo vệ nào / no protection measure recorded.", err=True)
    for line in measure_lines(found):
        click.echo(line)


def measure_lines(found: list[protection.Measure]) -> list[str]:
    """Each measure, then each of its stages: the lines of ``protection list`` and of ``office show``."""
    lines = []
    for item in found:
        lines.append(
            f"{item.id}  {item.case_number}  {protection.KINDS[item.kind][0]}: {safe(item.what, single_line=True)}"
        )
        for event in item.events:
            note = f" ({safe(event.note, single_line=True)})" if event.note else ""
            lines.append(
                f"    {vn_date(event.on)}  {protection.STAGES[event.stage][0]} / {event.stage}: "
                f"{safe(event.by, single_line=True)}{note}"
            )
    return lines


@click.group(name="unit-report")
def unit_report_group() -> None:
    """Báo cáo của các phòng, đơn vị gửi Văn phòng Ban / The units' own reports to the Office.

    Kế hoạch (mục IV.3): các phòng, đơn vị gửi báo cáo về Văn phòng Ban trước ngày 05/6 và 05/12.
    Ghi nhận ngày nhận từng báo cáo; báo cáo 6 tháng của Văn phòng Ban cho biết đơn vị nào đã gửi.

    The plan (IV.3): the units send the Office their report before 05/6 and
    05/12. Record the day each arrives; the Office's half-year report says
    which units sent theirs.
    """


@unit_report_group.command(name="add")
@click.option("--unit", required=True, help="Phòng, đơn vị / the unit")
@click.option("--period", required=True, help="Kỳ báo cáo / period: 2026-H1 or 2026-H2")
@click.option("--on", help="Ngày nhận / the day it arrived (dd/mm/yyyy; mặc định hôm nay / default today)")
@click.option("--reference", help="Số, ký hiệu văn bản / the report's number")
@data_option
@by_option
def unit_report_add(unit: str, period: str, on: str | None, reference: str | None, data: Path, by: str | None) -> None:
    """Ghi nhận đã nhận báo cáo của một đơn vị / Record that a unit's report arrived."""
    desk = desk_at(data)
    code = period.strip().upper()
    if not PERIOD_RE.fullmatch(code):
        raise fail(f"{period!r}: kỳ báo cáo phải có dạng 2026-H1 hoặc 2026-H2 / a period is like 2026-H1 or 2026-H2")
    try:
        day = parse_day(on) if on else today()
        protection.record_unit_report(
            desk.db,
            unit=unit,
            period=code,
            received_on=day,
            reference=reference,
            who=who(by),
            now=now_iso(),
            today=today(),
        )
    except (ValueError, protection.ProtectionError) as exc:
        raise fail(str(exc)) from None
    click.echo(f"Đã ghi nhận báo cáo {code} của {unit}, nhận ngày {vn_date(day)} / recorded", err=True)


@unit_report_group.command(name="list")
@click.option("--period", required=True, help="Kỳ báo cáo / period: 2026-H1 or 2026-H2")
@data_option
def unit_report_list(period: str, data: Path) -> None:
    """Các báo cáo đơn vị đã nhận trong một kỳ / The units' reports received for a period."""
    desk = desk_at(data)
    found = protection.unit_reports(desk.db, period.strip().upper())
    if not found:
        click.echo("Chưa nhận báo cáo nào của kỳ này / no report received for this period.", err=True)
    for item in sorted(found.values(), key=lambda r: (r.received_on, r.unit)):
        click.echo(f"{vn_date(item.received_on)}  {safe(item.unit, single_line=True)}  {item.reference or '-'}")


COMMANDS = [protection_group, unit_report_group]
