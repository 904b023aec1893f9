"""Benchmark of the desk's window on a register of 10,000 cases, against `office list` in the same run.

The register is the one ``bench.desk`` fills (every channel, every step of the
workflow, activities). ``office desk`` is started as the Office starts it (a
subprocess, waitress on loopback), its launch address spent and the identity
unlocked; then each page is fetched over HTTP as the browser fetches it, several
times, and the median is kept: the register page (first page, a filter, a sort,
its CSV) and a case page (decrypted, audited). The floor is `office list` on the
same register, run as a command (start-up included); each page is reported as
a ratio to it.

Run: ``.venv/bin/python -m bench.desk_window`` (``--cases N``, ``--json FILE``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.desk import fill
from intake_function import envelope

REPEAT = 7


class Desk:
    """`office desk` in a subprocess, and its session."""

    def __init__(self, env: dict[str, str], identity: Path):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "office", "desk", "--no-browser", "--identity", str(identity)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        address = urlsplit(self.process.stdout.readline().strip())
        self.port = address.port
        self.cookie = ""
        self.csrf = ""
        answer = self.request("GET", address.path)
        self.cookie = answer[1]["set-cookie"].split(";")[0]
        self.request("GET", "/unlock")
        status, _, _ = self.request("POST", "/unlock", {"passphrase": ""})
        if status != 303:
            raise SystemExit(f"the desk did not unlock ({status})")

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Host": f"127.0.0.1:{self.port}", "Cookie": self.cookie}
        body = None
        if method == "POST":
            body = urlencode({"csrf": self.csrf, **(form or {})}).encode()
            headers |= {"Origin": f"http://127.0.0.1:{self.port}", "Content-Type": "application/x-www-form-urlencoded"}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        found = re.search(rb'name="csrf" value="([^"]+)"', data)
        if found:
            self.csrf = found.group(1).decode()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def timed(self, path: str) -> tuple[float, int]:
        """The median time to fetch ``path`` (whole body read), and the body's size."""
        times, size = [], 0
        for _ in range(REPEAT):
            started = time.perf_counter()
            status, _, data = self.request("GET", path)
            times.append(time.perf_counter() - started)
            if status != 200:
                raise SystemExit(f"GET {path}: {status}")
            size = len(data)
        return statistics.median(times), size

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def command_seconds(args: list[str], env: dict[str, str]) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "office", *args], env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="desk-window-bench-") as temp:
        data = Path(temp) / "desk"
        identity = fill(data, options.cases)
        key_file = Path(temp) / "office-identity.txt"
        key_file.write_text(envelope.identity_file_text(identity, "bench"), encoding="utf-8")
        env = {**os.environ, "OFFICE_DATA": str(data), "OFFICE_USER": "bench", "TMPDIR": temp}
        floor = command_seconds(["list"], env)
        print(f"Register of {options.cases} cases; floor: office list {floor:.2f} s (median of 3, start-up included)")
        desk = Desk(env, key_file)
        try:
            pages = {
                "register page (first page)": "/cases",
                "register page, open cases, sorted by deadline": "/cases?open=1&sort=due",
                "register page, search": "/cases?search=2026-05",
                "register page, late only": "/cases?late=1",
                "register CSV (every case)": "/cases.csv",
                "case page": f"/cases/{_a_case(desk)}",
            }
            figures = {"cases": options.cases, "office_list_seconds": floor, "pages": {}}
            for name, path in pages.items():
                seconds, size = desk.timed(path)
                print(f"  {name:<48} {seconds:6.3f} s  {seconds / floor:5.2f} × office list  ({size / 1e3:.0f} kB)")
                figures["pages"][name] = {"seconds": seconds, "ratio": seconds / floor, "bytes": size}
        finally:
            desk.stop()
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def _a_case(desk: Desk) -> str:
    """A case in the middle of the register, as the register page links it."""
    _, _, body = desk.request("GET", "/cases?page=50")
    numbers = re.findall(rb'href="/cases/(\d{4}-\d{4})"', body)
    if not numbers:
        raise SystemExit("the register page links no case")
    return numbers[0].decode()


if __name__ == "__main__":
    main()
