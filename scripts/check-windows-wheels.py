#!/usr/bin/env python3
"""Prove that the Office's tool installs on Windows without a compiler: a wheel for every pinned dependency.

The Office's staff install ``office`` with pip on a Windows PC (docs/huong-dan-ky-thuat/cai-dat-windows.md),
where a package without a ``win_amd64`` wheel would need a C or Rust compiler they do not have. This
asks pip to download, for Windows on x86-64, binary wheels only, every package the tool needs: the core
dependencies and the ``office`` extra of pyproject.toml, pinned by requirements.lock, and all that they
need in turn. pip evaluates environment markers for the machine it runs on, so the dependencies marked
for Windows alone (``colorama; platform_system == "Windows"``...) are found by reading each wheel's
metadata with Windows' markers, and downloaded too. Every package must be pinned by the lock.

    .venv/bin/python scripts/check-windows-wheels.py [--python 3.12 --python 3.13] [--dest DIR]

Exits 1, naming the package, if a wheel is missing or a package is not pinned.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from email.parser import Parser
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

ROOT = Path(__file__).resolve().parents[1]
PYTHONS = ["3.12", "3.13"]  # what the Windows guide tells the Office to install from python.org


def windows_environment(python: str) -> dict[str, str]:
    """The values of environment markers on 64-bit CPython for Windows."""
    return {
        "implementation_name": "cpython",
        "implementation_version": f"{python}.0",
        "os_name": "nt",
        "platform_machine": "AMD64",
        "platform_python_implementation": "CPython",
        "platform_release": "10",
        "platform_system": "Windows",
        "platform_version": "10.0.19045",
        "python_full_version": f"{python}.0",
        "python_version": python,
        "sys_platform": "win32",
        "extra": "",
    }


def pins() -> dict[str, str]:
    """Package name -> version, from requirements.lock."""
    found = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if match := re.fullmatch(r"([A-Za-z0-9._-]+)==([^\s;]+)", line):
            found[canonicalize_name(match[1])] = match[2]
    return found


def office_requirements() -> list[Requirement]:
    """The core dependencies and the office extra, as pyproject.toml names them."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(text) for text in [*project["dependencies"], *project["optional-dependencies"]["office"]]]


def download(names: list[str], python: str, dest: Path, locked: dict[str, str]) -> None:
    pinned = [f"{name}=={locked[name]}" for name in names]
    command = [
        sys.executable,
        *("-m", "pip", "download", "--quiet", "--disable-pip-version-check"),
        *("--platform", "win_amd64", "--python-version", python, "--implementation", "cp"),
        *("--only-binary=:all:", "-c", str(ROOT / "requirements.lock"), "-d", str(dest)),
        *pinned,
    ]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        lines = [line for line in done.stderr.splitlines() if not line.startswith("WARNING: Location")]
        raise SystemExit(f"Python {python} on win_amd64: no wheel for one of {', '.join(pinned)}\n" + "\n".join(lines))


def wheel_requirements(wheel: Path, environment: dict[str, str]) -> set[str]:
    """The names a wheel requires on Windows (extras it was not asked for are left out)."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(name).decode("utf-8"))
    needed = set()
    for text in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(text)
        if requirement.marker is None or Marker(str(requirement.marker)).evaluate(environment):
            needed.add(canonicalize_name(requirement.name))
    return needed


def check(python: str, dest: Path) -> list[str]:
    """Download the closure for one Python version; return the wheels, as name==version."""
    locked = pins()
    environment = windows_environment(python)
    wanted = {
        canonicalize_name(r.name) for r in office_requirements() if r.marker is None or r.marker.evaluate(environment)
    }
    have: dict[str, str] = {}
    while missing := sorted(wanted - set(have)):
        unpinned = [name for name in missing if name not in locked]
        if unpinned:
            raise SystemExit(f"not pinned in requirements.lock (needed on Windows): {', '.join(unpinned)}")
        download(missing, python, dest, locked)
        for wheel in dest.glob("*.whl"):
            name, version, _, tags = parse_wheel_filename(wheel.name)
            if name in have:
                continue
            if not any(t.platform in ("win_amd64", "any") for t in tags):
                raise SystemExit(f"{wheel.name} is not a wheel for win_amd64")
            if str(version) != locked.get(name):
                raise SystemExit(f"{wheel.name}: requirements.lock pins {name}=={locked.get(name)}")
            have[name] = str(version)
            wanted |= wheel_requirements(wheel, environment)
    return sorted(f"{name}=={version}" for name, version in have.items())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", action="append", help="a Python version (default: 3.12 and 3.13)")
    parser.add_argument("--dest", type=Path, help="keep the wheels here (default: a temporary folder)")
    args = parser.parse_args()
    for python in args.python or PYTHONS:
        with tempfile.TemporaryDirectory() as temporary:
            dest = (args.dest or Path(temporary)) / f"cp{python.replace('.', '')}-win_amd64"
            dest.mkdir(parents=True, exist_ok=True)
            wheels = check(python, dest)
            print(f"Python {python}, win_amd64: {len(wheels)} wheels, every one pinned: {', '.join(wheels)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
