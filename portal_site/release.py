"""Seal a built site, rebuild a commit cleanly, and compare two releases.

    python -m portal_site.release seal SITE [--esbuild-meta FILE]
    python -m portal_site.release rebuild COMMIT --out DIR [--repo DIR] [--data FILE]
                                  [--site-url URL] [--api-url URL] [--recipients KEYS]
    python -m portal_site.release verify SITE --commit COMMIT [--repo DIR] [--data FILE]
    python -m portal_site.release summary SITE

``seal`` is the last step of ``scripts/build-site.sh``: Subresource Integrity on every script and
stylesheet the pages load (``portal_site.integrity``), then ``site-manifest.json``
(``portal_site.manifest``) from the environment the script sets: ``PORTAL_COMMIT``,
``SOURCE_DATE_EPOCH`` and the build's data file and overrides.

``rebuild`` builds a commit from the repository's own copy of it (``git archive``), never from a
working folder, with the installed tools (this Python's packages, ``web/node_modules``): what
the deploy script and ``office check-site --build`` trust. The build runs the commit's own code
(its build script, esbuild, mkdocs hooks), so it gets a clean environment: the commands' path,
a locale, and an empty home and temporary folder of its own; none of the caller's variables (the
Office's key file, its store and credentials) reach it. ``verify`` rebuilds the commit a
built site's manifest names, with the inputs it records, and says which files differ; the deploy
script refuses to upload a site that does not verify. ``summary`` prints what the IT officer
reads out to the Office with the manifest: the commit, the keys' fingerprints, the manifest's hash.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from . import manifest as manifest_module
from .integrity import IntegrityError, seal_site

ROOT = Path(__file__).resolve().parent.parent


class ReleaseError(RuntimeError):
    """The release cannot be built or does not match; the message says what to do."""


def seal(
    site: Path, esbuild_meta: Path | None = None, environ: dict[str, str] | None = None
) -> manifest_module.Manifest:
    """Add integrity to the pages, then write the manifest of every file; returns the manifest."""
    from . import data as data_module

    env = os.environ if environ is None else environ
    try:
        seal_site(site, esbuild_meta, ROOT / "web")
    except IntegrityError as exc:
        raise ReleaseError(str(exc)) from None
    data_file = data_module.data_path(env)
    data = data_module.apply_overrides(data_module.load(data_file), env)
    commit, epoch = env.get("PORTAL_COMMIT", ""), env.get("SOURCE_DATE_EPOCH", "")
    if not epoch.isdigit():
        raise ReleaseError("SOURCE_DATE_EPOCH is not set: build with scripts/build-site.sh")
    manifest = manifest_module.Manifest(
        commit=commit,
        source_date_epoch=int(epoch),
        data_sha256=manifest_module.sha256_hex(data_file.read_bytes()),
        site_url=env.get("PORTAL_SITE_URL") or None,
        api_url=data.api_url,
        recipients=tuple(manifest_module.Key(k.recipient, k.fingerprint) for k in data.keys or ()),
        files=manifest_module.site_files(site),
    )
    written = manifest.dumps()
    manifest_module.parse(written)  # never publish a manifest the Office's tool would refuse
    (site / manifest_module.NAME).write_bytes(written)
    return manifest


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ReleaseError(f"git {' '.join(args)}: {result.stderr.strip()}")
    return result.stdout.strip()


def commit_of(repo: Path, ref: str) -> str:
    """The full id of a commit or tag (a tag is followed to its commit)."""
    return _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")


# What a build needs of the caller's environment: where the commands are, and on Windows the system's
# own folders. Nothing else passes: not OFFICE_* (the key file, the store), not AWS_* credentials.
_PASSED = ("PATH", "SYSTEMROOT", "SYSTEMDRIVE", "WINDIR", "COMSPEC", "PATHEXT")


def clean_environment(work: Path) -> dict[str, str]:
    """The environment a commit's build runs in: see the module docstring."""
    home = work / "home"
    home.mkdir(exist_ok=True)
    env = {name: os.environ[name] for name in _PASSED if name in os.environ}
    env.update({"HOME": str(home), "USERPROFILE": str(home), "TMPDIR": str(home), "TEMP": str(home)})
    env.update({"TMP": str(home), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"})
    return env


def rebuild(
    repo: Path,
    ref: str,
    out: Path,
    data: Path | None = None,
    site_url: str | None = None,
    api_url: str | None = None,
    recipients: str | None = None,
) -> manifest_module.Manifest:
    """Build ``ref`` from the repository's own copy of it into ``out``; returns its manifest."""
    commit = commit_of(repo, ref)
    epoch = _git(repo, "log", "-1", "--format=%ct", commit)
    with tempfile.TemporaryDirectory(prefix="portal-release-") as work:
        source = Path(work) / "source"
        source.mkdir()
        archive = Path(work) / "source.tar"
        with archive.open("wb") as handle:
            result = subprocess.run(["git", "-C", str(repo), "archive", "--format=tar", commit], stdout=handle)
        if result.returncode != 0:
            raise ReleaseError(f"git archive {commit} failed")
        try:
            with tarfile.open(archive) as tar:
                tar.extractall(source, filter="data")
        except (tarfile.TarError, OSError) as exc:  # FilterError: a link or path out of the folder
            raise ReleaseError(
                f"the files of {commit[:12]} cannot be unpacked safely ({exc.__class__.__name__}: {exc}); "
                "nothing was built"
            ) from None
        modules = repo / "web" / "node_modules"
        if not modules.is_dir():
            raise ReleaseError(f"{modules} is missing: run scripts/setup.sh run in {repo}")
        # A copy, not a link: esbuild names chunks after the real paths of what they hold, so the
        # packages must sit where a checkout has them for the bytes to be the same.
        shutil.copytree(modules, source / "web" / "node_modules", symlinks=True)
        options = ["--out", str(out)]
        for name, value in (
            ("--data", str(data.resolve()) if data else None),
            ("--site-url", site_url),
            ("--api-url", api_url),
            ("--recipients", recipients),
        ):
            if value:
                options += [name, value]
        env = clean_environment(Path(work))
        env.update({"PORTAL_COMMIT": commit, "SOURCE_DATE_EPOCH": epoch, "PYTHON": sys.executable})
        build = subprocess.run(
            ["bash", str(source / "scripts" / "build-site.sh"), *options],
            cwd=source,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if build.returncode != 0:
            raise ReleaseError(f"the build of {commit[:12]} failed:\n{build.stdout[-3000:]}{build.stderr[-3000:]}")
    return manifest_module.load(out / manifest_module.NAME)


def differences(expected: manifest_module.Manifest, actual: manifest_module.Manifest) -> list[str]:
    """What differs between two releases, one line each (empty when they are the same release)."""
    lines = []
    for name in ("commit", "source_date_epoch", "data_sha256", "site_url", "api_url", "recipients"):
        if getattr(expected, name) != getattr(actual, name):
            lines.append(f"{name}: {getattr(expected, name)!r} != {getattr(actual, name)!r}")
    for path in sorted(set(expected.files) | set(actual.files)):
        if path not in actual.files:
            lines.append(f"{path}: only in the first")
        elif path not in expected.files:
            lines.append(f"{path}: only in the second")
        elif expected.files[path] != actual.files[path]:
            lines.append(f"{path}: different content")
    return lines


def verify(site: Path, repo: Path, ref: str, data: Path | None = None) -> list[str]:
    """Rebuild the commit ``ref`` with the inputs the site's manifest records; return the differences."""
    built = manifest_module.load(site / manifest_module.NAME)
    if built.commit != commit_of(repo, ref):
        raise ReleaseError(f"{site} was built from {built.commit[:12]}, not from {ref} ({commit_of(repo, ref)[:12]})")
    if data is None:
        committed = subprocess.run(
            ["git", "-C", str(repo), "show", f"{built.commit}:docs/data/portal.yml"], capture_output=True, check=False
        ).stdout
        if manifest_module.sha256_hex(committed) != built.data_sha256:
            raise ReleaseError(
                f"{site} was built from a data file that is not the commit's docs/data/portal.yml: give it with --data"
            )
    elif manifest_module.sha256_hex(data.read_bytes()) != built.data_sha256:
        raise ReleaseError(f"{data} is not the data file {site} was built from (SHA-256 {built.data_sha256[:16]}...)")
    with tempfile.TemporaryDirectory(prefix="portal-verify-") as work:
        clean = rebuild(
            repo,
            built.commit,
            Path(work) / "site",
            data=data,
            site_url=built.site_url,
            api_url=built.api_url,
            recipients=",".join(k.recipient for k in built.recipients) or None,
        )
        found = differences(clean, built)
        for path, digest in manifest_module.site_files(site).items():
            if built.files.get(path) != digest:
                found.append(f"{path}: the folder does not match its own manifest")
        if (site / manifest_module.NAME).read_bytes() != (Path(work) / "site" / manifest_module.NAME).read_bytes():
            found.append(f"{manifest_module.NAME}: not the bytes a clean build writes")
    return found


def summary(site: Path) -> str:
    raw = (site / manifest_module.NAME).read_bytes()
    built = manifest_module.parse(raw)
    lines = [f"Bản phát hành / release: commit {built.commit}, {len(built.files)} tệp / files"]
    lines += [f"  khóa / key {k.recipient[:16]}…  mã nhận dạng / fingerprint {k.fingerprint}" for k in built.recipients]
    lines.append(f"  {manifest_module.NAME} SHA-256 {manifest_module.sha256_hex(raw)}")
    lines.append(
        "  Giao tệp này cho Văn phòng Ban (office check-site) / give this file to the Office (office check-site)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m portal_site.release", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    seal_parser = commands.add_parser("seal", help="integrity on the pages, then site-manifest.json")
    seal_parser.add_argument("site", type=Path)
    seal_parser.add_argument("--esbuild-meta", type=Path, help="esbuild's metafile (web/build.mjs)")
    rebuild_parser = commands.add_parser("rebuild", help="build a commit from the repository's copy of it")
    rebuild_parser.add_argument("commit")
    rebuild_parser.add_argument("--out", type=Path, required=True)
    verify_parser = commands.add_parser("verify", help="does a built site match a clean build of its commit?")
    verify_parser.add_argument("site", type=Path)
    verify_parser.add_argument("--commit", required=True, help="the tag or commit to release")
    for sub in (rebuild_parser, verify_parser):
        sub.add_argument("--repo", type=Path, default=ROOT, help="the git repository (default: this one)")
        sub.add_argument("--data", type=Path, help="the data file (default: the commit's docs/data/portal.yml)")
    for name in ("--site-url", "--api-url", "--recipients"):
        rebuild_parser.add_argument(name)
    summary_parser = commands.add_parser("summary", help="the release's commit, keys and manifest hash")
    summary_parser.add_argument("site", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "summary":
            print(summary(args.site))
            return 0
        if args.command == "seal":
            result = seal(args.site, args.esbuild_meta)
            print(f"site-manifest.json: {len(result.files)} files, commit {result.commit[:12]}")
            return 0
        if args.command == "rebuild":
            result = rebuild(args.repo, args.commit, args.out, args.data, args.site_url, args.api_url, args.recipients)
            print(f"{args.out}: commit {result.commit[:12]}, {len(result.files)} files")
            return 0
        found = verify(args.site, args.repo, args.commit, args.data)
    except (ReleaseError, manifest_module.ManifestError) as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 2
    if found:
        print(f"release: {args.site} is NOT a clean build of {args.commit}:", file=sys.stderr)
        for line in found[:50]:
            print(f"  - {line}", file=sys.stderr)
        return 1
    print(f"release: {args.site} is a clean build of {args.commit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
