"""The register (filter, sort, search, CSV of what is shown) and the case page with its actions."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import flask

from intake_function import report

from ... import operation, register, workflow
from ...register import audit, case_view, listing
from ...workflow import actions, answers, drafts, transitions
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
    """One thing the clerk can do to a case: the operation, its declared inputs, what the page does after."""

    name: str  # the operation's name, as the command is named
    operation: Callable[..., Any] | None  # (desk, reference, [unlock,] **values, who) -> Done; None: the command
    declared: tuple[operation.Field, ...] = ()
    needs_key: bool = False  # it decrypts: the unlocked identities are handed to it
    skip: frozenset[str] = frozenset()  # inputs the page supplies itself

    @property
    def command(self):
        from ...commands.cli import cli

        return cli.commands[self.name]

    @property
    def title(self) -> str:
        """The command's own title, Vietnamese / English."""
        return self.command.help.split("\n", 1)[0]

    def fields(self) -> list[forms.Field]:
        if self.operation is None or not self.declared:  # declared by the command's options only, for now
            return forms.fields_of(self.command, skip=self.skip)
        suggestions = {"unit": actions.known_units(desk())} if self.name == "assign" else {}
        return [f for f in forms.from_declaration(self.declared, **suggestions) if f.name not in self.skip]

    def available(self, case: register.Case) -> bool:
        if self.name in workflow.TRANSITIONS:
            return case.status in transitions._starts(case, self.name, {})  # PROVISIONAL: a public rule from ops
        if self.name == "reply":
            return bool(case.reply_lookup)
        return True


ACTIONS = {
    action.name: action
    for action in (
        Action("classify", actions.classify, actions.CLASSIFY),
        Action("assign", actions.assign, actions.ASSIGN),
        Action("forward", actions.forward, actions.FORWARD),
        Action("reject", actions.reject, actions.REJECT),
        Action("follow", actions.follow, actions.FOLLOW),
        Action("conclude", actions.conclude, actions.CONCLUDE),
        Action("extend", actions.extend, actions.EXTEND),
        Action("flag", actions.flag, actions.FLAG_FIELDS),
        Action("notify", actions.notify, actions.NOTIFY),
        Action("accept", actions.accept, actions.ACCEPT),
        Action("decline", actions.decline, actions.DECLINE),
        Action("reopen", actions.reopen, actions.REOPEN),
        Action("reply", answers.draft, answers.REPLY, needs_key=True),
        Action("notice", drafts.draft_notice, drafts.NOTICE, needs_key=True, skip=frozenset({"out"})),
        Action("export", None, needs_key=True),  # PROVISIONAL: the command, until ops' stage 3
        Action("extract", case_view.extract, needs_key=True),
        Action("reveal", case_view.reveal, needs_key=True),
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
    possible = [a for a in ACTIONS.values() if a.available(view.case)]
    return flask.render_template(
        "case.html",
        view=view,
        actions=possible,
        failed=failed,
        problem=problem,
        values=values if values is not None else flask.request.form,
        done=done,
        notes={"accept": actions.acceptance_notes(desk(), case.number)},
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
    values = forms.values_of(action.fields(), flask.request.form)
    try:
        if action.operation is None:
            return _by_command(case, action)
        if action.name == "reply":
            return _reply(case, values)
        if action.name == "notice":
            return _notice(case, values)
        if action.name == "reveal":
            seen = case_view.reveal(
                desk(), case.number, values.get("reason") or "", the_window.vault.identities, who=the_window.who
            )
            return flask.render_template("revealed.html", seen=seen, title=action.title)
        if action.name == "extract":
            out = Path(values.pop("out") or "").expanduser()
            done = case_view.extract(
                desk(), case.number, out, the_window.vault.identities, who=the_window.who, reason=values["reason"] or ""
            )
        else:
            done = action.operation(desk(), case.number, **values, who=the_window.who)
    except operation.DeskError as exc:
        return _render_case(case, failed=action.name, problem=str(exc)), 400
    the_window.results[case.number] = done.lines + done.out
    return flask.redirect(flask.url_for("cases.case_page", number=case.number) + "#ket-qua", 303)


def _reply(case: register.Case, values: dict):
    """An answer through the receipt code: first what the reporter will read, then, once confirmed, sent."""
    the_window = window()
    draft = answers.draft(desk(), case.number, the_window.vault.identities, **values)
    if not flask.request.form.get("confirmed"):
        return flask.render_template("reply.html", case=case, draft=draft, values=flask.request.form)
    to = answers.target(the_window.store_url)
    done = answers.send(desk(), draft, to, who=the_window.who)
    the_window.results[case.number] = done.lines
    return flask.redirect(flask.url_for("cases.case_page", number=case.number) + "#ket-qua", 303)


def _notice(case: register.Case, values: dict):
    """The notice's draft, downloaded. PROVISIONAL: written in a private temporary folder, read, removed."""
    with tempfile.TemporaryDirectory(prefix="office-desk-") as folder:
        out = Path(folder) / f"thong-bao-{values.get('kind') or 'x'}-{case.number}.docx"
        values = {k: v for k, v in values.items() if v is not None}
        drafts.draft_notice(desk(), case.number, window().vault.identities, out=out, who=window().who, **values)
        data = out.read_bytes()
    response = flask.Response(data, mimetype=DOCX)
    response.headers["Content-Disposition"] = f'attachment; filename="{out.name}"'
    return response


def _by_command(case: register.Case, action: Action):
    """PROVISIONAL: an action whose operation has not landed yet runs as its command (same checks and words)."""
    the_window = window()
    args = [action.name, case.number, *forms.arguments(action.fields(), flask.request.form)]
    args += ["--data", str(the_window.data), "--by", the_window.who, "--identity", str(the_window.vault.identity_file)]
    outcome = bridge.run(args, the_window.vault.identities())
    if not outcome.ok:
        return _render_case(case, failed=action.name, problem=outcome.error), 400
    the_window.results[case.number] = outcome.lines
    return flask.redirect(flask.url_for("cases.case_page", number=case.number) + "#ket-qua", 303)


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
