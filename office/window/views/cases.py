"""The register (filter, sort, search, CSV of what is shown) and the case page with its actions."""

from __future__ import annotations

import io

import flask

from ... import operation, register
from ...register import audit, case_text, case_view, listing
from ...workflow import actions, answers, case_actions
from .. import forms
from ..app import desk, window

blueprint = flask.Blueprint("cases", __name__)

PAGE_SIZE = 100
# What each column of the register's table (``listing.COLUMNS``) sorts by; None: nothing.
SORTED_BY = ("number", "received", "channel", "category", "status", None, "unit", "due", None, None, None, None)
FILTERS = tuple(f for f in listing.FIELDS if f.name != "sort")


def _rows(args) -> tuple[list[listing.Row], str | None]:
    """The rows that answer the page's filters, or the operation's refusal of them."""
    opened = desk()
    try:
        query = listing.Query(**forms.values(FILTERS, args), sort=args.get("sort") or "received")
        return listing.rows(opened, operation.settings_of(opened), query), None
    except operation.DeskError as exc:
        return [], str(exc)


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
        filters=forms.from_declaration(FILTERS, unit=actions.known_units(desk())),
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


# What the page supplies itself, for each action: the file a download is written to, where an answer goes.
SUPPLIED = {"notice": ("out",), "reply": ("store",), "attach": ("followup",)}


def typed(action: case_actions.Action) -> tuple[operation.Field, ...]:
    """The inputs of an action that the clerk types into its form."""
    return forms.without(action.fields, *SUPPLIED.get(action.name, ()))


def form_of(action: case_actions.Action) -> list[forms.Field]:
    units = {"unit": actions.known_units(desk())} if action.name == "assign" else {}
    return forms.from_declaration(typed(action), **units)


def _case_or_404(number: str) -> register.Case:
    try:
        return register.find_case(desk().db, number)
    except register.CaseNotFound:
        flask.abort(404)


# The headings of the four blocks office show prints (``case_text.blocks``), in its order, with their anchors.
SAID = (
    ("noi-dung", "Nội dung phản ánh", "The report"),
    ("trao-doi", "Trao đổi qua mã tra cứu", "Follow-up by receipt code"),
    ("xu-ly", "Xử lý", "Workflow"),
    ("buoc", "Các bước", "Steps"),
    ("bao-ve", "Biện pháp bảo vệ", "Protection measures"),
)


def _render_case(case: register.Case, *, failed: str | None = None, problem=None, values=None):
    view = case_view.view(desk(), case.number, window().vault.identities, who=window().who)
    done = window().results.pop(case.number, None)
    possible = [a for a in case_actions.actions_for(view.case) if a.name != "attach"]  # attach: follow-ups page
    return flask.render_template(
        "case.html",
        view=view,
        actions=possible,
        form_of=form_of,
        failed=failed,
        problem=str(problem) if problem else None,
        problem_field=getattr(problem, "field", None),
        values=values if values is not None else flask.request.form,
        done=done,
        notes={"accept": actions.acceptance_notes(desk(), case.number)},
        said=[(*heading, block) for heading, block in zip(SAID, case_text.blocks(view), strict=True) if block],
        audit_actions=audit.ACTIONS,
    )


@blueprint.get("/cases/<number>")
def case_page(number: str):
    return _render_case(_case_or_404(number))


@blueprint.post("/cases/<number>/<name>")
def act(number: str, name: str):
    case = _case_or_404(number)
    action = case_actions.ACTIONS.get(name)
    if action is None or name == "attach":
        flask.abort(404)
    the_window = window()
    try:
        values = forms.values(typed(action), flask.request.form)
        if name == "reply":
            return _reply(case, action, values)
        if name == "notice":
            return _notice(case, action, values)
        done = action.run(desk(), case.number, values, the_window.vault.identities, the_window.who)
    except operation.DeskError as exc:
        return _render_case(case, failed=name, problem=exc), 400
    if name == "reveal":
        return flask.render_template("revealed.html", seen=done.value, title=action.title, recorded=case_view.RECORDED)
    the_window.results[case.number] = done.lines + done.out
    return flask.redirect(flask.url_for("cases.case_page", number=case.number) + "#ket-qua", 303)


def _reply(case: register.Case, action: case_actions.Action, values: dict):
    """An answer through the receipt code: first what the reporter will read, then, once confirmed, sent."""
    the_window = window()
    if not flask.request.form.get("confirmed"):
        draft = answers.draft(desk(), case.number, the_window.vault.identities, **values)
        return flask.render_template("reply.html", case=case, draft=draft, values=flask.request.form)
    done = action.run(
        desk(), case.number, {**values, "store": the_window.store_url}, the_window.vault.identities, the_window.who
    )
    the_window.results[case.number] = done.lines
    return flask.redirect(flask.url_for("cases.case_page", number=case.number) + "#ket-qua", 303)


def _notice(case: register.Case, action: case_actions.Action, values: dict):
    """The notice's draft, downloaded: written into memory, never to disk (it may name the denouncer)."""
    name = f"thong-bao-{values.get('kind') or 'x'}-{case.number}.docx"
    stream = io.BytesIO()
    the_window = window()
    action.run(
        desk(), case.number, {**values, "out": None, "stream": stream}, the_window.vault.identities, the_window.who
    )
    response = flask.Response(stream.getvalue(), mimetype=DOCX)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
