"""Serve a built static site beside the API, with the same security headers as the CDN.

Only for running the whole portal on one machine (development, or an
on-premises server without a separate web server); in the cloud the CDN
serves the site and routes ``/api/*`` to the function.
"""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path
from wsgiref.headers import Headers

from whitenoise import WhiteNoise
from whitenoise.responders import StaticFile

from .headers import SECURITY_HEADERS, SITE_CSP


def _add_headers(headers, path: str, url: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        headers[name] = value
    headers["Content-Security-Policy"] = SITE_CSP


# What CloudFront compresses (and the on-premises nginx example, its gzip_types): text formats.
COMPRESSIBLE = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ics", ".webmanifest"}
MIN_COMPRESSED = 1024  # smaller files gain nothing worth a round of decompression


class _EveryFile(WhiteNoise):
    """The site's files as a CDN serves them.

    WhiteNoise serves ``x.gz`` only as the compressed form of ``x``, and answers 404 at its own
    address; a static host serves every file the build wrote (the build's ``sitemap.xml.gz``,
    listed in the release manifest). And it compresses nothing itself: CloudFront does (``Compress:
    true``), so here each text file gets a gzip copy, made once at start in a folder of this
    process (never in the site, whose files and manifest stay as built), and WhiteNoise sends it to
    browsers that accept gzip, with ``Vary: Accept-Encoding``. A page's weight on a phone is then
    what the CDN would send, not three to four times more.
    """

    def __init__(self, *args, compressed_dir: Path, **kwargs) -> None:
        self.compressed_dir = compressed_dir
        super().__init__(*args, **kwargs)

    @staticmethod
    def is_compressed_variant(path, stat_cache=None) -> bool:
        return False

    def get_static_file(self, path, url, stat_cache=None):
        headers = Headers([])
        self.add_mime_headers(headers, path, url)
        self.add_cache_headers(headers, path, url)
        if self.add_headers_function is not None:
            self.add_headers_function(headers, path, url)
        # Copies the site ships itself (x.br, x.gz) first; else the gzip copy made here.
        encodings = {"br": path + ".br", "gzip": path + ".gz"}
        if not Path(encodings["gzip"]).is_file():
            encodings["gzip"] = self._gzip_copy(Path(path), url)
        return StaticFile(path, headers.items(), encodings=encodings)

    def _gzip_copy(self, path: Path, url: str) -> str:
        """The gzip copy of a text file (made now if missing), or a name that does not exist."""
        copy = self.compressed_dir / ((url.strip("/").replace("/", "__") or "index") + ".gz")
        if path.suffix in COMPRESSIBLE and path.stat().st_size >= MIN_COMPRESSED and not copy.exists():
            copy.write_bytes(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))
        return str(copy)


def with_static_site(api_app, site_dir: Path):
    """A WSGI app: ``/api/`` goes to the function, everything else to the site's files."""
    not_found_page = site_dir / "404.html"
    body = not_found_page.read_bytes() if not_found_page.is_file() else b"Not found"

    def not_found(environ, start_response):
        headers = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
        _add_headers(headers, "", "")
        start_response("404 Not Found", list(headers.items()))
        return [body]

    compressed = tempfile.TemporaryDirectory(prefix="site-gzip-")  # removed with the app, at exit
    static = _EveryFile(
        not_found,
        compressed_dir=Path(compressed.name),
        root=str(site_dir),
        index_file=True,
        add_headers_function=_add_headers,
        # Phones offer "add to calendar" only for a file served as a calendar.
        mimetypes={".ics": "text/calendar; charset=utf-8"},
    )

    def dispatch(environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/api/"):
            return api_app(environ, start_response)
        return static(environ, start_response)

    dispatch.compressed = compressed  # kept alive as long as the app
    return dispatch
