"""A flood of the no-JavaScript paths and the check page, and what it does to /health.

The real server (``python -m intake_function``: waitress, 8 threads, a folder store) is started
as its own process. /health is timed one request after another while 24 clients post, as fast
as they can, valid no-JavaScript reports, follow-ups and receipt-code checks: the paths that
cannot ask for a proof-of-work.

The floor, in the same run and on the same server: the same 24 clients asking, as fast as they
can, for the server's cheapest answer (/health itself). Any 24 busy clients make /health wait
behind them on two cores; what the budgets must achieve is that a flood of the costly paths
weighs no more than that, and that the store keeps only what the budget allows (the objects
stored during the flood are counted).

    bound: p95 of /health under the no-JavaScript flood <= 2 x p95 under the floor flood
    (with the budget on, the default)

/health alone (no flood) is printed for information: the ratio to it is mostly the queue of
24 clients on a two-core machine, client threads included. Before this work the check page slept
0.3 s on a server thread per request, and 24 clients took /health from 1.3 ms to 610 ms (x470).
The same flood with the budgets switched off (every post parsed, encrypted and stored) is shown
for comparison, not held to the bound.

Run: ``scripts/bench.sh`` (or ``.venv/bin/python -m bench.flood``).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from intake_function import envelope, receipt

ROOT = Path(__file__).resolve().parents[1]
CLIENTS = 24
FLOOD_SECONDS = 8.0
BOUND = 2.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(store: Path, recipient: str, **extra: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "INTAKE_STORE": store.as_uri(),
        "INTAKE_RECIPIENTS": recipient,
        "INTAKE_LOG_LEVEL": "WARNING",
        **extra,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "intake_function"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if requests.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                return process, base
        except requests.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the server did not start")


def health_latencies(base: str, stop: threading.Event | None = None, count: int = 300) -> list[float]:
    """/health timed one request after another (a fresh connection each, as a monitor would)."""
    times = []
    while (stop is None and len(times) < count) or (stop is not None and not stop.is_set()):
        started = time.perf_counter()
        response = requests.get(f"{base}/api/v1/health", timeout=30)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        if stop is not None:
            time.sleep(0.01)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def flood(base: str, seconds: float, floor: bool = False) -> dict[int, int]:
    """CLIENTS threads posting valid no-JavaScript requests (or, for the floor, asking for /health); the
    count of each status."""
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    report = {"category": "waste", "description": "Có dấu hiệu lãng phí " * 10, "consent": "yes"}

    def work(n: int) -> None:
        session = requests.Session()
        while time.perf_counter() < stop:
            kind = n % 3
            if floor:
                r = session.get(f"{base}/api/v1/health", timeout=60)
            elif kind == 0:
                r = session.post(f"{base}/api/v1/submissions/form", data=report, timeout=60)
            elif kind == 1:
                r = session.post(
                    f"{base}/api/v1/followups/form", data={"code": receipt.new_code(), "message": "Bổ sung"}, timeout=60
                )
            else:
                r = session.post(f"{base}/api/v1/replies/check", data={"code": receipt.new_code()}, timeout=60)
            with lock:
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

    threads = [threading.Thread(target=work, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def under_flood(base: str, floor: bool) -> tuple[list[float], dict[int, int]]:
    """/health's latencies while the flood (or the floor's flood) runs, and the flood's answers."""
    stop = threading.Event()
    during: list[float] = []
    probe = threading.Thread(target=lambda: during.extend(health_latencies(base, stop)))
    probe.start()
    time.sleep(0.2)
    statuses = flood(base, FLOOD_SECONDS, floor=floor)
    stop.set()
    probe.join()
    return during, statuses


@dataclass
class Measured:
    alone: list[float]
    floor: list[float]
    during: list[float]
    statuses: dict[int, int]


def measure(store: Path, recipient: str, **extra: str) -> Measured:
    process, base = start_server(store, recipient, **extra)
    try:
        health_latencies(base, count=50)  # warm up
        alone = health_latencies(base)
        floor, _ = under_flood(base, floor=True)
        during, statuses = under_flood(base, floor=False)
        return Measured(alone, floor, during, statuses)
    finally:
        process.terminate()
        process.wait(timeout=15)


def main() -> int:
    recipient = str(envelope.generate_identity().to_public())
    print(
        f"(flood) /health while {CLIENTS} clients post no-JavaScript reports, follow-ups and checks "
        f"for {FLOOD_SECONDS:.0f} s; floor: the same clients asking for /health"
    )
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        ok = True
        for label, extra in (
            ("budget on (default)", {}),
            ("budget off (comparison)", {"INTAKE_FORM_BUDGET": "0", "INTAKE_CHECK_BUDGET": "0"}),
        ):
            store = work / label[:9]
            found = measure(store, recipient, **extra)
            stored = sum(1 for f in store.rglob("*") if f.is_file() and f.relative_to(store).parts[0] != "pow")
            ratio = p95(found.during) / p95(found.floor)
            verdict = ""
            if label.startswith("budget on"):
                ok = ratio <= BOUND
                verdict = f"  (bound <= {BOUND:.0f}: {'held' if ok else 'NOT HELD'})"
            print(
                f"  {label:<26} /health p95 {p95(found.during):6.1f} ms, floor {p95(found.floor):6.1f} ms  "
                f"ratio {ratio:5.2f}{verdict}"
            )
            print(
                f"  {'':<26} (alone: p50 {statistics.median(found.alone):.1f} ms, p95 {p95(found.alone):.1f} ms; "
                f"under the flood p50 {statistics.median(found.during):.1f} ms, "
                f"x{p95(found.during) / p95(found.alone):.0f} the p95 alone)"
            )
            print(
                f"  {'':<26} answers: "
                + ", ".join(f"{n} x {s}" for s, n in sorted(found.statuses.items()))
                + f"; objects stored: {stored}"
            )
            assert all(s < 500 for s in found.statuses), found.statuses
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
