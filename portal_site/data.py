"""The one data file the Office edits (``docs/data/portal.yml``): load, validate, list what is missing.

Rules, so that the public page never shows an invented fact:

- Every field must be present. A value that is not known yet is written ``null``: the site shows
  "đang cập nhật" / "being updated" in its place and ``python -m portal_site check`` lists it.
- A field present with a wrong value, a missing field or an unknown field (a typo) is an error:
  the build stops with a message naming the field. Messages are in Vietnamese, for the Office.
- Key fingerprints are never typed: they are computed from the keys with
  ``intake_function.envelope.fingerprint``, the same function the Office tool uses.

Builds may override three values from the environment: ``PORTAL_DATA`` (the file),
``PORTAL_RECIPIENTS`` (comma-separated ``age1...`` keys, e.g. the demo key of the local run) and
``PORTAL_API_URL``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import yaml

from intake_function import envelope

from .schedule import DayRule, RuleError, parse_day_rule, parse_time

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_FILE = ROOT / "docs" / "data" / "portal.yml"
DEFAULT_API_URL = "/api/v1"

_PHONE = re.compile(r"\+?[0-9][0-9 .()-]{4,22}[0-9]")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_HTTPS_URL = re.compile(r"https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/%?=&+-]*)?")
_API_URL = re.compile(r"(/[A-Za-z0-9._~/-]*|https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?)")


class DataError(ValueError):
    """The data file is malformed. ``problems`` holds one line per field, each naming it."""

    def __init__(self, source: Path | str, problems: list[str]) -> None:
        self.source = str(source)
        self.problems = problems
        super().__init__(f"{source}: tệp dữ liệu không hợp lệ:\n  - " + "\n  - ".join(problems))


@dataclass(frozen=True)
class Localized:
    """A text in Vietnamese and English; either may still be a placeholder (None)."""

    vi: str | None
    en: str | None

    def pick(self, lang: str) -> tuple[str | None, str]:
        """The text for a page in ``lang`` and the language it is actually in.

        An English page shows the Vietnamese text (marked as Vietnamese) rather than nothing
        when only the Vietnamese is known: an address or a room is still useful to a reader.
        """
        own = self.en if lang == "en" else self.vi
        if own:
            return own, lang
        if self.vi:
            return self.vi, "vi"
        return None, lang


@dataclass(frozen=True)
class Reception:
    day_rule: DayRule | None
    start: time | None
    end: time | None
    place: Localized
    registration: Localized
    note: Localized

    @property
    def is_complete(self) -> bool:
        """Enough is known to put the reception in a calendar."""
        return bool(self.day_rule and self.start and self.end and (self.place.vi or self.place.en))


@dataclass(frozen=True)
class OnlineReception:
    """Online citizen reception (Luật Tiếp công dân, Điều 3a, added by Luật 136/2025/QH15)."""

    url: str | None
    how: Localized

    @property
    def is_known(self) -> bool:
        return bool(self.how.vi or self.how.en)


@dataclass(frozen=True)
class Timing:
    """What the Board commits to for reporters, in working days; None until the Board decides."""

    acknowledge_days: int | None
    classify_days: int | None
    update_days: int | None


@dataclass(frozen=True)
class Key:
    recipient: str
    fingerprint: str


@dataclass(frozen=True)
class Placeholder:
    path: str
    label: str


@dataclass(frozen=True)
class PortalData:
    source: str
    board_name: Localized
    address: str | None
    hotline: str | None
    email: str | None
    postal_address: str | None
    office_hours: Localized
    mailbox_location: Localized
    reception: Reception
    online_reception: OnlineReception
    escalation_head: Localized
    escalation_superior: Localized
    timing: Timing
    procedure_approval: str | None
    procedure_effective: date | None
    keys: tuple[Key, ...] | None
    updated: date | None
    api_url: str
    placeholders: tuple[Placeholder, ...] = field(default=())
    overrides: tuple[str, ...] = field(default=())

    @property
    def procedure_is_draft(self) -> bool:
        """The confidentiality procedure and the routing guidance await the Board's approval."""
        return self.procedure_approval is None

    @property
    def setup_gaps(self) -> tuple[str, ...]:
        """The channels (``NOTICE_CHANNELS`` names) still missing: the home and report pages say so.

        A channel is missing when one of its required fields is a placeholder; an English text
        alone does not count, since the English page then shows the Vietnamese one.
        """
        missing = {p.path for p in self.placeholders}
        return tuple(name for name, paths in NOTICE_CHANNELS if missing.intersection(paths))

    @property
    def hotline_href(self) -> str | None:
        """``tel:`` link of the hotline: digits only, keeping a leading + (RFC 3966)."""
        if not self.hotline:
            return None
        digits = re.sub(r"\D", "", self.hotline)
        return "tel:" + ("+" if self.hotline.startswith("+") else "") + digits


# --- field parsers: each takes the YAML value (never None) and returns it or raises ValueError ---


def _text(value: Any) -> str:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        text = " ".join(str(value).split())
        if text:
            return text
    raise ValueError(f"phải là một đoạn chữ; đang là {value!r}")


def _quoted(value: Any, example: str) -> str:
    """A value that must be typed in quotes: YAML turns an unquoted 0123 into the number 83."""
    if not isinstance(value, str):
        raise ValueError(f'phải đặt trong ngoặc kép, ví dụ "{example}"; YAML đã đọc thành {value!r}')
    return _text(value)


def _phone(value: Any) -> str:
    text = _quoted(value, "0296 3xxx xxx")
    if not _PHONE.fullmatch(text):
        raise ValueError(
            f'phải là số điện thoại, chỉ gồm chữ số, dấu cách, dấu chấm, dấu gạch, dấu +; đang là "{text}"'
        )
    return text


def _email(value: Any) -> str:
    text = _quoted(value, "ten@coquan.gov.vn")
    if not _EMAIL.fullmatch(text):
        raise ValueError(f'phải là địa chỉ thư điện tử dạng ten@coquan.gov.vn; đang là "{text}"')
    return text


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"phải là ngày dạng NĂM-THÁNG-NGÀY, ví dụ 2026-05-20; đang là {value!r}") from None


def _keys(value: Any) -> tuple[Key, ...]:
    items = value if isinstance(value, list) else None
    if not items or not all(isinstance(item, str) for item in items):
        raise ValueError("phải là danh sách khóa công khai age1..., mỗi dòng một khóa (ghi null nếu chưa có)")
    return parse_keys(",".join(items))


def parse_keys(text: str) -> tuple[Key, ...]:
    try:
        recipients = envelope.parse_recipients(text)
    except envelope.EnvelopeError as exc:
        raise ValueError(f"khóa công khai không hợp lệ ({exc})") from None
    return tuple(Key(str(r), envelope.fingerprint(r)) for r in recipients)


def _https_url(value: Any) -> str:
    text = _quoted(value, "https://...")
    if not _HTTPS_URL.fullmatch(text):
        raise ValueError(f'phải là địa chỉ trang web bắt đầu bằng https://; đang là "{text}"')
    return text


def _working_days(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 90:
        raise ValueError(
            f"phải là số ngày làm việc, một số nguyên từ 1 đến 90, không đặt trong ngoặc kép; đang là {value!r}"
        )
    return value


def _api_url(value: Any) -> str:
    text = _text(value).rstrip("/")
    if not _API_URL.fullmatch(text) or not text:
        raise ValueError(f'phải là đường dẫn bắt đầu bằng "/" (ví dụ /api/v1) hoặc https://...; đang là "{text}"')
    return text


def _rule(value: Any) -> DayRule:
    try:
        return parse_day_rule(value)
    except RuleError as exc:
        raise ValueError(str(exc)) from None


def _time(value: Any) -> time:
    try:
        return parse_time(value)
    except RuleError as exc:
        raise ValueError(str(exc)) from None


@dataclass(frozen=True)
class _Field:
    path: str
    label: str
    parse: Callable[[Any], Any]
    nullable: bool = True  # null means "not known yet": shown as "đang cập nhật", listed by check
    optional: bool = False  # may be absent or null, and then simply not shown (not a placeholder)


def _both(path: str, label: str, optional: bool = False) -> list[_Field]:
    return [
        _Field(f"{path}.vi", f"{label} (tiếng Việt)", _text, optional=optional),
        _Field(f"{path}.en", f"{label} (tiếng Anh)", _text, optional=optional),
    ]


FIELDS: tuple[_Field, ...] = (
    _Field("board.name.vi", "Tên của Ban (tiếng Việt)", _text, nullable=False),
    _Field("board.name.en", "Tên của Ban (tiếng Anh)", _text, nullable=False),
    _Field("board.address", "Địa chỉ trụ sở của Ban", _text),
    _Field("office.hotline", "Số đường dây nóng tiếp nhận phản ánh", _phone),
    _Field("office.email", "Địa chỉ thư điện tử tiếp nhận phản ánh", _email),
    _Field("office.postal_address", "Địa chỉ nhận văn bản, đơn thư (qua bưu điện hoặc trực tiếp)", _text),
    *_both("office.hours", "Giờ làm việc"),
    *_both("mailbox.location", "Vị trí đặt hòm thư góp ý"),
    _Field("reception.day_rule", "Ngày tiếp công dân định kỳ của Trưởng ban", _rule),
    _Field("reception.start", "Giờ bắt đầu tiếp công dân", _time),
    _Field("reception.end", "Giờ kết thúc tiếp công dân", _time),
    *_both("reception.place", "Địa điểm tiếp công dân"),
    *_both("reception.registration", "Cách đăng ký tiếp công dân"),
    *_both("reception.note", "Lưu ý về lịch tiếp công dân", optional=True),
    _Field("online_reception.url", "Địa chỉ trang tiếp công dân trực tuyến", _https_url, optional=True),
    *_both("online_reception.how", "Cách tiếp công dân trực tuyến (Luật Tiếp công dân, Điều 3a)"),
    *_both("escalation.head", "Kênh gửi thẳng Trưởng ban, không qua Văn phòng Ban"),
    *_both("escalation.superior", "Cơ quan có thẩm quyền quản lý cán bộ của Ban và cách gửi"),
    _Field("timing.acknowledge_days", "Số ngày làm việc để đăng tình trạng “Đã tiếp nhận”", _working_days),
    _Field("timing.classify_days", "Số ngày làm việc để phân loại phản ánh", _working_days),
    _Field("timing.update_days", "Số ngày làm việc tối đa giữa hai lần cập nhật tình trạng", _working_days),
    _Field("procedure.approval", "Văn bản của Lãnh đạo Ban phê duyệt quy trình bảo mật", _text),
    _Field("procedure.effective", "Ngày áp dụng quy trình bảo mật", _day),
    _Field("keys", "Khóa công khai age1... của Văn phòng Ban", _keys),
    _Field("updated", "Ngày cập nhật thông tin", _day),
    _Field("api_url", "Địa chỉ API tiếp nhận phản ánh trực tuyến", _api_url, nullable=False),
)
_LEAVES = {f.path for f in FIELDS}

# The channels whose absence the home and report pages announce (``PortalData.setup_gaps``), in
# the order the notice lists them, each with the fields that must be filled for it to be usable.
NOTICE_CHANNELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("keys", ("keys",)),
    ("hotline", ("office.hotline",)),
    ("email", ("office.email",)),
    ("postal_address", ("office.postal_address",)),
    ("mailbox", ("mailbox.location.vi",)),
    ("reception", ("reception.day_rule", "reception.start", "reception.end", "reception.place.vi")),
    ("online_reception", ("online_reception.how.vi",)),
    ("address", ("board.address", "office.hours.vi")),
    ("escalation", ("escalation.head.vi", "escalation.superior.vi")),
)
_BRANCHES = {".".join(f.path.split(".")[:i]) for f in FIELDS for i in range(1, f.path.count(".") + 1)}


def _unknown_fields(node: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Paths present in the file that no field expects (usually a typo of a real one)."""
    found = []
    for key, value in node.items():
        path = f"{prefix}{key}"
        if path in _LEAVES:
            continue
        if path in _BRANCHES and isinstance(value, dict):
            found += _unknown_fields(value, path + ".")
        elif path not in _BRANCHES:
            found.append(path)
    return found


def _lookup(document: Mapping[str, Any], path: str) -> tuple[bool, Any, str | None]:
    """(present, value, problem) for a dotted path of the YAML document."""
    node: Any = document
    walked = []
    for part in path.split("."):
        if not isinstance(node, dict):
            return False, None, f"{'.'.join(walked)}: phải là một nhóm mục (dạng khóa: giá trị)"
        if part not in node:
            return False, None, None
        node = node[part]
        walked.append(part)
    return True, node, None


def parse_document(document: Any, source: Path | str) -> PortalData:
    """Validate a loaded YAML document; raise DataError listing every bad field."""
    if not isinstance(document, dict):
        raise DataError(source, ["tệp phải là một nhóm mục dạng khóa: giá trị (xem mẫu docs/data/portal.yml)"])
    problems = [f"{path}: mục không có trong mẫu (gõ nhầm tên mục?)" for path in _unknown_fields(document)]
    values: dict[str, Any] = {}
    placeholders: list[Placeholder] = []
    for spec in FIELDS:
        present, raw, problem = _lookup(document, spec.path)
        if problem:
            if problem not in problems:
                problems.append(problem)
            continue
        if not present and not spec.optional:
            hint = "; nếu chưa biết, ghi null" if spec.nullable else ""
            problems.append(f"{spec.path}: thiếu mục này – {spec.label}{hint}")
            continue
        if raw is None:
            if not spec.nullable:
                problems.append(f"{spec.path}: không được để trống – {spec.label}")
            elif not spec.optional:
                placeholders.append(Placeholder(spec.path, spec.label))
            values[spec.path] = None
            continue
        try:
            values[spec.path] = spec.parse(raw)
        except ValueError as exc:
            problems.append(f"{spec.path}: {exc}")
    start, end = values.get("reception.start"), values.get("reception.end")
    if start and end and end <= start:
        problems.append("reception.end: giờ kết thúc phải sau giờ bắt đầu")
    if problems:
        raise DataError(source, problems)

    def both(path: str) -> Localized:
        return Localized(values.get(f"{path}.vi"), values.get(f"{path}.en"))

    return PortalData(
        source=str(source),
        board_name=both("board.name"),
        address=values["board.address"],
        hotline=values["office.hotline"],
        email=values["office.email"],
        postal_address=values["office.postal_address"],
        office_hours=both("office.hours"),
        mailbox_location=both("mailbox.location"),
        reception=Reception(
            day_rule=values["reception.day_rule"],
            start=start,
            end=end,
            place=both("reception.place"),
            registration=both("reception.registration"),
            note=both("reception.note"),
        ),
        online_reception=OnlineReception(values.get("online_reception.url"), both("online_reception.how")),
        escalation_head=both("escalation.head"),
        escalation_superior=both("escalation.superior"),
        timing=Timing(
            acknowledge_days=values["timing.acknowledge_days"],
            classify_days=values["timing.classify_days"],
            update_days=values["timing.update_days"],
        ),
        procedure_approval=values["procedure.approval"],
        procedure_effective=values["procedure.effective"],
        keys=values["keys"],
        updated=values["updated"],
        api_url=values["api_url"],
        placeholders=tuple(placeholders),
    )


def load(path: Path | str) -> PortalData:
    """Read and validate the data file at ``path``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError(path, [f"không đọc được tệp ({exc.strerror})"]) from None
    except UnicodeDecodeError:
        raise DataError(path, ["tệp phải được lưu với bảng mã UTF-8"]) from None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f"dòng {where.line + 1}: " if where else ""
        raise DataError(path, [f"{line}sai cú pháp YAML ({getattr(exc, 'problem', exc)})"]) from None
    return parse_document(document, path)


def data_path(environ: Mapping[str, str] | None = None, default: Path = DEFAULT_DATA_FILE) -> Path:
    env = os.environ if environ is None else environ
    return Path(env.get("PORTAL_DATA", "").strip() or default)


def apply_overrides(data: PortalData, environ: Mapping[str, str] | None = None) -> PortalData:
    """Apply ``PORTAL_RECIPIENTS`` and ``PORTAL_API_URL``; a bad value raises DataError naming it."""
    env = os.environ if environ is None else environ
    changes: dict[str, Any] = {}
    problems = []
    recipients = env.get("PORTAL_RECIPIENTS", "").strip()
    if recipients:
        try:
            changes["keys"] = parse_keys(recipients)
        except ValueError as exc:
            problems.append(f"PORTAL_RECIPIENTS: {exc}")
    api_url = env.get("PORTAL_API_URL", "").strip()
    if api_url:
        try:
            changes["api_url"] = _api_url(api_url)
        except ValueError as exc:
            problems.append(f"PORTAL_API_URL: {exc}")
    if problems:
        raise DataError("biến môi trường", problems)
    if not changes:
        return data
    placeholders = tuple(p for p in data.placeholders if p.path not in changes)
    names = tuple(f"PORTAL_{'RECIPIENTS' if k == 'keys' else 'API_URL'}" for k in changes)
    return replace(data, placeholders=placeholders, overrides=names, **changes)


def load_for_build(environ: Mapping[str, str] | None = None, default: Path = DEFAULT_DATA_FILE) -> PortalData:
    """The data a build uses: the file named by ``PORTAL_DATA`` (or the default), with overrides."""
    return apply_overrides(load(data_path(environ, default)), environ)
