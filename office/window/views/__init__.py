"""The desk's pages, one blueprint per area of the clerk's work; each view calls the desk operations."""

from __future__ import annotations

import flask


def register_views(app: flask.Flask) -> None:
    from . import cases, home, intake, keys, plan, reports

    for module in (home, cases, intake, plan, reports, keys):
        app.register_blueprint(module.blueprint)


# The side menu: (endpoint, Vietnamese, English); an area not built yet is left out.
NAVIGATION = (
    ("home.overview", "Tổng quan", "Overview"),
    ("intake.pull", "Tải phản ánh mới", "Pull new reports"),
    ("cases.register_page", "Sổ theo dõi", "Register"),
    ("intake.add", "Vào sổ phản ánh", "Enter a report"),
    ("intake.followups", "Thông tin bổ sung", "Follow-ups"),
    ("plan.activities", "Hoạt động", "Activities"),
    ("plan.incidents", "Sự cố bảo mật", "Incidents"),
    ("reports.report", "Báo cáo 6 tháng", "Half-year report"),
    ("keys.keys", "Khóa và nhật ký", "Keys and audit"),
)


def navigation() -> list[dict]:
    app = flask.current_app
    here = flask.request.endpoint if flask.has_request_context() else None
    return [
        {"href": flask.url_for(endpoint), "vi": vi, "en": en, "current": endpoint == here}
        for endpoint, vi, en in NAVIGATION
        if endpoint in app.view_functions
    ]
