"""Commands that bring cases in and show who reported them: ``add``, ``reveal``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from intake_function import envelope, report

from .. import workflow
from ..intake import channels
from ..intake.channels import IntakeError, ManualCase
from ..keys.recipients import RecipientsError, recipients_for
from ..register import case_view
from ..register.desk import DeskBusy
from ..workflow.clock import local_time, now_iso, parse_local
from .common import (
    by_option,
    data_option,
    desk_at,
    fail,
    identity_option,
    next_step,
    unlocker,
    who,
)
from .terminal import safe

CONTACTS = ("phone", "email", "post", "none")


def _prompt_optional(label: str) -> str:
    return click.prompt(label, default="", show_default=False, err=True).strip()


def _prompt_category() -> str:
    codes = list(report.categories())
    for number, code in enumerate(codes, start=1):
        labels = f"{report.category_label(code)} / {report.category_label(code, 'en')}"
        click.echo(f"  {number}. {labels} ({code})", err=True)
    while True:
        answer = click.prompt("Loại nội dung (số hoặc mã) / category (number or code)", err=True).strip()
        if answer.isdigit() and 1 <= int(answer) <= len(codes):
            return codes[int(answer) - 1]
        if answer in codes:
            return answer
        click.echo("Chọn một số trong danh sách / choose a number from the list.", err=True)


def _prompt_lines(label: str) -> str:
    click.echo(f"{label} (kết thúc bằng một dòng trống / end with an empty line):", err=True)
    lines = []
    while True:
        line = click.prompt("", default="", show_default=False, prompt_suffix="> ", err=True)
        if not line.strip():
            if lines:
                return "\n".join(lines)
            continue
        lines.append(line)


def _received_at(text: str) -> str:
    """A typed date of receipt as a stored instant; ValueError if it is not a date or is in the future."""
    received_at = parse_local(text)
    if received_at > now_iso():
        raise ValueError(f"ngày nhận {text} ở tương lai / the received date {text} is in the future")
    return received_at


def _prompt_received() -> str:
    """Ask for the date of receipt, and check it at once: a bad date must not cost the letter typed after it."""
    while True:
        text = _prompt_optional("Ngày nhận (dd/mm/yyyy [hh:mm]; trống = bây giờ) / received on")
        if not text:
            return text
        try:
            _received_at(text)
            return text
        except ValueError as exc:
            click.echo(f"{exc}; nhập lại / try again.", err=True)


def _check_step(values: dict[str, Any], attach: list[Path]) -> str:
    """What will be registered, as typed, for the person to read before confirming."""
    label = workflow.bilingual(workflow.CHANNELS, values["channel"])
    lines = [
        "Kiểm tra trước khi vào sổ / check before registering:",
        f"  Kênh / channel: {label}",
        f"  Ngày nhận / received: {values.get('received') or 'bây giờ / now'}",
        f"  Loại / category: {report.category_label(values['category'])}",
    ]
    if values.get("source_ref"):
        lines.append(f"  Nguồn, số văn bản / reference: {safe(values['source_ref'], single_line=True)}")
    lines.append("  Nội dung / what happened:")
    lines.append("    " + safe(values["description"]).replace("\n", "\n    "))
    for name, title in (
        ("occurred", "Thời gian xảy ra / when"),
        ("place", "Địa điểm / where"),
        ("persons_involved", "Người, đơn vị liên quan / involved"),
    ):
        if values.get(name):
            lines.append(f"  {title}: {safe(values[name], single_line=True)}")
    reporter = {k: v for k, v in (values.get("reporter") or {}).items() if v}
    if reporter:
        lines.append("  Người phản ánh (sẽ được mã hóa) / reporter (encrypted):")
        for key, value in reporter.items():
            lines.append(f"    {report.field_label(f'reporter.{key}')}: {safe(value, single_line=True)}")
    else:
        lines.append("  Người phản ánh / reporter: ẩn danh / anonymous")
    for path in attach:
        lines.append(f"  Tệp đính kèm / attachment: {path}")
    return "\n".join(lines)


def _interactive(values: dict[str, Any], channel: str | None) -> dict[str, Any]:
    """Ask, in Vietnamese and English, for what the flags did not give."""
    if not channel:
        values["channel"] = click.prompt(
            "Kênh tiếp nhận / channel", type=click.Choice(channels.MANUAL_CHANNELS), err=True
        )
    if values["channel"] == "forwarded" and not values.get("source_ref"):
        values["source_ref"] = click.prompt("Cơ quan chuyển đến, số văn bản / forwarding body and reference", err=True)
    if not values.get("received"):
        values["received"] = _prompt_received()
    if not values.get("category"):
        values["category"] = _prompt_category()
    values["description"] = _prompt_lines("Nội dung phản ánh / what happened")
    for name, label in (
        ("occurred", "Thời gian xảy ra / when it happened"),
        ("place", "Địa điểm / where"),
        ("persons_involved", "Người, đơn vị có liên quan / people or units involved"),
    ):
        if not values.get(name):
            values[name] = _prompt_optional(f"{label} (có thể để trống / optional)")
    if not values.get("reporter") and click.confirm(
        "Người phản ánh có cho biết danh tính? / did the reporter give their identity?", default=False, err=True
    ):
        values["reporter"] = {
            "name": _prompt_optional("Họ và tên / full name"),
            "phone": _prompt_optional("Số điện thoại / phone"),
            "email": _prompt_optional("Thư điện tử / e-mail"),
            "address": _prompt_optional("Địa chỉ / address"),
        }
        label = f"Cách liên hệ mong muốn / preferred contact ({'|'.join(CONTACTS)})"
        while (contact := _prompt_optional(label)) and contact not in CONTACTS:
            click.echo(f"Chọn một trong / choose one of: {', '.join(CONTACTS)}", err=True)
        if contact:
            values["reporter"]["contact"] = contact
    attach = list(values.get("attach") or [])
    while path := _prompt_optional("Tệp đính kèm (đường dẫn; trống = xong) / attach a file (empty = done)"):
        attach.append(Path(path))
    values["attach"] = attach
    click.echo(_check_step(values, attach), err=True)
    if not click.confirm("Vào sổ? / register it?", default=True, err=True):
        raise click.exceptions.Abort()
    return values


@click.command()
@click.option(
    "--channel",
    type=click.Choice(channels.MANUAL_CHANNELS),
    help="Kênh / channel: hotline (đường dây nóng), email (thư điện tử), mailbox (hòm thư góp ý), "
    "reception (tiếp công dân), forwarded (cơ quan khác chuyển đến)",
)
@click.option(
    "--from-file",
    "from_file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Đọc từ tệp JSON/YAML / read a JSON or YAML file (report/1 fields + channel, received, received_by, "
    "source_ref, attach)",
)
@click.option("--category", type=click.Choice(list(report.categories())), help="Loại nội dung / category")
@click.option("--description", help="Nội dung / what happened (không có thì hỏi / prompted if absent)")
@click.option("--occurred", help="Thời gian xảy ra / when it happened")
@click.option("--place", help="Địa điểm / where")
@click.option("--persons", "persons_involved", help="Người, đơn vị liên quan / people or units involved")
@click.option("--name", help="Họ tên người phản ánh / reporter's name (mã hóa / encrypted)")
@click.option("--phone", help="Số điện thoại người phản ánh (mã hóa) / reporter's phone (encrypted)")
@click.option("--email", help="Thư điện tử người phản ánh (mã hóa) / reporter's e-mail (encrypted)")
@click.option("--address", help="Địa chỉ người phản ánh (mã hóa) / reporter's address (encrypted)")
@click.option("--contact", type=click.Choice(CONTACTS), help="Cách liên hệ mong muốn / preferred contact")
@click.option("--received", help="Ngày nhận / received on: 03/07/2026 [08:30] (mặc định: bây giờ / default: now)")
@click.option("--received-by", help="Cán bộ tiếp nhận / who at the Office took it (mặc định / default: --by)")
@click.option("--source-ref", help="Cơ quan chuyển, số văn bản... / forwarding body, letter reference...")
@click.option(
    "--attach",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Tệp đính kèm (lặp lại được) / a file to attach (repeatable)",
)
@data_option
@by_option
def add(channel: str | None, from_file: Path | None, data: Path, by: str | None, **fields: Any) -> None:
    """Vào sổ một phản ánh nhận qua kênh khác / Register a report from another channel.

    \b
    Ba cách / three ways:
      office add --channel hotline                      (hỏi từng mục / prompts for each field)
      office add --channel email --category waste --description "..." --email ten@mien.vn
      office add --from-file phan-anh.yaml

    Nội dung và danh tính người phản ánh được mã hóa ngay cho mọi khóa đang dùng của Văn phòng,
    khóa chính và khóa dự phòng (office recipients; không cần mật khẩu); ngày, kênh và loại nội
    dung để ở dạng rõ cho sổ theo dõi. Lệnh in số hồ sơ mới.

    The content and the reporter's identity are encrypted at once to every key
    of the Office in force, primary and backup (office recipients; no
    passphrase needed); dates, channel and category stay in clear for the
    register. Prints the new case number.
    """
    desk = desk_at(data)
    try:
        values = _gather(channel, from_file, fields)
        recipients = recipients_for(desk.db)
        actor = who(by)
        received_at = _received_at(values["received"]) if values.get("received") else now_iso()
        case = ManualCase(
            channel=values["channel"],
            received_at=received_at,
            document=channels.build_document(values),
            received_by=values.get("received_by") or actor,
            source_ref=values.get("source_ref") or None,
            attachments=[Path(p) for p in values.get("attach") or []],
        )
        with desk.locked():
            number = channels.register_manual(desk, case, recipients, who=actor)
    except (IntakeError, RecipientsError, ValueError, envelope.EnvelopeError) as exc:
        raise fail(f"{exc} (chưa vào sổ / nothing was registered)") from None
    except DeskBusy as exc:
        raise fail(str(exc)) from None
    click.echo(number)
    click.echo(
        f"Đã vào sổ / registered: {number} ({workflow.bilingual(workflow.CHANNELS, case.channel)}, "
        f"{local_time(case.received_at)}); nội dung đã mã hóa / content encrypted"
        f" ({', '.join(envelope.fingerprint(r) for r in recipients)})",
        err=True,
    )
    next_step(workflow.NEXT_STEP["received"].format(n=number))


def _gather(channel: str | None, from_file: Path | None, fields: dict[str, Any]) -> dict[str, Any]:
    reporter = {k: fields.pop(k) for k in ("name", "phone", "email", "address", "contact")}
    values: dict[str, Any] = {k: v for k, v in fields.items() if v not in (None, ())}
    if any(reporter.values()):
        values["reporter"] = reporter
    if from_file:
        loaded = channels.read_case_file(from_file)
        values = {**loaded, **values, "attach": [*loaded.get("attach", []), *values.get("attach", ())]}
    if channel:
        values["channel"] = channel
    if not values.get("description"):
        values = _interactive(values, values.get("channel"))
    if values.get("channel") not in channels.MANUAL_CHANNELS:
        raise IntakeError(f"chưa chọn kênh / give --channel ({', '.join(channels.MANUAL_CHANNELS)})")
    if values["channel"] == "forwarded" and not str(values.get("source_ref") or "").strip():
        raise IntakeError(
            'hồ sơ do cơ quan khác chuyển đến cần --source-ref "Tên cơ quan, số văn bản" / '
            'a forwarded case needs --source-ref "forwarding body, letter reference"'
        )
    return values


@click.command()
@click.argument("reference", metavar="ID")
@click.option("--reason", required=True, help="Lý do cần biết danh tính (bắt buộc) / why (required)")
@identity_option
@data_option
@by_option
def reveal(reference: str, reason: str, identity: Path | None, data: Path, by: str | None) -> None:
    """Xem danh tính người phản ánh / Show who reported a case.

    Lệnh duy nhất in danh tính người phản ánh. Người hỏi và lý do được ghi vào nhật ký trước khi
    in. Danh tính người phản ánh phải được giữ bí mật.

    The only command that prints the reporter's identity. It is recorded in the
    audit trail with who asked and why before anything is shown; the identity
    is confidential.
    """
    desk = desk_at(data)
    found = case_view.reveal(desk, reference, reason, unlocker(identity, desk), who=who(by))
    if not found.reporter:
        click.echo(f"Hồ sơ {found.case.number}: người phản ánh ẩn danh / the reporter is anonymous.")
        return
    click.echo(f"Hồ sơ {found.case.number}: danh tính người phản ánh — BẢO MẬT / reporter's identity — CONFIDENTIAL")
    for label, value in found.labelled():
        click.echo(f"  {label}: {safe(value, single_line=True)}")
    click.echo("Lần xem này đã được ghi vào nhật ký / this was recorded in the audit trail.", err=True)
