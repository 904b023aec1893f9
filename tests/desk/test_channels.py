"""Cases from every channel: flags, prompts and files; encrypted at rest; identity only through `reveal`."""

from __future__ import annotations

import json
import sqlite3

from intake_function import report
from intake_function.store import FileStore
from tests.conftest import age_decrypt
from tests.desk.conftest import ADDRESS, EMAIL, NAME, PHONE, add, by_number, data_dir, listed, office


def _stored_document(env, number: str, identity) -> dict:
    db = sqlite3.connect(data_dir(env) / "register.sqlite")
    (body_key,) = db.execute("SELECT body_key FROM cases WHERE number = ?", (number,)).fetchone()
    sealed = FileStore(data_dir(env) / "store").get(body_key)
    return json.loads(age_decrypt(sealed, identity))  # the reference age tool opens it


def test_every_channel_by_flags_is_encrypted_and_hides_the_reporter(desk_env, office_key, tmp_path):
    numbers = {
        "hotline": add(
            desk_env,
            "--channel",
            "hotline",
            "--category",
            "corruption",
            "--description",
            "Cán bộ đòi tiền khi cấp phép.",
            "--name",
            NAME,
            "--phone",
            PHONE,
            "--received",
            "03/07/2026",
        ),
        "email": add(
            desk_env,
            "--channel",
            "email",
            "--category",
            "waste",
            "--description",
            "Xe công dùng việc riêng.",
            "--email",
            EMAIL,
            "--received",
            "2026-07-04 09:15",
        ),
        "mailbox": add(
            desk_env,
            "--channel",
            "mailbox",
            "--category",
            "negativity",
            "--description",
            "Thư không ký tên trong hòm thư góp ý.",
            "--received",
            "05/07/2026",
        ),
        "reception": add(
            desk_env,
            "--channel",
            "reception",
            "--category",
            "obstruction",
            "--description",
            "Hồ sơ bị giữ quá hạn.",
            "--name",
            NAME,
            "--address",
            ADDRESS,
            "--received-by",
            "Lãnh đạo Ban tiếp dân",
        ),
        "forwarded": add(
            desk_env,
            "--channel",
            "forwarded",
            "--category",
            "retaliation",
            "--description",
            "Bị điều chuyển sau khi phản ánh.",
            "--source-ref",
            "Công văn 12/TTr ngày 01/7/2026",
        ),
    }
    rows = by_number(desk_env)
    assert {rows[n]["channel"] for n in numbers.values()} == set(numbers)
    assert rows[numbers["hotline"]]["received_at"] == "2026-07-02T17:00:00Z"  # 03/07 00:00 in Vietnam
    assert rows[numbers["email"]]["received_at"] == "2026-07-04T02:15:00Z"
    assert rows[numbers["mailbox"]]["anonymous"] and not rows[numbers["hotline"]]["anonymous"]
    assert all(r["status"] == "received" for r in rows.values())

    # At rest: the register and the store hold no identity in clear; the envelope holds it, for the Office key.
    for path in data_dir(desk_env).rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            for secret in (NAME, PHONE, EMAIL, ADDRESS, "đòi tiền"):
                assert secret.encode() not in content, f"{secret} in clear in {path}"
    document = _stored_document(desk_env, numbers["hotline"], office_key[0])
    assert document["reporter"] == {"name": NAME, "phone": PHONE}
    assert report.validate(document)["category"] == "corruption"

    shown = office("show", numbers["reception"], env=desk_env).stdout.decode()
    assert "Hồ sơ bị giữ quá hạn." in shown and "(ẩn – dùng office reveal)" in shown
    assert NAME not in shown and ADDRESS not in shown
    assert "Lãnh đạo Ban tiếp dân" in shown  # who at the Office took it: metadata, not identity
    assert "Công văn 12/TTr" in office("show", numbers["forwarded"], env=desk_env).stdout.decode()

    refused = office("reveal", numbers["reception"], env=desk_env, ok=False)
    assert refused.returncode != 0 and "--reason" in refused.stderr.decode()
    revealed = office("reveal", numbers["reception"], "--reason", "cần mời làm việc", env=desk_env).stdout.decode()
    assert NAME in revealed and ADDRESS in revealed
    assert "ẩn danh" in office("reveal", numbers["mailbox"], "--reason", "kiểm tra", env=desk_env).stdout.decode()

    # --format json prints exactly what was stored, identity included: only with a reason, and the trail says so.
    refused = office("show", numbers["email"], "--format", "json", env=desk_env, ok=False)
    assert refused.returncode != 0 and EMAIL.encode() not in refused.stdout + refused.stderr
    raw = office("show", numbers["email"], "--format", "json", "--reason", "đối chiếu", env=desk_env).stdout
    assert json.loads(raw)["reporter"]["email"] == EMAIL
    trail = json.loads(office("audit", "list", "--format", "json", env=desk_env).stdout)
    actions = [(e["action"], e["case"]) for e in trail]
    assert ("view", numbers["reception"]) in actions and ("reveal", numbers["reception"]) in actions
    assert ("view-full", numbers["email"]) in actions
    assert next(e for e in trail if e["action"] == "reveal")["reason"] == "cần mời làm việc"
    assert all(e["who"] == "can-bo-van-phong" for e in trail)
    assert not any(NAME in json.dumps(e, ensure_ascii=False) for e in trail)


def test_interactive_prompts_in_vietnamese(desk_env, office_key):
    answers = (
        "\n".join(
            [
                "",  # received: now
                "2",  # category: the second of the plan's list (waste)
                "Dòng thứ nhất của nội dung.",
                "Dòng thứ hai.",
                "",  # end of the description
                "tháng 6/2026",
                "Cảng Mỹ Thới",
                "",  # when, where, (no) persons involved
                "y",  # the reporter gave their identity
                NAME,
                PHONE,
                "",
                "",
                "phone",
                "",  # no attachment
                "y",  # register it
            ]
        )
        + "\n"
    )
    result = office("add", "--channel", "hotline", env=desk_env, input=answers.encode())
    number = result.stdout.decode().strip()
    prompts = result.stderr.decode()
    assert "Loại nội dung" in prompts and "danh tính" in prompts and "Lãng phí / Waste" in prompts
    document = _stored_document(desk_env, number, office_key[0])
    assert document["category"] == "waste"
    assert document["description"] == "Dòng thứ nhất của nội dung.\nDòng thứ hai."
    assert document["place"] == "Cảng Mỹ Thới" and "persons_involved" not in document
    assert document["reporter"] == {"name": NAME, "phone": PHONE, "contact": "phone"}
    assert f"office classify {number}" in prompts  # says what to do next


def test_from_json_and_yaml_files_with_an_attachment(desk_env, office_key, tmp_path):
    evidence = tmp_path / "bien-ban.txt"
    evidence.write_text("Biên bản họp ngày 2/7", encoding="utf-8")
    (tmp_path / "case.json").write_text(
        json.dumps(
            {
                "channel": "email",
                "received": "2026-07-10",
                "received_by": "Văn thư",
                "category": "corruption",
                "description": "Nhận quà của doanh nghiệp.",
                "reporter": {"email": EMAIL},
                "attach": ["bien-ban.txt"],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    (tmp_path / "case.yaml").write_text(
        "channel: mailbox\nreceived: 2026-07-11\ncategory: disclosure\n"
        "description: |\n  Thông tin người tố giác bị tiết lộ\n  trong cuộc họp.\nplace: Khu kinh tế cửa khẩu\n",
        encoding="utf-8",
    )
    first = add(desk_env, "--from-file", str(tmp_path / "case.json"))
    second = add(desk_env, "--from-file", str(tmp_path / "case.yaml"))
    rows = by_number(desk_env)
    assert rows[first]["channel"] == "email" and rows[first]["attachments"] == 1
    assert rows[second]["category"] == "disclosure" and rows[second]["anonymous"]
    assert _stored_document(desk_env, second, office_key[0])["description"].endswith("trong cuộc họp.")
    out = tmp_path / "files"
    office("extract", first, "--out", str(out), env=desk_env)
    assert [p.read_text(encoding="utf-8") for p in out.iterdir()] == ["Biên bản họp ngày 2/7"]

    (tmp_path / "bad.yaml").write_text("category: nope\ndescription: x\nchannel: hotline\n", encoding="utf-8")
    bad = office("add", "--from-file", str(tmp_path / "bad.yaml"), env=desk_env, ok=False)
    assert bad.returncode == 1 and "category" in bad.stderr.decode() and "nothing was registered" in bad.stderr.decode()
    assert len(listed(desk_env)) == 2


def test_add_needs_no_secret_key_and_encrypts_to_every_key_in_force(tmp_path, office_key, second_key):
    env = {"OFFICE_DATA": str(tmp_path / "desk"), "OFFICE_USER": "vp"}
    refused = office("add", "--channel", "hotline", "--category", "waste", "--description", "x", env=env, ok=False)
    assert refused.returncode == 1 and "office init" in refused.stderr.decode()
    assert not (tmp_path / "desk").exists()

    # office init records the Office's public keys, primary and backup (a recipients file, as age -R reads) ...
    keys = tmp_path / "office-recipients.txt"
    keys.write_text(f"# khóa chính\n{office_key[1]}\n# khóa dự phòng\n{second_key[1]}\n", encoding="utf-8")
    office("init", "--recipients", str(keys), env=env)
    listed_keys = office("recipients", env=env).stdout.decode().splitlines()
    assert [line.split()[0] for line in listed_keys] == [office_key[1], second_key[1]]
    # ... so that `add` works without the identity file or any passphrase, and either key opens the case.
    number = add(env, "--channel", "hotline", "--category", "waste", "--description", "Không cần khóa bí mật.")
    for key in (office_key, second_key):
        shown = office("show", number, "--identity", str(key[0]), env=env).stdout.decode()
        assert "Không cần khóa bí mật." in shown
    trail = json.loads(office("audit", "list", "--format", "json", env=env).stdout)
    assert [(e["action"], e["details"].get("channel")) for e in trail if e["action"] == "register"] == [
        ("register", "hotline")
    ]
    assert number.startswith("20")
