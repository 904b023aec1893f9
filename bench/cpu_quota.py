"""A browser held to a fraction of one CPU core, workers included: a CPU cgroup around Chromium.

Chromium's own throttling (``Emulation.setCPUThrottlingRate``) slows only the page's main thread:
the proof-of-work runs in Web Workers, which it does not reach (the 2026-12 reporter journey
measured the same attempts per second with and without it). A CPU quota on a cgroup holds every
thread of every process in it, so Chromium is started inside one: a small wrapper script moves
itself into the cgroup and then runs Chromium, whose processes all inherit it.

Needs root and a CPU controller: cgroup v1 (``/sys/fs/cgroup/cpu``, ``cpu.cfs_quota_us``) or v2
(``cpu.max``). Without them, ``QuotaUnavailable`` says why.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PERIOD_US = 100_000
V1 = Path("/sys/fs/cgroup/cpu")
V2 = Path("/sys/fs/cgroup")


class QuotaUnavailable(RuntimeError):
    """No CPU cgroup can be made here (not root, or no CPU controller)."""


def _make_group(name: str, fraction: float) -> Path:
    quota = int(PERIOD_US * fraction)
    if (V1 / "cpu.cfs_quota_us").is_file():
        group = V1 / name
        group.mkdir()
        (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
        (group / "cpu.cfs_quota_us").write_text(str(quota))
        return group
    controllers = V2 / "cgroup.controllers"
    if controllers.is_file() and "cpu" in controllers.read_text().split():
        group = V2 / name
        group.mkdir()
        (group / "cpu.max").write_text(f"{quota} {PERIOD_US}")
        return group
    raise QuotaUnavailable("no CPU cgroup controller at /sys/fs/cgroup/cpu (v1) or in /sys/fs/cgroup (v2)")


def _remove_group(group: Path) -> None:
    parent = group.parent / "cgroup.procs"
    for pid in (group / "cgroup.procs").read_text().split():
        try:
            parent.write_text(pid)  # a process left behind goes back to the parent group
        except OSError:
            pass
    try:
        group.rmdir()
    except OSError:
        pass


@dataclass(frozen=True)
class Held:
    executable: Path  # pass it to Playwright's launch(executable_path=...)
    group: Path

    def cpu_seconds(self) -> float:
        """CPU time used so far by the processes now in the group (user and system)."""
        total = 0
        for pid in (self.group / "cgroup.procs").read_text().split():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone since the list was read
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")


@contextmanager
def chromium_under_quota(chromium: Path, fraction: float) -> Iterator[Held]:
    """``chromium`` held to ``fraction`` of one core (0.3: 30 ms of CPU time per 100 ms, whatever the
    number of threads or processes): an executable to launch, and the group to read its use from."""
    if os.geteuid() != 0:
        raise QuotaUnavailable("a CPU cgroup needs root")
    try:
        group = _make_group(f"bench-browser-{os.getpid()}", fraction)
    except OSError as exc:
        raise QuotaUnavailable(f"cannot make a CPU cgroup: {exc}") from None
    with tempfile.TemporaryDirectory(prefix="cpu-quota-") as folder:
        wrapper = Path(folder) / "chromium"
        wrapper.write_text(f'#!/bin/sh\necho $$ > {group}/cgroup.procs\nexec {chromium} "$@"\n')
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
        try:
            yield Held(wrapper, group)
        finally:
            _remove_group(group)
