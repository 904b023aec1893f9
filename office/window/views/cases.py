"""The register (filter, sort, search, CSV of what is shown) and the case page with its actions."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import flask

from ... import register, workflow
from ...register import audit
from ...workflow import settings as settings_module
from .. import bridge, forms, reading
from ..app import desk, window

blueprint = flask.Blueprint("cases", __name__)

PAGE_SIZE = 100
# The register's columns: (sort key or None, Vietnamese, English, cell class).
COLUMNS = (
    ("number", "Số", "No.", ""),
    ("received", "Nhận lúc", "Received", ""),
    ("channel", "Kênh", "Channel", ""),
    ("category", "Loại", "Category", ""),
    ("status", "Trạng thái", "Status", ""),
    ("unit", "Đơn vị", "Unit", ""),
    ("due", "Hạn", "Due", ""),
    (None, "Tệp", "Files", "number"),
    (None, "Bổ sung mới", "New follow-ups", "number"),
)


def _settings():
    return settings_module.load(desk().root)


def _filtered(args) -> list[reading.Row]:
    rows = reading.register_rows(desk(), _settings())
    status, channel, unit, track = (args.get(k) or None for k in ("status", "channel", "unit", "track"))
    search = (args.get("search") or "").strip().casefold()
    period = None
    if args.get("period"):
        from ...reports import half_year
        from ...workflow.clock import local_date

        period = half_year.half_year(args["period"].strip(), _settings())
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
        and (period is None or period.contains(local_date(r.case.received_at)))
    ]
    sort = (args.get("sort") or "received").lstrip("-")
    keys = {
        "channel": lambda r: r.case.channel,
        "category": lambda r: r.category,
        "number": lambda r: r.case.number,
        "received": lambda r: r.case.received_at,
        "due": lambda r: (not r.due, r.due[6:] + r.due[3:5] + r.due[:2]),
        "status": lambda r: r.case.status,
        "unit": lambda r: r.unit,
    }
    out.sort(key=keys.get(sort, keys["received"]), reverse=(args.get("sort") or "").startswith("-"))
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
        columns=COLUMNS,
    )


@dataclass(frozen=True)
class Action:
    """One thing the clerk can do to a case: the command it runs, and what the page does with its result."""

    name: str  # the command
    needs_key: bool = False  # decrypts the report (the unlocked identity is handed to it)
    download: str | None = None  # the option naming the file it writes, served to the browser instead
    shows_output: bool = False  # what it prints is what the clerk came for (the identity)
    skip: frozenset[str] = frozenset()

    @property
    def command(self):
        from ...commands.cli import cli

        return cli.commands[self.name]

    @property
    def title(self) -> str:
        return self.command.help.split("\n", 1)[0]

    def fields(self) -> list[forms.Field]:
        return forms.fields_of(self.command, skip=self.skip | {"out" if self.download else ""})

    def available(self, case: register.Case) -> bool:
        if self.name in workflow.TRANSITIONS:
            return case.status in workflow._starts(case, self.name, {})  # provisional: ops' availability rule
        if self.name == "reply":
            return bool(case.reply_lookup)
        return True


ACTIONS = {
    action.name: action
    for action in (
        Action("classify"),
        Action("assign"),
        Action("forward"),
        Action("reject"),
        Action("follow"),
        Action("conclude"),
        Action("extend"),
        Action("flag"),
        Action("notify"),
        Action("accept"),
        Action("decline"),
        Action("reopen"),
        Action("reply", needs_key=True, skip=frozenset({"message_file"})),
        Action("notice", needs_key=True, download="--out"),
        Action("export", needs_key=True),
        Action("extract", needs_key=True),
        Action("reveal", needs_key=True, shows_output=True),
    )
}


def _case_or_404(number: str) -> register.Case:
    try:
        return register.find_case(desk().db, number)
    except register.CaseNotFound:
        flask.abort(404)


def _render_case(case: register.Case, *, failed: str | None = None, problem: str | None = None, values=None):
    view = reading.case_view(desk(), case, window().vault.identities(), _settings(), window().who)
    done = window().results.pop(case.number, None)
    actions = [a for a in ACTIONS.values() if a.available(case)]
    return flask.render_template(
        "case.html",
        view=view,
        actions=actions,
        failed=failed,
        problem=problem,
        values=values or flask.request.form,
        done=done,
        audit_actions=audit.ACTIONS,
    )


@blueprint.get("/cases/<number>")
def case_page(number: str):
    return _render_case(_case_or_404(number))


@blueprint.post("/cases/<number>/<name>")
def act(number: str, name: str):
    case = _case_or_404(number)
    action = ACTIONS.get(name)
    if action is None:
        flask.abort(404)
    the_window = window()
    args = [action.name, case.number, *forms.arguments(action.fields(), flask.request.form)]
    args += ["--data", str(the_window.data), "--by", the_window.who]
    identities = None
    if action.needs_key:
        identities = the_window.vault.identities()
        args += ["--identity", str(the_window.vault.identity_file)]
    if action.name == "reply":
        args += ["--yes"] + (["--store", the_window.store_url] if the_window.store_url else [])
    if action.download:
        with tempfile.TemporaryDirectory(prefix="office-desk-") as folder:  # provisional: ops writes to memory
            target = Path(folder) / f"{action.name}-{case.number}.docx"
            outcome = bridge.run([*args, action.download, str(target)], identities)
            if outcome.ok:
                data = target.read_bytes()
                response = flask.Response(
                    data, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                )
                response.headers["Content-Disposition"] = f'attachment; filename="{target.name}"'
                return response
    else:
        outcome = bridge.run(args, identities)
    if not outcome.ok:
        return _render_case(case, failed=action.name, problem=outcome.error), 400
    if action.shows_output:
        return flask.render_template("shown.html", case=case, title=action.title, lines=outcome.lines)
    the_window.results[case.number] = outcome.lines
    return flask.redirect(flask.url_for("cases.case_page", number=case.number) + "#ket-qua", 303)


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
