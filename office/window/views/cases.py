"""The register (filter, sort, search, CSV of what is shown) and the case page with its actions."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import flask

from intake_function import report

from ... import operation, register, workflow
from ...register import audit, case_view, listing
from ...workflow import transitions
from .. import bridge, forms
from ..app import desk, window

blueprint = flask.Blueprint("cases", __name__)

PAGE_SIZE = 100
# What each column of the register's table (``listing.COLUMNS``) sorts by; None: nothing.
SORTED_BY = ("number", "received", "channel", "category", "status", None, "unit", "due", None, None, None, None)
FILTERS = tuple(f for f in listing.FIELDS if f.name != "sort")


def _rows(args) -> tuple[list[listing.Row], str | None]:
    """The rows that answer the page's filters, or the operation's refusal of them."""
    opened = desk()
    values = forms.values_of(forms.from_declaration(FILTERS), args)
    try:
        query = listing.Query(**values, sort=args.get("sort") or "received")
        return listing.rows(opened, operation.settings_of(opened), query), None
    except operation.DeskError as exc:
        return [], str(exc)


def _known_units() -> list[str]:
    return sorted({c.unit for c in register.all_cases(desk().db) if c.unit})


@blueprint.get("/cases")
def register_page():
    rows, problem = _rows(flask.request.args)
    page = max(1, flask.request.args.get("page", 1, type=int))
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(page, pages)
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return flask.render_template(
        "register.html",
        table=[(row, listing.cells(row)) for row in shown],
        headers=[(header, key) for (header, _), key in zip(listing.COLUMNS, SORTED_BY, strict=True)],
        total=len(rows),
        page=page,
        pages=pages,
        args=flask.request.args,
        filters=forms.from_declaration(FILTERS, unit=_known_units()),
        problem=problem,
        empty=listing.NONE_MATCH if flask.request.args else listing.EMPTY,
    ), 400 if problem else 200


@blueprint.get("/cases.csv")
def register_csv():
    """Exactly the rows the register page shows for the same filters and order (all its pages)."""
    rows, problem = _rows(flask.request.args)
    if problem:
        return flask.render_template("refused.html", message=problem), 400
    response = flask.Response(listing.csv_bytes(rows), mimetype="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="so-theo-doi.csv"'
    return response


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
            return case.status in transitions._starts(case, self.name, {})  # PROVISIONAL: a public rule from ops
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
    view = case_view.view(desk(), case.number, window().vault.identities, who=window().who)
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
        channels=workflow.CHANNELS,
        statuses=workflow.STATUSES,
        tracks=workflow.TRACKS,
        competence=workflow.COMPETENCE,
        flags=workflow.FLAGS,
        notice_label=workflow.notice_label,
        category_label=report.category_label,
        reply_labels=report.status_labels(),
        facts=case_view.FACTS,
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
