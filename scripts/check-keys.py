"""Does the live portal encrypt to the Office's keys? Compare every place a key is served.

    .venv/bin/python scripts/check-keys.py https://tocao.example.gov.vn/ [--data docs/data/portal.yml]

It reads, over HTTPS like any visitor:

1. the keys the report pages really encrypt to (the ``portal-config`` block of /gui-phan-anh/
   and /en/gui-phan-anh/) and the API address they post to;
2. the keys and fingerprints shown on the confidentiality pages (/bao-mat/, /en/bao-mat/);
3. the keys the function itself encrypts the no-JavaScript form to (``GET <api>/health``);

and, with ``--data``, the keys of the data file. It prints each key with its fingerprint, to be
compared with the fingerprint the Office reads out over the phone from its own record of the
key ceremony, and exits 1 if any two places disagree. Standard library only (plus this
project's fingerprint function), so it runs wherever the project is checked out.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from intake_function.envelope import RECIPIENT_PATTERN, fingerprint

KEY = re.compile(RECIPIENT_PATTERN)
CONFIG = re.compile(r'<script type="application/json" id="portal-config">(.*?)</script>', re.S)


def fetch(url: str) -> str:
    request = urllib.request.Request(url, headers={"Accept": "text/html, application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (https:// or a test's http://)
        return response.read().decode("utf-8")


def served_keys(site: str) -> tuple[dict[str, list[str]], list[str]]:
    """Each place's keys, in order, and the problems found while reading them."""
    places: dict[str, list[str]] = {}
    problems: list[str] = []
    api = None
    for page in ("gui-phan-anh/", "en/gui-phan-anh/"):
        text = fetch(urljoin(site, page))
        match = CONFIG.search(text)
        if not match:
            problems.append(f"{page}: no portal-config block (is this the portal?)")
            continue
        config = json.loads(html.unescape(match.group(1)))
        places[f"{page} (the page encrypts to)"] = config["recipients"]
        page_api = urljoin(urljoin(site, page), config["api"])
        if api and page_api != api:
            problems.append(f"{page}: posts to {page_api}, another page to {api}")
        api = page_api
    for page in ("bao-mat/", "en/bao-mat/"):
        text = fetch(urljoin(site, page))
        keys = list(dict.fromkeys(KEY.findall(text)))
        places[f"{page} (shown)"] = keys
        for key in keys:
            if fingerprint(key) not in text:
                problems.append(f"{page}: the fingerprint shown for {key[:12]}... is not {fingerprint(key)}")
    if api:
        health = json.loads(fetch(api.rstrip("/") + "/health"))
        places[f"{api.rstrip('/')}/health (the function encrypts to)"] = [r["recipient"] for r in health["recipients"]]
        for item in health["recipients"]:
            if item["fingerprint"] != fingerprint(item["recipient"]):
                problems.append(f"health: wrong fingerprint for {item['recipient'][:12]}...")
    return places, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="check-keys.py", description=__doc__.splitlines()[0])
    parser.add_argument("site", help="the portal's address, e.g. https://tocao.example.gov.vn/")
    parser.add_argument("--data", type=Path, help="also compare with this data file (docs/data/portal.yml)")
    args = parser.parse_args(argv)
    site = args.site if args.site.endswith("/") else args.site + "/"
    places, problems = served_keys(site)
    if args.data:
        from portal_site import data as data_module

        places[f"{args.data} (data file)"] = [k.recipient for k in data_module.load(args.data).keys or ()]
    for place, keys in places.items():
        print(place)
        for key in keys or ["(không có khóa nào / no key)"]:
            print(f"  {key}" + (f"\n    dấu vân tay / fingerprint: {fingerprint(key)}" if KEY.fullmatch(key) else ""))
    distinct = {tuple(keys) for keys in places.values()}
    if len(distinct) > 1:
        problems.append("the places above do not serve the same keys in the same order")
    if not any(distinct):
        problems.append("no key is published at all")
    if problems:
        print("\nKHÔNG KHỚP / MISMATCH:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    print("\nKhớp: mọi nơi dùng cùng các khóa. Đối chiếu dấu vân tay với Văn phòng Ban qua điện thoại.")
    print("Match: every place serves the same keys. Compare the fingerprints with the Office by phone.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
