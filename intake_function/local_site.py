"""Serve a built static site beside the API, with the same security headers as the CDN.

Only for running the whole portal on one machine (development, or an
on-premises server without a separate web server); in the cloud the CDN
serves the site and routes ``/api/*`` to the function.
"""

from __future__ import annotations

from pathlib import Path

from whitenoise import WhiteNoise

from .headers import SECURITY_HEADERS, SITE_CSP


def _add_headers(headers, path: str, url: str) -> None:
    for name, value in SECURITY_HEADERS.items():
        headers[name] = value
    headers["Content-Security-Policy"] = SITE_CSP


class _EveryFile(WhiteNoise):
    """WhiteNoise serves ``x.gz`` only as the compressed form of ``x``, and answers 404 at its own
    address; a static host serves every file the build wrote (the build's ``sitemap.xml.gz``,
    listed in the release manifest). ``x`` is still sent gzip-encoded to browsers that accept it."""

    @staticmethod
    def is_compressed_variant(path, stat_cache=None) -> bool:
        return False


def with_static_site(api_app, site_dir: Path):
    """A WSGI app: ``/api/`` goes to the function, everything else to the site's files."""
    not_found_page = site_dir / "404.html"
    body = not_found_page.read_bytes() if not_found_page.is_file() else b"Not found"

    def not_found(environ, start_response):
        headers = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
        _add_headers(headers, "", "")
        start_response("404 Not Found", list(headers.items()))
        return [body]

    static = _EveryFile(
        not_found,
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

    return dispatch
