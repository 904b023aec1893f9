"""The half-year report and a unit's report: the figures in the page, the DOCX and the CSV to download."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import flask

from ... import operation
from ...reports import half_year, produce, text
from .. import forms
from ..app import desk, window

blueprint = flask.Blueprint("reports", __name__)

# The page writes the file itself (a download, into memory), and the texts come from the form's boxes.
TYPED = forms.without(produce.REPORT, "out", "fmt", "overwrite", "difficulties_file", "next_tasks_file")
FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
}


@blueprint.route("/report", methods=["GET", "POST"])
def report():
    problem, figures = None, None
    form = flask.request.form
    if flask.request.method == "POST":
        make = form.get("make", "view")
        try:
            values = forms.values(TYPED, form)
            if make in FORMATS:
                return _download(values, make)
            if not values.get("period"):
                raise operation.DeskError(PERIOD_FIRST, field="period")
            figures = produce.figures(
                desk(), values["period"], unit=values.get("unit"), provisional=bool(values.get("provisional"))
            )
        except operation.DeskError as exc:
            problem = exc
    return flask.render_template(
        "report.html",
        fields=forms.from_declaration(TYPED),
        problem=str(problem) if problem else None,
        problem_field=getattr(problem, "field", None),
        values=form,
        figures=figures,
        sections=_sections(figures) if figures else [],
        titles=SECTIONS,
        listed=LISTED,
        case_rows=CASE_ROWS,
    ), 400 if problem else 200


# The groups of the report's figures, as its CSV names them, with the page's heading for each.
SECTIONS = {
    "period": ("Kỳ báo cáo", "period"),
    "summary": ("Tổng hợp", "summary"),
    "channel": ("Theo kênh tiếp nhận", "by channel"),
    "category": ("Theo loại nội dung", "by category"),
    "status": ("Theo tình trạng xử lý", "by status"),
    "denunciation": ("Tố cáo", "denunciations"),
    "month": ("Theo tháng", "by month"),
    "unit": ("Theo đơn vị", "by unit"),
    "task": ("Theo nhiệm vụ của Kế hoạch", "by task of the plan"),
    "activity": ("Hoạt động", "activities"),
    "forwarded": ("Hồ sơ đã chuyển", "forwarded cases"),
    "late_owner": ("Bước trễ hạn theo người chịu trách nhiệm", "late steps by owner"),
    "late": ("Hồ sơ trễ hạn", "late cases"),
    "protection": ("Bảo vệ người phản ánh", "protection"),
}
# A figure whose cases the register lists: section -> the register's filter that finds them in the period.
LISTED = {"channel": "channel", "category": "search", "unit": "unit"}
# Rows that name one case: its number is their key.
CASE_ROWS = ("forwarded", "late", "protection")


def _sections(figures: half_year.Figures) -> list[tuple[str, list[list[str]]]]:
    """The figures as the report's CSV gives them (the same words and numbers), grouped by section."""
    rows = list(csv.reader(io.StringIO(text.csv_text(figures)), delimiter=text.CSV_DELIMITER))[1:]
    groups: dict[str, list[list[str]]] = {}
    for row in rows:
        groups.setdefault(row[0], []).append(row)
    return list(groups.items())


PERIOD_FIRST = (
    "Số liệu trên trang theo kỳ báo cáo: gõ kỳ, ví dụ 2026-H2 / the figures in the page are a period's: "
    "type one, for example 2026-H2"
)


def _download(values: dict, fmt: str) -> flask.Response:
    """The report written into memory, sent as a download: no file on disk."""
    stream = io.BytesIO()
    done = produce.make_report(desk(), **values, out=Path(f"bao-cao.{fmt}"), fmt=fmt, stream=stream, who=window().who)
    name = f"bao-cao-{done.value.period.code.lower()}.{fmt}"
    response = flask.Response(stream.getvalue(), mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
