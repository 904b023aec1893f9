"""Does the live portal serve what the Board released? ``office check-site`` and ``office pull --check-site``.

The release manifest (``site-manifest.json``) comes with each release from the IT officer, who
built and published it from a tagged commit; the Office keeps it in its data folder (or names it
with ``--manifest`` / OFFICE_SITE_MANIFEST). With ``build`` the operation makes the manifest
itself, from a clean build of that commit (a computer with the source and the build tools).
Every check is written in the audit trail when the data folder holds a register: the overview
shows the last verdict (``register.overview.last_site_check``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from portal_site import manifest as manifest_module

from ..keys import recipients as recipients_module
from ..operation import DeskError, Done, open_desk_at
from ..register import audit
from ..register import desk as desk_module
from . import check as check_module

MANIFEST_FILE = manifest_module.NAME

TIME_LIMIT_VARIABLE = "OFFICE_SITE_CHECK_TIME_LIMIT"
TIME_LIMITS = (5.0, 3600.0)


def _load_manifest(path: Path | None, data: Path) -> tuple[manifest_module.Manifest, bytes, Path]:
    path = path or data / MANIFEST_FILE
    if not path.is_file():
        raise DeskError(
            f"không có tệp kê khai của bản phát hành ở {path}: lưu tệp {MANIFEST_FILE} do cán bộ công nghệ thông tin "
            "gửi kèm bản phát hành vào thư mục dữ liệu, hoặc dùng --manifest TỆP hay --build COMMIT; chưa kiểm tra "
            f"gì / no release manifest at {path}: save the release's {MANIFEST_FILE} in the data folder, or give "
            "--manifest FILE or --build COMMIT"
        )
    try:
        raw = path.read_bytes()
        return manifest_module.parse(raw), raw, path
    except (OSError, manifest_module.ManifestError) as exc:
        raise DeskError(f"{path}: {exc}") from None


def _build_manifest(
    commit: str, repo: Path, data_file: Path | None, site_url: str
) -> tuple[manifest_module.Manifest, bytes, Path]:
    """A clean build of ``commit`` (portal_site.release): the manifest the Office trusts without a file."""
    try:
        from portal_site import release
    except ImportError as exc:  # the site's packages are not on this computer
        raise DeskError(
            f"--build cần bộ công cụ dựng trang (chạy scripts/setup.sh trước); báo cán bộ công nghệ thông tin / "
            f"--build needs the site's build tools (run scripts/setup.sh): {exc}"
        ) from None
    with tempfile.TemporaryDirectory(prefix="office-check-site-") as work:
        try:
            built = release.rebuild(repo, commit, Path(work) / "site", data=data_file, site_url=site_url)
        except (release.ReleaseError, OSError) as exc:  # OSError: git, bash or node is not installed
            raise DeskError(
                f"--build {commit}: không dựng được bản phát hành / the release cannot be built: {exc}"
            ) from None
        raw = (Path(work) / "site" / MANIFEST_FILE).read_bytes()
    return built, raw, Path(f"{commit} (built)")


def _register_keys(data: Path) -> tuple[list[str], object | None]:
    """The Office's keys as the register knows them, and the open desk (None without a register)."""
    if not desk_module.exists(data):
        return [], None
    desk = open_desk_at(data)
    return recipients_module.stored_recipients(desk.db), desk


def verdict(result: check_module.SiteCheck) -> list[str]:
    """The verdict, Vietnamese first, then English; each finding on its own line, naming the address."""
    m = result.manifest
    fingerprints = ", ".join(k.fingerprint for k in m.recipients) or "-"
    if result.ok:
        return [
            f"KẾT LUẬN: {_vi('ok')}. Trang {result.url} phục vụ đúng bản phát hành {m.commit[:12]}: "
            f"{result.files} tệp khớp từng byte; trang và hàm tiếp nhận dùng đúng khóa của Văn phòng "
            f"(mã nhận dạng khóa {fingerprints}).\n"
            f"VERDICT: {_en('ok')}. {result.url} serves release {m.commit[:12]} exactly: {result.files} files "
            f"match byte for byte; the pages and the intake function use the Office's keys "
            f"(fingerprints {fingerprints})."
        ]
    if result.unreachable:
        lines = [
            f"KẾT LUẬN: {_vi('unreachable')}. Trang {result.url} không trả lời; kiểm tra kết nối mạng rồi chạy lại. "
            "Nếu trang vẫn không trả lời, báo cán bộ công nghệ thông tin.\n"
            f"VERDICT: {_en('unreachable')}. {result.url} does not answer; check the network connection and run it "
            "again. If the site still does not answer, tell the IT officer."
        ]
    elif result.cannot_verify:
        lines = [
            f"KẾT LUẬN: {_vi('cannot-verify')}. Trang {result.url} không gửi hết các tệp trong thời hạn, nên không thể "
            "nói trang có đúng bản phát hành hay không. Chạy lại sau; nếu lần sau vẫn vậy, báo cán bộ công nghệ "
            "thông tin: một trang chậm bất thường cũng có thể là trang bị can thiệp.\n"
            f"VERDICT: {_en('cannot-verify')}. {result.url} did not send every file in time, so whether it serves the "
            "release cannot be said. Run it again later; if it happens again, tell the IT officer: an unusually "
            "slow site may also be a tampered one."
        ]
    else:
        lines = [
            f"KẾT LUẬN: {_vi('differs')}. Trang {result.url} có {len(result.findings)} điểm khác bản phát hành "
            f"{m.commit[:12]}. Chưa gửi phản ánh qua trang cho đến khi cán bộ công nghệ thông tin kiểm tra xong; "
            "báo cáo Lãnh đạo Ban.\n"
            f"VERDICT: {_en('differs')}. {result.url} differs from release {m.commit[:12]} in "
            f"{len(result.findings)} point(s). Have the IT officer check it before anyone relies on the site; "
            "tell the Board's leaders."
        ]
    return lines + [
        f"  - [{finding.kind}] {_one_line(finding.path)}: {_one_line(finding.vi)} / {_one_line(finding.en)}"
        for finding in result.findings
    ]


def _vi(verdict: str) -> str:
    return check_module.VERDICT_WORDS[verdict][0]


def _en(verdict: str) -> str:
    return check_module.VERDICT_WORDS[verdict][1]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def check(
    url: str,
    data: Path,
    manifest_path: Path | None = None,
    *,
    build: str | None = None,
    repo: Path = Path(),
    data_file: Path | None = None,
    every_encoding: bool = False,
    who: str,
    time_limit: float = check_module.TIME_LIMIT,
) -> Done:
    """Check the site and record the verdict in the audit trail (when ``data`` holds a register).

    ``Done.out`` is the verdict (``verdict``), ``Done.lines`` what was fetched and compared with,
    ``Done.value`` the SiteCheck; ``refusal(result)`` says whether the command fails.
    """
    if build and manifest_path:
        raise DeskError("chỉ dùng một trong hai: --manifest hoặc --build / give --manifest or --build, not both")
    if not url.startswith(("https://", "http://")) or any(c.isspace() for c in url):
        raise DeskError(
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
    done = Done(value=result, out=verdict(result))
    encoded = ", ".join(f"{name} {count}" for name, count in sorted(result.encodings.items()))
    done.say(
        f"Đã tải / fetched: {result.files} tệp / files, {result.bytes} bytes, {result.seconds:.1f} s"
        + (f" (Content-Encoding: {encoded})" if encoded else ""),
        f"Tệp kê khai / manifest: {source} (SHA-256 {manifest_module.sha256_hex(raw)})",
    )
    if desk is None:
        return done.say(
            f"Không có sổ theo dõi ở {data}: kết quả không được ghi vào nhật ký; khóa được so với tệp kê khai. / "
            f"No register in {data}: not recorded in the audit trail; keys compared with the manifest's."
        )
    audit.record(
        desk.db,
        "site-check",
        who=who,
        reason="kiểm tra trang đang phục vụ / live site check",
        details={
            "url": result.url,
            "commit": manifest.commit,
            "manifest": str(source),
            "ok": result.ok,
            "unreachable": result.unreachable,
            "verified": not result.cannot_verify,
            "files": result.files,
            "findings": [f"{f.kind} {f.path}" for f in result.findings[:50]],
        },
    )
    return done


def refusal(result: check_module.SiteCheck) -> str | None:
    """Why ``office check-site`` exits with status 1 (for the Task Scheduler or cron), or None when the site is
    the release."""
    if result.unreachable:
        return "không kết nối được với trang / the site cannot be reached"
    if result.cannot_verify:
        return "không xác minh được trang trong thời hạn / the site could not be verified in time"
    if not result.ok:
        return (
            f"trang khác bản phát hành: {len(result.findings)} điểm (xem trên) / "
            f"the site differs from the release: {len(result.findings)} finding(s) above"
        )
    return None


def time_limit_from_env() -> float:
    """``pull --check-site``: the check's time limit from the variable ``check-site --time-limit`` reads."""
    raw = os.environ.get(TIME_LIMIT_VARIABLE, "").strip()
    try:
        limit = float(raw) if raw else check_module.TIME_LIMIT
    except ValueError:
        limit = -1.0
    if not TIME_LIMITS[0] <= limit <= TIME_LIMITS[1]:
        raise DeskError(
            f"{TIME_LIMIT_VARIABLE}={raw!r}: cần số giây từ {TIME_LIMITS[0]:.0f} đến {TIME_LIMITS[1]:.0f}; chưa tải "
            f"gì / expected seconds from {TIME_LIMITS[0]:.0f} to {TIME_LIMITS[1]:.0f}; nothing was pulled"
        )
    return limit


def before_pull(url: str, data: Path, *, who: str) -> Done:
    """``office pull --check-site URL``: stop before pulling anything when the site is not the release."""
    manifest = os.environ.get("OFFICE_SITE_MANIFEST")
    done = check(url, data, Path(manifest) if manifest else None, who=who, time_limit=time_limit_from_env())
    result = done.value
    if result.unreachable or result.cannot_verify:
        raise DeskError(
            "không xác minh được trang (không trả lời, hoặc không gửi hết trong thời hạn): chưa tải phản ánh nào; "
            "phản ánh vẫn nằm an toàn trên máy chủ; chạy lại sau / the site could not be verified (no answer, or "
            "not everything in time): nothing was pulled; reports stay on the server; run again later",
            lines=done.lines,
            out=done.out,
        )
    if not result.ok:
        raise DeskError(
            "trang khác bản phát hành: chưa tải phản ánh nào; phản ánh vẫn nằm an toàn trên máy chủ. Chỉ chạy "
            "office pull không kèm --check-site sau khi cán bộ công nghệ thông tin đã kiểm tra trang / the site "
            "differs from the release: nothing was pulled; reports stay on the server. Run office pull without "
            "--check-site only after the IT officer has checked the site",
            lines=done.lines,
            out=done.out,
        )
    return done
