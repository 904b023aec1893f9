"""``office report``: the half-year report (Word, Markdown or CSV)."""

from __future__ import annotations

from pathlib import Path

import click

from ..register import audit
from ..reports import half_year
from ..workflow.clock import parse_day, today
from .common import by_option, data_option, desk_at, fail, next_step, settings_of, who


@click.command(name="report")
@click.option("--period", help="Kỳ báo cáo / period: 2026-H1 or 2026-H2 (ranh giới kỳ: settings.toml [periods])")
@click.option("--from", "start", help="Hoặc từ ngày / or from (dd/mm/yyyy)")
@click.option("--to", "end", help="đến ngày (tính cả ngày này) / to, inclusive (dd/mm/yyyy)")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, help="Tệp / file to write")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["docx", "md", "csv"]),
    help="Định dạng (mặc định theo đuôi tệp) / format (default: from the file name)",
)
@click.option("--date", "issued_on", help="Ngày ban hành / date of the report (mặc định hôm nay / default today)")
@data_option
@by_option
def report_command(
    period: str | None,
    start: str | None,
    end: str | None,
    out: Path,
    fmt: str | None,
    issued_on: str | None,
    data: Path,
    by: str | None,
) -> None:
    """Báo cáo định kỳ 6 tháng / The half-year report.

    \b
    office report --period 2026-H1 --out bao-cao-6-thang-dau-2026.docx
    office report --period 2026-H1 --out so-lieu.csv

    Counts cases from the register's metadata only: it needs no key and can
    contain no reporter's identity nor any report's content. The header
    (superior body, number, place, signer...) comes from settings.toml [report].
    """
    desk = desk_at(data)
    settings = settings_of(desk)
    try:
        issued = parse_day(issued_on) if issued_on else today()
        if period and not (start or end):
            chosen = half_year.half_year(period, settings)
        elif start and end and not period:
            chosen = half_year.custom_period(parse_day(start), parse_day(end))
        else:
            raise ValueError("give --period 2026-H1, or both --from and --to (chọn kỳ báo cáo)")
    except ValueError as exc:
        raise fail(str(exc)) from None
    fmt = fmt or {".md": "md", ".csv": "csv"}.get(out.suffix.lower(), "docx")
    figures = half_year.compute(desk.db, settings, chosen, issued)
    out.parent.mkdir(parents=True, exist_ok=True)
    written = [out]
    if fmt == "csv":
        from ..reports.text import csv_text

        out.write_text(csv_text(figures), encoding="utf-8-sig", newline="")
    else:
        from ..reports.chart import png

        image = png(figures)
        if fmt == "md":
            from ..reports.text import markdown

            chart = out.with_name(f"{out.stem}-bieu-do.png")
            chart.write_bytes(image)
            out.write_text(markdown(figures, settings.report, issued, chart.name), encoding="utf-8")
            written.append(chart)
        else:
            from ..reports.docx import write

            write(out, figures, settings.report, image, issued)
    audit.record(
        desk.db,
        "report",
        who=who(by),
        reason=f"báo cáo {figures.period.label}",
        details={"period": chosen.code, "format": fmt, "cases": figures.total},
    )
    for path in written:
        click.echo(str(path))
    click.echo(
        f"{figures.period.label} ({figures.period.span}): {figures.total} hồ sơ / cases, "
        f"{len(figures.overdue)} quá hạn / overdue, {len(figures.forwarded)} đã chuyển / forwarded",
        err=True,
    )
    next_step("điền số văn bản, người ký trong tệp rồi trình ký / fill in the number and signer, then submit")
