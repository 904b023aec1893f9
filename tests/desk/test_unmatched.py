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
    """A register made by office init for a folder store."""
    values = {
        "OFFICE_STORE": (tmp_path / "store").as_uri(),
        "OFFICE_DATA": str(tmp_path / "desk"),
        "OFFICE_IDENTITY": str(office_key[0]),
        "OFFICE_RECIPIENTS": office_key[1],
        "OFFICE_USER": "can-bo-van-phong",
    }
    (tmp_path / "store").mkdir()
    office("init", env=values)
    return values


def put_followup(
    store,
    recipient: str,
    lookup_id: str,
    message: str,
    files: dict[str, bytes] = {},  # noqa: B006
    proof: str | None = None,
) -> str:
    """A follow-up with its files (and the code's proof, when given), as the check page sends it; return its id."""
    references = []
    for name, data in files.items():
        sealed = age_encrypt(data, recipient)
        _, key = objects.new_attachment_key()
        store.put(key, sealed)
        digest = hashlib.sha256(sealed).hexdigest()
        references.append({"key": key, "name": name, "type": "text/plain", "size": len(data), "sha256": digest})
    document = {"schema": "followup/1", "lookup_id": lookup_id, "message": message}
    if proof:
        document["proof"] = proof
    if references:
        document["attachments"] = references
    object_id = new_object_id()
    store.put(objects.inbox_key(object_id), age_encrypt(report.padded(document), recipient))
    return object_id


def with_code(recipient: str, store, code: str | None = None, proofs: bool = False, **fields) -> receipt.Derived:
    """A report with a receipt code; ``proofs``: as pages send it now, with the follow-up commitment."""
    derived = receipt.derive(code or receipt.new_code())
    reply = {"recipient": derived.reply_recipient, "lookup_id": derived.lookup_id}
    if proofs:
        reply["followup_commitment"] = derived.followup_commitment
    put_report(store, recipient, reply=reply, **fields)
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
    (tmp_path / "store").mkdir()
    office("pull", env=env)
    store = open_store(env["OFFICE_STORE"])
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
    office("init", "--recipients", office_key[1], env=offline)
    office("pull", "--encrypted-only", "--to", str(transfer), env=online)
    office("import", str(transfer), env=offline)
    assert not replies.is_known(store, derived.lookup_id)  # the offline computer cannot tell the store
    sent = office("pull", "--encrypted-only", "--to", str(transfer), env=online).stderr.decode()
    assert "answers sent: 0" in sent  # a marker is not an answer
    assert replies.is_known(store, derived.lookup_id)
    assert not any((transfer / "outbox").rglob("registered"))


def test_a_followup_joins_only_with_proof_of_the_code(env, office_key):
    """The red team's impersonation: whoever sees a lookup id (a bucket listing, a proxy log) sends
    "the reporter's" retraction. Without the code's proof it is kept aside, unverified, never joined
    or shown as the reporter's words; with the proof it joins; codes issued before keep working,
    labelled as not proven."""
    store = open_store(env["OFFICE_STORE"])
    victim = with_code(office_key[1], store, proofs=True)  # 2026-0001
    old = with_code(office_key[1], store)  # 2026-0002: a code issued before proofs
    office("pull", env=env)
    attacker = receipt.derive(receipt.new_code())
    retraction = "Tôi xin rút lại toàn bộ nội dung, thông tin tôi gửi là không đúng sự thật."
    forged = put_followup(store, office_key[1], victim.lookup_id, retraction, {"don-rut.txt": b"rut"})
    wrong = put_followup(store, office_key[1], victim.lookup_id, retraction, proof=attacker.followup_proof)
    put_followup(store, office_key[1], victim.lookup_id, "Bổ sung: hợp đồng số 12.", proof=victim.followup_proof)
    put_followup(store, office_key[1], old.lookup_id, "Bổ sung theo mã cũ.")
    early_code = receipt.new_code()
    early = receipt.derive(early_code)
    before_case = put_followup(store, office_key[1], early.lookup_id, "Gửi trước, đúng mã.", proof=early.followup_proof)
    before_forged = put_followup(store, office_key[1], early.lookup_id, "Gửi trước, không có bằng chứng.")
    pulled = office("pull", env=env).stderr.decode()
    assert "unverified follow-ups, not joined (no proof of the receipt code): 2" in pulled
    assert "follow-ups matching no case: 2" in pulled

    rows = {row["id"]: row for row in unmatched(env)}
    assert rows[forged]["unverified"] == "no-proof" and rows[wrong]["unverified"] == "wrong-proof"
    assert rows[forged]["attachments"] == 1 and not rows[forged]["proof"] and rows[wrong]["proof"]
    assert rows[before_case]["unverified"] is None and rows[before_forged]["unverified"] is None
    table = office("list", "--unmatched", env=env).stdout.decode()
    assert "unverified: it carries no proof of the receipt code" in table and retraction not in table

    shown = office("show", "2026-0001", env=env).stdout.decode()
    assert "reporter added (proven with the receipt code)" in shown and "Bổ sung: hợp đồng số 12." in shown
    assert retraction not in shown and "don-rut.txt" not in shown
    shown_old = office("show", "2026-0002", env=env).stdout.decode()
    assert "Bổ sung theo mã cũ." in shown_old and "not proven to be the reporter's" in shown_old
    assert "reporter added" not in shown_old
    lone = office("show", forged, env=env).stdout.decode()
    assert retraction in lone and "unverified: it carries no proof" in lone and "reporter added" not in lone
    trail = office("audit", "list", env=env).stdout.decode()
    assert "không chứng minh được mã tra cứu" in trail

    # The case the early follow-ups wait for arrives: the proven one joins, the other is found unverified.
    with_code(office_key[1], store, early_code, proofs=True)  # 2026-0003
    pulled = office("pull", env=env).stderr.decode()
    assert "2026-0003" in pulled and "not joined (no proof of the receipt code): 1" in pulled
    rows = {row["id"]: row for row in unmatched(env)}
    assert before_case not in rows and rows[before_forged]["unverified"] == "no-proof"
    shown_early = office("show", "2026-0003", env=env).stdout.decode()
    assert "Gửi trước, đúng mã." in shown_early and "Gửi trước, không có bằng chứng." not in shown_early

    # The Office may still join one by hand, after checking with the reporter: labelled as such.
    office("attach", wrong, "2026-0001", "--reason", "người phản ánh xác nhận qua điện thoại", env=env)
    shown = office("show", "2026-0001", env=env).stdout.decode()
    assert "joined by hand (office attach)" in shown and retraction in shown
    assert office("audit", "verify", env=env).returncode == 0
