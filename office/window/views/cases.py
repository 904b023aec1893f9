"""The register (filter, sort, search, CSV of what is shown) and the case page with its actions."""

from __future__ import annotations

import flask

from ... import register, workflow
from ...workflow import settings as settings_module
from .. import reading
from ..app import desk, window

blueprint = flask.Blueprint("cases", __name__)

PAGE_SIZE = 100


def _settings():
    return settings_module.load(desk().root)


def _filtered(args) -> list[reading.Row]:
    rows = reading.register_rows(desk(), _settings())
    status, channel, unit, track = (args.get(k) or None for k in ("status", "channel", "unit", "track"))
    search = (args.get("search") or "").strip().casefold()
    out = [
        r
        for r in rows
        if (status is None or r.case.status == status)
        and (channel is None or r.case.channel == channel)
        and (unit is None or r.case.unit == unit)
        and (track is None or r.case.track == track)
        and (not args.get("open") or r.case.status in workflow.OPEN_STATUSES)
        and (not args.get("late") or r.overdue)
        and (not search or search in f"{r.case.number} {r.unit} {r.received}".casefold())
    ]
    sort = args.get("sort") or "number"
    keys = {
        "number": lambda r: r.case.number,
        "received": lambda r: r.case.received_at,
        "due": lambda r: (not r.due, r.due[6:] + r.due[3:5] + r.due[:2]),
        "status": lambda r: r.case.status,
        "unit": lambda r: r.unit,
    }
    out.sort(key=keys.get(sort, keys["number"]), reverse=args.get("desc") == "1")
    return out


@blueprint.get("/cases")
def register_page():
    rows = _filtered(flask.request.args)
    page = max(1, flask.request.args.get("page", 1, type=int))
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(page, pages)
    units = sorted({c.unit for c in register.all_cases(desk().db) if c.unit})
    return flask.render_template(
        "register.html",
        rows=rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
        total=len(rows),
        page=page,
        pages=pages,
        args=flask.request.args,
        statuses=workflow.STATUSES,
        channels=workflow.CHANNELS,
        tracks=workflow.TRACKS,
        units=units,
    )


@blueprint.get("/cases/<number>")
def case_page(number: str):
    opened = desk()
    try:
        case = register.find_case(opened.db, number)
    except register.CaseNotFound:
        flask.abort(404)
    view = reading.case_view(opened, case, window().vault.identities(), _settings(), window().who)
    return flask.render_template("case.html", view=view)


@blueprint.get("/cases.csv")
def register_csv():
    """PROVISIONAL until ops' CSV of the register rows lands."""
    import csv
    import io

    rows = _filtered(flask.request.args)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["number", "received", "channel", "status", "unit", "due", "overdue"])
    for r in rows:
        writer.writerow([r.case.number, r.received, r.case.channel, r.case.status, r.unit, r.due, int(r.overdue)])
    response = flask.Response("\ufeff" + buffer.getvalue(), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="so-theo-doi.csv"'
    return response
