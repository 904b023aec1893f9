"""Security headers on every response, and CORS for the portal's own origin only.

The same header set is sent by the local static server for the site and by
the CloudFront response-headers policy in ``infra/``; ``SECURITY_HEADERS`` is
the one list all of them are checked against.
"""

from __future__ import annotations

import base64
import hashlib

from flask import Flask, Response, request

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
# API answers are data: they may load nothing and be framed by nobody.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def api_headers() -> dict[str, str]:
    """Everything an API answer carries besides its content (also for refusals made by the server)."""
    return {**SECURITY_HEADERS, "Content-Security-Policy": API_CSP, "Cache-Control": "no-store"}


def style_hash(css: str) -> str:
    """The CSP source that allows exactly this inline <style> block and no other."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode() + "'"


def page_csp(css: str) -> str:
    """CSP for the function's own HTML pages: one known inline style, its icon (a data: URL), forms to itself."""
    return (
        f"default-src 'none'; style-src {style_hash(css)}; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )


def register(app: Flask, site_origin: str | None, html_csp: str) -> None:
    @app.after_request
    def add_headers(response: Response) -> Response:
        headers = response.headers
        for name, value in SECURITY_HEADERS.items():
            headers.setdefault(name, value)
        headers["Cache-Control"] = "no-store"
        if response.mimetype == "text/html":
            headers["Content-Security-Policy"] = html_csp
        else:
            headers["Content-Security-Policy"] = API_CSP
        origin = request.headers.get("Origin")
        if site_origin and origin == site_origin:
            headers["Access-Control-Allow-Origin"] = site_origin
            headers["Access-Control-Allow-Methods"] = "GET, POST, PUT"
            headers["Access-Control-Allow-Headers"] = "Content-Type, X-Altcha, X-Upload-Ticket"
            headers["Access-Control-Max-Age"] = "600"
        headers.add("Vary", "Origin")
        return response


# The portal's pages load only their own files. Kept in step with infra/'s CloudFront policy.
SITE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
