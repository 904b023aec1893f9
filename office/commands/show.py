"""``office show`` and ``office extract``: one case decrypted in memory, every view in the audit trail."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from intake_function import report

from ..register import case_text, case_view
from ..safe_text import json_for_terminal
from ..workflow.case_actions import ACTIONS
from .common import by_option, data_option, desk_at, identity_option, options, tell, unlocker, who


@click.command()
@click.argument("reference", metavar="ID")
@identity_option
@data_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Dạng in ra: text (văn bản, ẩn danh tính) hoặc json (bản gốc như khi gửi, cần --reason nếu có danh tính) / "
    "text, or the report as submitted (JSON)",
)
@options(case_view.VIEW)
@by_option
def show(reference: str, identity: Path | None, data: Path, fmt: str, reason: str, by: str | None) -> None:
    """Xem một hồ sơ (giải mã trong bộ nhớ) / Show one case, decrypted in memory.

    ID là số hồ sơ (2026-0001) hoặc mã bản gửi; hoặc mã của thông tin bổ sung chưa khớp hồ sơ
    nào (office list --unmatched). Danh tính người phản ánh được ẩn: chỉ `office reveal ID
    --reason ...` mới in ra. Với --format json, phản ánh được in đúng như khi gửi, cho công cụ
    khác; nếu phản ánh có danh tính người phản ánh thì đó là việc xem danh tính như `reveal`,
    nên cần --reason và được ghi vào nhật ký như vậy. Mọi lần xem đều được ghi lại (ai, khi nào,
    vì sao).

    ID is the case number (2026-0001) or the submission id; or the id of a
    follow-up that matches no case (office list --unmatched). The reporter's
    identity is hidden: only `office reveal ID --reason ...` shows it. With
    --format json the report is printed exactly as it was submitted, for other
    tools; when it carries the reporter's identity that is a disclosure like
    `reveal`, so it needs --reason and the audit trail records it as such.
    Every view is recorded (who, when, why).
    """
    desk = desk_at(data)
    unlock = unlocker(identity, desk)
    kept = case_view.waiting(desk, reference)
    if kept is not None:
        found = case_view.view_waiting(desk, kept, unlock, who=who(by), reason=reason, fmt=fmt)
        _print_json(found.plaintext) if fmt == "json" else click.echo(case_text.waiting_text(found))
        return
    if fmt == "json":
        _print_json(case_view.original(desk, reference, unlock, who=who(by), reason=reason))
        return
    for block in case_text.blocks(case_view.view(desk, reference, unlock, who=who(by), reason=reason)):
        click.echo(block)


def _print_json(plaintext: bytes) -> None:
    """The document as submitted: its exact bytes into a file or a pipe, for other tools; on a terminal,
    the same JSON with every character that could act on the screen escaped (``safe_text``)."""
    if sys.stdout.isatty():
        click.echo(json_for_terminal(report.parse(plaintext, accept=(report.SCHEMA_ID, report.FOLLOWUP_ID))))
        return
    sys.stdout.buffer.write(plaintext)
    sys.stdout.buffer.flush()


@click.command(help=ACTIONS["extract"].help)
@click.argument("reference", metavar="ID")
@options(case_view.EXTRACT[:1])
@identity_option
@data_option
@options(case_view.EXTRACT[1:])
@by_option
def extract(reference: str, out: Path, identity: Path | None, data: Path, reason: str, by: str | None) -> None:
    desk = desk_at(data)
    tell(case_view.extract(desk, reference, out, unlocker(identity, desk), who=who(by), reason=reason))
