"""``office recipients``: the Office's keys in force, and the one procedure that changes them.

Add a new key, retire an old or lost one, then re-encrypt what the data folder
keeps to the new list (``--rekey``): the handbook's key-change and key-loss
sections are these three steps. Each is recorded in the audit trail.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..keys import in_force
from ..keys import keygen as keygen_op
from .common import by_option, data_option, desk_at, identity_option, option, tell, unlocker, who


@click.command()
@option(in_force.RECIPIENTS[0], metavar=in_force.KEYS)
@option(in_force.RECIPIENTS[1], metavar=in_force.KEYS)
@option(in_force.RECIPIENTS[2], metavar=in_force.KEYS)
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

    
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
    done = tell(
        in_force.change_keys(desk, added=added, retired=retired, replaced=replaced, then_rekey=rekey, who=who(by))
    )
    if rekey and done.value:
        tell(in_force.rekey(desk, unlocker(identity, desk), who=who(by), meters=_bar))


def _bar(total: int, label: str):
    return click.progressbar(length=total, label=label, file=sys.stderr)


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
    keygen_op.check_free(out)
    tell(keygen_op.make_key(out, None if no_passphrase else _new_passphrase(), classic=classic))


def _new_passphrase() -> str:
    """Ask for a passphrase: refused at once if short, then typed again until both match."""
    while True:
        first = click.prompt("Đặt mật khẩu cho tệp khóa / choose a passphrase", hide_input=True, err=True)
        if problem := keygen_op.passphrase_problem(first):
            click.echo(problem, err=True)
            continue
        again = click.prompt("Nhập lại mật khẩu / repeat the passphrase", hide_input=True, err=True)
        if keygen_op.same_passphrase(first, again):
            return first
        click.echo(keygen_op.DIFFERENT, err=True)
