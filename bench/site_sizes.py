"""Benchmark of the static portal: what each page weighs on the wire, and how long a build takes.

    (a) full build, ``scripts/build-site.sh`` (mkdocs build --strict, both languages)   target <= 10 s
    (b) transfer size of every page with everything it loads, in Chromium             target <= 150 KB

How (b) is measured: the built site is copied, gzip-compressed the way a CDN or web server
serves it (``python -m whitenoise.compress --no-brotli`` writes a ``.gz`` beside each file, which
WhiteNoise then serves to browsers that accept gzip), and served by the real local server
(``intake_function.local_site``). Each page is loaded in a fresh Chromium context (empty cache)
and left until the network is idle, so the search index and the search worker's scripts count
too. A page's size is the sum, over every response, of the encoded body plus the response
headers (Playwright ``request.sizes()``), i.e. the bytes that cross the network.

Run: ``.venv/bin/python -m bench.site_sizes`` (``scripts/bench.sh`` runs it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from intake_function import config as config_module
from intake_function import create_app, envelope
from intake_function.local_site import with_static_site
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
PAGE_TARGET_KB = 150.0
BUILD_TARGET_S = 10.0


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


def build(out: Path, recipient: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / "scripts" / "build-site.sh"), "--out", str(out), "--recipients", recipient],
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable},
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def page_paths(site: Path) -> list[str]:
    paths = []
    for html_file in sorted(site.rglob("*.html")):
        relative = html_file.relative_to(site).as_posix()
        paths.append("/" + (relative[: -len("index.html")] if relative.endswith("index.html") else relative))
    return paths


def measure_pages(site: Path, recipient: str, work: Path) -> dict[str, tuple[float, int]]:
    """{path: (kilobytes on the wire, number of requests)} for every page of ``site``."""
    from playwright.sync_api import sync_playwright

    config = config_module.from_env(
        {"INTAKE_STORE": (work / "store").as_uri(), "INTAKE_RECIPIENTS": recipient, "INTAKE_LOG_LEVEL": "ERROR"}
    )
    httpd = make_server(
        "127.0.0.1", 0, with_static_site(create_app(config), site), threaded=True, request_handler=_QuietHandler
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{httpd.server_port}"
    sizes: dict[str, tuple[float, int]] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for path in page_paths(site):
                context = browser.new_context()  # empty cache: the page pays for everything it loads
                page = context.new_page()
                requests = []
                page.on("requestfinished", lambda request, found=requests: found.append(request))
                page.goto(origin + path, wait_until="networkidle")
                total = 0
                for request in requests:
                    s = request.sizes()
                    total += s["responseBodySize"] + s["responseHeadersSize"]
                sizes[path] = (total / 1024, len(requests))
                context.close()
            browser.close()
    finally:
        httpd.shutdown()
    return sizes


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-site-", dir=os.environ.get("BENCH_TMP")) as tmp:
        work = Path(tmp)
        # The Office's two keys, primary and backup, of the kind office keygen makes: hybrid keys
        # (1,959 characters each, about 1.2 KB gzip: the report and check pages carry both).
        recipient = ",".join(str(envelope.generate_identity().to_public()) for _ in range(2))
        site = work / "site"
        print("(a) full build: scripts/build-site.sh, both languages, --strict")
        times = [build(site, recipient) for _ in range(2)]
        build_s = max(times)
        verdict = "ok" if build_s <= BUILD_TARGET_S else "OVER TARGET"
        print(f"  build time, first and second run: {times[0]:.2f} s, {times[1]:.2f} s  (target <= 10 s: {verdict})")

        print("(b) transfer size per page, gzip as served, everything the page loads, empty cache")
        served = work / "served"
        shutil.copytree(site, served)
        subprocess.run([sys.executable, "-m", "whitenoise.compress", "-q", "--no-brotli", str(served)], check=True)
        sizes = measure_pages(served, recipient, work)
        for path, (kb, count) in sorted(sizes.items(), key=lambda item: -item[1][0]):
            print(f"  {kb:7.1f} KB  {count:3d} requests  {path}")
        largest_path, (largest_kb, _) = max(sizes.items(), key=lambda item: item[1][0])
        over = [p for p, (kb, _) in sizes.items() if kb > PAGE_TARGET_KB]
        verdict = "ok" if not over else f"OVER TARGET: {', '.join(over)}"
        print(
            f"  largest page: {largest_kb:.1f} KB ({largest_path}); {len(sizes)} pages  (target <= 150 KB: {verdict})"
        )

    results = {
        "build_seconds": [round(t, 2) for t in times],
        "pages_kb": {path: round(kb, 1) for path, (kb, _) in sizes.items()},
        "largest_page_kb": round(largest_kb, 1),
        "targets": {"build_seconds": BUILD_TARGET_S, "page_kb": PAGE_TARGET_KB},
    }
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "site_sizes.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
