"""The Office's settings: deadlines, the working calendar, report periods and the report's header.

They live in ``<data>/settings.toml``, a text file the Office edits. Every value
has a default, written below as the very text that ``office settings --init``
puts in the file, with the reason for each default beside it: a deadline either
cites a source verified in the project's legal research (LEGAL_FACTS.md) or is
marked as the Board's own choice. Nothing here asserts a legal fact that the
research did not verify; such items are placeholders in square brackets that
the Office fills in once.

A missing file means "all defaults". A key that is misspelt is an error, not
silently ignored: a deadline that quietly stays at its default is worse than a
command that refuses to start.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from .. import notepad

FILE_NAME = "settings.toml"

DEFAULT_TEXT = r'''# Cài đặt của Văn phòng Ban / the Office's settings.
# Sửa tệp này rồi chạy `office settings` để kiểm tra. Edit, then run `office settings` to check.
# Mỗi thời hạn ghi rõ căn cứ: văn bản pháp luật đã kiểm chứng, hoặc "Lựa chọn của Ban".
# Every deadline names its basis: a verified legal text, or "the Board's choice".

[deadlines]
# Báo "sắp đến hạn" trước bao nhiêu ngày / warn this many days before a deadline.
# Lựa chọn của Ban / the Board's choice.
due_soon_days = 3

# Each step: days, kind = "working" (ngày làm việc) or "calendar" (ngày), and its basis.
[deadlines.received]
label = "Phân loại, xác định thẩm quyền / classify and decide competence"
days = 7
kind = "working"
basis = """Lựa chọn của Ban (the Board's choice). Quy định 07 ngày làm việc của Luật Tố cáo 2018 \
(Điều 24) CHƯA được kiểm chứng: xác nhận trước khi viện dẫn."""

[deadlines.classified]
label = "Giao đơn vị xử lý hoặc chuyển cơ quan có thẩm quyền / assign to a unit or forward"
days = 5
kind = "working"
basis = "Lựa chọn của Ban (the Board's choice)."

[deadlines.handling]
label = "Giải quyết / resolve"
days = 30
kind = "calendar"
basis = """Luật Tố cáo 2018 (25/2018/QH14) Điều 30: không quá 30 ngày kể từ ngày thụ lý; gia hạn \
một lần (vụ việc phức tạp) hoặc hai lần (đặc biệt phức tạp), mỗi lần không quá 30 ngày. Văn bản năm 2018: \
kiểm tra sửa đổi của Luật 136/2025/QH15 (hiệu lực 01/7/2026)."""
extension_days = 30
max_extensions = 2

[deadlines.forwarded]
label = "Theo dõi kết quả cơ quan được chuyển / follow the result of a forwarded case"
days = 30
kind = "calendar"
basis = "Lựa chọn của Ban (the Board's choice)."

[deadlines.following]
label = "Kết thúc hồ sơ sau khi có kết quả / close the case once the result is known"
days = 10
kind = "working"
basis = "Lựa chọn của Ban (the Board's choice)."

[deadlines.notify]
label = "Thông báo việc thụ lý cho người tố cáo có danh tính / tell a named denouncer the case was accepted"
days = 5
kind = "working"
basis = """Luật Tố cáo 2018 (25/2018/QH14) Điều 29: 05 ngày làm việc kể từ ngày ra quyết định thụ lý. \
Áp dụng khi giao xử lý hồ sơ không ẩn danh. Văn bản năm 2018: kiểm tra sửa đổi của Luật 136/2025/QH15."""
enabled = true

[calendar]
# Ngày nghỉ lễ, Tết (ngày/tháng/năm, ví dụ "02/09/2026") không tính là ngày làm việc; ngày làm bù
# vào thứ Bảy, Chủ nhật. Ví dụ / e.g. holidays = ["01/09/2026", "02/09/2026"]
# Public holidays (not working days) and weekend days worked in exchange, written dd/mm/yyyy.
holidays = []
working_weekend_days = []

[periods]
# Kỳ báo cáo 6 tháng / half-year periods, as "MM-DD" of their first day.
# Mặc định: tháng 1–6 và tháng 7–12 (lựa chọn của Ban). Kế hoạch yêu cầu báo cáo trước ngày 05/6
# và 05/12, nên Ban có thể chọn kỳ khác, ví dụ h1_start = "12-05" (từ 05/12 năm trước) và h2_start = "06-05".
# Default: January–June and July–December (the Board's choice).
h1_start = "01-01"
h2_start = "07-01"

[report]
# Thể thức theo Nghị định 30/2020/NĐ-CP. Ô trong [ ] là chỗ Văn phòng điền một lần.
# Layout after Decree 30/2020/ND-CP; text in [ ] is a placeholder for the Office to fill in once.
# Cơ quan chủ quản: có thể là "ỦY BAN NHÂN DÂN TỈNH AN GIANG" (suy luận, chưa kiểm chứng).
superior_body = "[TÊN CƠ QUAN CHỦ QUẢN]"
issuing_body = "BAN QUẢN LÝ KHU KINH TẾ"
number = "Số:        /BC-[KÝ HIỆU]"
place = "[Địa danh]"
title = "BÁO CÁO"
subject = "Kết quả tiếp nhận, xử lý phản ánh, tố giác về tham nhũng, lãng phí, tiêu cực {period}"
plan_reference = """Kế hoạch [số, ngày] của Ban Quản lý Khu kinh tế tỉnh An Giang triển khai thực hiện \
công tác bảo vệ người phát hiện, tố giác, đấu tranh chống tham nhũng, lãng phí, tiêu cực"""
recipients = ["Lãnh đạo Ban;", "Lưu: VT, VP."]
signature_authority = ""
signature_title = "[CHỨC VỤ NGƯỜI KÝ]"
signer = "[Họ và tên]"
# Bảng danh sách hồ sơ (chuyển, quá hạn) in tối đa chừng này dòng; bản CSV có đủ.
# The lists of forwarded and overdue cases show at most this many rows; the CSV has them all.
list_limit = 100

[units]
# Phòng, đơn vị và người đứng đầu / units and their heads, e.g.
# "Văn phòng Ban" = "Họ và tên"
# `office assign ID --unit "Văn phòng Ban"` then fills in the head.
'''

STEPS = ("received", "classified", "handling", "forwarded", "following")


class SettingsError(ValueError):
    """The settings file cannot be used; the message names the key and what is wrong."""


@dataclass(frozen=True)
class Deadline:
    label: str
    days: int
    kind: str  # "working" or "calendar"
    basis: str
    extension_days: int = 0
    max_extensions: int = 0
    enabled: bool = True


@dataclass(frozen=True)
class Settings:
    path: Path | None
    due_soon_days: int
    deadlines: dict[str, Deadline]
    notify: Deadline
    holidays: frozenset[date]
    working_weekend_days: frozenset[date]
    h1_start: tuple[int, int]
    h2_start: tuple[int, int]
    report: dict[str, Any]
    units: dict[str, str]


def defaults() -> dict[str, Any]:
    return tomllib.loads(DEFAULT_TEXT)


def load(data_dir: Path) -> Settings:
    """The settings of a data folder: its settings.toml over the defaults."""
    path = data_dir / FILE_NAME
    raw = defaults()
    if path.exists():
        try:
            user = tomllib.loads(notepad.read(path).text)  # as Notepad saves it: a BOM, or ANSI
        except notepad.TextFileError as exc:
            raise SettingsError(str(exc)) from None
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path}: tệp không đúng cú pháp TOML / not a valid TOML file ({exc})") from None
        raw = _merge(raw, user, path.name)
    return _build(raw, path if path.exists() else None)


def write_defaults(data_dir: Path) -> Path:
    """Create settings.toml with the documented defaults; never overwrite the Office's edits."""
    path = data_dir / FILE_NAME
    if path.exists():
        raise SettingsError(f"tệp {path} đã có: sửa tệp đó / already exists; edit it, or move it away to start again")
    data_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(DEFAULT_TEXT, encoding="utf-8")
    return path


def _merge(base: dict[str, Any], user: dict[str, Any], where: str) -> dict[str, Any]:
    merged = dict(base)
    for key, value in user.items():
        name = f"{where}.{key}" if where else key
        if key not in base and not where.endswith("units"):
            raise SettingsError(
                f"{name}: không có mục cài đặt này, kiểm tra chính tả / unknown setting, check the spelling"
            )
        if isinstance(base.get(key), dict) and not where.endswith("units"):
            if not isinstance(value, dict):
                raise SettingsError(f"{name}: cần một mục / expected a table [{key}]")
            merged[key] = _merge(base[key], value, name)
        else:
            merged[key] = value
    return merged


def _positive_int(value: Any, name: str, minimum: int = 0) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise SettingsError(f"{name}: cần số nguyên ≥ {minimum} / expected a whole number ≥ {minimum}, got {value!r}")
    return value


def _deadline(raw: dict[str, Any], name: str) -> Deadline:
    kind = raw.get("kind")
    if kind not in ("working", "calendar"):
        raise SettingsError(f'deadlines.{name}.kind: cần / expected "working" or "calendar", got {kind!r}')
    return Deadline(
        label=str(raw.get("label", name)),
        days=_positive_int(raw.get("days"), f"deadlines.{name}.days", 1),
        kind=kind,
        basis=str(raw.get("basis", "")),
        extension_days=_positive_int(raw.get("extension_days", 0), f"deadlines.{name}.extension_days"),
        max_extensions=_positive_int(raw.get("max_extensions", 0), f"deadlines.{name}.max_extensions"),
        enabled=bool(raw.get("enabled", True)),
    )


def _dates(values: Any, name: str) -> frozenset[date]:
    """Dates written as the Office writes them ("02/09/2026"), or as TOML and ISO do (2026-09-02)."""
    if not isinstance(values, list):
        raise SettingsError(f'{name}: cần một danh sách ngày như ["02/09/2026"] / expected a list of dates')
    out = set()
    for value in values:
        if isinstance(value, date):
            out.add(value)
            continue
        text = str(value).strip()
        try:
            out.add(datetime.strptime(text, "%d/%m/%Y").date() if "/" in text else date.fromisoformat(text))
        except ValueError:
            raise SettingsError(
                f"{name}: {value!r} không phải ngày dạng ngày/tháng/năm (02/09/2026) / is not a date dd/mm/yyyy"
            ) from None
    return frozenset(out)


def _month_day(value: Any, name: str) -> tuple[int, int]:
    try:
        month, day = (int(part) for part in str(value).split("-"))
        date(2024, month, day)  # a leap year, so that 02-29 is caught only if truly invalid
    except ValueError:
        raise SettingsError(f'{name}: cần dạng / expected "MM-DD", got {value!r}') from None
    if (month, day) == (2, 29):
        raise SettingsError(f"{name}: 02-29 không có ở mọi năm, chọn ngày khác / does not exist every year")
    return month, day


def _build(raw: dict[str, Any], path: Path | None) -> Settings:
    deadlines = raw["deadlines"]
    report = raw["report"]
    if not isinstance(report.get("recipients"), list):
        raise SettingsError("report.recipients: cần danh sách các dòng / expected a list of lines")
    _positive_int(report.get("list_limit"), "report.list_limit", 1)
    units = raw.get("units", {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in units.items()):
        raise SettingsError('units: mỗi dòng dạng / expected lines like "Tên đơn vị" = "Người đứng đầu"')
    h1 = _month_day(raw["periods"]["h1_start"], "periods.h1_start")
    h2 = _month_day(raw["periods"]["h2_start"], "periods.h2_start")
    if h1 == h2:
        raise SettingsError("periods: h1_start và h2_start phải khác nhau / must differ")
    return Settings(
        path=path,
        due_soon_days=_positive_int(deadlines["due_soon_days"], "deadlines.due_soon_days"),
        deadlines={step: _deadline(deadlines[step], step) for step in STEPS},
        notify=_deadline(deadlines["notify"], "notify"),
        holidays=_dates(raw["calendar"]["holidays"], "calendar.holidays"),
        working_weekend_days=_dates(raw["calendar"]["working_weekend_days"], "calendar.working_weekend_days"),
        h1_start=h1,
        h2_start=h2,
        report=report,
        units=units,
    )
