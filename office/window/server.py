"""Serving the desk: waitress on 127.0.0.1 only, until Ctrl+C or the page's "Thoát".

Waitress keeps a request body or a response in memory up to a limit and spills
the rest to a temporary file; a report's attachments and a notice with the
reporter's name must never reach the disk that way, so both limits are raised
to the largest request the desk accepts.
"""

from __future__ import annotations

import _thread
import socket
import threading
import webbrowser

import waitress

from .app import MAX_REQUEST_BYTES

LOOPBACK = "127.0.0.1"
# The desk's one clerk: a pull streams its progress while the page stays usable.
THREADS = 4
# A large export or report download stays in memory too.
MAX_RESPONSE_BYTES = 1024 * 1024 * 1024


def listen(port: int) -> socket.socket:
    """A listening socket on the loopback interface (OSError if the port is taken); 0 picks a free port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind((LOOPBACK, port))
        sock.listen(16)
    except OSError:
        sock.close()
        raise
    return sock


def serve(app, sock: socket.socket) -> None:
    """Answer on ``sock`` until KeyboardInterrupt (Ctrl+C, or ``stop_soon``); then return."""
    server = waitress.create_server(
        app,
        sockets=[sock],
        threads=THREADS,
        ident="office-desk",
        max_request_body_size=MAX_REQUEST_BYTES,
        inbuf_overflow=MAX_REQUEST_BYTES,
        outbuf_overflow=MAX_RESPONSE_BYTES,
        expose_tracebacks=False,
        clear_untrusted_proxy_headers=True,
    )
    server.run()  # returns on KeyboardInterrupt, having stopped its threads


def stop_soon(delay: float = 0.5) -> None:
    """Stop the server from a view: after ``delay``, so that the page saying so is sent first."""
    threading.Timer(delay, _thread.interrupt_main).start()


def open_browser(address: str) -> None:
    """The default browser (Edge or Chrome on Windows), in the background: it may take a while to start."""
    threading.Thread(target=webbrowser.open, args=(address,), daemon=True).start()
