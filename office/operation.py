"""What every desk operation shares: the one error it raises, the result it returns, the inputs it declares.

The Office's desk has two faces over one set of operations: the ``office`` commands
(``office/commands/``) and the window (``office/window/``). An operation is a plain
function of the package that owns its area (``office/workflow/actions.py`` moves a
case, ``office/register/listing.py`` reads the register...). It takes the opened
desk, a case reference, the values typed, who acts and, when it must decrypt, a way
to get the decrypted identities (``Unlock``: the command asks for the passphrase,
the window hands over what it holds in memory). It never prompts nor prints:

* it checks everything and refuses with ``DeskError``, whose message is what the
  person reads, Vietnamese first, then " / " and the English;
* it returns what it did as a ``Done``: the lines the person reads after it (status,
  deadlines, reminders, notices owed), the next steps, and what a script reads
  (``out``: a new case number, the files written);
* its inputs are declared once, as ``Field``s: the commands build their options from
  them (``office/commands/common.py``), the window its forms.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from intake_function import envelope
from intake_function.store import Store, StoreMissing, open_store

from . import register
from .register import audit
from .register.desk import Desk, DeskBusy, NoRegister, open_desk
from .workflow import settings as settings_module
from .workflow.clock import parse_local


class DeskError(Exception):
    """An operation refused: the message says what was wrong and what to do, Vietnamese first.

    Nothing was changed, or nothing half-written is left behind; the commands print
    it after "Lỗi / Error:" and exit with status 1, the window shows it on the form.
    ``lines`` are what the person reads before it (what was done before the refusal,
    the problems found), ``out`` what a script reads before it; ``field`` names the
    input it is about, when it is about one (the window shows it beside that field).
    """

    def __init__(
        self, message: str, *, lines: Sequence[str] = (), out: Sequence[str] = (), field: str | None = None
    ) -> None:
        super().__init__(message)
        self.lines = list(lines)
        self.out = list(out)
        self.field = field


# The decrypted identities, asked for only when an operation needs them (and after its other checks).
Unlock = Callable[[], list[envelope.Identity]]

NEXT = "Tiếp theo / next: "


@dataclass
class Done:
    """What an operation did, in the words the person reads.

    ``lines`` are said to the person in order (the commands write them on standard
    error), the next steps among them as "Tiếp theo / next: ..." lines; ``next_steps``
    holds the same steps alone. ``out`` is what a script reads (standard output): a
    new case number, the files written. ``case`` is the case as it is now, if any.
    """

    case: register.Case | None = None
    lines: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    out: list[str] = field(default_factory=list)
    value: Any = None  # what the operation made or found, for the window (an activity, a result...)

    def say(self, *lines: str) -> Done:
        self.lines.extend(lines)
        return self

    def next(self, step: str) -> Done:
        self.lines.append(NEXT + step)
        self.next_steps.append(step)
        return self


# --- inputs, declared once --------------------------------------------------------------------------

TEXT = "text"
LONG_TEXT = "long-text"  # several lines: a description, a result, a message
DATE = "date"  # dd/mm/yyyy, with an optional hh:mm (``workflow.clock.parse_local``)
CHOICE = "choice"
FLAG = "flag"  # yes or no
NUMBER = "number"  # a whole number, 0 or more
FILE = "file"  # a file to read, on the Office's computer
OUT_FILE = "out-file"  # a file to write
FOLDER = "folder"  # a folder to read
OUT_FOLDER = "out-folder"  # a folder to write into


@dataclass(frozen=True)
class Field:
    """One input of an operation: its name, its label in both languages, what kind of value it takes.

    ``help`` is what the command's option and the window's form say about it: the
    label, then ``hint`` (a format, a default), then, if ``spell``, the choices, each
    as "code (Vietnamese)". A field whose words do not fit that pattern gives ``text``: its
    whole help, Vietnamese first.
    """

    name: str  # the operation's keyword argument
    vi: str
    en: str
    kind: str = TEXT
    choices: Mapping[str, tuple[str, str]] | None = None  # code -> (Vietnamese, English)
    required: bool = False
    hint: str = ""
    text: str = ""
    option: str = ""  # the command's option when it is not --NAME
    multiple: bool = False
    default: Any = None
    spell: bool = False  # the help spells out the choices

    @property
    def label(self) -> str:
        return f"{self.vi} / {self.en}"

    @property
    def help(self) -> str:
        if self.text:
            return self.text
        words = self.label + (f" {self.hint}" if self.hint else "")
        if self.choices and self.spell:
            words += ": " + ", ".join(f"{code} ({_lower_first(vi)})" for code, (vi, _) in self.choices.items())
        return words

    @property
    def flag(self) -> str:
        return self.option or "--" + self.name.replace("_", "-")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# Why the Office looked or exported: written in the audit trail beside who and when.
TRAIL_REASON = Field("reason", "Lý do (ghi vào nhật ký)", "why, for the audit trail", default="")


_NO = ("", "0", "false", "off", "no")


def from_form(fields: tuple[Field, ...], form: Mapping[str, str | Sequence[str]]) -> dict[str, Any]:
    """The values of a form as the operation takes them (a flag as a bool, a number as an int, a list for a
    field given several times, None for a field left empty); a value of the wrong kind is refused, naming its field.

    ``form`` maps each field's name to the text posted, or to the texts posted for a ``multiple`` field. A
    required field left empty is refused here too, with its label.
    """
    values: dict[str, Any] = {}
    for f in fields:
        raw = form.get(f.name)
        texts = [raw] if isinstance(raw, str) else list(raw or [])
        texts = [t.strip() for t in texts if t is not None]
        if f.kind == FLAG:
            values[f.name] = bool(texts) and texts[-1].lower() not in _NO
            continue
        texts = [t for t in texts if t]
        if f.required and not texts:
            raise DeskError(f"{f.vi}: cần nhập / {f.en}: required", field=f.name)
        if f.kind == CHOICE and f.choices is not None:
            wrong = [t for t in texts if t not in f.choices]
            if wrong:
                raise DeskError(
                    f"{f.vi}: {wrong[0]!r} không thuộc các giá trị / is not one of {', '.join(f.choices)}",
                    field=f.name,
                )
        if f.kind == NUMBER:
            if any(not t.isdecimal() for t in texts):
                raise DeskError(f"{f.vi}: cần số nguyên ≥ 0 / {f.en}: a whole number ≥ 0", field=f.name)
            converted: list[Any] = [int(t) for t in texts]
        elif f.kind in (FILE, OUT_FILE, FOLDER, OUT_FOLDER):
            converted = [Path(t) for t in texts]
        else:
            converted = texts
        if f.multiple:
            values[f.name] = converted
        elif converted:
            values[f.name] = converted[-1]
        else:
            values[f.name] = f.default
    return values


# --- a progress meter, for the long operations (pull, re-encryption) -------------------------------


class Meter(Protocol):
    def update(self, done: int) -> None: ...


# (total, label) -> a context whose value is told each piece done; the command shows a bar.
Meters = Callable[[int, str], AbstractContextManager[Meter]]


class _Silent:
    def update(self, done: int) -> None:
        pass


def no_meter(total: int, label: str) -> AbstractContextManager[Meter]:
    return nullcontext(_Silent())


# --- what every operation opens and checks -------------------------------------------------------------


def open_desk_at(path: Path) -> Desk:
    """The data folder at ``path``. No operation but ``office init`` makes one.

    A command run where OFFICE_DATA does not point would otherwise start an empty
    register there: a second register, numbering from 0001, whose pull would take
    reports away from the real one.
    """
    try:
        return open_desk(path)
    except NoRegister:
        raise DeskError(
            f"không có sổ theo dõi ở thư mục {path}: kiểm tra --data hoặc biến OFFICE_DATA; sổ mới chỉ được lập "
            f"bằng office init / no register in {path}: check --data or OFFICE_DATA; a new register is made "
            "only by office init"
        ) from None
    except (OSError, RuntimeError) as exc:
        raise DeskError(f"không mở được thư mục dữ liệu {path} / cannot open the data folder: {exc}") from None


def open_remote(url: str | None) -> Store:
    """The store named; a folder store must exist (a typo must not look like an empty store)."""
    if not url:
        raise DeskError(
            "chưa chỉ định kho lưu trữ: dùng --store hoặc biến OFFICE_STORE / "
            "no store: give --store URL or set OFFICE_STORE"
        )
    try:
        return open_store(url, create=False)
    except StoreMissing as exc:
        raise DeskError(str(exc)) from None
    except ValueError as exc:
        raise DeskError(f"địa chỉ kho không hợp lệ / not a store URL: {exc}") from None


def settings_of(desk: Desk) -> settings_module.Settings:
    try:
        return settings_module.load(desk.root)
    except settings_module.SettingsError as exc:
        raise DeskError(
            f"lỗi trong tệp cài đặt; sửa rồi chạy office settings / the settings file is wrong: {exc}"
        ) from None


def find_case(desk: Desk, reference: str) -> register.Case:
    try:
        return register.find_case(desk.db, reference)
    except register.CaseNotFound:
        raise DeskError(
            f"không có hồ sơ {reference!r} trong sổ: xem office list, kiểm tra OFFICE_DATA / "
            f"no case {reference!r} in the register: see office list"
        ) from None


def decrypt_case(desk: Desk, case: register.Case, identities: list[envelope.Identity]) -> bytes:
    try:
        return envelope.decrypt(desk.store.get(case.body_key), identities)
    except envelope.EnvelopeError as exc:
        raise DeskError(f"hồ sơ / case {case.number}: {exc}") from None


def when(text: str | None) -> str | None:
    """A moment typed by the person (dd/mm/yyyy [hh:mm]) as a stored instant; None for "now"."""
    if not text or not text.strip():
        return None
    try:
        return parse_local(text)
    except ValueError as exc:
        raise DeskError(str(exc)) from None


def locked(desk: Desk) -> AbstractContextManager[None]:
    """The data folder's lock, refused with the desk's words when another command holds it."""
    return _Locked(desk)


class _Locked:
    def __init__(self, desk: Desk) -> None:
        self._inner = desk.locked()

    def __enter__(self) -> None:
        try:
            self._inner.__enter__()
        except DeskBusy as exc:
            raise DeskError(str(exc)) from None

    def __exit__(self, *exc_info: object) -> bool | None:
        return self._inner.__exit__(*exc_info)


def current_user(given: str | None = None) -> str:
    """Who is acting: the name given, else OFFICE_USER, else the operating system's user."""
    return audit.current_user(given)
