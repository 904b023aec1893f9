"""``office report``: the half-year report on the whole plan (Word, Markdown or CSV), the Office's or a unit's."""

from __future__ import annotations

from pathlib import Path

import click

from ..reports import produce
from .common import by_option, data_option, desk_at, options, tell, who


@click.command(name="report")
@options(produce.REPORT)
@data_option
@by_option
def report_command(data: Path, by: str | None, **values) -> None:
    """Báo cáo định kỳ 6 tháng / The half-year report.

    
    office report --period 2026-H2 --out bao-cao-6-thang-cuoi-2026.docx
    office report --period 2026-H2 --unit "Phòng Quản lý doanh nghiệp" --out bao-cao-phong.docx
    office report --period 2026-H2 --out so-lieu.csv

    Mỗi nhiệm vụ của Kế hoạch (II.1 đến II.5) một mục, gồm hồ sơ và các hoạt động đã ghi bằng
    `office activity add`, tiếp theo là khó khăn, vướng mắc và nhiệm vụ kỳ tới (--difficulties,
    --next-tasks, hoặc chỗ để điền). Kỳ báo cáo kết thúc ở ngày chốt số liệu (settings.toml
    [periods]); kỳ chưa kết thúc thì bị từ chối, trừ khi có --provisional. Số liệu chỉ lấy từ
    thông tin quản lý của sổ: không cần khóa, và không thể chứa danh tính người phản ánh hay nội
    dung phản ánh. Phần đầu báo cáo (cơ quan chủ quản, số, địa danh, người ký...) lấy từ
    settings.toml [report].

    One section per task of the plan (II.1 to II.5) with the cases and the
    activities recorded with `office activity add`, then the difficulties and
    the tasks of the next period (--difficulties, --next-tasks, or a
    placeholder to fill in). A period ends at its cut-off (settings.toml
    [periods]); one that has not ended is refused unless --provisional.
    Counts from the register's metadata only: it needs no key and can contain
    no reporter's identity nor any report's content. The header (superior
    body, number, place, signer...) comes from settings.toml [report].
    """
    tell(produce.make_report(desk_at(data), who=who(by), **values))
