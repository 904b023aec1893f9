"""Serve the intake function locally: ``python -m intake_function [--site DIR]``.

Binds to 127.0.0.1 only, on ``PORT`` (default 8000), with waitress, a
production WSGI server that runs the same on Linux and Windows; the requests
waitress refuses by itself get the function's JSON error and security
headers too (``serve``). With
``--site`` the built portal is served at ``/`` beside ``/api/v1``, as the
CDN does in production, so the whole portal runs from one command.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import config as config_module
from .app import create_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m intake_function", description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site folder to serve at / (mkdocs build output)")
    parser.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    args = parser.parse_args(argv)

    port_text = os.environ.get("PORT", "8000")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        print(f"PORT={port_text!r}: expected a port number, 1 to 65535", file=sys.stderr)
        return 2
    try:
        config = config_module.from_env()
        app = create_app(config)
    except (config_module.ConfigError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    wsgi = app
    if args.site:
        if not (args.site / "index.html").is_file():
            print(f"{args.site} has no index.html: build the site first", file=sys.stderr)
            return 2
        from .local_site import with_static_site

        wsgi = with_static_site(app, args.site)

    from .serve import serve

    print(f"Serving on http://127.0.0.1:{port_text}/ (Ctrl+C stops)", file=sys.stderr, flush=True)
    serve(wsgi, config, port=int(port_text), threads=args.threads)
    return 0


if __name__ == "__main__":
    sys.exit(main())
