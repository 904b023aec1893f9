"""Subresource Integrity for every script and stylesheet the pages load.

After MkDocs has written the pages and esbuild the browser code, each page is rewritten in place:

- every ``<script src>`` and ``<link rel="stylesheet">`` gets ``integrity="sha384-..."`` of the
  file it names, so that a browser refuses a file that is not the released one (a changed file
  in the bucket, on the CDN or in transit) instead of running it;
- before every ``<script type="module">``, one ``<link rel="modulepreload" integrity=...>`` per
  module it imports statically, directly or not (esbuild's chunks, from its metafile). A module's
  imports cannot carry an attribute of their own; the browser takes them from the module map the
  preloads filled, integrity checked;
- the modules it imports on demand (the encryption code of the form pages) get the same links
  inside an inert ``<template id="portal-modules">``: nothing is fetched with the page, and
  ``web/src/verified.js`` adds them to the document, and waits for them, before its ``import()``.

Workers (the proof-of-work worker, the search worker and what it imports) cannot carry SRI in
any browser; like every other file they are in the release manifest, which the Office checks
against the live site every day (``office check-site``).

Only the bytes of the tags change: the rest of each page is left exactly as MkDocs wrote it. A
script or stylesheet that does not resolve to a file of the site stops the build.
"""

from __future__ import annotations

import base64
import hashlib
import json
import posixpath
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlsplit

ON_DEMAND_ID = "portal-modules"  # web/src/verified.js reads it


class IntegrityError(RuntimeError):
    """A page loads something the build did not write; the message names the page and the address."""


def sri(data: bytes) -> str:
    """The ``integrity`` value of a file: SHA-384, as browsers and the SRI specification expect."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode("ascii")


class _Tags(HTMLParser):
    """The start tags that load a script or a stylesheet: (offset, raw text, tag, attributes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[tuple[int, int], str, str, dict[str, str]]] = []

    def handle_starttag(self, tag, attrs):
        a = {name: value or "" for name, value in attrs}
        loads_script = tag == "script" and "src" in a
        loads_style = tag == "link" and "stylesheet" in a.get("rel", "").lower().split() and "href" in a
        if loads_script or loads_style:
            self.found.append((self.getpos(), self.get_starttag_text() or "", tag, a))

    handle_startendtag = handle_starttag


def resolve(site: Path, page: str, url: str) -> str | None:
    """The site path a page's relative or root-relative address points to; None for another host."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    base = PurePosixPath("/" + page).parent
    target = PurePosixPath(unquote(parts.path)) if parts.path.startswith("/") else base / unquote(parts.path)
    normal: list[str] = []
    for part in target.parts[1:]:
        if part == "..":
            if normal:
                normal.pop()
        elif part not in (".", ""):
            normal.append(part)
    path = "/".join(normal)
    if parts.path.endswith("/") or (site / path).is_dir():
        path = f"{path}/index.html".lstrip("/")
    return path


def module_graph(metafile: Path, web: Path, site: Path) -> dict[str, tuple[list[str], list[str]]]:
    """For each module esbuild wrote (site path): the modules it imports statically, transitively,
    and those it may import later (``import()``, and what they import), in a stable order."""
    meta = json.loads(metafile.read_text(encoding="utf-8"))
    site = site.resolve()

    def site_path(output: str) -> str:
        return (web / output).resolve().relative_to(site).as_posix()

    direct = {
        site_path(output): [
            (site_path(i["path"]), i.get("kind") == "dynamic-import")
            for i in info.get("imports", [])
            if not i.get("external")
        ]
        for output, info in meta["outputs"].items()
        if output.endswith(".js")
    }

    def closure(module: str, follow_dynamic: bool) -> list[str]:
        seen: list[str] = []
        stack = [m for m, dynamic in reversed(direct[module]) if follow_dynamic or not dynamic]
        while stack:
            item = stack.pop()
            if item not in seen and item != module:
                seen.append(item)
                stack.extend(m for m, dynamic in reversed(direct.get(item, [])) if follow_dynamic or not dynamic)
        return seen

    graph = {}
    for module in direct:
        static = closure(module, follow_dynamic=False)
        graph[module] = (static, [m for m in closure(module, follow_dynamic=True) if m not in static])
    return graph


def _offsets(text: str) -> list[int]:
    starts, position = [0], 0
    for line in text.splitlines(keepends=True):
        position += len(line)
        starts.append(position)
    return starts


def _with_attribute(tag_text: str, name: str, value: str) -> str:
    """The raw start tag with one more attribute, written before its closing ``>`` (or ``/>``)."""
    end = len(tag_text) - (2 if tag_text.endswith("/>") else 1)
    return f'{tag_text[:end].rstrip()} {name}="{value}"{tag_text[end:]}'


def _preload(page: str, script_url: str, module: str, digests: dict[str, str]) -> str:
    """A modulepreload link to ``module``, addressed the way the page addresses its script."""
    if script_url.startswith("/"):
        href = "/" + module
    else:
        href = posixpath.relpath(module, posixpath.dirname(page) or ".")
    return f'<link rel="modulepreload" href="{quote(href)}" integrity="{digests[module]}">'


def seal_page(site: Path, page: str, digests: dict[str, str], graph: dict[str, list[str]]) -> int:
    """Add integrity (and module preloads) to one page in place; returns the number of tags sealed."""
    path = site / page
    text = path.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(text)
    parser.close()
    starts = _offsets(text)
    pieces, cursor = [], 0
    for (line, column), raw, tag, attrs in parser.found:
        offset = starts[line - 1] + column
        if text[offset : offset + len(raw)] != raw:
            raise IntegrityError(f"{page}: could not place the tag {raw[:60]!r}")
        url = attrs["src"] if tag == "script" else attrs["href"]
        target = resolve(site, page, url)
        if target is None or target not in digests:
            raise IntegrityError(f"{page}: loads {url}, which is not a file of this build (trang tải tệp lạ)")
        if "integrity" in attrs:
            if attrs["integrity"] != digests[target]:
                raise IntegrityError(f"{page}: {url} carries an integrity value that does not match the file")
            continue
        sealed = _with_attribute(raw, "integrity", digests[target])
        preloads = ""
        if tag == "script" and attrs.get("type", "").lower() == "module":
            static, on_demand = graph.get(target, ([], []))
            preloads = "".join(_preload(page, url, module, digests) for module in static)
            if on_demand:
                if ON_DEMAND_ID in "".join(pieces):
                    raise IntegrityError(f"{page}: two module scripts import on demand; one template serves one")
                links = "".join(_preload(page, url, module, digests) for module in on_demand)
                preloads += f'<template id="{ON_DEMAND_ID}">{links}</template>'
        pieces += [text[cursor:offset], preloads, sealed]
        cursor = offset + len(raw)
    if not pieces:
        return 0
    pieces.append(text[cursor:])
    path.write_text("".join(pieces), encoding="utf-8")
    return len(parser.found)


def seal_site(site: Path, metafile: Path | None = None, web: Path | None = None) -> int:
    """Seal every page of a built site; returns the number of tags that carry integrity."""
    digests: dict[str, str] = {}
    for item in site.rglob("*"):
        if item.is_file() and item.suffix in (".js", ".mjs", ".css"):
            digests[item.relative_to(site).as_posix()] = sri(item.read_bytes())
    graph = module_graph(metafile, web, site) if metafile and web else {}
    return sum(seal_page(site, p.relative_to(site).as_posix(), digests, graph) for p in sorted(site.rglob("*.html")))
