"""The ``office`` command: the Office's daily tool, with help in Vietnamese and English.

Every command says what went wrong in words a person can act on, and what to
do next. Options that name the store, the identity and the data folder can
also come from OFFICE_STORE, OFFICE_IDENTITY and OFFICE_DATA.
"""

from __future__ import annotations

import os

import click

from ..operation import DeskError
from . import messages, terminal

# Ctrl-C, or "no" at a confirmation: every command stops between durable steps.
STOPPED = (
    "Đã dừng. Không có gì bị mất hay ghi dở: có thể chạy lại lệnh bất cứ lúc nào / "
    "stopped. Nothing was lost or half-written: it is safe to run the command again."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(
    "0.1.0",
    prog_name="office",
    message="%(prog)s, phiên bản / version %(version)s",
    help="Xem phiên bản / show the version and exit.",
)
def cli() -> None:
    """Công cụ của Văn phòng Ban: nhận, giải mã và quản lý phản ánh.

    The Office's tool: receive, decrypt and manage reports.

    \b
    Bắt đầu / Getting started:
      office init --store s3://BUCKET --recipients office-recipients.txt   (một lần / once)
      office pull --identity office-identity.age
      office add --channel hotline          (phản ánh qua điện thoại, thư, hòm thư, tiếp dân...)
      office list
      office show 2026-0001
      office due                            (hồ sơ quá hạn, sắp đến hạn / late and due soon)
      office activity add --task 1 --date 15/07/2026 --what "..."   (hội nghị, tiếp dân... / meetings...)
      office report --period 2026-H1 --out bao-cao.docx
    """


def _register_commands() -> None:
    """The desk's commands live in their own modules; they join the group here."""
    from .activity import activity_group
    from .audit import audit_group
    from .cases import add, reveal
    from .desk import desk_command
    from .export import export_command
    from .followup import COMMANDS as FOLLOWUP_COMMANDS
    from .intake import import_command, pull_command, quarantine
    from .keys import keygen, recipients
    from .notice import notice_command
    from .protection import COMMANDS as RECORD_COMMANDS
    from .report import report_command
    from .setup import init_command
    from .show import extract, show
    from .site import check_site_command
    from .view import list_command
    from .workflow import COMMANDS

    for command in (
        desk_command,
        init_command,
        keygen,
        pull_command,
        import_command,
        quarantine,
        list_command,
        show,
        extract,
        add,
        reveal,
        recipients,
        *COMMANDS,
        *FOLLOWUP_COMMANDS,
        notice_command,
        audit_group,
        report_command,
        activity_group,
        *RECORD_COMMANDS,
        export_command,
        check_site_command,
    ):
        cli.add_command(command)


_register_commands()


def main() -> int:
    terminal.utf8_streams()
    if os.name == "posix":
        os.umask(0o077)  # whatever the tool writes (register, extracted files, reports) is the user's alone
    messages.install()
    try:
        cli.main(standalone_mode=False, prog_name="office")
    except click.exceptions.Abort:
        click.echo(STOPPED, err=True)
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except DeskError as exc:  # an operation refused: printed as click prints its own refusals
        for line in exc.out:
            click.echo(line)
        for line in exc.lines:
            click.echo(terminal.safe(line), err=True)
        click.ClickException(str(exc)).show()
        return 1
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return 0
