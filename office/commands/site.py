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

import os
import tempfile
from pathlib import Path

import click

from portal_site import manifest as manifest_module

from ..keys import recipients as recipients_module
from ..register import audit
from ..register import desk as desk_module
from ..release import check as check_module
from .common import by_option, data_option, desk_at, fail, who
from .terminal import safe

MANIFEST_FILE = manifest_module.NAME

TIME_LIMIT_VARIABLE = "OFFICE_SITE_CHECK_TIME_LIMIT"
TIME_LIMITS = (5.0, 3600.0)

time_limit_option = click.option(
    "--time-limit",
    type=click.FloatRange(*TIME_LIMITS),
    default=check_module.TIME_LIMIT,
    show_default=True,
    envvar=TIME_LIMIT_VARIABLE,
    help="Số giây tối đa cho cả lần kiểm tra; quá hạn thì kết luận là không xác minh được / seconds the whole "
    "check may take; past it the verdict is 'cannot verify'  [OFFICE_SITE_CHECK_TIME_LIMIT]",
)

manifest_option = click.option(
    "--manifest",
    "manifest_path",
    envvar="OFFICE_SITE_MANIFEST",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Tệp kê khai của bản phát hành / the release manifest  [OFFICE_SITE_MANIFEST; else DATA/site-manifest.json]",
)


def _load_manifest(path: Path | None, data: Path) -> tuple[manifest_module.Manifest, bytes, Path]:
    path = path or data / MANIFEST_FILE
    if not path.is_file():
        raise fail(
            f"không có tệp kê khai của bản phát hành ở {path}: lưu tệp {MANIFEST_FILE} do cán bộ công nghệ thông tin "
            "gửi kèm bản phát hành vào thư mục dữ liệu, hoặc dùng --manifest TỆP hay --build COMMIT; chưa kiểm tra "
            f"gì / no release manifest at {path}: save the release's {MANIFEST_FILE} in the data folder, or give "
            "--manifest FILE or --build COMMIT"
        )
    try:
        raw = path.read_bytes()
        return manifest_module.parse(raw), raw, path
    except (OSError, manifest_module.ManifestError) as exc:
        raise fail(f"{path}: {exc}") from None


def _build_manifest(
    commit: str, repo: Path, data_file: Path | None, site_url: str
) -> tuple[manifest_module.Manifest, bytes, Path]:
    """A clean build of ``commit`` (portal_site.release): the manifest the Office trusts without a file."""
    try:
        from portal_site import release
    except ImportError as exc:  # the site's packages are not on this computer
        raise fail(
            f"--build cần bộ công cụ dựng trang (chạy scripts/setup.sh trước); báo cán bộ công nghệ thông tin / "
            f"--build needs the site's build tools (run scripts/setup.sh): {exc}"
        ) from None
    with tempfile.TemporaryDirectory(prefix="office-check-site-") as work:
        try:
            built = release.rebuild(repo, commit, Path(work) / "site", data=data_file, site_url=site_url)
        except (release.ReleaseError, OSError) as exc:  # OSError: git, bash or node is not installed
            raise fail(
                f"--build {commit}: không dựng được bản phát hành / the release cannot be built: {exc}"
            ) from None
        raw = (Path(work) / "site" / MANIFEST_FILE).read_bytes()
    return built, raw, Path(f"{commit} (built)")


def _register_keys(data: Path) -> tuple[list[str], object | None]:
    """The Office's keys as the register knows them, and the open desk (None without a register)."""
    if not desk_module.exists(data):
        return [], None
    desk = desk_at(data)
    return recipients_module.stored_recipients(desk.db), desk


def print_verdict(result: check_module.SiteCheck, source: Path, raw: bytes) -> None:
    """Vietnamese first, then English; each finding on its own line, naming the address."""
    m = result.manifest
    fingerprints = ", ".join(k.fingerprint for k in m.recipients) or "-"
    if result.ok:
        click.echo(
            f"KẾT LUẬN: ĐÚNG. Trang {result.url} phục vụ đúng bản phát hành {m.commit[:12]}: "
            f"{result.files} tệp khớp từng byte; trang và hàm tiếp nhận dùng đúng khóa của Văn phòng "
            f"(mã nhận dạng khóa {fingerprints}).\n"
            f"VERDICT: OK. {result.url} serves release {m.commit[:12]} exactly: {result.files} files match byte "
            f"for byte; the pages and the intake function use the Office's keys (fingerprints {fingerprints})."
        )
    elif result.unreachable:
        click.echo(
            f"KẾT LUẬN: KHÔNG XÁC MINH ĐƯỢC. Trang {result.url} không trả lời; kiểm tra kết nối mạng rồi chạy lại. "
            "Nếu trang vẫn không trả lời, báo cán bộ công nghệ thông tin.\n"
            f"VERDICT: CANNOT VERIFY. {result.url} does not answer; check the network connection and run it again. "
            "If the site still does not answer, tell the IT officer."
        )
        for finding in result.findings:
            click.echo(
                f"  - [{finding.kind}] {finding.path}: {safe(finding.vi, single_line=True)} / "
                f"{safe(finding.en, single_line=True)}"
            )
    elif result.cannot_verify:
        click.echo(
            f"KẾT LUẬN: KHÔNG XÁC MINH ĐƯỢC. Trang {result.url} không gửi hết các tệp trong thời hạn, nên không thể "
            "nói trang có đúng bản phát hành hay không. Chạy lại sau; nếu lần sau vẫn vậy, báo cán bộ công nghệ "
            "thông tin: một trang chậm bất thường cũng có thể là trang bị can thiệp.\n"
            f"VERDICT: CANNOT VERIFY. {result.url} did not send every file in time, so whether it serves the release "
            "cannot be said. Run it again later; if it happens again, tell the IT officer: an unusually slow site "
            "may also be a tampered one."
        )
        for finding in result.findings:
            click.echo(
                f"  - [{finding.kind}] {finding.path}: {safe(finding.vi, single_line=True)} / "
                f"{safe(finding.en, single_line=True)}"
            )
    else:
        click.echo(
            f"KẾT LUẬN: KHÁC BẢN PHÁT HÀNH. Trang {result.url} có {len(result.findings)} điểm khác bản phát hành "
            f"{m.commit[:12]}. Chưa gửi phản ánh qua trang cho đến khi cán bộ công nghệ thông tin kiểm tra xong; "
            "báo cáo Lãnh đạo Ban.\n"
            f"VERDICT: THE SITE DIFFERS. {result.url} differs from release {m.commit[:12]} in "
            f"{len(result.findings)} point(s). Have the IT officer check it before anyone relies on the site; "
            "tell the Board's leaders."
        )
        for finding in result.findings:
            click.echo(
                f"  - [{finding.kind}] {safe(finding.path, single_line=True)}: {safe(finding.vi, single_line=True)}"
                f" / {safe(finding.en, single_line=True)}"
            )
    encodings = ", ".join(f"{name} {count}" for name, count in sorted(result.encodings.items()))
    click.echo(
        f"Đã tải / fetched: {result.files} tệp / files, {result.bytes} bytes, {result.seconds:.1f} s"
        + (f" (Content-Encoding: {encodings})" if encodings else ""),
        err=True,
    )
    click.echo(f"Tệp kê khai / manifest: {source} (SHA-256 {manifest_module.sha256_hex(raw)})", err=True)


def run_check(
    url: str,
    data: Path,
    manifest_path: Path | None = None,
    *,
    build: str | None = None,
    repo: Path = Path(),
    data_file: Path | None = None,
    every_encoding: bool = False,
    by: str | None = None,
    time_limit: float = check_module.TIME_LIMIT,
) -> check_module.SiteCheck:
    """Check the site, print the verdict, record it in the audit trail; return the result."""
    if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
        raise fail(
            f"{url!r}: địa chỉ trang không hợp lệ; ghi địa chỉ của cổng, ví dụ https://tocao.example.gov.vn/ / "
            "not the portal's address; give one like https://tocao.example.gov.vn/"
        )
    if build:
        manifest, raw, source = _build_manifest(build, repo, data_file, url if url.endswith("/") else url + "/")
    else:
        manifest, raw, source = _load_manifest(manifest_path, data)
    keys, desk = _register_keys(data)
    encodings = ("br", "gzip", "identity") if every_encoding else (None,)
    result = check_module.check_site(url, manifest, raw, keys, encodings=encodings, time_limit=time_limit)
    print_verdict(result, source, raw)
    if desk is None:
        click.echo(
            f"Không có sổ theo dõi ở {data}: kết quả không được ghi vào nhật ký; khóa được so với tệp kê khai. / "
            f"No register in {data}: not recorded in the audit trail; keys compared with the manifest's.",
            err=True,
        )
    else:
        audit.record(
            desk.db,
            "site-check",
            who=who(by),
            reason="kiểm tra trang đang phục vụ / live site check",
            details={
                "url": result.url,
                "commit": manifest.commit,
                "manifest": str(source),
                "ok": result.ok,
                "verified": not result.cannot_verify,
                "files": result.files,
                "findings": [f"{f.kind} {f.path}" for f in result.findings[:50]],
            },
        )
    return result


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
    if build and manifest_path:
        raise fail("chỉ dùng một trong hai: --manifest hoặc --build / give --manifest or --build, not both")
    result = run_check(
        url,
        data,
        manifest_path,
        build=build,
        repo=repo,
        data_file=data_file,
        every_encoding=every_encoding,
        by=by,
        time_limit=time_limit,
    )
    if result.unreachable:
        raise fail("không kết nối được với trang / the site cannot be reached")
    if result.cannot_verify:
        raise fail("không xác minh được trang trong thời hạn / the site could not be verified in time")
    if not result.ok:
        raise fail(
            f"trang khác bản phát hành: {len(result.findings)} điểm (xem trên) / "
            f"the site differs from the release: {len(result.findings)} finding(s) above"
        )


def _time_limit_from_env() -> float:
    """``pull --check-site``: the check's time limit from the variable ``check-site --time-limit`` reads."""
    raw = os.environ.get(TIME_LIMIT_VARIABLE, "").strip()
    try:
        limit = float(raw) if raw else check_module.TIME_LIMIT
    except ValueError:
        limit = -1.0
    if not TIME_LIMITS[0] <= limit <= TIME_LIMITS[1]:
        raise fail(
            f"{TIME_LIMIT_VARIABLE}={raw!r}: cần số giây từ {TIME_LIMITS[0]:.0f} đến {TIME_LIMITS[1]:.0f}; chưa tải "
            f"gì / expected seconds from {TIME_LIMITS[0]:.0f} to {TIME_LIMITS[1]:.0f}; nothing was pulled"
        )
    return limit


def check_before_pull(url: str, data: Path) -> None:
    """``office pull --check-site URL``: stop before pulling anything when the site is not the release."""
    manifest = os.environ.get("OFFICE_SITE_MANIFEST")
    result = run_check(url, data, Path(manifest) if manifest else None, time_limit=_time_limit_from_env())
    if result.unreachable or result.cannot_verify:
        raise fail(
            "không xác minh được trang (không trả lời, hoặc không gửi hết trong thời hạn): chưa tải phản ánh nào; "
            "phản ánh vẫn nằm an toàn trên máy chủ; chạy lại sau / the site could not be verified (no answer, or "
            "not everything in time): nothing was pulled; reports stay on the server; run again later"
        )
    if not result.ok:
        raise fail(
            "trang khác bản phát hành: chưa tải phản ánh nào; phản ánh vẫn nằm an toàn trên máy chủ. Chỉ chạy "
            "office pull không kèm --check-site sau khi cán bộ công nghệ thông tin đã kiểm tra trang / the site "
            "differs from the release: nothing was pulled; reports stay on the server. Run office pull without "
            "--check-site only after the IT officer has checked the site"
        )
