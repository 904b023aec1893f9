"""``office desk``: the desk in a window, a page on this PC's loopback opened in the default browser."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import (
    by_option,
    data_option,
    desk_at,
    fail,
    identity_option,
    load_identities,
    settings_of,
    store_option,
    who,
)


@click.command(name="desk")
@data_option
@store_option
@identity_option
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Cổng trên 127.0.0.1 (0: chọn cổng còn trống) / the port on 127.0.0.1 (0: any free port)",
)
@click.option(
    "--no-browser",
    is_flag=True,
    help="Chỉ in địa chỉ, không mở trình duyệt / print the address, open no browser",
)
@by_option
def desk_command(data: Path, store: str | None, identity: Path | None, port: int, no_browser: bool, by: str | None):
    """Mở cửa sổ làm việc của Văn phòng Ban trong trình duyệt / Open the Office's desk in the browser.

    Cửa sổ chỉ nghe trên 127.0.0.1 của chính máy này. Dòng đầu tiên in ra là địa chỉ để mở (chỉ
    dùng được một lần); mật khẩu của tệp khóa được hỏi một lần trong trang, khóa chỉ nằm trong bộ
    nhớ và tự khóa khi lâu không dùng. Dừng bằng Ctrl+C hoặc nút Thoát.

    The desk listens on this PC's 127.0.0.1 only. The first line printed is the
    address to open (it works once); the page asks for the identity's passphrase
    once, the key stays in memory only and locks itself when left unused. Stop
    with Ctrl+C or the page's Thoát (exit) button.
    """
    from ..window import server
    from ..window.app import DeskWindow, create_app
    from ..window.guard import Guard
    from ..window.vault import Vault

    opened = desk_at(data)  # refused here, as every command refuses it, when the folder holds no register
    minutes = settings_of(opened).lock_after_minutes
    root = opened.root
    opened.db.close()
    if identity is None:
        load_identities(None)  # refuses with the commands' own message; a file is never prompted for here
    try:
        sock = server.listen(port)
    except OSError as exc:
        raise fail(
            f"không mở được cổng {port} trên 127.0.0.1 ({exc.strerror}): chọn cổng khác bằng --port, hoặc bỏ --port "
            f"/ cannot listen on port {port}: choose another with --port, or leave it out"
        ) from None
    guard = Guard(port=sock.getsockname()[1])
    vault = Vault(identity.expanduser().resolve(), lock_after_seconds=minutes * 60)
    app = create_app(DeskWindow(root, store, who(by), guard, vault, server.stop_soon))
    click.echo(guard.launch_address)
    sys.stdout.flush()
    click.echo(
        "Cửa sổ làm việc đang chạy: mở địa chỉ trên trong trình duyệt của máy này (chỉ một lần). Dừng: Ctrl+C hoặc nút "
        "Thoát / the desk is running: open the address above in this PC's browser (once). Stop: Ctrl+C or Thoát",
        err=True,
    )
    if not no_browser:
        server.open_browser(guard.launch_address)
    try:
        server.serve(app, sock)
    finally:
        vault.close()
        sock.close()
    click.echo(
        "Đã dừng cửa sổ làm việc; khóa đã được xóa khỏi bộ nhớ / the desk has stopped; the key is out of memory.",
        err=True,
    )
