"""AWS Lambda entry point: ``intake_function.lambda_handler.handler`` (HTTP API, payload v2).

apig-wsgi copies the caller's address (``requestContext.http.sourceIp``), the
``X-Forwarded-For`` header and the whole event into the WSGI environ. We hand
it a rebuilt event instead, holding only what the app needs: the method, path,
query, body and an allow-list of headers. The address is replaced by
``0.0.0.0`` and the user agent never reaches the app. What the per-client
limits need is computed here, before the address is dropped: the client's
pseudonym for this hour (``clients``), as ``requestContext.client``.
"""

from __future__ import annotations

from typing import Any

from apig_wsgi import make_lambda_handler

from . import clients
from .app import create_app

# Headers the app reads. Everything else (user-agent, x-forwarded-for, cookies, ...) is dropped.
ALLOWED_HEADERS = frozenset(
    {
        "accept",
        "accept-language",
        "access-control-request-headers",
        "access-control-request-method",
        "content-length",
        "content-type",
        "host",
        "origin",
        "x-altcha",
        "x-forwarded-port",
        "x-forwarded-proto",
        "x-upload-ticket",
    }
)
# Headers the handler reads itself, for the limits per client, and never hands to the app.
READ_BY_HANDLER = frozenset({clients.EDGE_HEADER, clients.VIEWER_HEADER})
ANONYMOUS_ADDRESS = "0.0.0.0"  # noqa: S104 (a placeholder address, not a bind)

app = create_app()
_serve = make_lambda_handler(app, binary_support=True)


def anonymise_event(event: dict[str, Any]) -> dict[str, Any]:
    """A copy of an HTTP API v2 event with no trace of who sent it but this hour's pseudonym."""
    if event.get("version") != "2.0":
        raise ValueError("expected an API Gateway HTTP API event with payload format version 2.0")
    http = event.get("requestContext", {}).get("http", {})
    received = {k.lower(): v for k, v in (event.get("headers") or {}).items() if isinstance(v, str)}
    headers = {k: v for k, v in received.items() if k in ALLOWED_HEADERS}
    intake = app.extensions["intake"]
    address = clients.address_at_edge(http.get("sourceIp"), received, intake["config"].edge_secret)
    return {
        "version": "2.0",
        "rawPath": event.get("rawPath", "/"),
        "rawQueryString": event.get("rawQueryString", ""),
        "headers": headers,
        "body": event.get("body"),
        "isBase64Encoded": bool(event.get("isBase64Encoded")),
        "requestContext": {
            "http": {
                "method": http.get("method", "GET"),
                "path": http.get("path", event.get("rawPath", "/")),
                "protocol": http.get("protocol", "HTTP/1.1"),
                "sourceIp": ANONYMOUS_ADDRESS,
            },
            "client": intake["clients"].pseudonym(address),
        },
    }


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _serve(anonymise_event(event), context)
