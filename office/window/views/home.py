"""The way in (the launch address, the passphrase), the ways out ("Khóa", "Thoát"), and the overview."""

from __future__ import annotations

import json

import flask

from intake_function import envelope

from .. import guard as guard_module
from ..app import window

blueprint = flask.Blueprint("home", __name__)


@blueprint.get("/start/<token>")
def start(token: str):
    """The printed address: spend the launch token for this browser's session cookie."""
    session = window().guard.exchange(token)
    response = flask.redirect(flask.url_for("home.unlock"), 303)
    response.set_cookie(guard_module.SESSION_COOKIE, session, httponly=True, samesite="Strict", path="/")
    return response


def _local(target: str | None) -> str:
    """Where to go after unlocking: a page of the desk itself, never another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return flask.url_for("home.overview")


@blueprint.route("/unlock", methods=["GET", "POST"])
def unlock():
    vault = window().vault
    target = _local(flask.request.values.get("next"))
    error = None
    if flask.request.method == "POST":
        try:
            vault.unlock(flask.request.form.get("passphrase", ""))
        except envelope.EnvelopeError as exc:
            error = str(exc)
        else:
            return flask.redirect(target, 303)
    elif vault.unlocked:
        return flask.redirect(target, 303)
    status = 400 if error else 200
    return flask.render_template(
        "unlock.html",
        error=error,
        next=target,
        needs_passphrase=vault.needs_passphrase(),
        identity_name=vault.identity_file.name,
    ), status


@blueprint.post("/lock")
def lock():
    window().vault.lock()
    return flask.redirect(flask.url_for("home.unlock"), 303)


@blueprint.post("/exit", endpoint="exit")
def exit_desk():
    desk_window = window()
    desk_window.vault.close()
    desk_window.stop()
    return flask.render_template("exited.html")


@blueprint.get("/")
def overview():
    """PROVISIONAL until ops' overview operation: what the clerk looks at first each morning."""
    from collections import Counter
    from datetime import date

    from intake_function.store import StoreError, open_store

    from ... import workflow
    from ...intake.pull import pending
    from ...register import audit
    from ...workflow import settings as settings_module
    from ...workflow.clock import today
    from .. import bridge
    from ..app import desk

    the_window = window()
    data = ["--data", str(the_window.data)]
    waiting, store_problem = None, None
    if the_window.store_url:
        try:
            waiting = len(pending(open_store(the_window.store_url, create=False)))
        except (StoreError, ValueError, OSError) as exc:
            store_problem = str(exc)
    cases = json.loads(bridge.run(["list", "--format", "json", *data]).stdout or "[]")
    by_status = Counter(c["status"] for c in cases)
    due = json.loads(bridge.run(["due", "--format", "json", *data]).stdout or "{}")
    unmatched = json.loads(bridge.run(["list", "--unmatched", "--format", "json", *data]).stdout or "[]")
    unread = sum(c["unread_followups"] for c in cases)
    periods = settings_module.load(the_window.data).periods
    day = today()
    report_dates = sorted(
        date(year, *month_day)
        for year in (day.year, day.year + 1)
        for month_day in (periods.h1_deadline, periods.h2_deadline)
    )
    checks = [e for e in audit.entries(desk().db) if e.action == "site-check"]
    return flask.render_template(
        "overview.html",
        waiting=waiting,
        store_problem=store_problem,
        by_status=[(code, workflow.STATUSES[code], by_status[code]) for code in workflow.STATUSES if by_status[code]],
        total=len(cases),
        deadlines=due.get("deadlines", []),
        leaders=due.get("report_to_leaders", []),
        unread=unread,
        unmatched=len(unmatched),
        next_report=next(d for d in report_dates if d >= day),
        site_check=checks[-1] if checks else None,
        office=settings_module.load(the_window.data).report["compiled_by"],
        steps=workflow.STATUSES,
    )
