"""Benchmarks of the online report in Debian's Chromium, each against a floor from the same run.

    (a) encrypting a 50 MiB file in the page (typage, streamed) against the ``age`` CLI encrypting
        the same file: MB/s and their ratio
    (b) the proof-of-work with the default difficulty (INTAKE_POW_COST, INTAKE_POW_MAX), solved in
        the page's workers, with Chromium's CPU throttling at 4x (which slows the page but not its
        workers: bench.phone holds the whole browser to 0.3 of a core, the figure to read for a
        cheap phone) and without
    (c) the report and check pages' total transfer with everything they load: see bench.site_sizes

Run: ``scripts/bench.sh`` (or ``.venv/bin/python -m bench.browser``).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from intake_function import config as config_module
from intake_function import create_app
from intake_function.local_site import with_static_site
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
SIZE = 50 * 1024 * 1024


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


def serve(site: Path, recipient: str, store: Path) -> str:
    config = config_module.from_env(
        {"INTAKE_STORE": store.as_uri(), "INTAKE_RECIPIENTS": recipient, "INTAKE_LOG_LEVEL": "WARNING"}
    )
    httpd = make_server(
        "127.0.0.1", 0, with_static_site(create_app(config), site), threaded=True, request_handler=_Quiet
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_port}"


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        work = Path(tmp)
        key = work / "office.txt"
        subprocess.run(["age-keygen", "-o", str(key)], check=True, capture_output=True)
        recipient = subprocess.run(
            ["age-keygen", "-y", str(key)], check=True, capture_output=True, text=True
        ).stdout.strip()
        subprocess.run(
            [str(ROOT / "scripts" / "build-site.sh"), "--out", str(work / "site"), "--recipients", recipient],
            check=True,
            capture_output=True,
        )
        origin = serve(work / "site", recipient, work / "store")
        plain = work / "evidence.bin"
        plain.write_bytes(os.urandom(SIZE))

        cli_times = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run(["age", "-r", recipient, "-o", str(work / "cli.age"), str(plain)], check=True)
            cli_times.append(time.perf_counter() - started)
        floor = SIZE / (1 << 20) / min(cli_times)

        results: dict[str, object] = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{origin}/gui-phan-anh/")
            page.set_input_files("#f-attachments", [str(plain)])
            page_times = page.evaluate(
                """async (recipient) => {
                    const m = await import('/assets/report/encrypt.js');
                    const file = document.querySelector('#f-attachments').files[0];
                    const times = [];
                    for (let i = 0; i < 3; i++) {
                        const t = performance.now();
                        const sealed = await m.encryptFile(file, [recipient]);
                        times.push((performance.now() - t) / 1000);
                        if (sealed.blob.size < file.size) throw new Error('short output');
                    }
                    return times;
                }""",
                recipient,
            )
            value = SIZE / (1 << 20) / min(page_times)
            print("(a) encrypting a 50 MiB file")
            print(
                f"  in Chromium (typage, streamed)   {value:8.1f} MiB/s   age CLI {floor:8.1f} MiB/s   "
                f"ratio {value / floor:5.2f}"
            )
            results["encrypt"] = {"page_mib_s": value, "age_mib_s": floor, "ratio": value / floor}

            defaults = config_module.Config(store_url="", recipients=())
            print(
                f"(b) proof-of-work, default difficulty (cost {defaults.pow_cost}, max {defaults.pow_max}), "
                "median of 10 solves"
            )
            cdp = page.context.new_cdp_session(page)
            for rate in (1, 4):
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
                solves = page.evaluate(
                    """async () => {
                        const { solve } = await import('/assets/report/pow.js');
                        const times = [];
                        for (let i = 0; i < 10; i++) {
                            const t = performance.now();
                            await solve('/api/v1', { networkMessage: 'network' });
                            times.push((performance.now() - t) / 1000);
                        }
                        return times;
                    }"""
                )
                median, worst = statistics.median(solves), max(solves)
                label = "page throttled 4x" if rate == 4 else "no throttling"
                print(f"  {label:<32} median {median:5.2f} s   max {worst:5.2f} s   (whole browser: bench.phone)")
                results[f"pow_rate_{rate}"] = {"median_s": median, "max_s": worst, "all": solves}
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
            browser.close()
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "browser.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
