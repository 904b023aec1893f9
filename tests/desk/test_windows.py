"""The desk on a Windows PC, as far as it can be proven here: code pages, paths, Notepad's files, permissions.

Output redirected on Windows is encoded with the ANSI code page (cp1258 on a Vietnamese system):
PYTHONIOENCODING=cp1258 gives Python the same setting, and every command must still write UTF-8 to
the file. Settings and message files are written as Notepad saves them (a BOM, ANSI, "Unicode").
Windows paths are read by the same function that Windows runs, told to read them as Windows does.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import pexpect
import pytest

from intake_function import envelope, objects, receipt, report
from intake_function.store import StoreMissing, folder_of, open_store
from office import notepad
from office.commands import messages
from tests.conftest import ROOT
from tests.desk.conftest import NAME, add, data_dir, listed, office
from tests.test_office import put_report

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Text as Windows saves it in code page 1258: a letter, then its tone as a combining mark."""
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += (base + "".join(c for c in parts if c in TONES)).encode("cp1258")
    return out


def redirected(args: list[str], env: dict[str, str], tmp_path: Path, name: str) -> tuple[int, str, str]:
    """Run office with its output in a file, the ANSI code page set, as `office list > ds.txt` on Windows."""
    out, err = tmp_path / f"{name}.txt", tmp_path / f"{name}.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        code = subprocess.run(
            [sys.executable, "-m", "office", *args],
            env={**os.environ, **env, "PYTHONIOENCODING": "cp1258"},
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            timeout=300,
        ).returncode
    return code, out.read_bytes().decode("utf-8"), err.read_bytes().decode("utf-8")


def test_every_command_writes_utf8_when_redirected_under_cp1258(desk_env, tmp_path):
    number = add(desk_env, "--channel", "reception", "--category", "waste", "--description", "Lãng phí ở cảng.")
    office("classify", number, "--competence", "within", env=desk_env)
    for name, args, expected in [
        ("list", ["list"], "Tiếp công dân"),
        ("due", ["due", "--within", "30"], "Giao đơn vị xử lý"),
        ("show", ["show", number], "Lãng phí ở cảng."),
        ("audit", ["audit", "list"], "Cập nhật hồ sơ / changed: Phân loại, xác định thẩm quyền / classified"),
        ("settings", ["settings"], "Lựa chọn của Ban"),
        ("recipients", ["recipients"], "keys in force"),
        ("help", ["--help"], "Tùy chọn / Options"),
    ]:
        code, out, err = redirected(args, desk_env, tmp_path, name)
        assert code == 0 and "Traceback" not in err, f"{name}: {err}"
        assert expected in out + err, name
    code, out, err = redirected(["list", "--data", str(tmp_path / "sai")], desk_env, tmp_path, "error")
    assert code == 1 and err.startswith("Lỗi / Error: không có sổ theo dõi") and "Traceback" not in err
    code, out, err = redirected(
        ["add", "--channel", "hotline", "--category", "waste", "--description", "Đường dây nóng."],
        desk_env,
        tmp_path,
        "add",
    )
    assert code == 0 and "Đã vào sổ / registered" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("location", "folder"),
    [
        ("file:///C:/portal/store", r"C:\portal\store"),
        ("file:///c:/Van%20Phong/kho", r"c:\Van Phong\kho"),
        ("file://localhost/D:/kho", r"D:\kho"),
        (r"C:\portal\store", r"C:\portal\store"),
        ("D:/VanPhong/kho", r"D:\VanPhong\kho"),
        ("file://may-chu/chia-se/kho", r"\\may-chu\chia-se\kho"),
        (r"\\may-chu\chia-se\kho", r"\\may-chu\chia-se\kho"),
    ],
)
def test_windows_store_locations(location, folder):
    assert folder_of(location, windows=True) == folder


def test_store_locations_here_and_refusals(tmp_path):
    assert folder_of(tmp_path.as_uri(), windows=False) == str(tmp_path)
    assert folder_of(str(tmp_path), windows=False) == str(tmp_path)
    assert folder_of("s3://bucket/prefix", windows=False) is None
    for wrong in (r"C:\portal\store", "file:///C:/portal/store"):
        with pytest.raises(ValueError, match="chỉ dùng được trên Windows"):
            folder_of(wrong, windows=False)
    missing = tmp_path / "go-nham"
    with pytest.raises(StoreMissing, match="không tồn tại"):
        open_store(missing.as_uri(), create=False)
    assert not missing.exists()


def test_notepad_files_with_a_bom_in_ansi_and_in_unicode(tmp_path):
    text = '[units]\n"Phòng Kế hoạch" = "Nguyễn Văn Bình"\n'
    for name, data, encoding in [
        ("bom", b"\xef\xbb\xbf" + text.encode("utf-8"), "utf-8"),
        ("ansi", cp1258(text), "cp1258"),
        ("unicode", text.encode("utf-16"), "utf-16"),
        ("crlf", text.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    ]:
        path = tmp_path / f"{name}.toml"
        path.write_bytes(data)
        read = notepad.read(path)
        assert read.text == text and read.encoding == encoding, name
    binary = tmp_path / "anh.jpg"
    binary.write_bytes(b"\xff\xd8\xff\x81\x00")
    with pytest.raises(notepad.TextFileError, match="Save As"):
        notepad.read(binary)


def test_settings_saved_by_notepad_with_a_bom_or_in_ansi(desk_env):
    settings = data_dir(desk_env) / "settings.toml"
    text = '[calendar]\nholidays = ["02/09/2026"]\n\n[units]\n"Phòng Kế hoạch" = "Nguyễn Văn Bình"\n'
    number = add(desk_env, "--channel", "hotline", "--category", "waste", "--description", "x")
    office("classify", number, "--competence", "within", env=desk_env)
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), cp1258(text)):
        settings.write_bytes(data)
        shown = office("settings", env=desk_env).stdout.decode()
        assert "Phòng Kế hoạch" in shown and "holidays: 1" in shown
    office("assign", number, "--unit", "Phòng Kế hoạch", env=desk_env)
    assert listed(desk_env)[0]["unit_head"] == "Nguyễn Văn Bình"
    # A unit typed without its tone marks is matched, not made a second time.
    other = add(desk_env, "--channel", "hotline", "--category", "waste", "--description", "y")
    office("classify", other, "--competence", "within", env=desk_env)
    refused = office("assign", other, "--unit", "Phong Ke hoach", "--head", "A", env=desk_env, ok=False)
    assert refused.returncode == 1 and "ý bạn là 'Phòng Kế hoạch'" in refused.stderr.decode()


@pytest.fixture
def online_case(desk_env, tmp_path, office_key):
    store = open_store((tmp_path / "store").as_uri())
    env = {**desk_env, "OFFICE_STORE": store.url}
    office("init", "--store", store.url, env=env)
    code = receipt.derive(receipt.new_code())
    put_report(store, office_key[1], reply={"recipient": code.reply_recipient, "lookup_id": code.lookup_id})
    office("pull", env=env)
    return env, listed(env)[0]["number"], store, code


def _answer(store, code) -> str:
    answers = [i for i in store.list(f"outbox/{code.lookup_id}/") if objects.OUTBOX_KEY_RE.fullmatch(i.key)]
    (info,) = sorted(answers, key=lambda i: i.key)[-1:]
    document = envelope.decrypt(store.get(info.key), envelope.parse_identities(code.reply_identity))
    return report.parse(document, accept=(report.REPLY_ID,))["message"]


def test_message_files_saved_by_notepad(online_case, tmp_path):
    env, number, store, code = online_case
    message = "Văn phòng Ban đã nhận phản ánh của Ông/Bà.\nÔng/Bà có thể bổ sung thông tin bằng mã tra cứu này."
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + message.replace("\n", "\r\n").encode("utf-8"))
    child = pexpect.spawn(
        sys.executable, ["-m", "office", "reply", number, "--message-file", str(bom)], env={**os.environ, **env}
    )
    child.expect(r"Send this answer\?")
    preview = child.before.decode()
    assert "\\ufeff" not in preview and "Văn phòng Ban đã nhận" in preview
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and _answer(store, code) == message
    ansi = tmp_path / "ansi.txt"
    ansi.write_bytes(cp1258(message))
    sent = office("reply", number, "--message-file", str(ansi), env=env)
    assert "Windows-1258" in sent.stderr.decode() and _answer(store, code) == message
    garbage = tmp_path / "hong.txt"
    garbage.write_bytes(b"\x81\x8d\x8f")
    refused = office("reply", number, "--message-file", str(garbage), env=env, ok=False)
    assert refused.returncode == 1 and "Save As" in refused.stderr.decode()


def test_the_offline_reply_says_it_waits_on_the_drive(online_case, tmp_path):
    env, number, _, _ = online_case
    usb = tmp_path / "usb"
    usb.mkdir()
    replied = office("reply", number, "--message", "Đã nhận.", "--to", str(usb), env={**env, "OFFICE_STORE": ""})
    err = replied.stderr.decode()
    assert "đang chờ máy nối mạng gửi lên kho" in err and "answer sent" not in err


def test_passphrases_are_nfc_whichever_way_they_were_typed(tmp_path):
    precomposed = unicodedata.normalize("NFC", "Mật khẩu của Văn phòng 2026")
    decomposed = unicodedata.normalize("NFD", precomposed)
    assert precomposed != decomposed
    protected = tmp_path / "key.age"
    protected.write_bytes(envelope.protect_with_passphrase("AGE-SECRET-KEY-1" + "Q" * 58, decomposed))
    with pytest.raises(envelope.EnvelopeError, match="hỏng"):  # the passphrase opened it; the key inside is bad
        envelope.load_identities(protected, lambda: precomposed)
    identity = envelope.generate_identity()
    text = envelope.identity_file_text(identity, "2026-01-01T00:00:00Z")
    protected.write_bytes(envelope.protect_with_passphrase(text, decomposed))
    for typed in (precomposed, decomposed):
        (loaded,) = envelope.load_identities(protected, lambda t=typed: t)
        assert str(loaded.to_public()) == str(identity.to_public())
    # A file protected by the age tool itself from decomposed input opens when typed the same way.
    from pyrage import passphrase

    protected.write_bytes(passphrase.encrypt(text.encode(), decomposed))
    (loaded,) = envelope.load_identities(protected, lambda: decomposed)
    assert str(loaded.to_public()) == str(identity.to_public())


def test_a_short_passphrase_is_refused_before_it_is_typed_twice(tmp_path):
    key = tmp_path / "k.age"
    child = pexpect.spawn(sys.executable, ["-m", "office", "keygen", "--out", str(key)], env=dict(os.environ))
    child.expect("choose a passphrase")
    child.sendline("ngan")
    child.expect("at least 10 characters")
    child.expect("choose a passphrase")  # asked again at once, not "repeat"
    child.sendline("mật khẩu đủ dài 2026")
    child.expect("repeat the passphrase")
    child.sendline("mật khẩu khác 2026")
    child.expect("do not match")
    child.expect("choose a passphrase")
    child.sendline("mật khẩu đủ dài 2026")
    child.expect("repeat the passphrase")
    child.sendline(unicodedata.normalize("NFD", "mật khẩu đủ dài 2026"))  # the same, typed with combining marks
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before.decode()
    assert key.with_suffix(".pub").read_text().splitlines()[-1].startswith("age1")


def _modes(root: Path) -> set[tuple[str, str]]:
    """(kind, mode) of everything under root, but the root."""
    found = set()
    for path in root.rglob("*"):
        kind = "dir" if path.is_dir() else "file"
        found.add((kind, oct(stat.S_IMODE(path.stat().st_mode))))
    return found


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions; Windows uses icacls (handbook)")
def test_the_data_folder_is_its_owners_alone(online_case, tmp_path):
    env, number, _, _ = online_case
    evidence = tmp_path / "don.pdf"
    evidence.write_bytes(b"%PDF-1.4 don")
    add(env, "--channel", "mailbox", "--category", "waste", "--description", "Thư.", "--attach", str(evidence))
    office("report", "--period", "2026-H2", "--out", str(tmp_path / "bao-cao.docx"), env=env)
    root = data_dir(env)
    assert oct(stat.S_IMODE(root.stat().st_mode)) == "0o700"
    assert _modes(root) == {("dir", "0o700"), ("file", "0o600")}
    out = tmp_path / "tep"
    office("extract", number, "--out", str(out), env=env)
    assert oct(stat.S_IMODE(out.stat().st_mode)) == "0o700"
    assert oct(stat.S_IMODE((tmp_path / "bao-cao.docx").stat().st_mode)) == "0o600"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_legacy_data_folder_is_made_owner_only_when_first_opened(tmp_path):
    import shutil

    legacy = ROOT / "tests" / "data" / "legacy-register"
    shutil.copytree(legacy / "desk", tmp_path / "desk")
    for path in [tmp_path / "desk", *(tmp_path / "desk").rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    office("list", env={"OFFICE_DATA": str(tmp_path / "desk")})
    assert _modes(tmp_path / "desk") == {("dir", "0o700"), ("file", "0o600")}


def test_clicks_own_messages_are_vietnamese_first(desk_env):
    number = add(desk_env, "--channel", "hotline", "--category", "waste", "--description", "x")
    for args, expected in [
        (["reject", number], "Lỗi / Error: Thiếu tùy chọn / missing option '--reason'."),
        (["classify", number, "--competence", "ngoai"], "Giá trị không hợp lệ cho / invalid value for '--competence'"),
        (["lisst"], "Không có lệnh / no such command 'lisst'."),
        (["list", "thua"], "Thừa tham số / unexpected extra argument (thua)"),
        (["list", "--trang-thai"], "Không có tùy chọn / no such option '--trang-thai'"),
    ]:
        result = office(*args, env=desk_env, ok=False)
        err = result.stderr.decode()
        assert result.returncode == 2 and expected in err, err
        assert "Cách dùng / Usage:" in err
    help_page = office("list", "--help", env=desk_env).stdout.decode()
    assert "Tùy chọn / Options" in help_page and "Xem hướng dẫn này / show this message" in help_page


def test_every_translated_message_is_one_click_still_says():
    import click

    source = "".join(p.read_text(encoding="utf-8") for p in Path(click.__file__).parent.glob("*.py"))
    for message in messages.CATALOGUE:
        assert repr(message)[1:-1].replace("\\'", "'") in source or message in source, message


def test_interactive_add_checks_the_date_at_once_and_shows_what_was_typed(desk_env):
    answers = "\n".join(
        [
            "31/02/2026",  # no such date: asked again at once
            "01/01/2099",  # in the future: asked again
            "03/07/2026 08:30",
            "2",
            "Người gọi phản ánh xe công dùng việc riêng.",
            "",
            "",
            "",
            "",
            "n",  # no identity
            "",  # no attachment
            "y",
        ]
    )
    result = office("add", "--channel", "hotline", env=desk_env, input=(answers + "\n").encode())
    prompts = result.stderr.decode()
    assert prompts.count("nhập lại / try again") == 2
    check = prompts[prompts.index("Kiểm tra trước khi vào sổ") :]
    assert "Người gọi phản ánh xe công dùng việc riêng." in check and "03/07/2026 08:30" in check
    assert "Đường dây nóng" in check and "ẩn danh / anonymous" in check
    assert listed(desk_env)[0]["received_at"] == "2026-07-03T01:30:00Z"


def test_stopping_says_it_is_safe_to_run_again(desk_env):
    answers = "\n".join(["", "1", "Nội dung.", "", "", "", "", "n", "", "n"]) + "\n"
    result = office("add", "--channel", "hotline", env=desk_env, input=answers.encode(), ok=False)
    assert result.returncode == 1 and "safe to run the command again" in result.stderr.decode()
    assert listed(desk_env) == []


def test_a_forwarded_case_needs_its_reference(desk_env):
    refused = office(
        "add", "--channel", "forwarded", "--category", "waste", "--description", "x", env=desk_env, ok=False
    )
    assert refused.returncode == 1 and "--source-ref" in refused.stderr.decode()
    assert listed(desk_env) == []


def test_list_marks_overdue_cases_and_names_channels_in_vietnamese(desk_env):
    add(desk_env, "--channel", "mailbox", "--category", "waste", "--description", "x", "--received", "01/07/2026")
    table = office("list", env=desk_env).stdout.decode()
    assert "Hòm thư góp ý" in table and "QUÁ HẠN" in table and "mailbox" not in table
    assert listed(desk_env)[0]["overdue"] is True
    due = office("due", "--today", "11/07/2026", env=desk_env).stdout.decode()  # due on 10/07: 7 working days
    assert "QUÁ HẠN 1 ngày / LATE 1 day  " in due


def test_missing_s3_credentials_say_so(tmp_path, moto_endpoint, office_key):
    import boto3

    boto3.client("s3", endpoint_url=moto_endpoint).create_bucket(Bucket="kho-thu")
    env = {
        "OFFICE_STORE": "s3://kho-thu",
        "OFFICE_IDENTITY": str(office_key[0]),
        "OFFICE_RECIPIENTS": office_key[1],
        "OFFICE_DATA": str(tmp_path / "desk"),
        "AWS_ACCESS_KEY_ID": "",
        "AWS_SECRET_ACCESS_KEY": "",
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none"),
        "AWS_CONFIG_FILE": str(tmp_path / "none"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    environ = {k: v for k, v in os.environ.items() if k not in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")}
    result = subprocess.run(
        [sys.executable, "-m", "office", "pull", "--init"],
        env={**environ, **{k: v for k, v in env.items() if v}},
        capture_output=True,
        timeout=120,
    )
    err = result.stderr.decode()
    assert result.returncode == 1 and "không có khóa truy cập S3" in err and "no S3 credentials" in err
    assert "run the command again later" not in err
    assert not (tmp_path / "desk").exists(), "nothing is made when the store cannot be read"


def test_holidays_are_written_as_the_office_writes_dates(desk_env):
    settings = data_dir(desk_env) / "settings.toml"
    settings.write_text('[calendar]\nholidays = ["02/09/2026", "2026-09-01"]\n', encoding="utf-8")
    assert "holidays: 2" in office("settings", env=desk_env).stdout.decode()
    settings.write_text('[calendar]\nholidays = ["31/09/2026"]\n', encoding="utf-8")
    refused = office("settings", env=desk_env, ok=False)
    assert refused.returncode == 1 and "ngày/tháng/năm" in refused.stderr.decode()


def test_the_extracted_files_of_a_named_case_are_private(desk_env, tmp_path):
    evidence = tmp_path / "ghi-am.txt"
    evidence.write_text("ghi âm", encoding="utf-8")
    number = add(
        desk_env, "--channel", "reception", "--category", "waste", "--description", "x", "--name", NAME,
        "--attach", str(evidence),
    )  # fmt: skip
    out = tmp_path / "ra"
    office("extract", number, "--out", str(out), env=desk_env)
    (extracted,) = out.iterdir()
    assert extracted.read_text(encoding="utf-8") == "ghi âm"
    if os.name == "posix":
        assert oct(stat.S_IMODE(extracted.stat().st_mode)) == "0o600"
