"""``office check-site``: does the live portal serve what the Board released? Also run by ``pull --check-site``.

The release manifest (``site-manifest.json``) comes with each release from the IT officer, who
built and published it from a tagged commit; the Office keeps it in its data folder (or names it
with ``--manifest`` / OFFICE_SITE_MANIFEST). With ``--build COMMIT`` the command makes the
manifest itself, from a clean build of that commit (a computer with the source and the build
tools). Exit status 0 when the site is exactly the release, 1 on any difference: the Windows
Task Scheduler or cron can run it every day. Every check is written in the audit trail when the
data folder holds a register.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..release import check as check_module
from ..release import site
from .common import by_option, data_option, fail, tell, who

manifest_option = click.option(
    "--manifest",
    "manifest_path",
    envvar="OFFICE_SITE_MANIFEST",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tệp kê khai của bản phát hành / the release manifest  [OFFICE_SITE_MANIFEST; else DATA/site-manifest.json]",
)

time_limit_option = click.option(
    "--time-limit",
    type=click.FloatRange(*site.TIME_LIMITS),
    default=check_module.TIME_LIMIT,
    show_default=True,
    envvar=site.TIME_LIMIT_VARIABLE,
    help="Số giây tối đa cho cả lần kiểm tra; quá hạn thì kết luận là không xác minh được / seconds the whole "
    "check may take; past it the verdict is 'cannot verify'  [OFFICE_SITE_CHECK_TIME_LIMIT]",
)


@click.command(name="check-site")
@click.argument("url")
@manifest_option
@click.option(
    "--build",
    "build",
    metavar="COMMIT",
    help="Tự dựng bản phát hành từ commit/tag này / build the release from this commit or tag",
)
@click.option(
    "--repo",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=".",
    show_default=True,
    help="Kho mã nguồn cho --build / the source repository for --build",
)
@click.option(
    "--data-file",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Tệp dữ liệu của cổng cho --build (mặc định: của commit) / the portal's data file for --build",
)
@click.option(
    "--every-encoding",
    is_flag=True,
    help="Tải mỗi tệp ba lần: br, gzip, không nén (mỗi bản CDN giữ riêng) / fetch each file as br, gzip and plain",
)
@time_limit_option
@data_option
@by_option
def check_site_command(
    url: str,
    manifest_path: Path | None,
    build: str | None,
    repo: Path,
    data_file: Path | None,
    every_encoding: bool,
    time_limit: float,
    data: Path,
    by: str | None,
) -> None:
    """Kiểm tra trang đang phục vụ đúng bản phát hành / Check the live site is the released one.

    Tải mọi tệp có trong tệp kê khai của bản phát hành từ URL như trình duyệt của người dân (cùng
    các tiêu đề yêu cầu của Chrome hiện hành, giải nén gzip và brotli), so từng byte, liệt kê
    những gì các trang tải mà không có trong bản phát hành, và đối chiếu khóa mà các trang và
    /api/v1/health công bố với khóa của sổ. Mọi lần chờ đều có hạn; trang không gửi hết trong
    thời hạn thì kết luận là không xác minh được. Trả mã thoát 1 khi có bất kỳ điểm khác nào
    hoặc không xác minh được (cho Task Scheduler hoặc cron). Kết quả được ghi vào nhật ký.

    Fetches every file of the release manifest from URL as a citizen's browser
    does (a current Chrome's request headers; gzip and brotli decoded),
    compares each byte, lists what the pages load that is not in the release,
    and checks the keys the pages and /api/v1/health announce against the
    register's. Every wait is bounded; a site that does not send everything
    in time gives "cannot verify". Exit status 1 on any difference, or when it
    cannot verify (for the Task Scheduler or cron). Recorded in the audit trail.

    --build dựng bản phát hành từ mã nguồn của chính commit cần kiểm tra, tức là chạy mã đó với
    quyền của người dùng: không bao giờ chạy trên máy hay tài khoản giữ tệp khóa của Văn phòng.

    --build runs the build of the very commit it checks, with the user's
    rights: never on the computer or account that holds the Office's key file.
    """
    done = tell(
        site.check(
            url,
            data,
            manifest_path,
            build=build,
            repo=repo,
            data_file=data_file,
            every_encoding=every_encoding,
            who=who(by),
            time_limit=time_limit,
        )
    )
    if refused := site.refusal(done.value):
        raise fail(refused)


def check_before_pull(url: str, data: Path, by: str | None = None) -> None:
    """``office pull --check-site URL``: stop before pulling anything when the site is not the release."""
    tell(site.before_pull(url, data, who=who(by)))
