"""Every case opens with every Office key; changing keys is one procedure, crash-safe and recorded.

The reference ``age`` command opens each file of the data folder: a case from every channel, its
attachments, a follow-up, the Office's copy of an answer. With the backup key alone at first; then,
after the primary is lost and ``office recipients`` retires it, adds a new one and re-encrypts
everything, with the new key and with the backup, and never again with the lost key.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from intake_function import envelope, objects, receipt, report
from intake_function.store import open_store
from office.intake import channels
from tests.conftest import ROOT, age_encrypt
from tests.desk.conftest import add, data_dir, listed, office
from tests.test_office import put_report


def opens_with(path: Path, identity: Path) -> bool:
    return (
        subprocess.run(["age", "-d", "-i", str(identity)], input=path.read_bytes(), capture_output=True).returncode == 0
    )


def sealed_files(env) -> list[Path]:
    return sorted(p for p in (data_dir(env) / "store").rglob("*.age") if ".tmp" not in p.parts)


@pytest.fixture
def every_channel(desk_env, tmp_path, office_key, second_key):
    """Cases from every channel, with files; an online report with a follow-up; an answer to it."""
    store = open_store((tmp_path / "store").as_uri())
    env = {**desk_env, "OFFICE_STORE": store.url}
    office("init", "--store", store.url, env=env)  # binds the store to the register desk_env made
    both = (office_key[1], second_key[1])
    code = receipt.derive(receipt.new_code())
    _, key = objects.new_attachment_key()
    photo = b"\xff\xd8 anh"
    sealed_photo = age_encrypt(photo, *both)
    store.put(key, sealed_photo)
    document = {
        "schema": "report/1",
        "category": "corruption",
        "description": "Phản ánh trực tuyến.",
        "reply": {"recipient": code.reply_recipient, "lookup_id": code.lookup_id},
        "attachments": [
            {
                "key": key,
                "name": "anh.jpg",
                "type": "image/jpeg",
                "size": len(photo),
                "sha256": hashlib.sha256(sealed_photo).hexdigest(),
            }
        ],
    }
    store.put(objects.new_inbox_key()[1], age_encrypt(report.padded(document), *both))
    office("pull", env=env)
    followup = {"schema": "followup/1", "lookup_id": code.lookup_id, "message": "Bổ sung."}
    store.put(objects.new_inbox_key()[1], age_encrypt(report.padded(followup), *both))
    office("pull", env=env)
    (online,) = listed(env)
    office("reply", online["number"], "--message", "Đã nhận.", "--yes", env=env)
    letter = tmp_path / "thu.pdf"
    letter.write_bytes(b"%PDF-1.4 thu gui")
    numbers = {"online": online["number"]}
    for channel in channels.MANUAL_CHANNELS:
        extra = ["--source-ref", "Công văn 12/UBND"] if channel == "forwarded" else []
        numbers[channel] = add(
            env, "--channel", channel, "--category", "waste", "--description", f"Qua kênh {channel}.",
            "--name", "Người Có Tên", "--attach", str(letter), *extra,
        )  # fmt: skip
    return env, numbers


def test_every_channel_opens_with_the_backup_key_alone(every_channel, second_key, office_key):
    env, numbers = every_channel
    backup = {**env, "OFFICE_IDENTITY": str(second_key[0])}
    for channel, number in numbers.items():
        shown = office("show", number, env=backup).stdout.decode()
        assert "Qua kênh" in shown or "Phản ánh trực tuyến." in shown, channel
        out = data_dir(env).parent / f"tep-{number}"
        office("extract", number, "--out", str(out), "--reason", "kiểm tra khóa dự phòng", env=backup)
        assert all(f.read_bytes() in (b"%PDF-1.4 thu gui", b"\xff\xd8 anh") for f in out.iterdir()), channel
        assert all(oct(f.stat().st_mode & 0o777) == "0o600" for f in out.iterdir()), "extracted files are 0600"
    assert "Bổ sung." in office("show", numbers["online"], env=backup).stdout.decode()
    files = sealed_files(env)
    kinds = {p.relative_to(data_dir(env) / "store").parts[0] for p in files}
    assert kinds == {"inbox", "attachments", "cases", "replies"}
    for path in files:  # the reference tool agrees: every envelope opens with either key
        assert opens_with(path, second_key[0]) and opens_with(path, office_key[0]), path


def test_losing_the_primary_key_retire_add_and_rekey_with_the_backup(every_channel, office_key, second_key, tmp_path):
    env, numbers = every_channel
    new_identity = tmp_path / "office-identity-moi.age"
    subprocess.run(["age-keygen", "-o", str(new_identity)], check=True, capture_output=True)
    new_public = tmp_path / "office-identity-moi.pub"
    new_public.write_text(
        subprocess.run(["age-keygen", "-y", str(new_identity)], check=True, capture_output=True, text=True).stdout
    )
    before = {p: p.read_bytes() for p in sealed_files(env)}
    changed = office(
        "recipients", "--retire", office_key[1], "--add", str(new_public),
        "--rekey", "--identity", str(second_key[0]), "--by", "Chánh Văn phòng", env=env,
    )  # fmt: skip
    listed_keys = [line.split()[0] for line in changed.stdout.decode().splitlines()]
    assert listed_keys == [second_key[1], new_public.read_text().strip()]
    assert f"re-encrypted: {len(before)}" in changed.stderr.decode()
    # Each key in force is listed with the name its file gave it (which one is the new one?).
    assert f"{envelope.fingerprint(new_public.read_text().strip())}: " in changed.stderr.decode()
    assert "— office-identity-moi.pub" in changed.stderr.decode()
    for path in sealed_files(env):
        assert path.read_bytes() != before[path]
        assert opens_with(path, new_identity) and opens_with(path, second_key[0]), path
        assert not opens_with(path, office_key[0]), f"{path} still opens with the lost key"
    # Cases opened with the new key; new cases go to the new list; the trail records both steps.
    new_env = {**env, "OFFICE_IDENTITY": str(new_identity)}
    for number in numbers.values():
        assert office("show", number, env=new_env).returncode == 0
    number = add(env, "--channel", "hotline", "--category", "waste", "--description", "Sau khi thay khóa.")
    assert "Sau khi thay khóa." in office("show", number, env=new_env).stdout.decode()
    trail = json.loads(office("audit", "list", "--format", "json", env=env).stdout)
    keys = [e for e in trail if e["action"] == "keys"]
    assert keys[0]["details"]["retired"] == [envelope.fingerprint(office_key[1])]
    assert keys[1]["details"]["resealed"] == len(before) and keys[1]["who"] == "Chánh Văn phòng"
    # Run again (after a crash, say) with a key that no longer opens them: what is done is skipped.
    again = office("recipients", "--rekey", "--identity", str(office_key[0]), env=env)
    # (the case added since was sealed to the new list when it was registered: nothing to do for it either)
    assert f"re-encrypted: 0; đã làm từ lần trước / done by an earlier run: {len(before) + 1}" in again.stderr.decode()


# The Office's steps of khoa-van-phong.md section 7 ("Chuyển sang khóa lai"), run below as written
# (tests/infra/test_guide.py counts them as tested).
GUIDE_COMMANDS = [
    "office recipients --set office-recipients-pq.txt --rekey --identity office-identity.age",
    "office pull --identity office-identity.age",
    "office recipients --rekey --identity office-identity.age",
]


def _as_written(line: str, work: Path, env: dict[str, str]) -> str:
    assert line in (ROOT / "docs" / "huong-dan-ky-thuat" / "khoa-van-phong.md").read_text(encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "office", *shlex.split(line)[1:]],
        cwd=work,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"{line}: {done.stderr}"
    return done.stdout + done.stderr


def test_moving_an_x25519_register_to_hybrid_keys(every_channel, office_key, second_key, tmp_path):
    """The guide's procedure (khoa-van-phong.md section 7), on a register made with X25519 keys.

    Two hybrid keys replace the two X25519 ones in one step (never mixed), everything is re-encrypted
    with the old key, and then every case and attachment opens with the new backup key alone, no file
    holds an X25519 stanza, and the old keys open nothing. A report sent from a page opened before
    the change waits on the server for the old key file, then joins the register and is resealed.
    """
    env, numbers = every_channel
    work = tmp_path / "van-phong"
    work.mkdir()
    shutil.copy(office_key[0], work / "office-identity.age")
    for name in ("office-identity-pq", "office-backup-pq"):  # section 1's office keygen, without a passphrase
        made = office("keygen", "--out", str(work / f"{name}.age"), "--no-passphrase", env=env)
        assert "ML-KEM-768" in made.stderr.decode() and made.stdout.decode().startswith("age1pq1")
    pq_keys = work / "office-recipients-pq.txt"
    pq_keys.write_text("".join((work / f"{n}.pub").read_text() for n in ("office-identity-pq", "office-backup-pq")))
    hybrid_keys = ",".join(line for line in pq_keys.read_text().splitlines() if line.startswith("age1pq1"))
    refused = office("recipients", "--add", str(work / "office-identity-pq.pub"), env=env, ok=False)
    err = refused.stderr.decode()
    assert refused.returncode == 1 and "không dùng lẫn" in err and "cannot be mixed" in err and "--set" in err
    store = open_store(env["OFFICE_STORE"])
    stale = put_report(store, f"{office_key[1]},{second_key[1]}", [b"tep cu"])[0]  # from a page opened before

    moved = _as_written(GUIDE_COMMANDS[0], work, env)
    assert moved.count("age1pq1") == 2 and "ML-KEM-768" in moved
    env = {**env, "OFFICE_IDENTITY": str(work / "office-identity-pq.age")}  # the guide's export
    put_report(store, hybrid_keys, [b"tep moi"])
    pulled = office("pull", env=env).stderr.decode()
    assert "left on the server: 1" in pulled and "Cách ly" not in pulled  # the stale report waits for its key
    assert stale in {i.key for i in store.list("inbox/")}
    _as_written(GUIDE_COMMANDS[1], work, env)
    _as_written(GUIDE_COMMANDS[2], work, env)
    assert list(store.list("inbox/")) == []

    for path in sealed_files(env):
        header = envelope.parse_header(path.read_bytes())
        assert (header.hybrid_stanzas, header.x25519_stanzas) == (2, 0), path
        assert not opens_with(path, office_key[0]) and not opens_with(path, second_key[0]), path
    backup = {**env, "OFFICE_IDENTITY": str(work / "office-backup-pq.age")}
    cases = listed(env)
    assert len(cases) == len(numbers) + 2
    for case in cases:  # every case and attachment opens with the new backup key alone
        out = tmp_path / f"tep-{case['number']}"
        office("extract", case["number"], "--out", str(out), "--reason", "kiểm tra khóa lai", env=backup)
        assert office("show", case["number"], env=backup).returncode == 0
        opened = {f.read_bytes() for f in out.iterdir()}
        assert opened <= {b"%PDF-1.4 thu gui", b"\xff\xd8 anh", b"tep cu", b"tep moi"}, case["number"]
    assert "Bổ sung." in office("show", numbers["online"], env=backup).stdout.decode()
    # New cases go to the hybrid keys; an X25519 key can no longer join the list.
    number = add(env, "--channel", "hotline", "--category", "waste", "--description", "Sau khi chuyển khóa.")
    assert "Sau khi chuyển khóa." in office("show", number, env=backup).stdout.decode()
    assert all(envelope.parse_header(p.read_bytes()).x25519_stanzas == 0 for p in sealed_files(env))
    assert office("recipients", "--add", office_key[1], env=env, ok=False).returncode == 1


def test_a_rekey_interrupted_halfway_loses_nothing_and_resumes(every_channel, office_key, second_key, tmp_path):
    """Kill the re-encryption between two objects: each one is the old envelope or the new, never neither."""
    env, _ = every_channel
    office("recipients", "--retire", office_key[1], env=env)
    files = sealed_files(env)
    script = (
        "import sys, os\n"
        "from office.keys import rekey\n"
        "original = rekey._reseal\n"
        "count = {'n': 0}\n"
        "def reseal(*args):\n"
        "    count['n'] += 1\n"
        "    if count['n'] == 4: os._exit(9)\n"
        "    return original(*args)\n"
        "rekey._reseal = reseal\n"
        "from office.commands.cli import main\n"
        "sys.argv = ['office', 'recipients', '--rekey']\n"
        "sys.exit(main())\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script], env={**os.environ, **env, "OFFICE_IDENTITY": str(office_key[0])},
        capture_output=True,
    )  # fmt: skip
    assert killed.returncode == 9
    for path in files:  # every object still opens with a key the Office has
        assert opens_with(path, second_key[0])
    assert sum(not opens_with(p, office_key[0]) for p in files) == 3  # three done before the crash
    resumed = office("recipients", "--rekey", "--identity", str(office_key[0]), env=env)
    assert f"re-encrypted: {len(files) - 3}" in resumed.stderr.decode()
    assert all(not opens_with(p, office_key[0]) and opens_with(p, second_key[0]) for p in files)


def test_a_wrong_key_file_quarantines_nothing(desk_env, tmp_path, office_key):
    stranger = tmp_path / "nham.txt"
    subprocess.run(["age-keygen", "-o", str(stranger)], check=True, capture_output=True)
    store = open_store((tmp_path / "store").as_uri())
    env = {**desk_env, "OFFICE_STORE": store.url, "OFFICE_IDENTITY": str(stranger)}
    office("init", "--store", store.url, env=env)
    for _ in range(3):
        put_report(store, office_key[1], [b"tep"])
    before = {info.key for info in store.list("")}
    refused = office("pull", env=env, ok=False)
    err = refused.stderr.decode()
    assert refused.returncode == 1 and "the key file may be the wrong one" in err and "có thể dùng nhầm tệp khóa" in err
    assert "không thuộc các khóa đang dùng" in err  # and the key is not one of the register's
    assert {info.key for info in store.list("")} == before
    assert office("quarantine", env=env).stdout == b""
    # With the right key, a report sealed to an old key only is quarantined, with a hint.
    old = tmp_path / "cu.txt"
    subprocess.run(["age-keygen", "-o", str(old)], check=True, capture_output=True)
    old_public = subprocess.run(["age-keygen", "-y", str(old)], check=True, capture_output=True, text=True).stdout
    put_report(store, old_public.strip())
    office("pull", env={**env, "OFFICE_IDENTITY": str(office_key[0])})
    assert len(listed(env)) == 3
    assert "khóa cũ" in office("quarantine", env=env).stdout.decode()
