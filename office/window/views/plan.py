"""The plan's work that is not a case: its activities, and the confidentiality incidents."""

from __future__ import annotations

import json

import flask

from ...workflow import plan as plan_module
from .. import bridge, forms
from ..app import window

blueprint = flask.Blueprint("plan", __name__)


def _command(*path: str):
    from ...commands.cli import cli

    command = cli
    for name in path:
        command = command.commands[name]
    return command


def _run(args: list[str]) -> bridge.Outcome:
    the_window = window()
    return bridge.run([*args, "--data", str(the_window.data), "--by", the_window.who])


@blueprint.route("/activities", methods=["GET", "POST"])
def activities():
    add_fields = forms.fields_of(_command("activity", "add"))
    edit_fields = forms.fields_of(_command("activity", "edit"))
    remove_fields = forms.fields_of(_command("activity", "remove"))
    failed, problem = None, None
    if flask.request.method == "POST":
        what = flask.request.form.get("do", "add")
        number = flask.request.form.get("activity", "")
        if what == "add":
            args = ["activity", "add", *forms.arguments(add_fields, flask.request.form)]
        elif what == "edit":
            args = ["activity", "edit", number, *forms.arguments(edit_fields, flask.request.form)]
        else:
            args = ["activity", "remove", number, *forms.arguments(remove_fields, flask.request.form)]
        outcome = _run(args)
        if outcome.ok:
            window().results["activities"] = outcome.lines
            return flask.redirect(flask.url_for("plan.activities") + "#ket-qua", 303)
        failed, problem = f"{what}-{number}" if number else what, outcome.error
    filters = {k: v for k, v in flask.request.args.items() if k in ("period", "task", "unit") and v.strip()}
    args = ["activity", "list", "--format", "json", "--all"]
    for name, value in filters.items():
        args += [f"--{name}", value]
    listed = bridge.run([*args, "--data", str(window().data)])
    return flask.render_template(
        "activities.html",
        items=json.loads(listed.stdout or "[]") if listed.ok else [],
        list_problem=None if listed.ok else listed.error,
        filters=filters,
        tasks=plan_module.TASKS,
        kinds=plan_module.KINDS,
        add_fields=add_fields,
        edit_fields=edit_fields,
        remove_fields=remove_fields,
        failed=failed,
        problem=problem,
        values=flask.request.form,
        done=window().results.pop("activities", None),
    ), 400 if problem else 200


@blueprint.route("/incidents", methods=["GET", "POST"])
def incidents():
    fields = forms.fields_of(_command("incident", "add"))
    problem = None
    if flask.request.method == "POST":
        outcome = _run(["incident", "add", *forms.arguments(fields, flask.request.form)])
        if outcome.ok:
            window().results["incidents"] = outcome.lines
            return flask.redirect(flask.url_for("plan.incidents") + "#ket-qua", 303)
        problem = outcome.error
    listed = bridge.run(["incident", "list", "--data", str(window().data)])
    return flask.render_template(
        "incidents.html",
        lines=[line for line in listed.stdout.splitlines() if line.strip()],
        fields=fields,
        problem=problem,
        values=flask.request.form,
        done=window().results.pop("incidents", None),
    ), 400 if problem else 200
