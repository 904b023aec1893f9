"""The keys in force, and the audit trail with its verification."""

from __future__ import annotations

import json

import flask

from ...register import audit
from .. import bridge
from ..app import window

blueprint = flask.Blueprint("keys", __name__)

SHOWN = 200  # the newest entries; the whole trail is `office audit list`


@blueprint.get("/keys")
def keys():
    data = ["--data", str(window().data)]
    recipients = bridge.run(["recipients", *data])
    verified = bridge.run(["audit", "verify", *data])
    trail = bridge.run(["audit", "list", "--format", "json", *data])
    entries = json.loads(trail.stdout or "[]")
    return flask.render_template(
        "keys.html",
        recipients=recipients.lines,
        verified=verified,
        entries=list(reversed(entries[-SHOWN:])),
        total=len(entries),
        actions=audit.ACTIONS,
    )
