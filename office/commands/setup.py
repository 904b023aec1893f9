"""``office init``: make the register, once, on purpose; and bind it to the store it takes reports from.

No other command makes a register: ``pull``, ``add``, ``import`` and the rest
refuse a folder without one. So a command run in the wrong folder says so
instead of starting a second register that numbers from 0001 and empties the
store (see ``office/register/identity.py`` for the store's marker).
"""

from __future__ import annotations

from pathlib import Path

import click

from ..register import setup
from .common import by_option, data_option, open_remote, recipients_option, tell, who


@click.command(name="init")
@click.option(
    "--store",
    envvar="OFFICE_STORE",
    metavar="URL",
    help="Kho lưu trữ sẽ tải phản ánh về sổ này (không có: máy ngoại tuyến) / the store this register takes "
    "reports from (none: the offline computer)  [OFFICE_STORE]",
)
@recipients_option
@data_option
@by_option
def init_command(store: str | None, recipients: str | None, data: Path, by: str | None) -> None:
    """Lập sổ theo dõi (một lần) / Make the register (once).

    \b
    office init --recipients office-recipients.txt

    Tạo thư mục dữ liệu với sổ trống, các khóa công khai của Văn phòng (khóa chính và khóa dự
    phòng: mọi hồ sơ được mã hóa cho cả hai) và mã định danh của sổ, rồi đánh dấu kho
    (OFFICE_STORE) là kho cấp phản ánh cho sổ này, để việc tải phản ánh về một thư mục khác bị
    từ chối. Chạy lại trên sổ đã có thì chỉ gắn kho được chỉ định.

    Makes the data folder with an empty register, the Office's public keys
    (primary and backup: every case is encrypted to both) and the register's
    identity, and marks the store (OFFICE_STORE) as feeding this register, so
    that a pull from any other folder is refused. Run again on an existing
    register, it only binds the store given.
    """
    tell(setup.init(data, recipients, open_remote(store) if store else None, who=who(by)))
