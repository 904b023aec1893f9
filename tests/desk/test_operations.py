"""The desk operations as the window calls them: the same checks, words and records as the commands.

Every input is declared once: each case action's command takes its help and its options' help from the
operation's declarations (``office/workflow/case_actions.py``), so the window's forms say the same words.
A form's values are converted and checked by ``operation.from_form``; an action run through the registry
leaves the same register and audit trail as its command; the files a page hands over (attachments,
reports) go through memory, never through a plaintext file.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import click
import pytest

from office import register
from office.commands.cli import cli
from office.intake import by_hand
from office.operation import CHOICE, FLAG, NUMBER, TEXT, DeskError, Field, from_form, open_desk_at
from office.register import case_view
from office.reports import produce
from office.workflow import case_actions
from tests.desk.conftest import add, data_dir, office

# The command's own options that stand for an input of the operation under another shape.
FACE_ONLY = {("accept", "conditions"), ("reply", "store")}


def test_every_case_action_says_in_its_command_what_its_form_says():
    for name, action in case_actions.ACTIONS.items():
        command = cli.commands[name]
        assert command.help == action.help and action.title.startswith(command.help.split("\n")[0][:20])
        options = {o.name: o for o in command.params if isinstance(o, click.Option)}
        for field in action.fields:
            if (name, field.name) in FACE_ONLY:
                continue
            assert field.name in options, (name, field.name)
            assert options[field.name].help == field.help, (name, field.name)
            assert field.flag in options[field.name].opts, (name, field.name)
    accept = {o.name for o in cli.commands["accept"].params}
    assert "conditions_met" in accept  # the command asks condition by condition, or takes them all at once


def test_a_form_is_read_as_the_operation_takes_it_and_a_wrong_value_names_its_field():
    fields = (
        Field("unit", "Đơn vị", "unit", required=True),
        Field("people", "Số người", "people", kind=NUMBER),
        Field("again", "Lại", "again", kind=FLAG),
        Field("set", "Đánh dấu", "set", kind=CHOICE, choices={"complex": ("Phức tạp", "complex")}, multiple=True),
        Field("note", "Ghi chú", "note", kind=TEXT, default=""),
    )
    values = from_form(fields, {"unit": " Phòng A ", "people": "40", "again": "on", "set": ["complex"]})
    assert values == {"unit": "Phòng A", "people": 40, "again": True, "set": ["complex"], "note": ""}
    assert from_form(fields, {"unit": "x", "again": "off"})["again"] is False
    for form, field in (
        ({"people": "4"}, "unit"),
        ({"unit": "x", "people": "-1"}, "people"),
        ({"unit": "x", "set": ["bad"]}, "set"),
    ):
        with pytest.raises(DeskError) as refused:
            from_form(fields, form)
        assert refused.value.field == field and not str(refused.value).startswith(("unit", "people", "set"))


@pytest.fixture(scope="module")
def desk(tmp_path_factory, office_key, second_key):
    tmp = tmp_path_factory.mktemp("operations")
    env = {
        "OFFICE_DATA": str(tmp / "desk"),
        "OFFICE_IDENTITY": str(office_key[0]),
        "OFFICE_RECIPIENTS": f"{office_key[1]},{second_key[1]}",
        "OFFICE_USER": "can-bo-van-phong",
    }
    office("init", env=env)
    by_command = add(env, "--channel", "hotline", "--category", "waste", "--description", "Qua lệnh.")
    return {"env": env, "tmp": tmp, "by_command": by_command, "key": office_key[0]}


def _unlock(desk):
    from intake_function import envelope

    return lambda: envelope.load_identities(desk["key"], lambda: "")


def test_an_action_run_from_a_form_leaves_the_register_as_its_command_does(desk):
    env = desk["env"]
    opened = open_desk_at(data_dir(env))
    values = by_hand.gather(
        from_form(by_hand.ADD, {"channel": "mailbox", "category": "waste", "description": "Từ trang."})
    )
    values["attach"] = [("biên bản.txt", b"noi dung tep")]  # an upload, in memory
    done = by_hand.register(opened, values, who="can-bo-van-phong")
    by_page = done.out[0]
    assert done.lines[-1].startswith("Tiếp theo / next: office classify")
    office("classify", desk["by_command"], "--competence", "within", "--note", "cùng lý do", env=env)
    classify = case_actions.ACTIONS["classify"]
    form = from_form(classify.fields, {"competence": "within", "note": "cùng lý do"})
    assert classify.available(register.find_case(opened.db, by_page))
    ran = classify.run(opened, by_page, form, _unlock(desk), "can-bo-van-phong")
    assert ran.case.status == "classified" and ran.lines[0] == f"{by_page}: Đã phân loại / Classified"
    trail = json.loads(office("audit", "list", "--format", "json", env=env).stdout)
    changes = {e["case"]: e for e in trail if e["action"] == "change"}
    page, command = changes[by_page], changes[desk["by_command"]]
    assert (page["who"], page["reason"]) == (command["who"], command["reason"])
    assert {k: v for k, v in page["details"].items() if not k.endswith("_at")} == {
        k: v for k, v in command["details"].items() if not k.endswith("_at")
    }
    # The file the page held in memory is the case's attachment, as a file from the command line would be.
    out = desk["tmp"] / "extracted"
    office("extract", by_page, "--out", str(out), env=env)
    (extracted,) = out.iterdir()
    assert extracted.read_bytes() == b"noi dung tep"
    # Only the actions that make sense now are offered: a classified case is assigned, not classified again.
    case = register.find_case(opened.db, by_page)
    names = [a.name for a in case_actions.actions_for(case)]
    assert "assign" in names and "reject" in names and "conclude" not in names and "follow" not in names
    assert "classify" in names  # again, with a reason, before it moves on
    assert "reply" not in names  # no receipt code: answered through the channel it came by


def test_a_report_and_an_identity_are_handed_over_without_a_file(desk):
    opened = open_desk_at(data_dir(desk["env"]))
    for name, start in (("bao-cao.docx", b"PK"), ("so-lieu.csv", b"\xef\xbb\xbfsection;")):
        stream = io.BytesIO()
        done = produce.make_report(
            opened, out=Path(name), start="01/01/2026", end="30/06/2026", stream=stream, who="can-bo-van-phong"
        )
        assert stream.getvalue().startswith(start) and done.out == [] and not Path(name).exists()
    found = case_view.reveal(opened, desk["by_command"], "kiểm tra", _unlock(desk), who="can-bo-van-phong")
    assert found.lines() == [
        f"Hồ sơ {desk['by_command']}: người phản ánh ẩn danh / the reporter is anonymous.",
        case_view.RECORDED,
    ]


def test_a_case_and_the_due_list_are_the_words_of_show_and_due(desk):
    """The page shows a case and what is due in the very words the commands print (its own ``clean``)."""
    from office.register import case_text, overview

    env, number = desk["env"], desk["by_command"]
    opened = open_desk_at(data_dir(env))
    printed = office("show", number, env=env).stdout.decode()
    seen = case_view.view(opened, number, _unlock(desk), who="can-bo-van-phong")
    assert "".join(block + "\n" for block in case_text.blocks(seen)) == printed
    marked = case_text.blocks(seen, clean=lambda text, single_line=False: f"<{text}>")
    assert "Nội dung / description:\n  <Qua lệnh.>" in marked[0]
    due = overview.due(opened, within=3650)
    printed = office("due", "--within", "3650", env=env).stdout.decode()
    assert "".join(line + "\n" for line in overview.due_lines(due)) == printed
    assert json.loads(office("due", "--within", "3650", "--format", "json", env=env).stdout) == overview.due_record(due)
