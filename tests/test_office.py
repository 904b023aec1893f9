"""The Office's tool on both stores: pull, quarantine, offline transfer, keys, safe output."""

from __future__ import annotations

import hashlib
import json
import os
import sys

import pexpect
import pytest

from intake_function import envelope, objects, report
from intake_function.store import open_store
from tests.conftest import age_encrypt, run_office


def seal(plaintext: bytes, recipients: str) -> bytes:
    """As the page seals: hybrid keys (age1pq1..., comma-separated) with typage's format, X25519 with the age CLI."""
    if recipients.startswith("age1pq1"):
        return envelope.encrypt(plaintext, envelope.parse_recipients(recipients))
    return age_encrypt(plaintext, *recipients.split(","))


def put_report(store, recipient: str, attachments: list[bytes] = (), **fields) -> tuple[str, bytes, list[str]]:
    """Upload attachments then a report, as the browser does; return (inbox key, plaintext, attachment keys)."""
    references, keys = [], []
    for n, data in enumerate(attachments):
        sealed = seal(data, recipient)
        _, key = objects.new_attachment_key()
        store.put(key, sealed)
        keys.append(key)
        references.append(
            {
                "key": key,
                "name": f"bằng-chứng-{n}.bin",
                "type": "application/octet-stream",
                "size": len(data),
                "sha256": hashlib.sha256(sealed).hexdigest(),
            }
        )
    document = {"schema": "report/1", "category": "waste", "description": "Lãng phí", **fields}
    if references:
        document["attachments"] = references
    plaintext = report.padded(document)
    _, key = objects.new_inbox_key()
    store.put(key, seal(plaintext, recipient))
    return key, plaintext, keys


@pytest.fixture
def office_env(store_url, office_key, tmp_path) -> dict[str, str]:
    """A register made by office init, bound to the test's store, with the Office's key."""
    env = {"OFFICE_STORE": store_url, "OFFICE_IDENTITY": str(office_key[0]), "OFFICE_DATA": str(tmp_path / "desk")}
    made = run_office("init", "--recipients", office_key[1], env=env)
    assert made.returncode == 0, made.stderr.decode()
    return env


def remaining(store) -> list[str]:
    """The keys left in the store, besides the marker naming the register (office init)."""
    return [info.key for info in store.list("") if info.key != objects.REGISTER_MARKER]


def answer_keys(store, lookup_id: str) -> list[str]:
    """The answers under a lookup id, oldest first (the Office's marker beside them is not one)."""
    infos = store.list(objects.outbox_prefix(lookup_id))
    return sorted(info.key for info in infos if objects.OUTBOX_KEY_RE.fullmatch(info.key))


def listed(env) -> list[dict]:
    return json.loads(run_office("list", "--format", "json", env=env).stdout)


def quarantined(env) -> str:
    return run_office("quarantine", env=env).stdout.decode()


def test_pull_gets_reports_and_attachments_then_deletes_remote(store, office_key, office_env, tmp_path):
    payloads = [os.urandom(70_000), "Biên bản họp".encode()]
    _, plaintext, _ = put_report(store, office_key[1], payloads)
    result = run_office("pull", env=office_env)
    assert result.returncode == 0, result.stderr.decode()
    assert "2026-" in result.stderr.decode() or "new reports: 1" in result.stderr.decode()
    (case,) = listed(office_env)
    assert case["attachments"] == 2
    assert run_office("show", case["number"], "--format", "json", env=office_env).stdout == plaintext
    out = tmp_path / "files"
    assert run_office("extract", case["number"], "--out", str(out), env=office_env).returncode == 0
    assert sorted(p.read_bytes() for p in out.iterdir()) == sorted(payloads)
    assert remaining(store) == []
    again = run_office("pull", env=office_env)
    assert again.returncode == 0 and len(listed(office_env)) == 1


def test_keep_remote_leaves_everything_and_registers_once(store, office_key, office_env):
    put_report(store, office_key[1], [b"a"])
    for _ in range(2):
        assert run_office("pull", "--keep-remote", env=office_env).returncode == 0
    assert len(listed(office_env)) == 1
    assert len(remaining(store)) == 2


def _tamper_cases(store, office_key, second_key):
    """Reports that must end in quarantine, and why."""
    cases = {}
    key, _, _ = put_report(store, office_key[1])
    sealed = bytearray(store.get(key))
    sealed[-5] ^= 0x01
    store.put(key, bytes(sealed))
    cases["flipped byte"] = key
    key, _, _ = put_report(store, office_key[1], [os.urandom(100_000)])
    store.put(key, store.get(key)[:-40])
    cases["truncated report"] = key
    key, _, _ = put_report(store, second_key[1])
    cases["wrong key"] = key
    key, plaintext, (attachment,) = put_report(store, office_key[1], [b"evidence"])
    document = json.loads(plaintext)
    document["attachments"][0]["size"] = 9
    store.put(key, age_encrypt(report.padded(document), office_key[1]))
    cases["attachment of the wrong size"] = key
    key, _, (attachment,) = put_report(store, office_key[1], [b"evidence"])
    store.put(attachment, age_encrypt(b"evidence", office_key[1]))  # same plaintext, other ciphertext
    cases["attachment hash differs"] = key
    key, _, (attachment,) = put_report(store, office_key[1], [b"evidence"])
    store.delete(attachment)
    cases["attachment missing"] = key
    key, _, (attachment,) = put_report(store, office_key[1], [os.urandom(80_000)])
    store.put(attachment, store.get(attachment)[:-100])
    cases["attachment truncated"] = key
    _, key = objects.new_inbox_key()
    store.put(key, age_encrypt(b'{"schema":"report/1","category":"nope"}', office_key[1]))
    cases["invalid report"] = key
    return cases


def test_bad_envelopes_end_in_quarantine_and_stay_remote(store, office_key, second_key, office_env):
    good_key, _, (good_attachment,) = put_report(store, office_key[1], [b"ok"])
    cases = _tamper_cases(store, office_key, second_key)
    before = {info.key for info in store.list("")}
    result = run_office("pull", env=office_env)
    assert result.returncode == 0, result.stderr.decode()
    assert len(listed(office_env)) == 1
    after = {info.key for info in store.list("")}
    assert after == before - {good_key, good_attachment}  # only the good report and its file left
    for name, key in cases.items():
        assert key in after, f"{name}: the remote report was deleted"
    text = quarantined(office_env)
    for name, key in cases.items():
        assert key in text, f"{name} is not in quarantine"
    assert "does not decrypt" in text and "SHA-256" in text and "missing" in text and "the report says" in text
    # The quarantine keeps a local copy, and a second pull changes nothing.
    desk = os.path.join(office_env["OFFICE_DATA"], "quarantine", "inbox")
    assert len(os.listdir(desk)) == len(cases)
    assert run_office("pull", env=office_env).returncode == 0
    assert {info.key for info in store.list("")} == after and len(listed(office_env)) == 1


def test_offline_transfer_encrypted_only_then_import(store, store_url, office_key, tmp_path):
    put_report(store, office_key[1], [b"one", b"two"])
    put_report(store, office_key[1])
    transfer = tmp_path / "usb"
    online = {"OFFICE_STORE": store_url}  # the online machine has no key at all
    result = run_office("pull", "--encrypted-only", "--to", str(transfer), env=online)
    assert result.returncode == 0, result.stderr.decode()
    assert len(list(store.list(""))) == 4  # nothing deleted before the offline machine has it
    offline = {"OFFICE_IDENTITY": str(office_key[0]), "OFFICE_DATA": str(tmp_path / "offline-desk")}
    assert run_office("init", "--recipients", office_key[1], env=offline).returncode == 0
    imported = run_office("import", str(transfer), env=offline)
    assert imported.returncode == 0, imported.stderr.decode()
    assert len(listed(offline)) == 2
    assert len((transfer / "imported.txt").read_text().split()) == 4
    # Back online: the next copy deletes exactly what was imported.
    assert run_office("pull", "--encrypted-only", "--to", str(transfer), env=online).returncode == 0
    # The offline register claimed the store through the folder: its marker is there now.
    assert [info.key for info in store.list("")] == [objects.REGISTER_MARKER]
    assert (transfer / "imported.txt").read_text() == ""


def test_pull_without_identity_or_store_says_what_to_do(tmp_path, office_key):
    typo = tmp_path / "s"
    result = run_office("pull", "--store", typo.as_uri(), "--data", str(tmp_path / "d"))
    assert result.returncode == 1 and "does not exist" in result.stderr.decode()
    assert not typo.exists(), "a mistyped folder store was created"
    result = run_office("pull", env={"OFFICE_STORE": ""})
    assert result.returncode == 1 and "--store" in result.stderr.decode()
    typo.mkdir()
    result = run_office("pull", "--store", typo.as_uri(), "--data", str(tmp_path / "d"))
    assert result.returncode == 1 and "--identity" in result.stderr.decode()
    result = run_office("pull", "--store", typo.as_uri(), "--data", str(tmp_path / "d"), "--identity", "x")
    assert result.returncode == 1 and "không thấy tệp khóa" in result.stderr.decode()
    # A wrong data folder is said before the key file is opened (its passphrase asked): desk trial 2.
    result = run_office(
        "pull", "--store", typo.as_uri(), "--data", str(tmp_path / "d"), "--identity", str(office_key[0])
    )
    assert result.returncode == 1 and "không có sổ theo dõi" in result.stderr.decode()
    assert run_office("init", "--recipients", office_key[1], "--data", str(tmp_path / "d")).returncode == 0
    result = run_office("show", "2026-9999", "--data", str(tmp_path / "d"), "--identity", "x")
    assert result.returncode == 1 and "office list" in result.stderr.decode()


def test_control_characters_never_reach_the_terminal(tmp_path, office_key):
    store = open_store((tmp_path / "s").as_uri())
    put_report(store, office_key[1], description="Tiêu đề\x1b]0;hacked\x07 \x1b[2J xoá \u202egnp.exe", place="\x9bX")
    env = {"OFFICE_STORE": store.url, "OFFICE_IDENTITY": str(office_key[0]), "OFFICE_DATA": str(tmp_path / "d")}
    assert run_office("pull", "--init", "--recipients", office_key[1], env=env).returncode == 0
    shown = run_office("show", listed(env)[0]["number"], env=env).stdout.decode()
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown and "\x9b" not in shown
    assert "\\u001b]0;hacked\\u0007" in shown and "\\u202e" in shown


def test_keygen_with_passphrase_works_with_age_cli_and_pull(tmp_path, age_cli):
    """A classic key (--classic), so that Debian's age 1.1 can open it: the CLI and office pull both ask."""
    key = tmp_path / "office.age"
    child = pexpect.spawn(
        sys.executable, ["-m", "office", "keygen", "--classic", "--out", str(key)], env=dict(os.environ)
    )
    child.expect("passphrase")
    child.sendline("mật khẩu rất dài 2026")
    child.expect("passphrase")
    child.sendline("mật khẩu rất dài 2026")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    output = child.before.decode()
    recipient = next(word for word in output.split() if word.startswith("age1"))
    assert envelope.fingerprint(recipient) in output and "X25519" in output
    assert key.read_bytes().startswith(envelope.MAGIC)  # the identity is protected, as `age -p` writes it
    assert oct(key.stat().st_mode & 0o777) == "0o600"

    # The age CLI reads the protected identity after its own prompt.
    sealed = tmp_path / "r.age"
    sealed.write_bytes(age_encrypt(b"xin chao", recipient))
    cli = pexpect.spawn("age", ["-d", "-i", str(key), "-o", str(tmp_path / "out"), str(sealed)])
    cli.expect("passphrase")
    cli.sendline("mật khẩu rất dài 2026")
    cli.expect(pexpect.EOF)
    cli.close()
    assert (tmp_path / "out").read_bytes() == b"xin chao"

    # office pull asks for the passphrase at the terminal, never on the command line.
    store = open_store((tmp_path / "s").as_uri())
    put_report(store, recipient)
    pull = pexpect.spawn(
        sys.executable,
        [
            *("-m", "office", "pull", "--init", "--recipients", recipient),
            *("--store", store.url, "--identity", str(key), "--data", str(tmp_path / "d")),
        ],
        env=dict(os.environ),
    )
    pull.expect("passphrase")
    pull.sendline("mật khẩu rất dài 2026")
    pull.expect(pexpect.EOF)
    pull.close()
    assert pull.exitstatus == 0, pull.before.decode()
    assert remaining(store) == []


def test_keygen_refuses_to_overwrite(tmp_path):
    key = tmp_path / "k.txt"
    assert run_office("keygen", "--no-passphrase", "--out", str(key)).returncode == 0
    before = key.read_bytes()
    again = run_office("keygen", "--no-passphrase", "--out", str(key))
    assert again.returncode == 1 and "already exists" in again.stderr.decode()
    assert key.read_bytes() == before


def test_reply_tells_the_cases_step_by_default(store, office_key, office_env):
    """`office reply` without --status says where the case is; forwarded names the authority recorded."""
    from intake_function import receipt

    code = receipt.new_code()
    derived = receipt.derive(code)
    put_report(store, office_key[1], reply={"recipient": derived.reply_recipient, "lookup_id": derived.lookup_id})
    put_report(store, office_key[1])  # sent without a receipt code
    assert run_office("pull", env=office_env).returncode == 0
    without, with_code = sorted(listed(office_env), key=lambda c: c["has_receipt_code"])
    assert with_code["has_receipt_code"] and not without["has_receipt_code"]
    header, *rows = run_office("list", env=office_env).stdout.decode().splitlines()
    column = header.index("Mã tra cứu")
    marks = {row.split()[0]: row[column:].split()[0] for row in rows}
    assert marks == {with_code["number"]: "có", without["number"]: "-"}
    number = with_code["number"]

    def answers() -> list[dict]:
        reply_identity = envelope.parse_identities(derived.reply_identity)
        return [
            json.loads(envelope.decrypt(store.get(key), reply_identity))
            for key in answer_keys(store, derived.lookup_id)
        ]

    assert run_office("reply", number, "--message", "Đã nhận.", env=office_env).returncode == 0
    run_office("classify", number, "--competence", "outside", env=office_env)
    authority = "Thanh tra tỉnh An Giang"
    assert run_office("forward", number, "--to", authority, env=office_env).returncode == 0
    assert run_office("reply", number, env=office_env).returncode == 0
    told = run_office("reply", number, "--status", "concluded", "--message", "Đã có kết quả.", env=office_env)
    assert told.returncode == 0 and "the reporter will read 'Handling finished'" in told.stderr.decode()
    got = [(a["status"], a.get("authority"), a.get("message")) for a in answers()]
    assert got == [
        ("received", None, "Đã nhận."),
        ("forwarded", authority, None),
        ("concluded", None, "Đã có kết quả."),
    ]

    refused = run_office("reply", without["number"], "--message", "x", env=office_env)
    assert refused.returncode != 0 and "no receipt code" in refused.stderr.decode()


def test_commands_refuse_a_folder_without_a_register_and_make_none(tmp_path, office_key):
    """A wrong OFFICE_DATA must not look like an empty register, nor leave a new one behind."""
    missing = tmp_path / "khong-co"
    for args in (
        ["list"],
        ["due"],
        ["audit", "verify"],
        ["show", "2026-0001"],
        ["report", "--period", "2026-H2", "--out", str(tmp_path / "r.docx")],
        ["settings", "--init"],
        ["recipients", "--add", office_key[1]],
        ["add", "--channel", "hotline", "--category", "waste", "--description", "x"],
    ):
        result = run_office(*args, "--data", str(missing))
        assert result.returncode == 1 and "no register in" in result.stderr.decode(), args
        assert result.stderr.decode().startswith("Lỗi / Error: không có sổ theo dõi"), args
    assert not missing.exists()
    assert run_office("init", "--recipients", office_key[1], "--data", str(missing)).returncode == 0
    assert run_office("list", "--data", str(missing)).returncode == 0


def test_the_offline_computer_answers_through_the_transfer_folder(store, store_url, office_key, tmp_path):
    """The key never goes online, yet the reporter reads the Office's answer on the check page."""
    from intake_function import receipt

    derived = receipt.derive(receipt.new_code())
    put_report(store, office_key[1], reply={"recipient": derived.reply_recipient, "lookup_id": derived.lookup_id})
    transfer = tmp_path / "usb"
    online = {"OFFICE_STORE": store_url}
    offline = {"OFFICE_IDENTITY": str(office_key[0]), "OFFICE_DATA": str(tmp_path / "offline-desk")}
    assert run_office("init", "--recipients", office_key[1], env=offline).returncode == 0
    assert run_office("pull", "--encrypted-only", "--to", str(transfer), env=online).returncode == 0
    assert run_office("import", str(transfer), env=offline).returncode == 0
    (case,) = listed(offline)
    no_store = run_office("reply", case["number"], "--message", "Đã nhận.", env=offline)
    assert no_store.returncode == 1 and "--store" in no_store.stderr.decode()
    replied = run_office(
        "reply", case["number"], "--message", "Đã nhận, đang xác minh.", "--to", str(transfer), env=offline
    )
    assert replied.returncode == 0, replied.stderr.decode()
    assert list(store.list(objects.OUTBOX)) == []  # not sent yet: the offline computer cannot
    sent = run_office("pull", "--encrypted-only", "--to", str(transfer), env=online)
    assert sent.returncode == 0 and "answers sent: 1" in sent.stderr.decode()
    (answer,) = answer_keys(store, derived.lookup_id)
    document = json.loads(envelope.decrypt(store.get(answer), envelope.parse_identities(derived.reply_identity)))
    assert document["status"] == "received" and document["message"] == "Đã nhận, đang xác minh."
    assert not (transfer / "outbox").exists() or not any((transfer / "outbox").rglob("*.age"))
    assert list(store.list(objects.INBOX)) == []  # and the imported report left the store


def test_reply_at_the_keyboard_shows_the_answer_and_sends_only_when_confirmed(store, store_url, office_key, tmp_path):
    from intake_function import receipt

    derived = receipt.derive(receipt.new_code())
    put_report(store, office_key[1], reply={"recipient": derived.reply_recipient, "lookup_id": derived.lookup_id})
    env = {**os.environ, "OFFICE_STORE": store_url, "OFFICE_IDENTITY": str(office_key[0])}
    env["OFFICE_DATA"] = str(tmp_path / "desk")
    assert run_office("pull", "--init", "--recipients", office_key[1], env=env).returncode == 0
    (case,) = listed(env)
    message = "Xin Ông/Bà cho biết thêm\nthời gian xảy ra."

    def answer(keys: str) -> tuple[int, str]:
        child = pexpect.spawn(
            sys.executable, ["-m", "office", "reply", case["number"], "--message", message], env=env, encoding="utf-8"
        )
        child.expect_exact("Send this answer?")
        shown = child.before
        child.sendline(keys)
        child.expect(pexpect.EOF)
        child.close()
        return child.exitstatus, shown

    status, shown = answer("n")
    assert status == 1 and "Đã tiếp nhận / Received" in shown and "thời gian xảy ra." in shown
    assert answer_keys(store, derived.lookup_id) == []  # nothing sent
    status, _ = answer("y")
    assert status == 0 and len(answer_keys(store, derived.lookup_id)) == 1
