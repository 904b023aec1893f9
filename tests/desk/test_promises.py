"""The Office says only what the law allows: no promise of an answer or a result, no "thụ lý" on a report.

Scanned: the reply schema's labels (what the check page shows), every text of the Office's tool
(its string literals: messages, help, settings defaults, templates), the Office's handbook in both
languages; and ``office reply`` refuses to send such words. The phrasings are the project's one list
(tests/promises.py); the handbook's test also scans every output of the commands it runs.
"""

from __future__ import annotations

import ast
import json

import pytest

from intake_function import envelope, objects, receipt, report
from intake_function.store import open_store
from office import workflow
from tests.conftest import ROOT
from tests.desk.conftest import NAME, office
from tests.promises import find_promises, says_acceptance
from tests.test_office import put_report


@pytest.mark.parametrize(
    ("text", "promising"),
    [
        ("Văn phòng Ban sẽ trả lời khi có kết quả xử lý.", True),
        ("Kết quả sẽ được thông báo qua mã tra cứu này.", True),
        ("Dù ẩn danh, Ông/Bà vẫn xem được trả lời.", True),
        ("The Office will reply once the case is handled.", True),
        ("You will receive the result through this code.", True),
        ("Phản ánh không nêu tên không được thông báo việc thụ lý hay kết quả.", False),
        ("Văn phòng Ban có thể đăng tình trạng xử lý hoặc câu hỏi qua mã tra cứu.", False),
        ("The Office may post the state of handling or a question; it will not answer every report.", False),
        ("Do not argue, do not judge, do not promise a result or a deadline.", False),
        ("Văn phòng Ban liên hệ khi cần, không phải một cam kết thông báo kết quả.", False),
        ("We promise a reply within a week.", True),
        ("Văn phòng Ban cam kết thông báo kết quả.", True),
    ],
)
def test_the_list_catches_promises_and_not_what_a_reporter_will_not_get(text, promising):
    assert bool(find_promises(text)) is promising


def test_the_reply_labels_promise_nothing_and_never_say_thu_ly():
    labels = report.status_labels()
    assert labels["not_accepted"]["vi"] == "Không xem xét, xử lý"  # the status code stays for the check page
    for code, text in labels.items():
        for language in ("vi", "en"):
            assert not find_promises(text[language]), (code, language)
            assert not says_acceptance(text[language]), (code, language)
    # What a reporter on the phản ánh track can be told by default never says thụ lý either.
    for status in workflow.STATUSES:
        assert not says_acceptance(workflow.status_label(status)), status


def _literals(path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_no_text_of_the_office_tool_promises_an_answer():
    found = []
    for path in sorted((ROOT / "office").rglob("*.py")):
        for line, text in _literals(path):
            found += [(str(path.relative_to(ROOT)), line, phrase) for phrase in find_promises(text)]
    assert found == []


@pytest.mark.parametrize("page", ["so-tay-van-phong.md", "so-tay-van-phong.en.md"])
def test_the_handbook_promises_nothing(page):
    text = (ROOT / "docs" / "huong-dan-ky-thuat" / page).read_text(encoding="utf-8")
    assert find_promises(text) == []
    assert "Không thụ lý" not in text and "Tra cứu kết quả" not in text


@pytest.fixture
def online_case(desk_env, office_key, tmp_path):
    """A named online report with a receipt code, pulled into the register; its store and code."""
    store_url = (tmp_path / "store").as_uri()
    env = {**desk_env, "OFFICE_STORE": store_url}
    store = open_store(store_url)
    code = receipt.derive(receipt.new_code())
    put_report(
        store,
        office_key[1],
        reporter={"name": NAME},
        reply={"recipient": code.reply_recipient, "lookup_id": code.lookup_id},
    )
    office("pull", env=env)
    (row,) = json.loads(office("list", "--format", "json", env=env).stdout)
    return env, store, code, row["number"]


def _answers(store, code) -> list[dict]:
    identity = envelope.parse_identities(code.reply_identity)
    # The answers, not the empty "registered" marker a pull leaves beside them (office/intake/pull.py).
    infos = sorted(
        (i for i in store.list(objects.outbox_prefix(code.lookup_id)) if not i.key.endswith(objects.OUTBOX_MARKER)),
        key=lambda info: info.key,
    )
    return [json.loads(envelope.decrypt(store.get(info.key), identity)) for info in infos]


def test_reply_refuses_a_promise_and_thu_ly_on_a_report(online_case):
    env, store, code, number = online_case
    for message in ("Kết quả sẽ được thông báo qua mã tra cứu này.", "You will receive an answer soon."):
        refused = office("reply", number, "--yes", "--message", message, env=env, ok=False)
        assert refused.returncode == 1 and "promises" in refused.stderr.decode()
    office("reject", number, "--reason", "Không có căn cứ", env=env)
    refused = office(
        "reply",
        number,
        "--yes",
        "--status",
        "not_accepted",
        "--reason",
        "Không thụ lý vì thiếu căn cứ.",
        env=env,
        ok=False,
    )
    assert (
        refused.returncode == 1 and "thụ lý" in refused.stderr.decode() and "xem xét, xử lý" in refused.stderr.decode()
    )
    assert _answers(store, code) == []  # nothing was sent
    office("reply", number, "--yes", "--reason", "Chưa đủ căn cứ để xem xét, xử lý.", env=env)
    (answer,) = _answers(store, code)
    assert answer["status"] == "not_accepted"
    shown = office("show", number, env=env).stdout.decode()
    exchange = shown.split("Trao đổi qua mã tra cứu")[1].split("Trạng thái / status")[0]
    assert "Văn phòng trả lời / the Office answered: Không xem xét, xử lý" in exchange
    assert not says_acceptance(exchange)


def test_a_reply_telling_the_step_is_the_notice_to_a_named_reporter(online_case):
    env, store, code, number = online_case
    office("classify", number, "--competence", "within", env=env)
    office("assign", number, "--unit", "Văn phòng Ban", "--head", "Chánh Văn phòng", env=env)

    def owed() -> set[str]:
        due = json.loads(office("due", "--within", "1000", "--format", "json", env=env).stdout)["deadlines"]
        return {d["step"] for d in due}

    assert "notify" in owed()
    office("reply", number, "--yes", "--status", "received", "--message", "Xin bổ sung thời gian.", env=env)
    assert "notify" in owed()  # not the case's step: not the same notice
    said = office("reply", number, "--yes", env=env).stderr.decode()
    assert "notice to the reporter" in said and "notify" not in owed()
    trail = json.loads(office("audit", "list", "--case", number, "--format", "json", env=env).stdout)
    assert [e["details"].get("notice") for e in trail if e["action"] == "reply"] == [None, "reporter"]
    assert [a["status"] for a in _answers(store, code)] == ["received", "handling"]
