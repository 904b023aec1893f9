"""The browser bundle: one copy of the noble libraries (npm overrides), small, no third-party host."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "web"


def versions(tree: dict, name: str, found: set[str]) -> set[str]:
    for dependency, info in (tree.get("dependencies") or {}).items():
        if dependency == name:
            found.add(info.get("version", "?"))
        versions(info, name, found)
    return found


def test_a_single_copy_of_noble_curves_and_hashes_is_installed():
    listing = json.loads(
        subprocess.run(["npm", "ls", "--all", "--json"], cwd=WEB, capture_output=True, text=True, check=True).stdout
    )
    assert versions(listing, "@noble/curves", set()) == {"2.0.1"}
    assert versions(listing, "@noble/hashes", set()) == {"2.0.1"}


def test_the_report_bundle_is_small_and_names_no_other_host(report_site):
    files = {path.name: path.read_bytes() for path in (report_site / "assets" / "report").glob("*.js")}
    sizes = {name: len(gzip.compress(data, 9)) for name, data in files.items()}
    # The page opens with a small controller; encryption comes as a chunk loaded on demand, about
    # 34 KB gzip with one copy of noble (two copies, without the npm overrides, made it about 52 KB).
    assert sizes["report.js"] < 8_000 and sizes["check.js"] < 8_000, sizes
    assert max(sizes.values()) < 40_000, sizes
    bundle = b"".join(files.values())
    hosts = set(re.findall(rb"https?://([a-z0-9.-]+)", bundle))
    # Identifiers, never fetched: the JSON Schema dialect of the bundled report schema, XML namespaces.
    assert hosts <= {b"www.w3.org", b"json-schema.org"}, hosts
