"""A report taken by hand (hotline, e-mail, mailbox, citizen reception, forwarding), entered into the register.

Its fields are declared once (``ADD``): the command's options and prompts read their
labels, the window its form. Every value is checked before anything is written (a date
as soon as it is typed, ``received_at``), the person reads what will be registered
(``preview``) and only then is the report encrypted to the Office's keys in force
and registered (``register``, with ``intake.channels``): nothing is half-written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from intake_function import envelope, report

from .. import notepad, workflow
from ..keys.recipients import RecipientsError, recipients_for
from ..operation import CHOICE, DATE, FILE, LONG_TEXT, OUT_FILE, DeskError, Done, Field, locked
from ..register.case_view import FACTS
from ..register.desk import Desk
from ..workflow.clock import local_time, now_iso, parse_local
from . import channels
from .channels import IntakeError, ManualCase

CONTACTS = ("phone", "email", "post", "none")
CATEGORIES = {code: (labels["vi"], labels["en"]) for code, labels in report.categories().items()}
MANUAL = {code: workflow.CHANNELS[code] for code in channels.MANUAL_CHANNELS}


def _schema(name: str) -> tuple[str, str]:
    """A report field's label in both languages, as the portal's form says it (the English in lower case)."""
    en = report.field_label(name, "en")
    return report.field_label(name), en[:1].lower() + en[1:]


# A field's label is what the prompt and the window's form say; ``text`` is the command option's help.
ADD = (
    Field("channel", "Kênh tiếp nhận", "channel", kind=CHOICE, choices=MANUAL, spell=True),
    Field(
        "from_file",
        "Đọc từ tệp YAML hoặc JSON",
        "read a YAML or JSON file",
        kind=FILE,
        text="Đọc từ tệp YAML hoặc JSON, tên mục tiếng Việt hoặc tiếng Anh (tệp mẫu: --example-file) / read a YAML "
        "or JSON file, fields named in Vietnamese or English (an example: --example-file)",
    ),
    Field("category", *_schema("category"), kind=CHOICE, choices=CATEGORIES, text="Loại nội dung / category"),
    Field(
        "description",
        *_schema("description"),
        kind=LONG_TEXT,
        required=True,
        text="Nội dung / what happened (không có thì hỏi / prompted if absent)",
    ),
    Field("occurred", *_schema("occurred")),
    Field("place", *_schema("place")),
    Field(
        "persons_involved",
        *_schema("persons_involved"),
        option="--persons",
        text="Người, đơn vị liên quan / people or units involved",
    ),
    Field("name", *_schema("reporter.name"), text="Họ tên người phản ánh / reporter's name (mã hóa / encrypted)"),
    Field(
        "phone",
        *_schema("reporter.phone"),
        text="Số điện thoại người phản ánh (mã hóa) / reporter's phone (encrypted)",
    ),
    Field(
        "email",
        *_schema("reporter.email"),
        text="Thư điện tử người phản ánh (mã hóa) / reporter's e-mail (encrypted)",
    ),
    Field(
        "address",
        *_schema("reporter.address"),
        text="Địa chỉ người phản ánh (mã hóa) / reporter's address (encrypted)",
    ),
    Field(
        "contact",
        "Cách liên hệ mong muốn",
        "preferred contact",
        kind=CHOICE,
        choices={code: (code, code) for code in CONTACTS},
    ),
    Field(
        "received",
        "Ngày nhận",
        "received on",
        kind=DATE,
        text="Ngày nhận / received on: 03/07/2026 [08:30] (mặc định: bây giờ / default: now)",
    ),
    Field("received_by", "Cán bộ tiếp nhận", "who at the Office took it", hint="(mặc định / default: --by)"),
    Field(
        "source_ref",
        "Cơ quan chuyển đến, số văn bản",
        "forwarding body and reference",
        text="Cơ quan chuyển, số văn bản... / forwarding body, letter reference...",
    ),
    Field(
        "attach",
        "Tệp đính kèm",
        "a file to attach",
        kind=FILE,
        multiple=True,
        text="Tệp đính kèm (lặp lại được) / a file to attach (repeatable)",
    ),
)
FIELDS = {f.name: f for f in ADD}
EXAMPLE = Field(
    "example_file",
    "Ghi tệp mẫu có giải thích từng mục, để sửa rồi vào sổ bằng tệp đó",
    "write an example case file, every field explained, to edit and register",
    kind=OUT_FILE,
    text="Ghi tệp mẫu có giải thích từng mục, để sửa rồi dùng với --from-file / write an example file, every "
    "field explained, to edit and use with --from-file",
)
REPORTER = ("name", "phone", "email", "address", "contact")
OPTIONAL = " (có thể để trống / optional)"


def received_at(text: str) -> str:
    """A typed date of receipt as a stored instant; refused if it is not a date or is in the future."""
    try:
        moment = parse_local(text)
    except ValueError as exc:
        raise DeskError(str(exc)) from None
    if moment > now_iso():
        raise DeskError(f"ngày nhận {text} ở tương lai / the received date {text} is in the future")
    return moment


def write_example(out: Path) -> Done:
    """Write the example case file (``office add --example-file``); never over an existing file."""
    try:
        with out.open("x", encoding="utf-8") as handle:
            handle.write(channels.example_text())
    except FileExistsError:
        raise DeskError(f"tệp {out} đã có; chọn tên khác / {out} already exists") from None
    except OSError as exc:
        raise DeskError(f"không ghi được / cannot write {out}: {exc}") from None
    done = Done(out=[str(out)], value=out)
    return done.next(f"sửa tệp trong Notepad, rồi / edit it in Notepad, then: office add --from-file {out}")


def gather(values: dict[str, Any], from_file: Path | None = None, notes: list[str] | None = None) -> dict[str, Any]:
    """The values typed (as the options or the form give them), over those of a case file; reporter grouped.

    Every attachment path is checked here, before any question is asked: nothing typed is lost to a wrong path.
    ``notes`` (if given) receives what the person should read (a case file saved as ANSI).
    """
    reporter = {k: values.pop(k) for k in REPORTER if k in values}
    found: dict[str, Any] = {k: v for k, v in values.items() if v not in (None, ())}
    if any(reporter.values()):
        found["reporter"] = reporter
    if from_file:
        try:
            loaded = channels.read_case_file(from_file)
        except IntakeError as exc:
            raise DeskError(f"{exc} (chưa vào sổ / nothing was registered)") from None
        if loaded.pop("_legacy", False) and notes is not None:
            notes.append(notepad.legacy_note(from_file))
        found = {**loaded, **found, "attach": [*loaded.get("attach", []), *found.get("attach", ())]}
    missing = [
        str(path) for path in found.get("attach") or () if not isinstance(path, tuple) and not Path(path).is_file()
    ]
    if missing:
        raise DeskError(
            f"không thấy tệp đính kèm / attachment does not exist: {', '.join(missing)} (chưa vào sổ / nothing was "
            "registered)"
        )
    return found


def check(values: dict[str, Any]) -> None:
    """What a case needs before it is registered: its channel, and a forwarded one its reference."""
    if values.get("channel") not in channels.MANUAL_CHANNELS:
        raise DeskError(
            f"chưa chọn kênh / give --channel ({', '.join(channels.MANUAL_CHANNELS)}) (chưa vào sổ / nothing was "
            "registered)"
        )
    if values["channel"] == "forwarded" and not str(values.get("source_ref") or "").strip():
        raise DeskError(
            'hồ sơ do cơ quan khác chuyển đến cần --source-ref "Tên cơ quan, số văn bản" / '
            'a forwarded case needs --source-ref "forwarding body, letter reference" (chưa vào sổ / nothing was '
            "registered)"
        )


def preview(values: dict[str, Any]) -> list[str]:
    """What will be registered, as typed, for the person to read before confirming."""
    lines = [
        "Kiểm tra trước khi vào sổ / check before registering:",
        f"  Kênh / channel: {workflow.bilingual(workflow.CHANNELS, values['channel'])}",
        f"  Ngày nhận / received: {values.get('received') or 'bây giờ / now'}",
        f"  Loại / category: {report.category_label(values['category'])}",
    ]
    if values.get("source_ref"):
        lines.append(f"  Nguồn, số văn bản / reference: {_one_line(values['source_ref'])}")
    lines.append("  Nội dung / what happened:")
    lines.append("    " + str(values["description"]).replace("\n", "\n    "))
    for name, title in FACTS:
        if values.get(name):
            lines.append(f"  {title}: {_one_line(values[name])}")
    reporter = {k: v for k, v in (values.get("reporter") or {}).items() if v}
    if reporter:
        lines.append("  Người phản ánh (sẽ được mã hóa) / reporter (encrypted):")
        for key, value in reporter.items():
            lines.append(f"    {report.field_label(f'reporter.{key}')}: {_one_line(value)}")
    else:
        lines.append("  Người phản ánh / reporter: ẩn danh / anonymous")
    for item in values.get("attach") or []:
        lines.append(f"  Tệp đính kèm / attachment: {item[0] if isinstance(item, tuple) else item}")
    return lines


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def register(desk: Desk, values: dict[str, Any], *, who: str) -> Done:
    """Encrypt the report to every key in force and register it; ``Done.out`` is the new case number.

    ``values`` as ``gather`` makes them; ``attach`` holds paths, or (name, bytes) pairs from the window.
    """
    check(values)
    try:
        recipients = recipients_for(desk.db)
        moment = received_at(values["received"]) if values.get("received") else now_iso()
        case = ManualCase(
            channel=values["channel"],
            received_at=moment,
            document=channels.build_document(values),
            received_by=values.get("received_by") or who,
            source_ref=values.get("source_ref") or None,
            attachments=[item if isinstance(item, tuple) else Path(item) for item in values.get("attach") or []],
        )
    except (DeskError, IntakeError, RecipientsError, envelope.EnvelopeError) as exc:
        raise DeskError(f"{exc} (chưa vào sổ / nothing was registered)") from None
    with locked(desk):
        try:
            number = channels.register_manual(desk, case, recipients, who=who)
        except (IntakeError, ValueError, envelope.EnvelopeError) as exc:
            raise DeskError(f"{exc} (chưa vào sổ / nothing was registered)") from None
    done = Done(out=[number], value=number).say(
        f"Đã vào sổ / registered: {number} ({workflow.bilingual(workflow.CHANNELS, case.channel)}, "
        f"{local_time(case.received_at)}); nội dung đã mã hóa / content encrypted"
        f" ({', '.join(envelope.fingerprint(r) for r in recipients)})"
    )
    return done.next(workflow.NEXT_STEP["received"].format(n=number))
