"""One log line per request: route, method, status, sizes and duration. Nothing else.

The route is the URL *rule* (``/api/v1/uploads/<token>``), never the path, so
ids in URLs stay out of the log; no address (nor the per-client pseudonym of
``clients``), user agent, header or body is ever written. Tests read this log
to hold us to that.
"""

from __future__ import annotations

import logging
import sys
import time

from flask import Flask, Response, g, request

log = logging.getLogger("intake")


def configure_logging(level: str) -> None:
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        log.addHandler(handler)
        log.propagate = False
    log.setLevel(level)


def register(app: Flask) -> None:
    @app.before_request
    def start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        started = g.get("started", time.perf_counter())
        rule = request.url_rule.rule if request.url_rule else "-"
        log.info(
            "%s %s %d in=%d out=%s ms=%.1f",
            request.method,
            rule,
            response.status_code,
            request.content_length or 0,
            response.calculate_content_length() if not response.is_streamed else "stream",
            (time.perf_counter() - started) * 1000,
        )
        return response
