"""The way in (the launch address, the passphrase), the ways out ("Khóa", "Thoát"), and the overview."""

from __future__ import annotations

import flask

from intake_function import envelope

from ... import operation, workflow
from ...keys import recipients
from ...register import overview as overview_module
from .. import guard as guard_module
from ..app import desk, window

blueprint = flask.Blueprint("home", __name__)

NOTES = "*"  # what the desk has to say on the next page shown, whatever it is


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
            identities = vault.unlock(flask.request.form.get("passphrase", ""))
        except envelope.EnvelopeError as exc:
            error = str(exc)
        else:
            notes = recipients.outside_notes(desk().db, identities, vault.identity_file.name)
            if notes:
                window().results[NOTES] = notes
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
    """What the clerk looks at first each morning."""
    the_window = window()
    store, store_problem = None, None
    if the_window.store_url:
        try:
            store = operation.open_remote(the_window.store_url)
        except operation.DeskError as exc:
            store_problem = str(exc)
    opened = desk()
    seen = overview_module.overview(opened, store)
    items = seen.late + seen.due_soon  # late first, as office due lists them
    found = overview_module.DueList(seen.on, operation.settings_of(opened).due_soon_days, items, seen.leaders)
    # The words of office due: its heading, a line per step, its notes, then the cases to tell the leaders of.
    said = overview_module.due_lines(found)
    rest = said[1 + len(items) :]
    return flask.render_template(
        "overview.html",
        seen=seen,
        due_heading=said[0],
        due_rows=list(zip(items, said[1 : 1 + len(items)], strict=True)),
        due_notes=rest[: -1 - len(seen.leaders)] if seen.leaders else rest,
        leaders=list(zip(seen.leaders, rest[len(rest) - len(seen.leaders) :], strict=True)),
        leaders_heading=rest[-1 - len(seen.leaders)] if seen.leaders else None,
        store_problem=store_problem,
        statuses=workflow.STATUSES,
        steps=workflow.STATUSES,
    )
