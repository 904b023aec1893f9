"""One client floods the no-JavaScript form and the check page; ten citizens go on being served.

The real server (``python -m intake_function``: waitress, 8 threads, a folder store) is started
as its own process, fresh for each phase. Every client has its own address: the bench binds each
one's connections to its own loopback address (127.0.0.x), so the server tells them apart exactly
as it would on the Internet, with nothing trusted from headers.

* **Citizens**: ten clients, each doing what a reporter without JavaScript does, twice, with a
  short pause between steps: post a report (its receipt code comes back), check the answers with
  the code (no-JavaScript form), check them as the page's script does (the lookup id in a POST
  body), add information with the code. A citizen's request succeeds with a 2xx.
* **The flood**: one client, 24 threads, posting as fast as they can valid no-JavaScript reports,
  follow-ups and checks: the paths that cannot ask for a proof-of-work.
* **The floor**: the same 24 threads asking for the server's cheapest answer, /health. Any 24 busy
  clients make /health wait behind them on two cores; the flood must weigh no more than that.

/health is timed one request after another, from an address of its own, in each phase:

    target: the citizens' success rate under the flood >= 95 %
    bound:  p95 of /health under the flood <= 2 x p95 under the floor flood

/health's latency with the citizens alone (no flood) is printed beside it. For comparison, not
held to the target: the same flood against the store-wide budgets alone (30 and 120 an hour, as
before the limits per client), where the flooder took every slot and the citizens got nothing.

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
from dataclasses import dataclass, field
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter

from intake_function import envelope, receipt

ROOT = Path(__file__).resolve().parents[1]
CITIZENS = 10
ROUNDS = 2
PAUSE = 0.3  # seconds a citizen waits between two steps
FLOOD_THREADS = 24
FLOODER = "127.0.0.99"
PROBE = "127.0.0.200"
TARGET = 0.95
BOUND = 2.0
BEFORE = {"INTAKE_CLIENT_FORM_LIMIT": "0", "INTAKE_CLIENT_CHECK_LIMIT": "0", "INTAKE_FORM_BUDGET": "30"}
BEFORE["INTAKE_CHECK_BUDGET"] = "120"
REPORT = {"category": "waste", "description": "Có dấu hiệu lãng phí " * 10, "consent": "yes"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _FromAddress(HTTPAdapter):
    """Connections that leave from one loopback address: one client, as the server sees it."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def session_from(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", _FromAddress(address))
    return session


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
        response = session_from(PROBE).get(f"{base}/api/v1/health", timeout=30)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
        if stop is not None:
            time.sleep(0.01)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


@dataclass
class Tally:
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, status: int) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def succeeded(self) -> float:
        ok = sum(n for status, n in self.statuses.items() if 200 <= status < 300)
        return ok / self.total if self.total else 0.0


def citizen(base: str, address: str, tally: Tally) -> None:
    """What a reporter does, twice: report, check (form and script), add information."""
    session = session_from(address)
    json_only = {"Accept": "application/json"}
    for _ in range(ROUNDS):
        sent = session.post(f"{base}/api/v1/submissions/form", data=REPORT, headers=json_only, timeout=60)
        tally.add(sent.status_code)
        code = sent.json().get("receipt_code") if sent.status_code == 201 else receipt.new_code()
        time.sleep(PAUSE)
        tally.add(session.post(f"{base}/api/v1/replies/check", data={"code": code}, timeout=60).status_code)
        time.sleep(PAUSE)
        lookup = {"lookup_id": receipt.derive(code).lookup_id}
        tally.add(session.post(f"{base}/api/v1/replies", json=lookup, timeout=60).status_code)
        time.sleep(PAUSE)
        added = {"code": code, "message": "Bổ sung: sự việc xảy ra sáng thứ Hai."}
        tally.add(session.post(f"{base}/api/v1/followups/form", data=added, headers=json_only, timeout=60).status_code)
        time.sleep(PAUSE)


def flooder(base: str, stop: threading.Event, tally: Tally, n: int, floor: bool) -> None:
    session = session_from(FLOODER)
    while not stop.is_set():
        kind = n % 3
        if floor:
            r = session.get(f"{base}/api/v1/health", timeout=60)
        elif kind == 0:
            r = session.post(f"{base}/api/v1/submissions/form", data=REPORT, timeout=60)
        elif kind == 1:
            r = session.post(
                f"{base}/api/v1/followups/form", data={"code": receipt.new_code(), "message": "Bổ sung"}, timeout=60
            )
        else:
            r = session.post(f"{base}/api/v1/replies/check", data={"code": receipt.new_code()}, timeout=60)
        tally.add(r.status_code)


@dataclass
class Phase:
    health: list[float]
    citizens: Tally
    flood: Tally
    stored: int


def run_phase(store: Path, recipient: str, flood: str | None, **extra: str) -> Phase:
    """Citizens (and, unless ``flood`` is None, the flood or its floor) against a fresh server."""
    process, base = start_server(store, recipient, **extra)
    try:
        health_latencies(base, count=30)  # warm up
        stop, probe_stop = threading.Event(), threading.Event()
        health: list[float] = []
        citizens, flooded = Tally(), Tally()
        probe = threading.Thread(target=lambda: health.extend(health_latencies(base, probe_stop)))
        floods = [
            threading.Thread(target=flooder, args=(base, stop, flooded, n, flood == "floor"))
            for n in range(FLOOD_THREADS if flood else 0)
        ]
        probe.start()
        for thread in floods:
            thread.start()
        time.sleep(0.5)  # the flood has emptied whatever it can before the citizens come
        people = [threading.Thread(target=citizen, args=(base, f"127.0.0.{10 + n}", citizens)) for n in range(CITIZENS)]
        for thread in people:
            thread.start()
        for thread in people:
            thread.join()
        stop.set()
        for thread in floods:
            thread.join()
        probe_stop.set()
        probe.join()
    finally:
        process.terminate()
        process.wait(timeout=15)
    stored = sum(1 for f in store.rglob("*") if f.is_file() and f.relative_to(store).parts[0] == "inbox")
    return Phase(health, citizens, flooded, stored)


def _answers(tally: Tally) -> str:
    return ", ".join(f"{n} x {s}" for s, n in sorted(tally.statuses.items()))


def main() -> int:
    recipient = str(envelope.generate_identity().to_public())
    print(
        f"(flood) {CITIZENS} citizens, each with its own address, report, check and add information "
        f"{ROUNDS} times without JavaScript, while one client floods those paths with {FLOOD_THREADS} threads"
    )
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        alone = run_phase(work / "alone", recipient, None)
        floor = run_phase(work / "floor", recipient, "floor")
        flooded = run_phase(work / "flood", recipient, "flood")
        before = run_phase(work / "before", recipient, "flood", **BEFORE)
    for phase in (alone, floor, flooded, before):
        assert all(s < 500 for s in {**phase.citizens.statuses, **phase.flood.statuses}), phase
    success = flooded.citizens.succeeded
    ratio = p95(flooded.health) / p95(floor.health)
    ok = success >= TARGET and ratio <= BOUND
    print(
        f"  citizens' success rate: {success:.1%} under the flood (target >= {TARGET:.0%}: "
        f"{'held' if success >= TARGET else 'NOT HELD'}), {alone.citizens.succeeded:.1%} without it "
        f"({flooded.citizens.total} and {alone.citizens.total} requests)"
    )
    print(
        f"  /health p95 {p95(flooded.health):6.1f} ms under the flood, {p95(floor.health):6.1f} ms under the "
        f"floor flood: ratio {ratio:4.2f} (bound <= {BOUND:.0f}: {'held' if ratio <= BOUND else 'NOT HELD'})"
    )
    print(
        f"  /health without the flood (the citizens alone): p50 {statistics.median(alone.health):.1f} ms, "
        f"p95 {p95(alone.health):.1f} ms; under the flood p50 {statistics.median(flooded.health):.1f} ms, "
        f"x{p95(flooded.health) / p95(alone.health):.1f} the p95 without it"
    )
    print(f"  the flooder's answers: {_answers(flooded.flood)}; reports stored in all: {flooded.stored}")
    print(
        f"  before (store-wide budgets only, 30 and 120 an hour, the script's check counted with them; "
        f"not held): citizens' success rate "
        f"{before.citizens.succeeded:.1%} ({_answers(before.citizens)}); "
        f"the flooder's answers: {_answers(before.flood)}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
