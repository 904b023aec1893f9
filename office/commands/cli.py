"""The ``office`` command: the Office's daily tool, with help in Vietnamese and English.

Every command says what went wrong in words a person can act on, and what to
do next. Options that name the store, the identity and the data folder can
also come from OFFICE_STORE, OFFICE_IDENTITY and OFFICE_DATA.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from intake_function import envelope, objects, report
from intake_function.store import FileStore, StoreError, StoreRefused, exclusive_file

from .. import register, workflow
from ..intake import transfer
from ..intake.pull import PullResult, WrongKey, pending, pull
from ..keys.recipients import stored_recipients
from ..register import audit
from ..register import desk as desk_module
from ..register import identity as register_identity
from ..register.desk import Desk, DeskBusy
from ..workflow.clock import local_time, now_iso, today, vn_date
from . import messages, terminal
from .common import (
    by_option,
    data_option,
    identity_option,
    next_step,
    note_keys_outside,
    open_remote,
    recipients_option,
    settings_of,
    store_option,
    table_format_option,
    who,
)
from .common import decrypt_case as _decrypt_case
from .common import desk_at as _open_desk
from .common import fail as _fail
from .common import find_case as _find_case
from .common import load_identities as _load_identities
from .setup import make_register
from .terminal import safe

MIN_PASSPHRASE = 10
HIDDEN = "(ẩn – dùng office reveal)"
# Ctrl-C, or "no" at a confirmation: every command stops between durable steps.
STOPPED = (
    "Đã dừng. Không có gì bị mất hay ghi dở: có thể chạy lại lệnh bất cứ lúc nào / "
    "stopped. Nothing was lost or half-written: it is safe to run the command again."
)


def _local_time(iso: str) -> str:
    return local_time(iso)


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


@cli.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default="office-identity.age",
    show_default=True,
    help="Tệp khóa sẽ tạo / the identity file to write",
)
@click.option(
    "--no-passphrase",
    is_flag=True,
    help="Không đặt mật khẩu (chỉ để thử nghiệm) / no passphrase (for tests only)",
)
def keygen(out: Path, no_passphrase: bool) -> None:
    """Tạo khóa mới cho Văn phòng / Create a new Office key.

    Tạo tệp khóa bí mật (được bảo vệ bằng mật khẩu, như `age -p` tạo) và, bên cạnh nó, tệp khóa
    công khai (cùng tên, đuôi .pub: dùng cho `office init --recipients` hoặc `office recipients
    --add`, và cho `age -R`); in khóa công khai để công bố và mã nhận dạng khóa để đọc đối chiếu
    qua điện thoại.

    Writes the identity file (protected by a passphrase, as `age -p` writes
    it) and, beside it, the public key file (FILE with .pub: give it to
    `office init --recipients` or `office recipients --add`, and to `age -R`);
    prints the public key to publish and its fingerprint to read out over
    the phone.
    """
    public = out.with_suffix(".pub")
    for path in (out, public):
        if path.exists():
            raise _fail(f"tệp {path} đã có; chọn tên khác bằng --out / {path} already exists; choose another --out")
    identity = envelope.generate_identity()
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = envelope.identity_file_text(identity, created)
    if no_passphrase:
        data = text.encode("utf-8")
    else:
        data = envelope.protect_with_passphrase(text, _new_passphrase())
    out.parent.mkdir(parents=True, exist_ok=True)
    recipient = str(identity.to_public())
    for path, content in ((out, data), (public, f"# {out.name}, {created}\n{recipient}\n".encode())):
        with exclusive_file(path) as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    click.echo(f"Đã tạo tệp khóa / identity file written: {out}", err=True)
    click.echo(f"Tệp khóa công khai / public key file: {public}", err=True)
    click.echo("Khóa công khai (công bố trên cổng) / public key (publish it):", err=True)
    click.echo(recipient)
    click.echo("Mã nhận dạng khóa (đọc để đối chiếu) / fingerprint (read out to check):", err=True)
    click.echo(f"  {envelope.fingerprint(recipient)}", err=True)
    click.echo(
        "Tiếp theo: sao lưu tệp khóa ra phương tiện riêng; cất mật khẩu ở nơi khác; đưa khóa công khai vào "
        "docs/data/portal.yml và INTAKE_RECIPIENTS.\n"
        "Next: back the file up on separate media; keep the passphrase apart from it; put the "
        "public key in docs/data/portal.yml and INTAKE_RECIPIENTS.",
        err=True,
    )


def _new_passphrase() -> str:
    """Ask for a passphrase: refused at once if short, then typed again until both match."""
    while True:
        first = click.prompt("Đặt mật khẩu cho tệp khóa / choose a passphrase", hide_input=True, err=True)
        if len(first) < MIN_PASSPHRASE:
            click.echo(
                f"Mật khẩu phải có ít nhất {MIN_PASSPHRASE} ký tự / the passphrase needs at least "
                f"{MIN_PASSPHRASE} characters.",
                err=True,
            )
            continue
        again = click.prompt("Nhập lại mật khẩu / repeat the passphrase", hide_input=True, err=True)
        if envelope.normalise_passphrase(again) == envelope.normalise_passphrase(first):
            return first
        click.echo("Hai lần nhập không khớp; nhập lại / the two entries do not match; try again.", err=True)


def _numbers(numbers: list[str]) -> str:
    """A few case numbers in full; a long run as its first and last (a first pull can bring hundreds)."""
    if len(numbers) <= 10:
        return ", ".join(numbers)
    return f"{numbers[0]} … {numbers[-1]}"


def _summary(result: PullResult, keep_remote: bool) -> None:
    new = f" ({_numbers(result.new_cases)})" if result.new_cases else ""
    click.echo(f"Phản ánh mới / new reports: {len(result.new_cases)}{new}", err=True)
    click.echo(
        f"Tệp đính kèm / attachments: {result.attachments}; đã có trong sổ / already registered: "
        f"{result.already_registered}",
        err=True,
    )
    if result.followups or result.joined_waiting:
        joined = result.followups + result.joined_waiting
        click.echo(
            f"Thông tin bổ sung / follow-ups: {len(joined)} ({_numbers(joined)}); xem / read with: office show ID",
            err=True,
        )
    if result.unmatched:
        click.echo(
            f"Thông tin bổ sung chưa khớp hồ sơ nào / follow-ups matching no case: {len(result.unmatched)}; "
            "xem / see: office list --unmatched",
            err=True,
        )
    if result.quarantined:
        click.echo(
            f"Cách ly / quarantined: {len(result.quarantined)} (giữ nguyên trên máy chủ / kept on the server):",
            err=True,
        )
        for key, reason in result.quarantined:
            click.echo(f"  {key}: {safe(reason, single_line=True)}", err=True)
    if not keep_remote:
        click.echo(f"Đã xóa trên máy chủ / deleted from the store: {result.deleted_remote}", err=True)


@cli.command(name="pull")
@store_option
@identity_option
@data_option
@click.option("--keep-remote", is_flag=True, help="Không xóa bản trên máy chủ / leave the remote copies")
@click.option(
    "--encrypted-only",
    is_flag=True,
    help="Chỉ tải bản mã hóa, không giải mã (máy không giữ khóa) / copy ciphertext only, for `office import`",
)
@click.option(
    "--to",
    "transfer_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Thư mục chuyển (với --encrypted-only) / transfer folder for --encrypted-only",
)
@click.option(
    "--check-site",
    metavar="URL",
    help="Trước hết kiểm tra trang (office check-site); dừng nếu khác bản phát hành / check the live site first",
)
@click.option(
    "--init",
    "make_new",
    is_flag=True,
    help="Lần tải đầu tiên: lập sổ ở thư mục dữ liệu nếu chưa có (như office init) / the first pull: make the "
    "register if the data folder has none (as office init does)",
)
@recipients_option
@by_option
def pull_command(
    store: str | None,
    identity: Path | None,
    data: Path,
    keep_remote: bool,
    encrypted_only: bool,
    transfer_dir: Path | None,
    check_site: str | None,
    make_new: bool,
    recipients: str | None,
    by: str | None,
) -> None:
    """Tải phản ánh mới về, giải mã và vào sổ / Pull new reports into the register.

    Mỗi phản ánh được lưu vào thư mục dữ liệu trước khi bản trên máy chủ bị xóa; phản ánh không
    giải mã được hoặc không hợp lệ thì được cách ly và giữ nguyên trên máy chủ. Lệnh từ chối,
    không vào sổ và không xóa gì, khi thư mục dữ liệu chưa có sổ (lập bằng office init, hoặc
    --init) hoặc có một sổ khác với sổ mà kho cấp phản ánh. Có thể dừng giữa chừng rồi chạy lại
    an toàn.

    Each report is stored in the data folder before its remote copy is
    deleted; a report that does not decrypt or validate is quarantined and
    left on the server. Refused, with nothing registered or deleted, when the
    data folder holds no register (make it with office init, or --init) or
    another register than the one the store feeds. Safe to interrupt and run
    again.
    """
    if check_site:
        from .site import check_before_pull

        check_before_pull(check_site, data)
    remote = open_remote(store)
    try:
        if encrypted_only:
            if transfer_dir is None:
                raise _fail(
                    "--encrypted-only cần --to THƯ-MỤC (thư mục chuyển sang máy ngoại tuyến) / "
                    "--encrypted-only needs --to FOLDER"
                )
            folder = FileStore(transfer_dir)
            infos = [*remote.list(objects.ATTACHMENTS), *remote.list(objects.INBOX)]
            with _bytes_bar(sum(i.size for i in infos), "Sao chép / copying") as bar:
                copied = transfer.mirror(remote, folder, progress=bar.update)
            click.echo(
                f"Đã sao chép / copied: {copied.copied}; đã có / already there: {copied.present}; "
                f"đã xóa trên máy chủ (đã nhập ở máy ngoại tuyến) / deleted as imported: {copied.deleted_remote}; "
                f"trả lời đã gửi lên kho / answers sent: {copied.answers_sent}",
                err=True,
            )
            click.echo(
                f"Tiếp theo / next: office import {transfer_dir} (máy ngoại tuyến / on the offline computer)", err=True
            )
            return
        identities = _load_identities(identity)
        if make_new and not desk_module.exists(data):
            desk = make_register(data, recipients, remote, by, identities)
        else:
            desk = _open_desk(data)
        note_keys_outside(desk, identities, identity)
        confirmed = any(str(i.to_public()) in stored_recipients(desk.db) for i in identities)
        with desk.locked():
            register_identity.check_store(desk.db, desk.root, remote, claim=make_new, who=by)
            waiting = pending(remote)
            attachments = sum(i.size for i in remote.list(objects.ATTACHMENTS))
            with _bytes_bar(sum(i.size for i in waiting) + attachments, "Tải về / pulling") as bar:
                result = pull(
                    remote,
                    desk,
                    identities,
                    keep_remote=keep_remote,
                    keys=[i.key for i in waiting],
                    progress=bar.update,
                    actor=by,
                    key_confirmed=confirmed,
                )
    except StoreRefused as exc:
        raise _fail(f"{exc}. Không mất gì / nothing was lost.") from None
    except StoreError as exc:
        raise _fail(f"{exc}. Không mất gì; chạy lại sau / Nothing was lost; run the command again later.") from None
    except (DeskBusy, WrongKey, register_identity.StoreOfAnotherRegister, register_identity.UnboundStore) as exc:
        raise _fail(str(exc)) from None
    _summary(result, keep_remote)


def _bytes_bar(total: int, label: str):
    """A progress bar counting bytes (a large attachment moves it as much as many small reports)."""
    return click.progressbar(length=max(total, 1), label=label, file=sys.stderr, show_pos=False)


@cli.command(name="import")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False, exists=True))
@identity_option
@data_option
def import_command(folder: Path, identity: Path | None, data: Path) -> None:
    """Nhập phản ánh từ thư mục chuyển (máy ngoại tuyến) / Import a transfer folder.

    Dùng trên máy ngoại tuyến: giải mã và vào sổ những gì `office pull --encrypted-only --to
    THƯ-MỤC` đã sao chép, rồi ghi chúng vào THƯ-MỤC/imported.txt để lần sao chép sau xóa chúng
    khỏi kho. Lệnh từ chối, không vào sổ gì, khi thư mục dữ liệu chưa có sổ hoặc thư mục chuyển
    được sao chép từ kho cấp phản ánh cho một sổ khác.

    For the offline computer: decrypts and registers what `office pull
    --encrypted-only --to FOLDER` copied, then lists it in FOLDER/imported.txt
    so that the next copy deletes it from the store. Refused, with nothing
    registered, when the data folder holds no register or the folder was
    copied from a store that feeds another register.
    """
    desk = _open_desk(data)
    identities = _load_identities(identity, desk)
    confirmed = any(str(i.to_public()) in stored_recipients(desk.db) for i in identities)
    try:
        with desk.locked():
            result = transfer.import_folder(folder, desk, identities, key_confirmed=confirmed)
    except (DeskBusy, WrongKey, register_identity.StoreOfAnotherRegister, register_identity.UnboundStore) as exc:
        raise _fail(str(exc)) from None
    _summary(result, keep_remote=True)


@cli.command(name="list")
@data_option
@table_format_option
@click.option("--status", type=click.Choice(list(workflow.STATUSES)), help="Chỉ trạng thái này / only this status")
@click.option("--channel", type=click.Choice(list(workflow.CHANNELS)), help="Chỉ kênh này / only this channel")
@click.option("--unit", help="Chỉ đơn vị này / only this unit")
@click.option("--open", "only_open", is_flag=True, help="Chỉ hồ sơ chưa kết thúc / only open cases")
@click.option(
    "--unmatched",
    is_flag=True,
    help="Thông tin bổ sung chưa khớp hồ sơ nào / follow-ups whose receipt code matches no case",
)
def list_command(
    data: Path, fmt: str, status: str | None, channel: str | None, unit: str | None, only_open: bool, unmatched: bool
) -> None:
    """Liệt kê các hồ sơ trong sổ / List the cases in the register.

    Chỉ in thông tin quản lý (không bao giờ in nội dung phản ánh hay danh tính người phản ánh):
    số hồ sơ, ngày nhận, kênh, loại, trạng thái, đơn vị, hạn của bước hiện tại. Với --unmatched:
    các thông tin bổ sung được giữ lại vì mã tra cứu không thuộc hồ sơ nào; đọc bằng office show
    ID, gắn vào hồ sơ bằng office attach ID SỐ-HỒ-SƠ.

    Shows metadata only (never a report's content or a reporter's identity):
    number, date, channel, category, status, unit, deadline of the current step.
    With --unmatched: the follow-ups kept because no case carries their receipt
    code; read one with office show ID, join it with office attach ID CASE.
    """
    desk = _open_desk(data)
    if unmatched:
        _list_unmatched(desk, fmt)
        return
    settings = settings_of(desk)
    counts = register.attachment_counts(desk.db)
    unread = register.unread_followups(desk.db)
    cases = [
        c
        for c in register.all_cases(desk.db)
        if (status is None or c.status == status)
        and (channel is None or c.channel == channel)
        and (unit is None or c.unit == unit)
        and (not only_open or c.status in workflow.OPEN_STATUSES)
    ]

    owed = register.owed_notices(desk.db)

    def due_of(case: register.Case) -> str | None:
        found = workflow.current_deadline(case, settings)
        return found.due_on.isoformat() if found else None

    day = today()

    def overdue(case: register.Case) -> bool:
        return any(d.due_on < day for d in workflow.deadlines(case, settings, owed.get(case.id, ())))

    def due_cell(case: register.Case) -> str:
        due = due_of(case)
        shown = vn_date(datetime.fromisoformat(due).date()) if due else "-"
        return f"{shown} QUÁ HẠN" if overdue(case) else shown

    if fmt == "json":
        rows = [
            {
                "number": c.number,
                "channel": c.channel,
                "received_at": c.received_at,
                "category": c.category,
                "status": c.status,
                "anonymous": c.anonymous,
                "attachments": counts.get(c.id, 0),
                "status_label": workflow.status_label(c.status),
                "competence": c.competence,
                "unit": c.unit,
                "unit_head": c.unit_head,
                "forwarded_to": c.forwarded_to,
                "flags": sorted(c.flag_set),
                "due_on": due_of(c),
                "track": c.track,  # report (phản ánh, kiến nghị) or denunciation (tố cáo đã thụ lý)
                "accepted_at": c.accepted_at,
                "acceptance_ref": c.acceptance_ref,
                "assigned_at": c.assigned_at,
                "notices_owed": [{"about": n.about, "to": n.recipient} for n in owed.get(c.id, [])],
                "overdue": overdue(c),
                "unread_followups": unread.get(c.id, 0),
                "has_receipt_code": bool(c.reply_lookup),  # office reply can answer it
            }
            for c in cases
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not cases:
        click.echo(
            "Sổ chưa có hồ sơ nào; tiếp theo: office pull hoặc office add --channel hotline / no case yet; next: "
            "office pull, or office add --channel hotline",
            err=True,
        )
        return
    header = (
        "Số / No.",
        "Nhận lúc / Received",
        "Kênh",
        "Loại / Category",
        "Trạng thái",
        "Diện",
        "Đơn vị",
        "Hạn",
        "Ẩn danh",
        "Mã tra cứu",
        "Tệp",
        "Bổ sung mới",
    )
    table = [header] + [
        (
            c.number,
            _local_time(c.received_at),
            workflow.CHANNELS.get(c.channel, (c.channel,))[0],
            report.category_label(c.category or "", "vi"),
            workflow.status_label(c.status),
            "tố cáo" if c.track == "denunciation" else "phản ánh",
            safe(c.unit or c.forwarded_to or "-", single_line=True),
            due_cell(c),
            "có" if c.anonymous else "không",
            "có" if c.reply_lookup else "-",  # office reply can answer through it
            str(counts.get(c.id, 0)),
            str(unread[c.id]) if unread.get(c.id) else "-",
        )
        for c in cases
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in table]
    click.echo("\n".join(lines))


def _list_unmatched(desk: Desk, fmt: str) -> None:
    """The follow-ups waiting for a case: id, when, how many files (never their content)."""
    waiting = register.unmatched_followups(desk.db)
    files = {w.id: len(register.unmatched_attachments_of(desk.db, w.id)) for w in waiting}
    if fmt == "json":
        rows = [
            {"id": w.reference, "received_at": w.received_at, "kept_at": w.kept_at, "attachments": files[w.id]}
            for w in waiting
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not waiting:
        click.echo("Không có thông tin bổ sung nào chưa khớp hồ sơ / no unmatched follow-up.", err=True)
        return
    table = [("Mã bổ sung / Follow-up", "Nhận lúc / Received", "Tệp")] + [
        (w.reference, _local_time(w.received_at), str(files[w.id])) for w in waiting
    ]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    click.echo("\n".join("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in table))
    next_step("office show ID (đọc / read it); office attach ID SỐ-HỒ-SƠ (gắn vào hồ sơ / join it to a case)")


@cli.command()
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
@click.option("--reason", default="", help="Lý do xem (ghi vào nhật ký) / why, for the audit trail")
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
    desk = _open_desk(data)
    waiting = register.unmatched_by_reference(desk.db, reference)
    if waiting is not None:
        _show_unmatched(desk, waiting, _load_identities(identity, desk), fmt, reason, by)
        return
    case = _find_case(desk, reference)
    identities = _load_identities(identity, desk)
    plaintext = _decrypt_case(desk, case, identities)
    if fmt == "json":
        includes_identity = bool(report.parse(plaintext).get("reporter"))
        if includes_identity and not reason.strip():
            raise _fail(
                f"hồ sơ {case.number} có danh tính người phản ánh: phải nêu lý do bằng --reason, hoặc xem dạng "
                "văn bản / the case carries the reporter's identity and --format json prints it: say why "
                "with --reason, or use the text format, which hides it"
            )
        audit.record(
            desk.db,
            "view-full",
            who=who(by),
            reason=reason or "xem bản gốc (JSON)",
            case_number=case.number,
            details={"format": "json", "includes_identity": includes_identity},
        )
        sys.stdout.buffer.write(plaintext)
        sys.stdout.buffer.flush()
        return
    document = report.parse(plaintext)
    with register.transaction(desk.db):
        audit.append(desk.db, "view", who=who(by), reason=reason or "xem hồ sơ", case_number=case.number)
        register.mark_followups_read(desk.db, case.id, now_iso())
    click.echo(_render_text(case, document))
    click.echo(_render_followup(desk, case, identities))
    notices = register.notices_of(desk.db, case.id)
    click.echo(_render_workflow(case, settings_of(desk), audit.entries(desk.db, case.number), notices))


def _show_unmatched(
    desk: Desk, waiting: register.UnmatchedFollowup, identities: list, fmt: str, reason: str, by: str | None
) -> None:
    """What a reporter added with a receipt code no case has: read to find the case it belongs to.

    A follow-up carries no identity (only a message and files), so its JSON is shown like its text.
    """
    try:
        plaintext = envelope.decrypt(desk.store.get(waiting.body_key), identities)
        document = report.parse(plaintext, accept=(report.FOLLOWUP_ID,))
    except envelope.EnvelopeError as exc:
        raise _fail(f"thông tin bổ sung / follow-up {waiting.reference}: {exc}") from None
    audit.record(
        desk.db,
        "view",
        who=who(by),
        reason=reason or "xem thông tin bổ sung chưa khớp hồ sơ",
        details={"followup": waiting.reference, "format": fmt},
    )
    if fmt == "json":
        sys.stdout.buffer.write(plaintext)
        sys.stdout.buffer.flush()
        return
    lines = [
        f"Thông tin bổ sung / follow-up {waiting.reference} (nhận lúc / received {_local_time(waiting.received_at)})",
        "Chưa khớp hồ sơ nào / matches no case: mã tra cứu không thuộc hồ sơ nào trong sổ / "
        "its receipt code is on no case in the register",
        "Nội dung / message:",
        "  " + safe(document["message"]).replace("\n", "\n  "),
    ]
    for item in document.get("attachments", []):
        lines.append(f"  tệp / file: {safe(item['name'], single_line=True)} ({item['size']} bytes)")
    lines.append(f'Tiếp theo / next: office attach {waiting.reference} SỐ-HỒ-SƠ --reason "..."')
    click.echo("\n".join(lines))


def _render_text(case: register.Case, document: dict) -> str:
    def line(label: str, value: str | None) -> str:
        return f"{label}: {safe(value, single_line=True) if value else '-'}"

    lines = [
        f"Hồ sơ / case {case.number}  ({workflow.bilingual(workflow.CHANNELS, case.channel)}, "
        f"nhận lúc / received {_local_time(case.received_at)})",
    ]
    if case.received_by:
        lines.append(line("Người tiếp nhận / received by", case.received_by))
    if case.source_ref:
        lines.append(line("Nguồn, số văn bản / reference", case.source_ref))
    lines += [
        line("Loại / category", f"{report.category_label(document['category'])} ({document['category']})"),
        line("Thời gian xảy ra / when", document.get("occurred")),
        line("Địa điểm / where", document.get("place")),
        line("Người, đơn vị liên quan / involved", document.get("persons_involved")),
        "Nội dung / description:",
        "  " + safe(document["description"]).replace("\n", "\n  "),
    ]
    if document.get("reporter"):
        lines.append(f"Người phản ánh / reporter: {HIDDEN}")
    else:
        lines.append("Người phản ánh / reporter: ẩn danh / anonymous")
    attachments = document.get("attachments", [])
    if attachments:
        lines.append("Tệp đính kèm / attachments:")
        for number, item in enumerate(attachments, start=1):
            lines.append(
                f"  {number}. {safe(item['name'], single_line=True)} ({safe(item['type'], single_line=True)}, "
                f"{item['size']} bytes)"
            )
    return "\n".join(lines)


def case_followups(desk: Desk, case: register.Case, identities: list) -> list[tuple[register.Followup, dict]]:
    """The follow-ups joined to a case, decrypted (in memory)."""
    found = []
    for row in register.followups_of(desk.db, case.id):
        plaintext = envelope.decrypt(desk.store.get(row.body_key), identities)
        found.append((row, report.parse(plaintext, accept=(report.FOLLOWUP_ID,))))
    return found


def _render_followup(desk: Desk, case: register.Case, identities: list) -> str:
    """What the reporter added with the receipt code, and what the Office answered, in time order."""
    events = []
    for row, document in case_followups(desk, case, identities):
        text = [
            f"{_local_time(row.received_at)}  Người phản ánh bổ sung / reporter added:",
            "    " + safe(document["message"]).replace("\n", "\n    "),
        ]
        for item in document.get("attachments", []):
            text.append(f"    tệp / file: {safe(item['name'], single_line=True)} ({item['size']} bytes)")
        events.append((row.received_at, "\n".join(text)))
    for row in register.replies_of(desk.db, case.id):
        answer = report.parse(envelope.decrypt(desk.store.get(row.copy_key), identities), accept=(report.REPLY_ID,))
        label = report.status_labels()[answer["status"]]
        text = [f"{_local_time(row.at)}  Văn phòng trả lời / the Office answered: {label['vi']} / {label['en']}"]
        for name in ("authority", "reason", "message"):
            if answer.get(name):
                text.append("    " + safe(answer[name]).replace("\n", "\n    "))
        events.append((row.at, "\n".join(text)))
    if not events:
        return ""
    return "Trao đổi qua mã tra cứu / follow-up by receipt code:\n" + "\n".join(t for _, t in sorted(events))


def _render_workflow(
    case: register.Case, settings, history: list[audit.Entry], notices: list[register.Notice] = ()
) -> str:
    """The case's place in the workflow, its track, notices, deadlines and history (from the audit trail)."""
    lines = [f"Trạng thái / status: {workflow.bilingual(workflow.STATUSES, case.status)}"]
    if case.track == "denunciation":
        lines.append(
            f"Diện / track: {workflow.bilingual(workflow.TRACKS, case.track)}, ngày thụ lý / accepted on "
            f"{_local_time(case.accepted_at)[:10]}, quyết định / decision {safe(case.acceptance_ref, single_line=True)}"
        )
    else:
        lines.append(
            f"Diện / track: {workflow.bilingual(workflow.TRACKS, case.track)} (theo Kế hoạch của Ban, không có thời "
            "hạn của Luật Tố cáo / under the Board's plan, no statutory time limit)"
        )
    for notice in notices:
        state = (
            f"đã thông báo / given {_local_time(notice.given_at)} ({safe(notice.how, single_line=True)})"
            if notice.given_at
            else "CHƯA thông báo / not yet given"
        )
        ref = f", {safe(notice.decision_ref, single_line=True)}" if notice.decision_ref else ""
        lines.append(
            f"Thông báo / notice: {workflow.notice_label(notice)} (quyết định / decided "
            f"{_local_time(notice.decided_at)[:10]}{ref}): {state}"
        )
    if case.competence:
        lines.append(f"Thẩm quyền / competence: {workflow.bilingual(workflow.COMPETENCE, case.competence)}")
    if case.unit:
        head = f" (người đứng đầu / head: {safe(case.unit_head, single_line=True)})" if case.unit_head else ""
        lines.append(f"Đơn vị xử lý / unit: {safe(case.unit, single_line=True)}{head}")
    if case.forwarded_to:
        lines.append(f"Đã chuyển đến / forwarded to: {safe(case.forwarded_to, single_line=True)}")
    if case.outcome:
        lines.append(f"Kết quả, lý do / result or reason: {safe(case.outcome, single_line=True)}")
    if case.flag_set:
        flags = ", ".join(workflow.bilingual(workflow.FLAGS, f) for f in sorted(case.flag_set))
        told = (
            f"đã báo cáo Lãnh đạo Ban {_local_time(case.leaders_informed_at)}"
            if case.leaders_informed_at
            else "CHƯA báo cáo Lãnh đạo Ban / leaders not yet told"
        )
        lines.append(f"Cảnh báo / flags: {flags} ({told})")
    for due in workflow.deadlines(case, settings, [n for n in notices if n.given_at is None]):
        left = due.days_left(today())
        state = (
            f"quá hạn {-left} ngày / {workflow.days(-left)} late"
            if left < 0
            else f"còn {left} ngày / {workflow.days(left)} left"
        )
        lines.append(f"Hạn / deadline: {due.label}: {vn_date(due.due_on)} ({state})")
        if due.statutory:
            lines.append(f"  căn cứ / basis: {due.basis}")
    lines.append(f"Tiếp theo / next: {workflow.next_step(case)}")
    changes = [e for e in history if e.action not in ("view", "view-full")]
    if changes:
        lines.append("Diễn biến / history:")
        for entry in changes:
            label = audit.ACTIONS.get(entry.action, (entry.action,))[0]
            what = entry.details.get("action") or ""
            lines.append(
                f"  {_local_time(entry.at)}  {label} {what}  {safe(entry.who, single_line=True)}: "
                f"{safe(entry.reason, single_line=True)}"
            )
    return "\n".join(lines)


@cli.command()
@data_option
def quarantine(data: Path) -> None:
    """Liệt kê các phản ánh bị cách ly và lý do / List quarantined reports and why."""
    desk = _open_desk(data)
    rows = register.quarantined(desk.db)
    if not rows:
        click.echo("Không có phản ánh nào bị cách ly / nothing in quarantine.", err=True)
    for row in rows:
        click.echo(f"{row['source_key']}  {_local_time(row['last_seen'])}  {safe(row['reason'], single_line=True)}")


@cli.command()
@click.argument("reference", metavar="ID")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True, help="Thư mục / folder")
@identity_option
@data_option
@click.option("--reason", default="", help="Lý do (ghi vào nhật ký) / why, for the audit trail")
@by_option
def extract(reference: str, out: Path, identity: Path | None, data: Path, reason: str, by: str | None) -> None:
    """Giải mã tệp đính kèm của một hồ sơ ra thư mục / Decrypt a case's attachments into a folder.

    Các tệp được ghi ra ở dạng không mã hóa: dùng thư mục trên ổ đĩa đã mã hóa và xóa tệp khi
    xong việc.

    The files are written in clear: use a folder on an encrypted disk and
    delete them when done.
    """
    desk = _open_desk(data)
    case = _find_case(desk, reference)
    identities = _load_identities(identity, desk)
    document = report.parse(_decrypt_case(desk, case, identities))
    audit.record(
        desk.db,
        "extract",
        who=who(by),
        reason=reason or "giải mã tệp đính kèm",
        case_number=case.number,
        details={"files": len(document.get("attachments", [])), "metadata_kept": True},
    )
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    items = list(document.get("attachments", []))
    items += [
        item for _, followup in case_followups(desk, case, identities) for item in followup.get("attachments", [])
    ]
    for number, item in enumerate(items, start=1):
        name = f"{number:02d}-" + "".join(c if c.isalnum() or c in "._- " else "_" for c in item["name"])
        target = out / name
        target.unlink(missing_ok=True)  # a file of an earlier extract: written again, owner-only
        with desk.store.open_read(item["key"]) as source, exclusive_file(target) as sink:
            envelope.decrypt_stream(source, sink, identities)
        click.echo(str(target))


def _register_commands() -> None:
    """The desk's commands live in their own modules; they join the group here."""
    from .activity import activity_group
    from .audit import audit_group
    from .cases import add, reveal
    from .export import export_command
    from .followup import COMMANDS as FOLLOWUP_COMMANDS
    from .keys import recipients
    from .notice import notice_command
    from .report import report_command
    from .setup import init_command
    from .site import check_site_command
    from .workflow import COMMANDS

    for command in (
        init_command,
        add,
        reveal,
        recipients,
        *COMMANDS,
        *FOLLOWUP_COMMANDS,
        notice_command,
        audit_group,
        report_command,
        activity_group,
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
    except click.exceptions.Exit as exc:
        return exc.exit_code
    return 0
