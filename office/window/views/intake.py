"""Reports coming in: pulling the online ones, entering those of other channels, follow-ups to match."""

from __future__ import annotations

import flask
import markupsafe

from ... import operation
from ...intake import by_hand, receiving
from ...register import case_text, case_view, listing
from ...workflow import answers, case_actions
from .. import forms, progress
from ..app import bilingual, desk, window

blueprint = flask.Blueprint("intake", __name__)

# `office add` reads a case file too; the page has its form for every field instead.
ADD = forms.without(by_hand.ADD, "from_file", "attach")
ATTACH_FILES = "attach"
MARK = markupsafe.Markup("<!-- progress -->")  # where the streamed lines go


@blueprint.get("/pull")
def pull():
    return flask.render_template("pull.html", streaming=False)


@blueprint.post("/pull")
def pull_now():
    """Pull, the page sent as it goes: its top, the progress line by line, then what the pull said."""
    the_window = window()
    identities = the_window.vault.identities()
    try:
        remote = operation.open_remote(the_window.store_url)
    except operation.DeskError as exc:
        return flask.render_template("pull.html", streaming=False, refused=exc), 400

    def work(meters) -> operation.Done:
        return receiving.pull_reports(
            the_window.data,
            remote,
            identities,
            who=the_window.who,
            key_name=the_window.vault.identity_file.name,
            meters=meters,
        )

    top, bottom = flask.render_template("pull.html", streaming=True, mark=MARK).split(MARK)

    def page():
        yield top
        for event in progress.run(work):
            kind = event[0]
            if kind == "progress":
                yield progress.progress_line(bilingual(event[1]), event[2])
            elif kind == "done":
                yield _said("done", event[1].lines)
            elif kind == "refused":
                yield _said("error", [*event[1].lines, str(event[1])])
            else:
                yield _said("error", [UNEXPECTED])
        yield bottom

    return flask.Response(flask.stream_with_context(page()), mimetype="text/html")


UNEXPECTED = "Có lỗi không lường trước; không có gì bị mất hay ghi dở / an unexpected error; nothing was lost"


def _said(kind: str, lines: list[str]) -> markupsafe.Markup:
    items = markupsafe.Markup("").join(markupsafe.Markup("<li>{}</li>").format(bilingual(line)) for line in lines)
    role = "status" if kind == "done" else "alert"
    return markupsafe.Markup('</div><div class="{0}" role="{1}" id="ket-qua"><ul class="lines">{2}</ul>').format(
        kind, role, items
    )


@blueprint.route("/add", methods=["GET", "POST"])
def add():
    problem = None
    if flask.request.method == "POST":
        the_window = window()
        uploads = [f for f in flask.request.files.getlist(ATTACH_FILES) if f.filename]
        try:
            values = by_hand.gather(forms.values(ADD, flask.request.form))
            values["attach"] = [(upload.filename, upload.read()) for upload in uploads]  # in memory only
            done = by_hand.register(desk(), values, who=the_window.who)
        except operation.DeskError as exc:
            problem = exc
        else:
            the_window.results[done.value] = done.lines
            return flask.redirect(flask.url_for("cases.case_page", number=done.value) + "#ket-qua", 303)
    fields = [*forms.from_declaration(ADD), *forms.from_declaration((by_hand.FIELDS[ATTACH_FILES],))]
    return flask.render_template(
        "add.html",
        fields=fields,
        problem=str(problem) if problem else None,
        problem_field=getattr(problem, "field", None),
        values=flask.request.form,
    ), 400 if problem else 200


@blueprint.get("/followups")
def followups():
    opened = desk()
    return flask.render_template(
        "followups.html",
        unread=[(case, answers.unread_line(case, count)) for case, count in answers.unread(opened)],
        no_unread=answers.NO_UNREAD,
        unmatched=[(w.followup.reference, listing.unmatched_cells(w)) for w in listing.unmatched(opened)],
        header=listing.UNMATCHED_HEADER,
        no_unmatched=listing.NO_UNMATCHED,
    )


@blueprint.route("/followups/<reference>", methods=["GET", "POST"])
def followup(reference: str):
    the_window = window()
    attach = case_actions.ACTIONS["attach"]
    fields = forms.without(attach.fields, "followup")
    problem = None
    if flask.request.method == "POST":
        case = (flask.request.form.get("case") or "").strip()
        try:
            values = {**forms.values(fields, flask.request.form), "followup": reference}
            done = attach.run(desk(), case, values, the_window.vault.identities, the_window.who)
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
        "followup.html",
        seen=seen,
        said=case_text.waiting_text(seen),  # the words of office show
        fields=forms.from_declaration(fields),
        problem=problem,
        values=flask.request.form,
    ), 400 if problem else 200
