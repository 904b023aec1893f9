"""Benchmark of ``office check-site``: checking the whole live site takes seconds.

    floor   every file of the release manifest fetched by a bare HTTP client (urllib3, the same
            kept-alive connections and threads, bodies decoded, nothing hashed or parsed)
    check   ``office.release.check.check_site``: the same fetches, plus SHA-256 of each body, each
            page's CSP header, /api/v1/health and the published manifest (a page that differs is
            also parsed for what it loads and the keys it announces; on a clean site none does)
                                                                      target: ratio <= 2, <= 10 s

Both run against the real on-premises runtime (``python -m intake_function --site``) serving the
built site twice: as built (identity), and with a brotli and a gzip copy beside each file, which
the runtime sends to clients that accept them, as a CDN does. Best of 5 runs each, alternated.

Run: ``.venv/bin/python -m bench.site_check`` (``scripts/bench.sh`` runs it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin

from intake_function import envelope
from office.release import check as check_module
from portal_site import manifest as manifest_module
from tests.infra.servers import free_port, running

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5
RATIO_TARGET = 2.0
SECONDS_TARGET = 10.0


def floor(base: str, paths: list[str]) -> float:
    """Fetch every address with a bare client, bodies decoded and thrown away."""
    pool = check_module.new_pool()
    headers = {"Accept-Encoding": check_module.accept_encoding()}

    def get(path: str) -> int:
        return len(pool.request("GET", urljoin(base, path), headers=headers, redirect=False).data)

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=check_module.WORKERS) as executor:
        total = sum(executor.map(get, paths))
    elapsed = time.perf_counter() - started
    assert total > 0
    return elapsed


def measure(site: Path, label: str, recipient: str, work: Path) -> dict:
    raw = (site / manifest_module.NAME).read_bytes()
    manifest = manifest_module.parse(raw)
    paths = [manifest_module.url_path(p) for p in manifest.files]
    port = free_port()
    env = {
        "PORT": str(port),
        "INTAKE_STORE": (work / f"store-{label}").as_uri(),
        "INTAKE_RECIPIENTS": recipient,
        "INTAKE_LOG_LEVEL": "ERROR",
    }
    floors, checks, result = [], [], None
    with running([sys.executable, "-m", "intake_function", "--site", str(site)], env, port) as origin:
        base = origin + "/"
        floor(base, paths)  # warm the runtime's file cache once
        for _ in range(RUNS):
            floors.append(floor(base, paths))
            started = time.perf_counter()
            result = check_module.check_site(base, manifest, raw)
            checks.append(time.perf_counter() - started)
    assert result is not None and result.ok, [f.en for f in result.findings]
    best_floor, best_check = min(floors), min(checks)
    ratio = best_check / best_floor
    verdict = "ok" if ratio <= RATIO_TARGET and best_check <= SECONDS_TARGET else "OVER TARGET"
    encodings = ", ".join(f"{k} {v}" for k, v in sorted(result.encodings.items()))
    print(
        f"  {label:10s} {result.files} files, {result.bytes / 1e6:.1f} MB decoded ({encodings}): "
        f"floor {best_floor:.3f} s, check {best_check:.3f} s, ratio {ratio:.2f}  "
        f"(target ratio <= {RATIO_TARGET}, <= {SECONDS_TARGET} s: {verdict})"
    )
    return {
        "files": result.files,
        "floor_s": round(best_floor, 4),
        "check_s": round(best_check, 4),
        "ratio": round(ratio, 2),
    }


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-check-", dir=os.environ.get("BENCH_TMP")) as tmp:
        work = Path(tmp)
        recipient = str(envelope.generate_identity().to_public())
        site = work / "site"
        subprocess.run(
            [str(ROOT / "scripts" / "build-site.sh"), "--out", str(site), "--recipients", recipient],
            cwd=ROOT,
            env={**os.environ, "PYTHON": sys.executable},
            check=True,
            capture_output=True,
        )
        compressed = work / "compressed"
        shutil.copytree(site, compressed)
        subprocess.run([sys.executable, "-m", "whitenoise.compress", "-q", str(compressed)], check=True)
        shutil.copy(site / "sitemap.xml.gz", compressed / "sitemap.xml.gz")  # the compressor overwrote it
        print("office check-site: the whole site, against a bare HTTP client fetching the same files")
        results = {
            "identity": measure(site, "identity", recipient, work),
            "br+gzip": measure(compressed, "br+gzip", recipient, work),
            "targets": {"ratio": RATIO_TARGET, "seconds": SECONDS_TARGET},
        }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "site_check.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
