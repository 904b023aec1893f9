"""The Windows install guide (docs/huong-dan-ky-thuat/cai-dat-windows.md): the package it builds installs alone.

Its PowerShell steps run only on Windows (marked so); what can be proven here is that the wheel its
first command builds holds the whole tool, declares the pinned dependencies of the ``office`` extra,
puts an ``office`` command on the PATH, and runs from its own files. That every one of those
dependencies has a wheel for Windows is scripts/check-windows-wheels.py's job, in CI.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import zipfile
from email.parser import Parser

from tests.conftest import ROOT

WHEEL = ".venv/bin/python -m pip wheel --no-deps -w dist ."
GUIDE_COMMANDS = [WHEEL]


def test_the_guides_wheel_holds_the_tool_and_runs_from_its_own_files(tmp_path):
    args = shlex.split(WHEEL)
    args[args.index("dist")] = str(tmp_path / "dist")  # the guide's command, writing outside the work tree
    done = subprocess.run([sys.executable, *args[1:]], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    (wheel,) = (tmp_path / "dist").glob("bqlkkt_portal-*-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(archive.read(info).decode())
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert "office = office.commands.cli:main" in entry_points
    assert {"office/commands/cli.py", "office/notepad.py", "intake_function/schemas/report-1.schema.json"} <= names
    requires = metadata.get_all("Requires-Dist")
    assert 'click==8.5.1; extra == "office"' in requires and "cryptography==50.0.2" in requires
    # Installed alone (its dependencies taken from this environment), the wheel's own files run.
    target = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(target), str(wheel)],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    shown = subprocess.run(
        [sys.executable, "-c", "import office, sys; print(office.__file__); sys.argv[0] = 'office'; "
         "from office.commands.cli import main; sys.argv = ['office', '--version']; sys.exit(main())"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0].startswith(str(target)) and "office, phiên bản / version 0.1.0" in shown.stdout
