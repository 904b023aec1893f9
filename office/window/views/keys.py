"""The keys in force, and the audit trail with its verification."""

from __future__ import annotations

import flask

from ... import operation
from ...keys import in_force
from ...register import audit, trail
from ..app import desk, window

blueprint = flask.Blueprint("keys", __name__)

SHOWN = 200  # the newest entries; the whole trail is `office audit list`


@blueprint.get("/keys")
def keys():
    opened = desk()
    keys_said = in_force.change_keys(opened, who=window().who)  # nothing to change: only what is in force
    try:
        checked, broken = trail.verify(opened), None
    except operation.DeskError as exc:
        checked, broken = None, exc
    entries = trail.entries(opened)
    return flask.render_template(
        "keys.html",
        keys_said=keys_said.lines,
        checked=checked,
        broken=broken,
        entries=list(reversed(entries[-SHOWN:])),
        total=len(entries),
        actions=audit.ACTIONS,
    )
