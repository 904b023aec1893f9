"""Serve the function with waitress, including the answers waitress gives by itself.

Some requests never reach the app: a request line that is not HTTP, headers
over the limit, a Content-Length that is negative, repeated or not a number, a
transfer coding we do not take. waitress answers those itself, in plain text
and without the portal's security headers. Here its channel is given an error
task that answers them like every other refusal of the function: the JSON
error body ``{"error": CODE, "message": TEXT}``, the security headers and
``no-store``, and always a 4xx (an unsupported transfer coding, 501 in
waitress, is the client's request that we cannot read: 400 here).

The limits are set from the configuration: headers as API Gateway allows them
(10 KiB, with room), bodies up to the largest file a folder store takes.
"""

from __future__ import annotations

import json

from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask

from . import uploads
from .config import Config
from .errors import HTTP_MESSAGES
from .headers import api_headers

MAX_HEADER_BYTES = 16 * 1024


class _RefusalTask(ErrorTask):
    def execute(self) -> None:
        error = self.request.error
        status = error.code if 400 <= error.code < 500 else 400
        code, message = HTTP_MESSAGES.get(status, HTTP_MESSAGES[400])
        body = json.dumps({"error": code, "message": message}, ensure_ascii=False).encode("utf-8")
        self.status = f"{status} {error.reason if status == error.code else 'Bad Request'}"
        self.response_headers.extend([("Content-Type", "application/json"), *api_headers().items()])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class _Channel(HTTPChannel):
    error_task_class = _RefusalTask


def serve(wsgi_app, config: Config, port: int, threads: int, host: str = "127.0.0.1") -> None:
    """Serve until interrupted (Ctrl+C)."""
    largest_body = max(config.max_bytes, uploads.envelope_limit(config.max_file_bytes)) + 64 * 1024
    server = create_server(
        wsgi_app,
        host=host,
        port=port,
        threads=threads,
        ident="",
        max_request_header_size=MAX_HEADER_BYTES,
        max_request_body_size=largest_body,
    )
    server.channel_class = _Channel
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
