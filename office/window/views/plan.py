"""The plan's work that is not a case: its activities, and the confidentiality incidents."""

from __future__ import annotations

import flask

from ... import operation
from ...register import plan_records
from .. import forms
from ..app import desk, window

blueprint = flask.Blueprint("plan", __name__)

ACTIVITY_KEY = "activities"  # where what the last change said waits to be shown
INCIDENT_KEY = "incidents"


def _changed(key: str, endpoint: str, done: operation.Done):
    window().results[key] = done.lines + done.out
    return flask.redirect(flask.url_for(endpoint) + "#ket-qua", 303)


@blueprint.route("/activities", methods=["GET", "POST"])
def activities():
    the_window, failed, problem = window(), None, None
    if flask.request.method == "POST":
        what = flask.request.form.get("do", "add")
        number = flask.request.form.get("activity", "")
        failed = f"{what}-{number}" if number else what
        try:
            if what == "add":
                values = forms.values(plan_records.ACTIVITY, flask.request.form)
                done = plan_records.add_activity(desk(), **values, who=the_window.who)
            elif what == "edit":
                values = forms.values(plan_records.ACTIVITY_EDIT, flask.request.form)
                done = plan_records.correct_activity(desk(), int(number), **values, who=the_window.who)
            else:
                values = forms.values(plan_records.ACTIVITY_REMOVE, flask.request.form)
                done = plan_records.withdraw_activity(desk(), int(number), **values, who=the_window.who)
        except operation.DeskError as exc:
            problem = exc
        else:
            return _changed(ACTIVITY_KEY, "plan.activities", done)
    shown, list_problem = [], None
    try:
        filters = forms.values(plan_records.ACTIVITY_LIST, flask.request.args)
        shown = plan_records.list_activities(desk(), **filters)
    except operation.DeskError as exc:
        list_problem = str(exc)
    return flask.render_template(
        "activities.html",
        items=shown,
        list_problem=list_problem,
        filters=forms.from_declaration(plan_records.ACTIVITY_LIST),
        args=flask.request.args,
        add_fields=forms.from_declaration(plan_records.ACTIVITY),
        edit_fields=forms.from_declaration(plan_records.ACTIVITY_EDIT),
        remove_fields=forms.from_declaration(plan_records.ACTIVITY_REMOVE),
        line=plan_records.activity_line,
        empty=plan_records.NO_ACTIVITY,
        failed=failed,
        problem=str(problem) if problem else None,
        problem_field=getattr(problem, "field", None),
        values=flask.request.form,
        done=the_window.results.pop(ACTIVITY_KEY, None),
    ), 400 if problem else 200


@blueprint.route("/incidents", methods=["GET", "POST"])
def incidents():
    problem = None
    if flask.request.method == "POST":
        try:
            values = forms.values(plan_records.INCIDENT, flask.request.form)
            done = plan_records.add_incident(desk(), **values, who=window().who)
        except operation.DeskError as exc:
            problem = exc
        else:
            return _changed(INCIDENT_KEY, "plan.incidents", done)
    return flask.render_template(
        "incidents.html",
        lines=[plan_records.incident_line(item) for item in plan_records.incidents(desk())],
        empty=plan_records.NO_INCIDENT,
        fields=forms.from_declaration(plan_records.INCIDENT),
        problem=str(problem) if problem else None,
        problem_field=getattr(problem, "field", None),
        values=flask.request.form,
        done=window().results.pop(INCIDENT_KEY, None),
    ), 400 if problem else 200
