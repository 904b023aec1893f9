"""``office protection`` and ``office unit-report``: the faces of ``office/register/protection_records.py``."""

from __future__ import annotations

from pathlib import Path

import click

from ..register import protection_records as records
from ..workflow.case_actions import ACTIONS
from .common import by_option, data_option, desk_at, options, tell, who
from .terminal import safe


def _clean(text: str) -> str:
    return safe(text, single_line=True)


@click.command(name="protect", help=ACTIONS["protect"].help)
@click.argument("reference", metavar="ID")
@options(records.MEASURE)
@data_option
@by_option
def protect(reference: str, data: Path, by: str | None, **values) -> None:
    tell(records.add_measure(desk_at(data), reference, who=who(by), **values))


@click.group(name="protection")
def protection_group() -> None:
    """Biện pháp bảo vệ người phản ánh, tố giác / Measures protecting a reporter.

    Mỗi biện pháp (ghi bằng office protect ID) qua các bước: đề nghị (requested), quyết định
    (decided), áp dụng (applied), không áp dụng (declined), chấm dứt (ended); mỗi bước ghi ai,
    ngày nào, vào nhật ký. Báo cáo 6 tháng liệt kê các biện pháp ở nhiệm vụ 5.

    Each measure (recorded with office protect ID) goes through stages:
    requested, decided, applied, declined, ended; each stage records who and
    when, in the audit trail. The half-year report lists the measures under
    task 5.
    """


@protection_group.command(name="stage")
@click.argument("measure", type=int, metavar="SỐ")
@options(records.STAGE[1:])
@data_option
@by_option
def protection_stage(measure: int, data: Path, by: str | None, **values) -> None:
    """Ghi nhận bước tiếp theo của một biện pháp / Record the next stage of a measure."""
    tell(records.add_stage(desk_at(data), measure=measure, who=who(by), **values))


@protection_group.command(name="list")
@click.argument("reference", metavar="ID", required=False)
@data_option
def protection_list(reference: str | None, data: Path) -> None:
    """Liệt kê các biện pháp bảo vệ (của một hồ sơ) / List the protection measures (of one case)."""
    found = records.measures(desk_at(data), reference)
    if not found:
        click.echo(records.NO_MEASURE, err=True)
    for line in records.measure_lines(found, _clean):
        click.echo(line)


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
@options(records.UNIT_REPORT)
@data_option
@by_option
def unit_report_add(data: Path, by: str | None, **values) -> None:
    """Ghi nhận đã nhận báo cáo của một đơn vị / Record that a unit's report arrived."""
    tell(records.record_unit_report(desk_at(data), who=who(by), **values))


@unit_report_group.command(name="list")
@options(records.UNIT_REPORT_LIST)
@data_option
def unit_report_list(period: str, data: Path) -> None:
    """Các báo cáo đơn vị đã nhận trong một kỳ / The units' reports received for a period."""
    found = records.unit_reports(desk_at(data), period=period)
    if not found:
        click.echo(records.NO_UNIT_REPORT, err=True)
    for item in found:
        click.echo(safe(records.unit_report_line(item)))


COMMANDS = [protect, protection_group, unit_report_group]
