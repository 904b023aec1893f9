"""Benchmarks of the online report in Debian's Chromium, each against a floor from the same run.

    (a) encrypting a 50 MiB file in the page (typage, streamed) against the ``age`` CLI encrypting
        the same file: MB/s and their ratio; for two X25519 keys and for two hybrid keys side by side,
        and a small report to each (the hybrid stanzas' ML-KEM encapsulations, once per envelope)
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
from intake_function import create_app, envelope
from intake_function.local_site import with_static_site
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
SIZE = 50 * 1024 * 1024


class _Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        pass


ENCRYPT_IN_PAGE = """async ([recipients, runs]) => {
    const m = await import('/assets/report/encrypt.js');
    const file = document.querySelector('#f-attachments').files[0];
    const big = [];
    for (let i = 0; i < runs; i++) {
        const t = performance.now();
        const sealed = await m.encryptFile(file, recipients);
        big.push((performance.now() - t) / 1000);
        if (sealed.blob.size < file.size) throw new Error('short output');
    }
    const report = new TextEncoder().encode('x'.repeat(4000));
    const t = performance.now();
    for (let i = 0; i < 50; i++) await m.encryptBytes(report, recipients);
    return { big, small: (performance.now() - t) / 50 / 1000 };
}"""


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
        # The site's keys change nothing timed here: encryption takes its keys as an argument.
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
            hybrid = [str(envelope.generate_identity().to_public()) for _ in range(2)]
            classic = [recipient, str(envelope.generate_identity("x25519").to_public())]
            timed = {"X25519": [], "hybrid": []}
            small = {"X25519": [], "hybrid": []}
            for _ in range(3):  # interleaved: a busy machine slows both alike
                for kind, keys in (("X25519", classic), ("hybrid", hybrid)):
                    out = page.evaluate(ENCRYPT_IN_PAGE, [keys, 1])
                    timed[kind] += out["big"]
                    small[kind].append(out["small"])
            print("(a) encrypting a 50 MiB file to two keys, and a 4 KB report (best of 3, interleaved)")
            for kind in timed:
                value = SIZE / (1 << 20) / min(timed[kind])
                print(
                    f"  in Chromium, {kind:<7} keys  {value:8.1f} MiB/s   age CLI {floor:8.1f} MiB/s   "
                    f"ratio {value / floor:5.2f}   report {min(small[kind]) * 1000:6.1f} ms"
                )
                results[f"encrypt_{kind}"] = {
                    "page_mib_s": value,
                    "age_mib_s": floor,
                    "ratio": value / floor,
                    "report_ms": min(small[kind]) * 1000,
                }
            side = min(timed["X25519"]) / min(timed["hybrid"])
            print(f"  hybrid against X25519: x{side:4.2f} the rate for the file")
            results["encrypt"] = results["encrypt_hybrid"]

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
