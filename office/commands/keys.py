"""``office recipients``: the Office's keys in force, and the one procedure that changes them.

Add a new key, retire an old or lost one, then re-encrypt what the data folder
keeps to the new list (``--rekey``): the handbook's key-change and key-loss
sections are these three steps. Each is recorded in the audit trail.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from intake_function import envelope
from intake_function.store import exclusive_file

from .. import register
from ..keys import rekey as rekey_module
from ..keys.recipients import RecipientsError, change, one_key_warning, read_recipients, stored_recipients
from ..register import audit
from ..register.desk import DeskBusy
from .common import by_option, data_option, desk_at, fail, identity_option, load_identities, next_step, who


@click.command()
@click.option("--add", "added", multiple=True, metavar="AGE1...|TỆP", help="Thêm khóa / add a key (repeatable)")
@click.option(
    "--retire", "retired", multiple=True, metavar="AGE1...|TỆP", help="Thôi dùng khóa / retire a key (repeatable)"
)
@click.option("--set", "replaced", metavar="AGE1...|TỆP", help="Thay cả danh sách / replace the whole list")
@click.option(
    "--rekey",
    is_flag=True,
    help="Mã hóa lại mọi dữ liệu của sổ cho các khóa đang dùng (cần tệp khóa) / re-encrypt everything the data "
    "folder keeps to the keys in force (needs an identity file)",
)
@identity_option
@data_option
@by_option
def recipients(
    added: tuple[str, ...],
    retired: tuple[str, ...],
    replaced: str | None,
    rekey: bool,
    identity: Path | None,
    data: Path,
    by: str | None,
) -> None:
    """Khóa đang dùng; thêm, thôi dùng khóa, mã hóa lại / The keys in force; add, retire, re-encrypt.

    \b
    office recipients
    office recipients --add office-identity-2027.pub
    office recipients --retire office-identity.pub --rekey --identity office-backup.age

    Mọi hồ sơ, tệp đính kèm, thông tin bổ sung và bản sao câu trả lời đều được mã hóa cho tất cả
    các khóa liệt kê ở đây, khóa chính và khóa dự phòng. Sau mỗi thay đổi, --rekey mở từng mục
    bằng tệp khóa được chỉ định và mã hóa lại cho danh sách mới: khóa đã thôi dùng không còn mở
    được gì, khóa mới mở được tất cả. Có thể dừng giữa chừng rồi chạy lại an toàn.

    Every case, attachment, follow-up and copy of an answer is encrypted to
    all the keys listed here, the primary and the backup. After a change,
    --rekey opens each of them with the identity file given and encrypts it
    again to the new list: a retired key no longer opens anything, a new key
    opens everything. Safe to interrupt and run again.
    """
    desk = desk_at(data)
    actor = who(by)
    before = stored_recipients(desk.db)
    try:
        add = [k for value in added for k in read_recipients(value)]
        retire = [k for value in retired for k in read_recipients(value)]
        replace = read_recipients(replaced) if replaced else None
        if add or retire or replace is not None:
            with register.transaction(desk.db):
                after = change(desk.db, add=add, retire=retire, replace=replace)
                audit.append(
                    desk.db,
                    "keys",
                    who=actor,
                    reason="thay đổi khóa đang dùng",
                    details={
                        "added": [envelope.fingerprint(k) for k in after if k not in before],
                        "retired": [envelope.fingerprint(k) for k in before if k not in after],
                        "recipients": [envelope.fingerprint(k) for k in after],
                    },
                )
    except RecipientsError as exc:
        raise fail(str(exc)) from None
    current = stored_recipients(desk.db)
    if not current:
        click.echo("Sổ chưa có khóa / no key yet. Tiếp theo / next: office recipients --add TỆP", err=True)
        return
    click.echo("Khóa đang dùng / keys in force:", err=True)
    for key in current:
        click.echo(f"{key}  {envelope.fingerprint(key)}")
        click.echo(f"  {envelope.fingerprint(key)}: {envelope.kind_label(key)}", err=True)
    if warning := one_key_warning(current):
        click.echo(warning, err=True)
    if rekey:
        _rekey(desk, load_identities(identity, desk), current, actor)
    elif current != before:
        next_step(
            "office recipients --rekey --identity TỆP-KHÓA (mã hóa lại dữ liệu cũ cho các khóa này / "
            "re-encrypt what is already kept)"
        )


def _rekey(desk, identities: list, current: list[str], actor: str) -> None:
    objects = rekey_module.sealed_objects(desk)
    try:
        with desk.locked():
            with click.progressbar(
                length=sum(size for _, size in objects), label="Mã hóa lại / re-encrypting", file=sys.stderr
            ) as bar:
                result = rekey_module.rekey(desk, identities, current, progress=bar.update)
    except DeskBusy as exc:
        raise fail(str(exc)) from None
    audit.record(
        desk.db,
        "keys",
        who=actor,
        reason="mã hóa lại dữ liệu cho các khóa đang dùng",
        details={
            "resealed": result.resealed,
            "already": result.already,
            "not_opened": len(result.not_opened),
            "recipients": [envelope.fingerprint(k) for k in current],
        },
    )
    already = f"; đã làm từ lần trước / done by an earlier run: {result.already}" if result.already else ""
    click.echo(f"Đã mã hóa lại / re-encrypted: {result.resealed}{already}", err=True)
    if result.other_kind:
        click.echo(
            f"Đã mã hóa cho loại khóa đang dùng, tệp khóa này (loại khác) không mở được, giữ nguyên / already for "
            f"the kind of key in force, which this identity file (of the other kind) cannot open, left as they "
            f"were: {len(result.other_kind)}",
            err=True,
        )
    if result.not_opened:
        for key in result.not_opened:
            click.echo(f"  {key}", err=True)
        raise fail(
            f"{len(result.not_opened)} tệp không mở được bằng tệp khóa này nên giữ nguyên; chạy lại với tệp khóa mở "
            f"được chúng (ví dụ khóa cũ) / {len(result.not_opened)} objects did not open with this identity file and "
            "were left as they were; run again with a key that opens them (the old key, say)"
        )


MIN_PASSPHRASE = 10


@click.command()
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
@click.option(
    "--classic",
    is_flag=True,
    help="Khóa X25519 cổ điển thay vì khóa lai hậu lượng tử (chỉ khi còn chuyển tiếp) / a classic X25519 key "
    "instead of a hybrid post-quantum one (for a transition only)",
)
def keygen(out: Path, no_passphrase: bool, classic: bool) -> None:
    """Tạo khóa mới cho Văn phòng / Create a new Office key.

    Tạo tệp khóa bí mật (được bảo vệ bằng mật khẩu, như `age -p` tạo) và, bên cạnh nó, tệp khóa
    công khai (cùng tên, đuôi .pub: dùng cho `office init --recipients` hoặc `office recipients
    --add`, và cho `age -R`); in khóa công khai để công bố và mã nhận dạng khóa để đọc đối chiếu
    qua điện thoại. Khóa là khóa lai hậu lượng tử (ML-KEM-768 + X25519, age1pq1...): dữ liệu mã
    hóa hôm nay vẫn an toàn khi có máy tính lượng tử; công cụ tham chiếu mở được là age 1.3 trở
    lên và typage.

    Writes the identity file (protected by a passphrase, as `age -p` writes
    it) and, beside it, the public key file (FILE with .pub: give it to
    `office init --recipients` or `office recipients --add`, and to `age -R`);
    prints the public key to publish and its fingerprint to read out over
    the phone. The key is a hybrid post-quantum key (ML-KEM-768 + X25519,
    age1pq1...): what is encrypted today stays secret once quantum computers
    exist; the reference tools that open it are age 1.3 or later and typage.
    """
    public = out.with_suffix(".pub")
    for path in (out, public):
        if path.exists():
            raise fail(f"tệp {path} đã có; chọn tên khác bằng --out / {path} already exists; choose another --out")
    identity = envelope.generate_identity(envelope.X25519 if classic else envelope.HYBRID)
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
    click.echo(f"Loại khóa / kind: {envelope.kind_label(recipient)}", err=True)
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
