"""``office report``: the half-year report on the whole plan (Word, Markdown or CSV), the Office's or a unit's."""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import click

from .. import notepad
from ..register import activities, audit
from ..reports import half_year
from ..workflow.clock import parse_day, today, vn_date
from .common import by_option, data_option, desk_at, fail, next_step, settings_of, who

FORMATS = {"docx": ".docx", "md": ".md", "csv": ".csv"}


@click.command(name="report")
@click.option("--period", help="Kỳ báo cáo / period: 2026-H1 or 2026-H2 (ngày chốt số liệu: settings.toml [periods])")
@click.option("--from", "start", help="Hoặc từ ngày / or from (dd/mm/yyyy)")
@click.option("--to", "end", help="đến ngày (tính cả ngày này) / to, inclusive (dd/mm/yyyy)")
@click.option("--unit", help="Báo cáo của một phòng, đơn vị gửi Văn phòng Ban / a unit's own report to the Office")
@click.option(
    "--provisional",
    is_flag=True,
    help="Lập khi kỳ chưa kết thúc, ghi SỐ LIỆU TẠM TÍNH / before the period has ended, stamped provisional",
)
@click.option("--difficulties", help="Khó khăn, vướng mắc, kiến nghị / difficulties and proposals (text)")
@click.option(
    "--difficulties-file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="... từ tệp văn bản (UTF-8 hoặc ANSI), mỗi dòng một đoạn / from a text file, one paragraph a line",
)
@click.option("--next-tasks", help="Nhiệm vụ trọng tâm kỳ tới / tasks for the next period (text)")
@click.option(
    "--next-tasks-file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="... từ tệp văn bản (UTF-8 hoặc ANSI), mỗi dòng một đoạn / from a text file, one paragraph a line",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    required=True,
    help="Tệp / file to write (.docx, .md or .csv; without one, .docx)",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    help="Định dạng (mặc định theo đuôi tệp) / format (default: from the file name)",
)
@click.option("--overwrite", is_flag=True, help="Ghi đè tệp đã có / replace an existing file")
@click.option("--date", "issued_on", help="Ngày ban hành / date of the report (mặc định hôm nay / default today)")
@data_option
@by_option
def report_command(
    period: str | None,
    start: str | None,
    end: str | None,
    unit: str | None,
    provisional: bool,
    difficulties: str | None,
    difficulties_file: Path | None,
    next_tasks: str | None,
    next_tasks_file: Path | None,
    out: Path,
    fmt: str | None,
    overwrite: bool,
    issued_on: str | None,
    data: Path,
    by: str | None,
) -> None:
    """Báo cáo định kỳ 6 tháng / The half-year report.

    \b
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
    from ..reports import content

    desk = desk_at(data)
    settings = settings_of(desk)
    now = today()
    try:
        issued = parse_day(issued_on) if issued_on else now
        if period and not (start or end):
            chosen = half_year.half_year(period, settings)
        elif start and end and not period:
            chosen = half_year.custom_period(parse_day(start), parse_day(end))
        else:
            raise ValueError("chọn kỳ báo cáo / give --period 2026-H1, or both --from and --to")
        texts = content.Texts(
            difficulties=_lines(difficulties, difficulties_file, "--difficulties"),
            next_tasks=_lines(next_tasks, next_tasks_file, "--next-tasks"),
        )
        fmt, out = _output(out, fmt)
    except ValueError as exc:
        raise fail(str(exc)) from None
    if settings.periods.legacy and chosen.deadline and chosen.last_day >= chosen.deadline:
        click.echo(
            f"Lưu ý / note: kỳ báo cáo chốt số liệu hết ngày {vn_date(chosen.last_day)}, sau hạn gửi báo cáo "
            f"{vn_date(chosen.deadline)}; sửa [periods] trong settings.toml (h1_cutoff, h2_cutoff) / the cut-off "
            "falls after the deadline: set h1_cutoff and h2_cutoff in settings.toml",
            err=True,
        )
    _check_period(chosen, now, issued, provisional)
    if unit is not None:
        unit = _known_unit(desk, settings, unit)
    for path in (out, annex_path(out)) if fmt == "csv" else (out,):
        if path.exists() and not overwrite:
            raise fail(
                f"{path} đã có; chọn tên khác hoặc thêm --overwrite (tệp cũ có thể đã được điền số, người ký) "
                f"/ {path} exists: choose another name, or add --overwrite"
            )
    figures = half_year.compute(desk.db, settings, chosen, now, unit=unit)
    the = content.frame(figures, settings.report, settings.units, issued)
    blocks = content.body(figures, settings.report, the, texts)
    try:
        written = _write(out, fmt, figures, the, blocks)
    except OSError as exc:
        raise fail(
            f"không ghi được {out} ({exc.strerror or exc}); nếu tệp đang mở trong Word, đóng tệp rồi chạy lại "
            "/ cannot write the file: close it if it is open, then run again"
        ) from None
    audit.record(
        desk.db,
        "report",
        who=who(by),
        reason=f"báo cáo {figures.period.label}" + (f" của {unit}" if unit else ""),
        details={
            "period": chosen.code,
            "format": fmt,
            "cases": figures.total,
            "activities": len(figures.activities),
            "unit": unit,
            "provisional": figures.provisional,
        },
    )
    for path in written:
        click.echo(str(path))
    state = f"SỐ LIỆU TẠM TÍNH đến ngày {vn_date(figures.as_of)}" if figures.provisional else "đã chốt / final"
    click.echo(
        f"{figures.period.label} ({figures.period.span}; {state}): {figures.total} hồ sơ / cases, "
        f"{len(figures.activities)} hoạt động / activities, {len(figures.late)} bước trễ hạn / late steps, "
        f"{len(figures.forwarded)} đã chuyển / forwarded",
        err=True,
    )
    if fmt != "csv":
        _font_note()
    if not (texts.difficulties and texts.next_tasks):
        click.echo(
            "Còn chỗ để điền / still to fill in: khó khăn, vướng mắc và nhiệm vụ kỳ tới (--difficulties-file, "
            "--next-tasks-file) / the difficulties and next tasks",
            err=True,
        )
    next_step("điền số văn bản, người ký trong tệp rồi trình ký / fill in the number and signer, then submit")


def _check_period(chosen: half_year.Period, now, issued, provisional: bool) -> None:
    """A report covers a period that has ended, unless it says on every page that its figures are provisional."""
    if not chosen.ended(now):
        if not provisional:
            raise fail(
                f"kỳ báo cáo {chosen.label} ({chosen.span}) chưa kết thúc: số liệu chốt hết ngày "
                f"{vn_date(chosen.last_day)}; lập báo cáo từ ngày {vn_date(chosen.last_day + timedelta(days=1))}, "
                "hoặc thêm --provisional để lập báo cáo SỐ LIỆU TẠM TÍNH / the period has not ended: wait for "
                "its cut-off, or add --provisional"
            )
        return
    if provisional:
        click.echo(
            "Kỳ báo cáo đã kết thúc: báo cáo dùng số liệu đã chốt, không phải tạm tính / the period has ended: "
            "the figures are final",
            err=True,
        )
    if issued <= chosen.last_day:
        raise fail(
            f"--date {vn_date(issued)}: ngày ban hành phải sau ngày chốt số liệu {vn_date(chosen.last_day)} "
            "/ the report is dated after the cut-off"
        )


def _known_unit(desk, settings, unit: str) -> str:
    """A unit of settings.toml [units], of a case or of an activity; a typo is refused with the likely name."""
    unit = " ".join(unit.split())
    known = set(settings.units) | activities.units(desk.db)
    known |= {row[0] for row in desk.db.execute("SELECT DISTINCT unit FROM cases WHERE unit IS NOT NULL")}
    if unit in known:
        return unit
    close = difflib.get_close_matches(unit, sorted(known), n=3, cutoff=0.6)
    hint = f"; có phải / did you mean: {', '.join(close)}?" if close else ""
    listed = ", ".join(sorted(known)) or "(chưa có / none yet)"
    raise fail(
        f"không có đơn vị {unit!r} trong sổ và settings.toml [units] / unknown unit{hint} "
        f"(các đơn vị / units: {listed})"
    )


def _lines(text: str | None, path: Path | None, option: str) -> list[str]:
    """Paragraphs the Office wrote: one a line, from the option or from a UTF-8 file (Notepad's BOM allowed)."""
    if text and path:
        raise ValueError(f"{option}: ghi nội dung hoặc tệp, không cả hai / give the text or the file, not both")
    if path is not None:
        if path.stat().st_size > 200_000:
            raise ValueError(f"{path}: tệp quá lớn (tối đa 200 KB) / file too large")
        try:
            read = notepad.read(path)  # as Notepad saves it: UTF-8 with or without a BOM, or ANSI (code page 1258)
        except notepad.TextFileError as exc:
            raise ValueError(str(exc)) from None
        if read.legacy:
            click.echo(notepad.legacy_note(path), err=True)
        text = read.text
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def _output(out: Path, fmt: str | None) -> tuple[str, Path]:
    """The format and the file: from the name's extension, or the extension added to a name without one."""
    by_suffix = {suffix: name for name, suffix in FORMATS.items()}
    suffix = out.suffix.lower()
    if fmt is None:
        fmt = by_suffix.get(suffix, "docx")
    if suffix in by_suffix and by_suffix[suffix] != fmt:
        raise ValueError(f"--out {out.name} không khớp --format {fmt} / the file name does not match the format")
    if suffix != FORMATS[fmt]:
        out = out.with_name(out.name + FORMATS[fmt])
    return fmt, out


def _write(out: Path, fmt: str, figures, the, blocks) -> list[Path]:
    """Write the report (and the Markdown's chart) whole or not at all; the Word and Markdown reports end with
    their annex of cases, the CSV has its annex beside it as a second CSV."""
    from ..reports.content import annex
    from ..reports.text import annex_csv

    out.parent.mkdir(parents=True, exist_ok=True)
    written = _write_report(out, fmt, figures, the, blocks, annex(figures, the))
    if fmt != "csv":
        return written
    listed = annex_csv(figures)
    _atomic(annex_path(out), lambda path: path.write_text(listed, encoding="utf-8-sig", newline=""))
    return [*written, annex_path(out)]


def annex_path(out: Path) -> Path:
    """The annex's CSV, beside the figures': so-lieu.csv -> so-lieu-phu-luc.csv."""
    return out.with_name(f"{out.stem}-phu-luc.csv")


def _write_report(out: Path, fmt: str, figures, the, blocks, cases) -> list[Path]:
    if fmt == "csv":
        from ..reports.text import csv_text

        text = csv_text(figures)
        _atomic(out, lambda path: path.write_text(text, encoding="utf-8-sig", newline=""))
        return [out]
    from ..reports.chart import png

    image = png(figures)
    if fmt == "md":
        from ..reports.text import markdown

        chart = out.with_name(f"{out.stem}-bieu-do.png")
        _atomic(chart, lambda path: path.write_bytes(image))
        text = markdown(the, blocks, chart.name, cases)
        _atomic(out, lambda path: path.write_text(text, encoding="utf-8"))
        return [out, chart]
    from ..reports.docx import write

    _atomic(out, lambda path: write(path, the, blocks, image, cases))
    return [out]


def _atomic(target: Path, produce: Callable[[Path], object]) -> None:
    """``produce`` writes a temporary file beside ``target``, which then replaces it in one step."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        produce(temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _font_note() -> None:
    from ..reports.chart import LAST_RESORT, font_name

    if font_name() == LAST_RESORT:
        click.echo(
            "Lưu ý / note: máy không có phông Times New Roman hay Liberation Serif, biểu đồ dùng DejaVu Serif "
            "(Debian: apt-get install fonts-liberation2) / the chart falls back to DejaVu Serif",
            err=True,
        )
