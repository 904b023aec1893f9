"""``office report``, the operation: the half-year report on the whole plan, the Office's or a unit's.

A report covers a period that has ended (its cut-off, settings.toml [periods]), unless it
says on every page that its figures are provisional. It counts from the register's metadata
only (``half_year``), so it needs no key and can contain no reporter's identity nor any
report's content; ``content`` turns the figures into its text, ``docx`` and ``text`` lay it
out as Word, Markdown or CSV. The file is written whole or not at all.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import BinaryIO

from .. import notepad
from ..operation import CHOICE, DATE, FILE, FLAG, LONG_TEXT, OUT_FILE, DeskError, Done, Field, settings_of
from ..register import audit, units
from ..register.desk import Desk
from ..workflow.clock import parse_day, today, vn_date
from ..workflow.settings import Settings
from . import half_year

FORMATS = {"docx": ".docx", "md": ".md", "csv": ".csv"}
_FROM_FILE = (
    "... từ tệp văn bản (UTF-8 hoặc ANSI), mỗi dòng một đoạn",
    "from a text file (UTF-8 or ANSI), one paragraph a line",
)

REPORT = (
    Field(
        "period",
        "Kỳ báo cáo",
        "period",
        text="Kỳ báo cáo / period: 2026-H1 or 2026-H2 (ngày chốt số liệu: settings.toml [periods])",
    ),
    Field("start", "Hoặc từ ngày", "or from", kind=DATE, hint="(dd/mm/yyyy)", option="--from"),
    Field("end", "đến ngày (tính cả ngày này)", "to, inclusive", kind=DATE, hint="(dd/mm/yyyy)", option="--to"),
    Field("unit", "Báo cáo của một phòng, đơn vị gửi Văn phòng Ban", "a unit's own report to the Office"),
    Field(
        "provisional",
        "Lập khi kỳ chưa kết thúc, ghi SỐ LIỆU TẠM TÍNH",
        "before the period has ended, stamped provisional",
        kind=FLAG,
    ),
    Field(
        "difficulties", "Khó khăn, vướng mắc, kiến nghị", "difficulties and proposals", kind=LONG_TEXT, hint="(text)"
    ),
    Field("difficulties_file", *_FROM_FILE, kind=FILE),
    Field("next_tasks", "Nhiệm vụ trọng tâm kỳ tới", "tasks for the next period", kind=LONG_TEXT, hint="(text)"),
    Field("next_tasks_file", *_FROM_FILE, kind=FILE),
    Field("out", "Tệp", "file to write (.docx, .md or .csv; without one, .docx)", kind=OUT_FILE, required=True),
    Field(
        "fmt",
        "Định dạng (mặc định theo đuôi tệp)",
        "format (default: from the file name)",
        kind=CHOICE,
        choices={name: (name, name) for name in FORMATS},
        option="--format",
    ),
    Field("overwrite", "Ghi đè tệp đã có", "replace an existing file", kind=FLAG),
    Field(
        "issued_on",
        "Ngày ban hành",
        "date of the report (mặc định hôm nay / default today)",
        kind=DATE,
        option="--date",
    ),
)


def choose_period(settings: Settings, period: str | None, start: str | None, end: str | None) -> half_year.Period:
    """A half-year (2026-H1, 2026-H2) under the settings' cut-offs, or the days from ``start`` to ``end``."""
    try:
        if period and not (start or end):
            return half_year.half_year(period, settings)
        if start and end and not period:
            return half_year.custom_period(parse_day(start), parse_day(end))
    except ValueError as exc:
        raise DeskError(str(exc)) from None
    raise DeskError("chọn kỳ báo cáo / give --period 2026-H1, or both --from and --to")


def figures(desk: Desk, period: str, *, unit: str | None = None, provisional: bool = False) -> half_year.Figures:
    """The figures of a half-year (a unit's, if named) as the report counts them, for the window to show."""
    settings = settings_of(desk)
    chosen = choose_period(settings, period, None, None)
    now = today()
    check_period(chosen, now, now, provisional)
    return half_year.compute(desk.db, settings, chosen, now, unit=known_unit(desk, settings, unit) if unit else None)


def make_report(
    desk: Desk,
    *,
    out: Path,
    period: str | None = None,
    start: str | None = None,
    end: str | None = None,
    unit: str | None = None,
    provisional: bool = False,
    difficulties: str | None = None,
    difficulties_file: Path | None = None,
    next_tasks: str | None = None,
    next_tasks_file: Path | None = None,
    fmt: str | None = None,
    overwrite: bool = False,
    issued_on: str | None = None,
    stream: BinaryIO | None = None,
    who: str,
) -> Done:
    """Write the report to ``out`` (and the Markdown's chart beside it; a CSV's annex of cases beside it as
    ``annex_path(out)``); ``Done.out`` lists the files written.

    With ``stream`` (the window's download) the Word or CSV document is written there instead and nothing on
    disk; ``out`` then only names it (its format). The Word document holds its annex; a CSV's annex is
    ``reports.text.annex_csv(Done.value)``, a second download.
    """
    from . import content

    settings = settings_of(desk)
    now = today()
    chosen = choose_period(settings, period, start, end)
    notes: list[str] = []
    try:
        issued = parse_day(issued_on) if issued_on else now
        texts = content.Texts(
            difficulties=_lines(difficulties, difficulties_file, "--difficulties", notes),
            next_tasks=_lines(next_tasks, next_tasks_file, "--next-tasks", notes),
        )
        fmt, out = _output(out, fmt)
        if stream is not None and fmt == "md":
            raise ValueError(
                "báo cáo dạng Markdown gồm hai tệp (văn bản, biểu đồ): chọn docx hoặc csv / "
                "Markdown is two files: choose docx or csv"
            )
    except ValueError as exc:
        raise DeskError(str(exc)) from None
    done = Done(lines=notes)
    if settings.periods.legacy and chosen.deadline and chosen.last_day >= chosen.deadline:
        done.say(
            f"Lưu ý / note: kỳ báo cáo chốt số liệu hết ngày {vn_date(chosen.last_day)}, sau hạn gửi báo cáo "
            f"{vn_date(chosen.deadline)}; sửa [periods] trong settings.toml (h1_cutoff, h2_cutoff) / the cut-off "
            "falls after the deadline: set h1_cutoff and h2_cutoff in settings.toml"
        )
    try:
        done.say(*check_period(chosen, now, issued, provisional))
        if unit is not None:
            unit = known_unit(desk, settings, unit)
        for path in ((out, annex_path(out)) if fmt == "csv" else (out,)) if stream is None else ():
            if path.exists() and not overwrite:
                raise DeskError(
                    f"{path} đã có; chọn tên khác hoặc thêm --overwrite (tệp cũ có thể đã được điền số, người ký) "
                    f"/ {path} exists: choose another name, or add --overwrite"
                )
    except DeskError as exc:
        raise DeskError(str(exc), lines=done.lines) from None
    counted = half_year.compute(desk.db, settings, chosen, now, unit=unit)
    the = content.frame(counted, settings.report, settings.units, issued)
    blocks = content.body(counted, settings.report, the, texts)
    try:
        written = _write(out, fmt, counted, the, blocks) if stream is None else _into(stream, fmt, counted, the, blocks)
    except OSError as exc:
        raise DeskError(
            f"không ghi được {out} ({exc.strerror or exc}); nếu tệp đang mở trong Word, đóng tệp rồi chạy lại "
            "/ cannot write the file: close it if it is open, then run again",
            lines=done.lines,
        ) from None
    audit.record(
        desk.db,
        "report",
        who=who,
        reason=f"báo cáo {counted.period.label}" + (f" của {unit}" if unit else ""),
        details={
            "period": chosen.code,
            "format": fmt,
            "cases": counted.total,
            "activities": len(counted.activities),
            "unit": unit,
            "provisional": counted.provisional,
        },
    )
    done.out = [str(path) for path in written]
    done.value = counted
    state = f"SỐ LIỆU TẠM TÍNH đến ngày {vn_date(counted.as_of)}" if counted.provisional else "đã chốt / final"
    done.say(
        f"{counted.period.label} ({counted.period.span}; {state}): {counted.total} hồ sơ / cases, "
        f"{len(counted.activities)} hoạt động / activities, {len(counted.late)} bước trễ hạn / late steps, "
        f"{len(counted.forwarded)} đã chuyển / forwarded"
    )
    if fmt != "csv":
        done.say(*_font_note())
    if not (texts.difficulties and texts.next_tasks):
        done.say(
            "Còn chỗ để điền / still to fill in: khó khăn, vướng mắc và nhiệm vụ kỳ tới (--difficulties-file, "
            "--next-tasks-file) / the difficulties and next tasks"
        )
    return done.next("điền số văn bản, người ký trong tệp rồi trình ký / fill in the number and signer, then submit")


def check_period(chosen: half_year.Period, now: date, issued: date, provisional: bool) -> list[str]:
    """A report covers a period that has ended, unless it says on every page that its figures are provisional."""
    if not chosen.ended(now):
        if not provisional:
            raise DeskError(
                f"kỳ báo cáo {chosen.label} ({chosen.span}) chưa kết thúc: số liệu chốt hết ngày "
                f"{vn_date(chosen.last_day)}; lập báo cáo từ ngày {vn_date(chosen.last_day + timedelta(days=1))}, "
                "hoặc thêm --provisional để lập báo cáo SỐ LIỆU TẠM TÍNH / the period has not ended: wait for "
                "its cut-off, or add --provisional"
            )
        return []
    notes = []
    if provisional:
        notes.append(
            "Kỳ báo cáo đã kết thúc: báo cáo dùng số liệu đã chốt, không phải tạm tính / the period has ended: "
            "the figures are final"
        )
    if issued <= chosen.last_day:
        raise DeskError(
            f"--date {vn_date(issued)}: ngày ban hành phải sau ngày chốt số liệu {vn_date(chosen.last_day)} "
            "/ the report is dated after the cut-off"
        )
    return notes


def known_unit(desk: Desk, settings: Settings, unit: str) -> str:
    """A unit of settings.toml [units], of a case or of an activity; a typo is refused with the likely name."""
    unit = " ".join(unit.split())
    known = units.known(desk.db, settings.units)
    if unit in known:
        return unit
    close = difflib.get_close_matches(unit, sorted(known), n=3, cutoff=0.6)
    hint = f"; có phải / did you mean: {', '.join(close)}?" if close else ""
    listed = ", ".join(sorted(known)) or "(chưa có / none yet)"
    raise DeskError(
        f"không có đơn vị {unit!r} trong sổ và settings.toml [units] / unknown unit{hint} "
        f"(các đơn vị / units: {listed})"
    )


def _lines(text: str | None, path: Path | None, option: str, notes: list[str] | None = None) -> list[str]:
    """Paragraphs the Office wrote: one a line, from the option or from a text file as Notepad saves it (UTF-8 with
    or without a BOM, or ANSI, code page 1258: then ``notes`` receives a word about it)."""
    if text and path:
        raise ValueError(f"{option}: ghi nội dung hoặc tệp, không cả hai / give the text or the file, not both")
    if path is not None:
        if path.stat().st_size > 200_000:
            raise ValueError(f"{path}: tệp quá lớn (tối đa 200 KB) / file too large")
        try:
            read = notepad.read(path)
        except notepad.TextFileError as exc:
            raise ValueError(str(exc)) from None
        if read.legacy and notes is not None:
            notes.append(notepad.legacy_note(path))
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
    from .content import annex
    from .text import annex_csv

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


def _into(stream: BinaryIO, fmt: str, figures, the, blocks) -> list[Path]:
    """Write the Word or CSV document into ``stream``; no file is written."""
    if fmt == "csv":
        from .text import csv_text

        stream.write(csv_text(figures).encode("utf-8-sig"))
        return []
    from .chart import png
    from .content import annex
    from .docx import write

    write(stream, the, blocks, png(figures), annex(figures, the))
    return []


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


def _font_note() -> list[str]:
    from ..reports.chart import LAST_RESORT, font_name

    if font_name() != LAST_RESORT:
        return []
    return [
        "Lưu ý / note: máy không có phông Times New Roman hay Liberation Serif, biểu đồ dùng DejaVu Serif "
        "(Debian: apt-get install fonts-liberation2) / the chart falls back to DejaVu Serif"
    ]
