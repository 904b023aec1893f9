"""Commands that bring cases in and show who reported them: ``add``, ``reveal``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from ..intake import by_hand
from ..operation import DeskError
from ..register import case_view
from ..workflow.case_actions import ACTIONS
from .common import by_option, data_option, desk_at, identity_option, option, options, tell, unlocker, who
from .terminal import safe

F = by_hand.FIELDS


def _prompt_optional(label: str) -> str:
    return click.prompt(label, default="", show_default=False, err=True).strip()


def _prompt_category() -> str:
    codes = list(by_hand.CATEGORIES)
    for number, (code, (vi, en)) in enumerate(by_hand.CATEGORIES.items(), start=1):
        click.echo(f"  {number}. {vi} / {en} ({code})", err=True)
    field = F["category"]
    while True:
        answer = click.prompt(f"{field.vi} (số hoặc mã) / {field.en} (number or code)", err=True).strip()
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


def _prompt_received() -> str:
    """Ask for the date of receipt, and check it at once: a bad date must not cost the letter typed after it."""
    field = F["received"]
    while True:
        text = _prompt_optional(f"{field.vi} (dd/mm/yyyy [hh:mm]; trống = bây giờ) / {field.en}")
        if not text:
            return text
        try:
            by_hand.received_at(text)
            return text
        except DeskError as exc:
            click.echo(f"{exc}; nhập lại / try again.", err=True)


def _interactive(values: dict[str, Any]) -> dict[str, Any]:
    """Ask, in Vietnamese and English, for what the options did not give."""
    if not values.get("channel"):
        values["channel"] = click.prompt(F["channel"].label, type=click.Choice(list(by_hand.MANUAL)), err=True)
    if values["channel"] == "forwarded" and not values.get("source_ref"):
        values["source_ref"] = click.prompt(F["source_ref"].label, err=True)
    if not values.get("received"):
        values["received"] = _prompt_received()
    if not values.get("category"):
        values["category"] = _prompt_category()
    values["description"] = _prompt_lines(F["description"].label)
    for name in ("occurred", "place", "persons_involved"):
        if not values.get(name):
            values[name] = _prompt_optional(F[name].label + by_hand.OPTIONAL)
    if not values.get("reporter") and click.confirm(
        "Người phản ánh có cho biết danh tính? / did the reporter give their identity?", default=False, err=True
    ):
        values["reporter"] = {name: _prompt_optional(F[name].label) for name in by_hand.REPORTER[:-1]}
        label = f"{F['contact'].label} ({'|'.join(by_hand.CONTACTS)})"
        while (contact := _prompt_optional(label)) and contact not in by_hand.CONTACTS:
            click.echo(f"Chọn một trong / choose one of: {', '.join(by_hand.CONTACTS)}", err=True)
        if contact:
            values["reporter"]["contact"] = contact
    attach = list(values.get("attach") or [])
    while path := _prompt_optional("Tệp đính kèm (đường dẫn; trống = xong) / attach a file (empty = done)"):
        if not Path(path).is_file():  # checked now: a typo must not cost the letter typed before it
            click.echo(f"không thấy tệp / no such file: {path}; nhập lại / try again.", err=True)
            continue
        attach.append(Path(path))
    values["attach"] = attach
    click.echo("\n".join(safe(line) for line in by_hand.preview(values)), err=True)
    if not click.confirm("Vào sổ? / register it?", default=True, err=True):
        raise click.exceptions.Abort()
    return values


@click.command()
@options(tuple(replace(field, required=False) for field in by_hand.ADD))  # what is not given is asked
@option(by_hand.EXAMPLE)
@data_option
@by_option
def add(from_file: Path | None, example_file: Path | None, data: Path, by: str | None, **fields: Any) -> None:
    """Vào sổ một phản ánh nhận qua kênh khác / Register a report from another channel.

    
    Ba cách / three ways:
      office add --channel hotline                      (hỏi từng mục / prompts for each field)
      office add --channel email --category waste --description "..." --email ten@mien.vn
      office add --from-file phan-anh.yaml
      office add --example-file mau-phan-anh.yaml       (tệp mẫu để sửa / an example file to edit)

    Nội dung và danh tính người phản ánh được mã hóa ngay cho mọi khóa đang dùng của Văn phòng,
    khóa chính và khóa dự phòng (office recipients; không cần mật khẩu); ngày, kênh và loại nội
    dung để ở dạng rõ cho sổ theo dõi. Lệnh in số hồ sơ mới.

    The content and the reporter's identity are encrypted at once to every key
    of the Office in force, primary and backup (office recipients; no
    passphrase needed); dates, channel and category stay in clear for the
    register. Prints the new case number.
    """
    if example_file is not None:
        tell(by_hand.write_example(example_file))
        return
    desk = desk_at(data)
    notes: list[str] = []
    values = by_hand.gather(fields, from_file, notes)
    for note in notes:
        click.echo(note, err=True)
    if not values.get("description"):
        values = _interactive(values)
    tell(by_hand.register(desk, values, who=who(by)))


@click.command(help=ACTIONS["reveal"].help)
@click.argument("reference", metavar="ID")
@options(case_view.REVEAL)
@identity_option
@data_option
@by_option
def reveal(reference: str, reason: str, identity: Path | None, data: Path, by: str | None) -> None:
    desk = desk_at(data)
    found = case_view.reveal(desk, reference, reason, unlocker(identity, desk), who=who(by))
    *shown, recorded = found.lines()
    for line in shown if found.reporter else shown[:1]:
        click.echo(safe(line, single_line=True))
    if found.reporter:
        click.echo(recorded, err=True)
