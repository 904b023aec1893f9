"""The desk's Flask application: the guard before every view, the headers after, the views in between.

One process serves one clerk: the data folder, store, identity file and actor are
fixed when ``office desk`` starts, the register is opened for each request (as each
command opens it), and the identity lives in the ``Vault``.
"""

from __future__ import annotations

import io
import re
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import flask
import markupsafe
from werkzeug.exceptions import HTTPException

from .. import safe_text
from ..register.desk import Desk, open_desk
from ..workflow.clock import local_time
from . import guard as guard_module
from .guard import Guard, Refused
from .vault import Locked, Vault

# A hand-entered report with its scanned letters; the intake function allows 200 MiB in all.
MAX_REQUEST_BYTES = 210 * 1024 * 1024

# Pages that need no unlocked identity: the way in, and the ways out.
OPEN_WHEN_LOCKED = {"home.start", "home.unlock", "home.lock", "home.exit", "static"}


@dataclass
class DeskWindow:
    """What every view shares: where the desk is, who acts, the guard, the vault and how to stop."""

    data: Path
    store_url: str | None
    who: str
    guard: Guard
    vault: Vault
    stop: Callable[[], None]
    results: dict[str, list[str]] = field(default_factory=dict)  # what the last action said, shown once


class InMemoryRequest(flask.Request):
    """Files the clerk uploads stay in memory: werkzeug would spool a large one to a temporary file."""

    max_form_memory_size = 2 * 1024 * 1024  # a long description typed in a text box

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()


def window() -> DeskWindow:
    return flask.current_app.extensions["office-desk"]


def desk() -> Desk:
    """The data folder, opened once per request (as each command opens it)."""
    if "desk" not in flask.g:
        flask.g.desk = open_desk(window().data)
    return flask.g.desk


def bilingual(text: str | None, actions=None) -> markupsafe.Markup:
    """A "Vietnamese / English" text as the commands print it: the English part set beside, in its own language.
    With the case's ``actions``, a command it names is a link to its form (see ``steps_to``)."""
    vi, sep, en = safe_text.for_terminal(text or "").partition(" / ")
    if not sep:
        return steps_to(vi, actions) if actions else markupsafe.escape(vi)
    return markupsafe.Markup('{} <span class="en" lang="en">{}</span>').format(
        vi, steps_to(en, actions) if actions else en
    )


def steps_to(text: str, actions) -> markupsafe.Markup:
    """A next step as the commands say it ("office assign 2026-0001 ..."), each command a link to its form here."""
    names = {action.name for action in actions}
    out, last = [], 0
    for found in re.finditer(r"office ([a-z-]+)", text):
        out.append(markupsafe.escape(text[last : found.start()]))
        if found.group(1) in names:
            out.append(markupsafe.Markup('<a href="#viec-{0}">{1}</a>').format(found.group(1), found.group(0)))
        else:
            out.append(markupsafe.escape(found.group(0)))
        last = found.end()
    out.append(markupsafe.escape(text[last:]))
    return markupsafe.Markup("").join(out)


def create_app(desk_window: DeskWindow) -> flask.Flask:
    app = flask.Flask(__name__, static_folder="static", template_folder="templates")
    app.request_class = InMemoryRequest
    app.config.update(MAX_CONTENT_LENGTH=MAX_REQUEST_BYTES, TEMPLATES_AUTO_RELOAD=False)
    app.extensions["office-desk"] = desk_window
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    from .views import navigation, register_views

    register_views(app)
    app.add_template_filter(bilingual, "bi")
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(steps_to, "steps_to")
    # A report's text is a stranger's: its control and direction characters shown as \\u escapes.
    app.add_template_filter(safe_text.for_terminal, "shown")

    @app.context_processor
    def _page():
        session_open = desk_window.guard.session is not None
        return {
            "session_open": session_open,
            "unlocked": session_open and desk_window.vault.unlocked,
            "who": desk_window.who,
            "navigation": navigation(),
            "notes": desk_window.results.pop("*", None) if flask.request.method == "GET" else None,
            "csrf_field": lambda: markupsafe.Markup('<input type="hidden" name="{}" value="{}">').format(
                guard_module.CSRF_FIELD, desk_window.guard.csrf or ""
            ),
        }

    @app.before_request
    def _guard():
        given = desk_window.guard
        given.check_host(flask.request.host)
        if flask.request.endpoint in ("home.start", "static"):
            return None
        given.check_session(flask.request.cookies.get(guard_module.SESSION_COOKIE))
        if flask.request.method not in ("GET", "HEAD"):
            given.check_change(
                flask.request.headers.get("Origin"),
                flask.request.headers.get("Sec-Fetch-Site"),
                flask.request.form.get(guard_module.CSRF_FIELD),
            )
        if flask.request.endpoint not in OPEN_WHEN_LOCKED:
            desk_window.vault.identities()  # Locked when locked or idle too long
            desk_window.vault.touch()
        return None

    @app.teardown_request
    def _close(_exc):
        opened = flask.g.pop("desk", None)
        if opened is not None:
            opened.db.close()

    @app.after_request
    def _headers(response: flask.Response) -> flask.Response:
        response.headers.update(guard_module.HEADERS)
        return response

    @app.errorhandler(Refused)
    def _refused(exc: Refused):
        return flask.render_template("refused.html", message=str(exc)), exc.status

    @app.errorhandler(Locked)
    def _locked(_exc: Locked):
        if flask.request.method == "GET":
            return flask.redirect(flask.url_for("home.unlock", next=flask.request.full_path.rstrip("?")), 303)
        return flask.render_template("refused.html", message=LOCKED_POST, locked=True), 409

    @app.errorhandler(413)
    def _too_large(_exc):
        return flask.render_template("refused.html", message=TOO_LARGE), 413

    @app.errorhandler(404)
    def _not_found(_exc):
        return flask.render_template("refused.html", message=NOT_FOUND), 404

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return exc
        # The type and the place only: a report's text must not reach the console.
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        print(f"office desk: {type(exc).__name__} at {frame.filename}:{frame.lineno}", file=sys.stderr)
        return flask.render_template("refused.html", message=UNEXPECTED), 500

    return app


LOCKED_POST = (
    "Cửa sổ làm việc đã tự khóa vì lâu không dùng; việc vừa gửi chưa được thực hiện, không có gì thay đổi. Mở khóa "
    "rồi làm lại / the desk locked itself after a while without use; what was sent was not done, nothing changed. "
    "Unlock, then do it again"
)
TOO_LARGE = (
    "Tệp gửi lên quá lớn (tối đa 200 MB một lần); không có gì được ghi / the files sent are too large (200 MB at "
    "most at once); nothing was recorded"
)
NOT_FOUND = "Không có trang này / no such page"
UNEXPECTED = (
    "Có lỗi không lường trước; việc vừa làm không được ghi dở. Báo cán bộ công nghệ thông tin (xem cửa sổ lệnh "
    "đang chạy office desk) / an unexpected error; nothing was half-written. Tell the IT staff (see the window "
    "running office desk)"
)
