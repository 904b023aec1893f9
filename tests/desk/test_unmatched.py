"""Nothing a reporter sends is lost: follow-ups whose receipt code matches no case, and the markers
that let the function tell a reporter whether their code has a case.

Reports and follow-ups are put in a folder store as the browser leaves them; the real ``office``
command pulls them; the real function (its Flask app) reads the markers.
"""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

from intake_function import objects, receipt, replies, report
from intake_function.codes import new_object_id
from intake_function.store import open_store
from tests.conftest import ROOT, age_encrypt
from tests.desk.conftest import office
from tests.test_office import put_report


@pytest.fixture
def env(tmp_path, office_key) -> dict[str, str]:
    """A register made by office init and bound to a folder store (no command makes one implicitly)."""
    made = {
        "OFFICE_STORE": open_store((tmp_path / "store").as_uri()).url,
        "OFFICE_DATA": str(tmp_path / "desk"),
        "OFFICE_IDENTITY": str(office_key[0]),
        "OFFICE_USER": "can-bo-van-phong",
    }
    office("init", env={**made, "OFFICE_RECIPIENTS": office_key[1]})
    return made


def put_followup(store, recipient: str, lookup_id: str, message: str, files: dict[str, bytes] = {}) -> str:  # noqa: B006
    """A follow-up with its files, as the check page sends it; return its id."""
    references = []
    for name, data in files.items():
        sealed = age_encrypt(data, recipient)
        _, key = objects.new_attachment_key()
        store.put(key, sealed)
        digest = hashlib.sha256(sealed).hexdigest()
        references.append({"key": key, "name": name, "type": "text/plain", "size": len(data), "sha256": digest})
    document = {"schema": "followup/1", "lookup_id": lookup_id, "message": message}
    if references:
        document["attachments"] = references
    object_id = new_object_id()
    store.put(objects.inbox_key(object_id), age_encrypt(report.padded(document), recipient))
    return object_id


def with_code(recipient: str, store, code: str | None = None, **fields) -> receipt.Derived:
    derived = receipt.derive(code or receipt.new_code())
    put_report(store, recipient, reply={"recipient": derived.reply_recipient, "lookup_id": derived.lookup_id}, **fields)
    return derived


def unmatched(env) -> list[dict]:
    return json.loads(office("list", "--unmatched", "--format", "json", env=env).stdout)


def test_a_followup_matching_no_case_is_kept_listed_and_joined_by_hand(env, office_key):
    store = open_store(env["OFFICE_STORE"])
    with_code(office_key[1], store)
    stray = receipt.derive(receipt.new_code())  # an old code mistyped: well formed, no case has it
    followup = put_followup(
        store, office_key[1], stray.lookup_id, "Tôi gửi thêm biên bản.", {"bien-ban.txt": "Biên bản số 7".encode()}
    )
    pulled = office("pull", env=env).stderr.decode()
    assert "follow-ups matching no case: 1" in pulled and "office list --unmatched" in pulled
    assert office("quarantine", env=env).stdout == b"", "kept in the register, not in quarantine"
    assert list(store.list("inbox/")) == [] and list(store.list("attachments/")) == [], "nothing waits remotely"

    (row,) = unmatched(env)
    assert row["id"] == followup and row["attachments"] == 1
    table = office("list", "--unmatched", env=env).stdout.decode()
    assert followup in table and "Biên bản" not in table  # metadata only
    shown = office("show", followup, env=env).stdout.decode()
    assert "Tôi gửi thêm biên bản." in shown and "bien-ban.txt" in shown
    assert (
        json.loads(office("show", followup, "--format", "json", env=env).stdout)["message"] == "Tôi gửi thêm biên bản."
    )

    joined = office("attach", followup, "2026-0001", "--reason", "cùng sự việc, người gửi gọi điện xác nhận", env=env)
    assert "2026-0001" in joined.stderr.decode()
    assert unmatched(env) == []
    assert office("followups", env=env).stdout.decode().startswith("2026-0001  1 ")
    assert "Tôi gửi thêm biên bản." in office("show", "2026-0001", env=env).stdout.decode()
    trail = office("audit", "list", "--case", "2026-0001", env=env).stdout.decode()
    assert "joined a follow-up to a case" in trail and "người gửi gọi điện xác nhận" in trail
    assert office("audit", "verify", env=env).returncode == 0
    again = office("attach", followup, "2026-0001", env=env, ok=False)
    assert again.returncode == 1 and "office list --unmatched" in again.stderr.decode()


def test_attached_files_are_extracted_with_the_case(env, office_key, tmp_path):
    store = open_store(env["OFFICE_STORE"])
    with_code(office_key[1], store)
    followup = put_followup(store, office_key[1], "0" * 32, "Ảnh hiện trường.", {"anh.txt": b"anh-hien-truong"})
    office("pull", env=env)
    office("attach", followup, "2026-0001", env=env)
    out = tmp_path / "files"
    office("extract", "2026-0001", "--out", str(out), env=env)
    assert [p.read_bytes() for p in out.iterdir()] == [b"anh-hien-truong"]


def test_a_followup_for_a_case_pulled_later_joins_it_then(env, office_key):
    store = open_store(env["OFFICE_STORE"])
    code = receipt.new_code()
    early = put_followup(store, office_key[1], receipt.derive(code).lookup_id, "Gửi trước khi hồ sơ vào sổ.")
    office("pull", env=env)
    assert [row["id"] for row in unmatched(env)] == [early]
    with_code(office_key[1], store, code)  # its report, registered by a later pull
    pulled = office("pull", env=env).stderr.decode()
    assert "2026-0001" in pulled and unmatched(env) == []
    assert "Gửi trước khi hồ sơ vào sổ." in office("show", "2026-0001", env=env).stdout.decode()
    trail = office("audit", "list", "--case", "2026-0001", env=env).stdout.decode()
    assert "joined a follow-up to a case" in trail


def test_the_store_learns_which_codes_have_a_case(env, office_key):
    store = open_store(env["OFFICE_STORE"])
    registered = with_code(office_key[1], store)
    put_report(store, office_key[1])  # without a receipt code: no marker
    office("pull", env=env)
    assert [i.key for i in store.list(objects.OUTBOX)] == [objects.outbox_marker_key(registered.lookup_id)]
    assert replies.is_known(store, registered.lookup_id)
    assert not replies.is_known(store, receipt.derive(receipt.new_code()).lookup_id)
    store.delete(objects.outbox_marker_key(registered.lookup_id))
    office("pull", env=env)  # recorded as written: not written again
    assert list(store.list(objects.OUTBOX)) == []


def test_a_register_from_before_the_markers_marks_its_codes_at_the_next_pull(tmp_path):
    legacy = ROOT / "tests" / "data" / "legacy-register"
    shutil.copytree(legacy / "desk", tmp_path / "desk")
    env = {
        "OFFICE_DATA": str(tmp_path / "desk"),
        "OFFICE_IDENTITY": str(legacy / "identity.txt"),
        "OFFICE_STORE": (tmp_path / "store").as_uri(),
    }
    store = open_store(env["OFFICE_STORE"])  # the store it has pulled from all along
    office("pull", env=env)
    codes = json.loads((legacy / "codes.json").read_text())
    for code in codes.values():
        assert replies.is_known(store, receipt.derive(code).lookup_id), code


def test_the_offline_computer_marks_through_the_transfer_folder(tmp_path, office_key):
    store_url = (tmp_path / "store").as_uri()
    store = open_store(store_url)
    derived = with_code(office_key[1], store)
    transfer = tmp_path / "usb"
    online = {"OFFICE_STORE": store_url}
    offline = {"OFFICE_IDENTITY": str(office_key[0]), "OFFICE_DATA": str(tmp_path / "offline-desk")}
    office("init", env={**offline, "OFFICE_RECIPIENTS": office_key[1]})
    office("pull", "--encrypted-only", "--to", str(transfer), env=online)
    office("import", str(transfer), env=offline)
    assert not replies.is_known(store, derived.lookup_id)  # the offline computer cannot tell the store
    sent = office("pull", "--encrypted-only", "--to", str(transfer), env=online).stderr.decode()
    assert "answers sent: 0" in sent  # a marker is not an answer
    assert replies.is_known(store, derived.lookup_id)
    assert not any((transfer / "outbox").rglob("registered"))
