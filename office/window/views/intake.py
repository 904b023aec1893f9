"""Reports coming in: pulling the online ones, entering those of other channels, follow-ups to match."""

from __future__ import annotations

import tempfile
from pathlib import Path

import flask

from ... import operation
from ...register import case_view, listing, overview
from ...workflow import answers
from .. import bridge, forms
from ..app import desk, window

blueprint = flask.Blueprint("intake", __name__)

# `office add` asks for these when it runs at a keyboard; the page has its own form for them.
ADD_SKIP = frozenset({"from_file"})


def _base_args(*, key: bool = False) -> list[str]:
    the_window = window()
    args = ["--data", str(the_window.data)]
    if key:
        args += ["--identity", str(the_window.vault.identity_file)]
    return args


def _command(name: str):
    from ...commands.cli import cli

    return cli.commands[name]


@blueprint.route("/pull", methods=["GET", "POST"])
def pull():
    outcome = None
    if flask.request.method == "POST":
        the_window = window()
        args = ["pull", *_base_args(key=True), "--by", the_window.who]
        if the_window.store_url:
            args += ["--store", the_window.store_url]
        outcome = bridge.run(args, the_window.vault.identities())
    lines = [line for line in outcome.lines if "/ pulling" not in line] if outcome else []
    return flask.render_template("pull.html", outcome=outcome, lines=lines), 200 if not outcome or outcome.ok else 400


@blueprint.route("/add", methods=["GET", "POST"])
def add():
    fields = forms.fields_of(_command("add"), skip=ADD_SKIP)
    problem = None
    if flask.request.method == "POST":
        the_window = window()
        uploads = [f for f in flask.request.files.getlist("attach") if f.filename]
        # PROVISIONAL: `office add` reads attachments from paths; ops' operation takes the bytes.
        with tempfile.TemporaryDirectory(prefix="office-desk-") as folder:
            paths = []
            for number, upload in enumerate(uploads, start=1):
                name = "".join(c if c.isalnum() or c in "._- " else "_" for c in Path(upload.filename).name)
                path = Path(folder) / f"{number:02d}-{name or 'tep'}"
                upload.save(path)
                paths.append(path)
            args = ["add", *forms.arguments(fields, flask.request.form, {"attach": paths})]
            outcome = bridge.run([*args, *_base_args(), "--by", the_window.who])
        if outcome.ok:
            number = outcome.stdout.strip().splitlines()[0]
            the_window.results[number] = outcome.lines[1:]
            return flask.redirect(flask.url_for("cases.case_page", number=number) + "#ket-qua", 303)
        problem = outcome.error
    status = 400 if problem else 200
    return flask.render_template("add.html", fields=fields, problem=problem, values=flask.request.form), status


@blueprint.get("/followups")
def followups():
    opened = desk()
    return flask.render_template(
        "followups.html",
        unmatched=listing.unmatched(opened),
        unread=overview.overview(opened).unread,
    )


@blueprint.route("/followups/<reference>", methods=["GET", "POST"])
def followup(reference: str):
    the_window = window()
    fields = forms.from_declaration(answers.ATTACH)
    problem = None
    if flask.request.method == "POST":
        case = (flask.request.form.get("case") or "").strip()
        try:
            done = answers.attach(
                desk(), reference, case, **forms.values_of(fields, flask.request.form), who=the_window.who
            )
        except operation.DeskError as exc:
            problem = str(exc)
        else:
            the_window.results[done.case.number] = done.lines
            return flask.redirect(flask.url_for("cases.case_page", number=done.case.number) + "#ket-qua", 303)
    opened = desk()
    kept = case_view.waiting(opened, reference)
    if kept is None:
        flask.abort(404)
    seen = case_view.view_waiting(opened, kept, the_window.vault.identities, who=the_window.who)
    return flask.render_template(
        "followup.html", seen=seen, fields=fields, problem=problem, values=flask.request.form
    ), 400 if problem else 200
