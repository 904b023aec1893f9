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
from datetime import date, datetime, timedelta
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

# Hai diện hồ sơ / two tracks. Mọi hồ sơ là phản ánh, kiến nghị, xử lý theo Kế hoạch của Ban, với thời
# hạn do Ban chọn (các mục received ... report_notice). Chỉ khi Văn phòng ghi nhận quyết định thụ lý một
# tố cáo (office accept) thì hồ sơ mới theo thời hạn của Luật Tố cáo (denunciation, notify, notices),
# tính từ ngày thụ lý. Every case is a report, with the Board's own deadlines, unless the Office records
# a thụ lý decision on a denunciation: then the Law on Denunciations' time limits run from that date.

# Mỗi bước: số ngày (days), kind = "working" (ngày làm việc) hoặc "calendar" (ngày), và căn cứ (basis).
# Each step: days, kind = "working" or "calendar", and its basis.
[deadlines.received]
label = "Phân loại, xác định thẩm quyền / classify and decide competence"
days = 7
kind = "working"
basis = """Lựa chọn của Ban (the Board's choice). Quy định 07 ngày làm việc của Luật Tố cáo 2018 \
(Điều 24) CHƯA được kiểm chứng: xác nhận trước khi viện dẫn. Văn bản năm 2018: kiểm tra văn bản đã sửa đổi \
theo Luật 136/2025/QH15 (hiệu lực 01/7/2026)."""

[deadlines.classified]
label = "Giao đơn vị xử lý hoặc chuyển cơ quan có thẩm quyền / assign to a unit or forward"
days = 5
kind = "working"
basis = "Lựa chọn của Ban (the Board's choice)."

[deadlines.handling]
label = "Xử lý phản ánh, kiến nghị / handle the report"
days = 30
kind = "calendar"
basis = """Lựa chọn của Ban (the Board's choice), cho phản ánh, kiến nghị. Thời hạn giải quyết của Luật \
Tố cáo chỉ áp dụng cho tố cáo đã thụ lý: xem [deadlines.denunciation]."""
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

[deadlines.report_notice]
label = "Thông báo cho người phản ánh có danh tính về việc xử lý / tell a named reporter how it is handled"
days = 5
kind = "working"
basis = """Lựa chọn của Ban (the Board's choice), cho phản ánh, kiến nghị; không phải thời hạn của Luật \
Tố cáo. Tính từ khi giao đơn vị hoặc chuyển cơ quan có thẩm quyền; trả lời qua mã tra cứu cũng được tính."""
enabled = true

# Tố cáo đã thụ lý / accepted denunciations (office accept).
[deadlines.denunciation]
label = "Giải quyết tố cáo, từ ngày thụ lý / resolve the denunciation, from its acceptance"
days = 30
kind = "calendar"
basis = """Luật Tố cáo 2018 (25/2018/QH14) Điều 30: không quá 30 ngày kể từ ngày thụ lý; gia hạn \
một lần (vụ việc phức tạp) hoặc hai lần (đặc biệt phức tạp), mỗi lần không quá 30 ngày. Văn bản năm 2018: \
kiểm tra văn bản đã sửa đổi theo Luật 136/2025/QH15 (hiệu lực 01/7/2026)."""
extension_days = 30
max_extensions = 2

[deadlines.notify]
label = "Thông báo thụ lý (người tố cáo), nội dung tố cáo (người bị tố cáo) / the notices of acceptance"
days = 5
kind = "working"
basis = """Luật Tố cáo 2018 (25/2018/QH14) Điều 29: trong 05 ngày làm việc kể từ ngày ra quyết định \
thụ lý, thông báo cho người tố cáo và thông báo về nội dung tố cáo cho người bị tố cáo. Văn bản năm 2018: \
kiểm tra văn bản đã sửa đổi theo Luật 136/2025/QH15 (hiệu lực 01/7/2026)."""
enabled = true

[deadlines.notices]
label = "Thông báo không thụ lý, chuyển, gia hạn, kết luận tố cáo / non-acceptance, transfer, extension, conclusion"
days = 5
kind = "working"
basis = """Lựa chọn của Ban (the Board's choice). Quyền được thông báo: Luật Tố cáo 2018 Điều 9 khoản 1 \
điểm c (cả kết luận nội dung tố cáo); việc gia hạn được thông báo cả cho người bị tố cáo (Điều 30); kết luận \
được gửi cả cho người bị tố cáo. Thời hạn thông báo theo luật CHƯA được kiểm chứng. Văn bản năm 2018: kiểm tra \
văn bản đã sửa đổi theo Luật 136/2025/QH15 (hiệu lực 01/7/2026)."""
enabled = true

[calendar]
# Ngày nghỉ lễ, Tết (ngày/tháng/năm, ví dụ "02/09/2026") không tính là ngày làm việc; ngày làm bù
# vào thứ Bảy, Chủ nhật. Ví dụ / e.g. holidays = ["01/09/2026", "02/09/2026"]
# Public holidays (not working days) and weekend days worked in exchange, written dd/mm/yyyy.
holidays = []
working_weekend_days = []

[periods]
# Kỳ báo cáo 6 tháng / half-year report periods.
# Kế hoạch của Ban (mục IV.3): các phòng, đơn vị gửi báo cáo về Văn phòng Ban trước ngày 05/6 và 05/12
# hằng năm. Vì vậy số liệu được chốt trước các ngày đó: mỗi kỳ kết thúc vào ngày chốt số liệu của kỳ,
# kỳ sau bắt đầu từ ngày kế tiếp (kỳ 6 tháng đầu năm 2026: từ 16/11/2025 đến hết 15/5/2026).
# The plan (IV.3): units report to the Office before 05/6 and 05/12 every year, so each period ends
# at a cut-off before that day and the next period starts the day after.
# Ngày chốt số liệu "MM-DD": LỰA CHỌN CỦA BAN, giá trị mặc định của công cụ, KHÔNG phải quy định
# pháp luật; Ban xác nhận hoặc sửa. Cut-off days: the Board's choice (the tool's default), not a legal rule.
h1_cutoff = "05-15"
h2_cutoff = "11-15"
# Hạn gửi báo cáo theo Kế hoạch (mục IV.3): trước ngày 05/6 và 05/12. Ngày chốt phải trước hạn này.
# Deadlines of the plan (IV.3); each cut-off must come before its deadline.
h1_deadline = "06-05"
h2_deadline = "12-05"

[report]
# Thể thức theo Nghị định 30/2020/NĐ-CP. Ô trong [ ] là chỗ Văn phòng điền một lần.
# Layout after Decree 30/2020/ND-CP; text in [ ] is a placeholder for the Office to fill in once.
# Cơ quan chủ quản: có thể là "ỦY BAN NHÂN DÂN TỈNH AN GIANG" (suy luận, chưa kiểm chứng).
superior_body = "[TÊN CƠ QUAN CHỦ QUẢN]"
issuing_body = "BAN QUẢN LÝ KHU KINH TẾ"
number = "Số:        /BC-[KÝ HIỆU]"
# Số của thông báo về tố cáo và của hồ sơ chuyển, giao; để trống thì lấy theo "number", thay BC bằng TB (thông
# báo) hoặc PC (phiếu chuyển). Chữ viết tắt theo Phụ lục III Nghị định 30/2020 CHƯA được kiểm chứng: Ban xác nhận.
# The numbers of notices and of exported cases; empty: "number" with TB or PC in place of BC (to confirm).
notice_number = ""
transfer_number = ""
place = "[Địa danh]"
title = "BÁO CÁO"
# Trích yếu; {period} là "6 tháng đầu năm 2026" hoặc "6 tháng cuối năm 2026".
subject = """Kết quả thực hiện công tác bảo vệ người phát hiện, tố giác, đấu tranh chống tham nhũng, \
lãng phí, tiêu cực {period}"""
# Đơn vị tổng hợp báo cáo (chủ ngữ của câu mở đầu "Thực hiện ..., Văn phòng Ban báo cáo ...").
# The unit that compiles the report (Kế hoạch IV.1: Văn phòng Ban); also the default unit of an activity.
compiled_by = "Văn phòng Ban"
plan_reference = """Kế hoạch [số, ngày] của Ban Quản lý Khu kinh tế tỉnh An Giang triển khai thực hiện \
công tác bảo vệ người phát hiện, tố giác, đấu tranh chống tham nhũng, lãng phí, tiêu cực"""
recipients = ["Lãnh đạo Ban;", "Lưu: VT, VP."]
signature_authority = ""
signature_title = "[CHỨC VỤ NGƯỜI KÝ]"
signer = "[Họ và tên]"
# Bảng danh sách hồ sơ (chuyển, quá hạn) in tối đa chừng này dòng; bản CSV có đủ.
# The lists of forwarded and overdue cases show at most this many rows; the CSV has them all.
list_limit = 100
# Báo cáo của một phòng, đơn vị gửi Văn phòng Ban (office report --unit "..."): số, nơi nhận, chức vụ người ký.
# A unit's own report to the Office: its number, recipients and the signer's title (the signer is its head).
unit_number = "Số:        /BC-[KÝ HIỆU ĐƠN VỊ]"
unit_recipients = ["Văn phòng Ban (để tổng hợp);", "Lưu: VT."]
unit_signature_title = "[CHỨC VỤ NGƯỜI ĐỨNG ĐẦU ĐƠN VỊ]"

[desk]
# Cửa sổ làm việc (office desk) tự khóa sau chừng này phút không dùng, và hỏi lại mật khẩu.
# The desk's window locks itself after this many minutes without use, and asks for the passphrase again.
lock_after_minutes = 15

[units]
# Phòng, đơn vị và người đứng đầu / units and their heads, e.g.
# "Văn phòng Ban" = "Họ và tên"
# Khi đó `office assign ID --unit "Văn phòng Ban"` tự điền người đứng đầu / then office assign fills in the head.
'''

STEPS = ("received", "classified", "handling", "forwarded", "following")

# What a deadline citing the 2018 text must say (every ``basis`` that cites Luật Tố cáo 2018 carries it).
AMENDMENT_NOTE = "kiểm tra văn bản đã sửa đổi theo Luật 136/2025/QH15 (hiệu lực 01/7/2026)"

# Defaults of the release before the two tracks, as `office settings --init` wrote them. A file that
# still holds one of these texts unchanged gets today's default instead: the old texts ran Điều 29
# and Điều 30 from the assignment of a unit, which the law does not say. A value the Office edited
# is kept as it is.
PREVIOUS_DEFAULTS: dict[tuple[str, str], str] = {
    ("received", "basis"): "Lựa chọn của Ban (the Board's choice). Quy định 07 ngày làm việc của Luật Tố cáo 2018 "
    "(Điều 24) CHƯA được kiểm chứng: xác nhận trước khi viện dẫn.",
    ("handling", "label"): "Giải quyết / resolve",
    ("handling", "basis"): "Luật Tố cáo 2018 (25/2018/QH14) Điều 30: không quá 30 ngày kể từ ngày thụ lý; gia hạn "
    "một lần (vụ việc phức tạp) hoặc hai lần (đặc biệt phức tạp), mỗi lần không quá 30 ngày. Văn bản năm 2018: "
    "kiểm tra sửa đổi của Luật 136/2025/QH15 (hiệu lực 01/7/2026).",
    ("notify", "label"): "Thông báo việc thụ lý cho người tố cáo có danh tính / tell a named denouncer the case "
    "was accepted",
    ("notify", "basis"): "Luật Tố cáo 2018 (25/2018/QH14) Điều 29: 05 ngày làm việc kể từ ngày ra quyết định thụ "
    "lý. Áp dụng khi giao xử lý hồ sơ không ẩn danh. Văn bản năm 2018: kiểm tra sửa đổi của Luật 136/2025/QH15.",
    # Before the conclusion's notice (issue 21).
    ("notices", "label"): "Thông báo không thụ lý, chuyển tố cáo, gia hạn / tell of a non-acceptance, a transfer, an "
    "extension",
    ("notices", "basis"): "Lựa chọn của Ban (the Board's choice). Quyền được thông báo: Luật Tố cáo 2018 Điều 9 khoản "
    "1 điểm c; việc gia hạn được thông báo cả cho người bị tố cáo (Điều 30). Thời hạn thông báo theo luật CHƯA được "
    "kiểm chứng. Văn bản năm 2018: kiểm tra văn bản đã sửa đổi theo Luật 136/2025/QH15 (hiệu lực 01/7/2026).",
}


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
    deadlines: dict[str, Deadline]  # the steps of a case, phản ánh track (the Board's choice)
    report_notice: Deadline  # tell a named reporter how the report is handled (the Board's choice)
    denunciation: Deadline  # Điều 30: resolve an accepted denunciation, from the thụ lý date
    notify: Deadline  # Điều 29: the notices after a thụ lý decision
    notices: Deadline  # the other notices to a denouncer (not accepted, transferred, extended)
    holidays: frozenset[date]
    working_weekend_days: frozenset[date]
    periods: Periods
    report: dict[str, Any]
    units: dict[str, str]
    outdated: tuple[str, ...] = ()  # keys whose text was a previous default, replaced by today's
    lock_after_minutes: float = 15  # the desk's window locks after this long without use


@dataclass(frozen=True)
class Periods:
    """When each half-year period ends (its cut-off) and when its report is due, as (month, day).

    ``legacy`` is set when the file still gives the periods by their first days (``h1_start``,
    ``h2_start``, as the first release wrote it): the cut-offs are then the days before, and
    may fall after the deadlines, which ``office report`` points out.
    """

    h1_cutoff: tuple[int, int]
    h2_cutoff: tuple[int, int]
    h1_deadline: tuple[int, int]
    h2_deadline: tuple[int, int]
    legacy: bool = False


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
        outdated = _drop_previous_defaults(user)
        raw = _merge(raw, user, path.name)
        return _build(raw, path, outdated)
    return _build(raw, None)


def _drop_previous_defaults(user: dict[str, Any]) -> tuple[str, ...]:
    """Forget the values that are a previous release's default, unchanged; name them."""
    dropped = []
    deadlines = user.get("deadlines")
    if not isinstance(deadlines, dict):
        return ()
    for (step, key), text in PREVIOUS_DEFAULTS.items():
        table = deadlines.get(step)
        if isinstance(table, dict) and table.get(key) == text:
            del table[key]
            dropped.append(f"deadlines.{step}.{key}")
    return tuple(dropped)


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
        legacy = where.endswith("periods") and key in LEGACY_PERIOD_KEYS
        if key not in base and not where.endswith("units") and not legacy:
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


# The first release described the periods by their first days; a file written then still loads.
LEGACY_PERIOD_KEYS = ("h1_start", "h2_start")


def _periods(raw: dict[str, Any]) -> Periods:
    deadlines = tuple(_month_day(raw[k], f"periods.{k}") for k in ("h1_deadline", "h2_deadline"))
    legacy = [k for k in LEGACY_PERIOD_KEYS if k in raw]
    if legacy:
        if len(legacy) == 1:
            raise SettingsError(f"[periods]: chỉ có {legacy[0]}; hãy ghi h1_cutoff, h2_cutoff / give both or neither")
        defaults_ = defaults()["periods"]
        if any(raw[k] != defaults_[k] for k in ("h1_cutoff", "h2_cutoff")):
            raise SettingsError(
                "[periods]: chỉ ghi ngày chốt số liệu h1_cutoff, h2_cutoff, bỏ h1_start, h2_start (cách ghi cũ) / "
                "give the cut-offs or the old first days, not both"
            )
        h1_start = _month_day(raw["h1_start"], "periods.h1_start")
        h2_start = _month_day(raw["h2_start"], "periods.h2_start")
        if h1_start == h2_start:
            raise SettingsError(
                "[periods]: h1_start và h2_start phải là hai ngày khác nhau / h1_start and h2_start must differ"
            )
        # A period ends the day before the other one starts (counted in a common year).
        h1_cutoff, h2_cutoff = _day_before(h2_start), _day_before(h1_start)
    else:
        h1_cutoff = _month_day(raw["h1_cutoff"], "periods.h1_cutoff")
        h2_cutoff = _month_day(raw["h2_cutoff"], "periods.h2_cutoff")
        if not h1_cutoff < h2_cutoff:
            raise SettingsError(
                "[periods]: ngày chốt kỳ đầu năm phải trước ngày chốt kỳ cuối năm / h1_cutoff must come before "
                f"h2_cutoff in the year (h1_cutoff = {raw['h1_cutoff']!r}, h2_cutoff = {raw['h2_cutoff']!r})"
            )
        for half, cutoff, deadline in (("h1", h1_cutoff, deadlines[0]), ("h2", h2_cutoff, deadlines[1])):
            if not cutoff < deadline:
                raise SettingsError(
                    f"periods.{half}_cutoff: ngày chốt số liệu phải trước hạn gửi báo cáo "
                    f"{deadline[1]:02d}/{deadline[0]:02d} / the cut-off must come before the deadline "
                    f"(got {raw[half + '_cutoff']!r})"
                )
    return Periods(h1_cutoff, h2_cutoff, deadlines[0], deadlines[1], legacy=bool(legacy))


def _day_before(month_day: tuple[int, int]) -> tuple[int, int]:
    day = date(2025, *month_day) - timedelta(days=1)
    return day.month, day.day


def _build(raw: dict[str, Any], path: Path | None, outdated: tuple[str, ...] = ()) -> Settings:
    deadlines = raw["deadlines"]
    report = raw["report"]
    for key in ("recipients", "unit_recipients"):
        if not isinstance(report.get(key), list) or not all(isinstance(line, str) for line in report[key]):
            raise SettingsError(
                f'report.{key}: cần danh sách các dòng / expected a list of lines, like ["Lãnh đạo Ban;", "Lưu: VT."]'
            )
    _positive_int(report.get("list_limit"), "report.list_limit", 1)
    units = raw.get("units", {})
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in units.items()):
        raise SettingsError('[units]: mỗi dòng dạng / expected lines like "Tên đơn vị" = "Người đứng đầu"')
    periods = _periods(raw["periods"])
    return Settings(
        path=path,
        due_soon_days=_positive_int(deadlines["due_soon_days"], "deadlines.due_soon_days"),
        deadlines={step: _deadline(deadlines[step], step) for step in STEPS},
        report_notice=_deadline(deadlines["report_notice"], "report_notice"),
        denunciation=_deadline(deadlines["denunciation"], "denunciation"),
        notify=_deadline(deadlines["notify"], "notify"),
        notices=_deadline(deadlines["notices"], "notices"),
        holidays=_dates(raw["calendar"]["holidays"], "calendar.holidays"),
        working_weekend_days=_dates(raw["calendar"]["working_weekend_days"], "calendar.working_weekend_days"),
        periods=periods,
        report=report,
        units=units,
        outdated=outdated,
        lock_after_minutes=_positive_minutes(raw["desk"]["lock_after_minutes"], "desk.lock_after_minutes"),
    )


def _positive_minutes(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 24 * 60:
        raise SettingsError(
            f"{name}: cần số phút lớn hơn 0, tối đa 1440 / expected minutes above 0 and at most 1440, got {value!r}"
        )
    return float(value)
