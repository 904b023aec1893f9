"""The half-year report and a unit's report: the figures in the page, the DOCX and the CSV to download."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import flask

from .. import bridge, forms
from ..app import window

blueprint = flask.Blueprint("reports", __name__)

# The page writes the file itself (a download), and the texts come from the form's boxes.
SKIP = frozenset({"out", "fmt", "overwrite", "difficulties_file", "next_tasks_file"})
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
}
# The figures that the register can list case by case: CSV section -> the register's filter.
LISTED = {"channel": "channel", "status": "status"}


def _fields() -> list[forms.Field]:
    from ...commands.cli import cli

    return forms.fields_of(cli.commands["report"], skip=SKIP)


def _make(fields, form, fmt: str) -> tuple[bridge.Outcome, bytes, str]:
    """Run the report into a private temporary folder; its bytes (PROVISIONAL: ops writes to memory)."""
    the_window = window()
    with tempfile.TemporaryDirectory(prefix="office-desk-") as folder:
        name = "bao-cao-" + (form.get("period") or "").strip().lower() or "bao-cao"
        target = Path(folder) / f"{name}.{fmt}"
        args = ["report", *forms.arguments(fields, form), "--out", str(target), "--format", fmt]
        outcome = bridge.run([*args, "--data", str(the_window.data), "--by", the_window.who])
        data = target.read_bytes() if outcome.ok and target.is_file() else b""
    return outcome, data, target.name


@blueprint.route("/report", methods=["GET", "POST"])
def report():
    fields = _fields()
    problem, figures, lines = None, None, []
    if flask.request.method == "POST":
        fmt = flask.request.form.get("make", "view")
        outcome, data, name = _make(fields, flask.request.form, "csv" if fmt == "view" else fmt)
        if not outcome.ok:
            problem = outcome.error
        elif fmt in FORMATS:
            response = flask.Response(data, mimetype=FORMATS[fmt])
            response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        else:
            rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
            figures = _grouped(rows[1:])
            lines = outcome.lines
    return flask.render_template(
        "report.html",
        fields=fields,
        problem=problem,
        values=flask.request.form,
        figures=figures,
        lines=lines,
        listed=LISTED,
    ), 400 if problem else 200


def _grouped(rows: list[list[str]]) -> list[tuple[str, list[list[str]]]]:
    groups: dict[str, list[list[str]]] = {}
    for row in rows:
        if len(row) == 5:
            groups.setdefault(row[0], []).append(row)
    return list(groups.items())
