"""Every message of the handbook's table of errors is one the tool prints, in the situation the table names.

The table (section "Khi lệnh báo lỗi" of so-tay-van-phong.md, and its English twin) quotes the
Vietnamese half of each message. Each row here makes that situation happen with the real command
and finds the quoted words in what it printed; a row of the table without a situation here, or a
situation whose words the tool no longer prints, fails.
"""

from __future__ import annotations

import fcntl
import os
import re
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pexpect
import pytest

from intake_function import envelope
from intake_function.store import open_store
from tests.desk.conftest import add, data_dir, office
from tests.infra.test_guide import GUIDE
from tests.test_office import put_report

ROW = re.compile(r"^\| `([^`]+)` \|", re.M)


def table(lang: str) -> list[str]:
    page = (GUIDE / ("so-tay-van-phong.md" if lang == "vi" else "so-tay-van-phong.en.md")).read_text(encoding="utf-8")
    section = page[page.index("{#khi-bao-loi}") :]
    return ROW.findall(section)


def said(result) -> str:
    return (result.stdout + result.stderr).decode()


def _key(tmp_path: Path, name: str) -> tuple[Path, str]:
    path = tmp_path / name
    subprocess.run(["age-keygen", "-o", str(path)], check=True, capture_output=True)
    public = subprocess.run(["age-keygen", "-y", str(path)], check=True, capture_output=True, text=True).stdout
    return path, public.strip()


def _keygen(tmp_path: Path, answers: list[str]) -> str:
    child = pexpect.spawn(
        sys.executable, ["-m", "office", "keygen", "--out", str(tmp_path / "k.age")], env=dict(os.environ)
    )
    for answer in answers:
        child.expect("passphrase")
        child.sendline(answer)
    child.expect("passphrase")  # asked again: the mistake was said first
    text = child.before.decode()
    child.terminate(force=True)
    return text


@pytest.fixture
def desk(desk_env, tmp_path, office_key):
    """The Office's register bound to a folder store; a case received; a report waiting."""
    store = open_store((tmp_path / "store").as_uri())
    env = {**desk_env, "OFFICE_STORE": store.url}
    office("init", "--store", store.url, env=env)
    number = add(env, "--channel", "hotline", "--category", "waste", "--description", "Lãng phí.")
    return {"env": env, "store": store, "number": number, "tmp": tmp_path, "key": office_key}


def _wrong_key(d) -> str:
    stranger, _ = _key(d["tmp"], "nham.txt")
    put_report(d["store"], d["key"][1])
    return said(office("pull", env={**d["env"], "OFFICE_IDENTITY": str(stranger)}, ok=False))


def _old_key(d) -> str:
    _, old = _key(d["tmp"], "cu.txt")
    put_report(d["store"], old)
    put_report(d["store"], d["key"][1])
    office("pull", env=d["env"])
    return said(office("quarantine", env=d["env"]))


def _another_register(d) -> str:
    other = {**d["env"], "OFFICE_DATA": str(d["tmp"] / "so-khac")}
    office("init", "--store", "", env={**other, "OFFICE_STORE": ""})
    return said(office("pull", env=other, ok=False))


def _busy(d) -> str:
    with (data_dir(d["env"]) / ".lock").open("a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return said(
            office("add", "--channel", "email", "--category", "waste", "--description", "x", env=d["env"], ok=False)
        )


def _wrong_passphrase(d) -> str:
    identity = envelope.generate_identity()
    protected = d["tmp"] / "co-mat-khau.age"
    protected.write_bytes(
        envelope.protect_with_passphrase(
            envelope.identity_file_text(identity, "2026-01-01T00:00:00Z"), "dung-mat-khau-1"
        )
    )
    child = pexpect.spawn(
        sys.executable,
        ["-m", "office", "show", d["number"], "--identity", str(protected)],
        env={**os.environ, **d["env"]},
    )
    child.expect("passphrase")
    child.sendline("sai-mat-khau-99")
    child.expect(pexpect.EOF)
    return child.before.decode()


def _unit(d) -> str:
    office("classify", d["number"], "--competence", "within", env=d["env"])
    office("assign", d["number"], "--unit", "Phòng Quản lý Doanh nghiệp", "--head", "A", env=d["env"])
    other = add(d["env"], "--channel", "email", "--category", "waste", "--description", "y")
    office("classify", other, "--competence", "within", env=d["env"])
    return said(office("assign", other, "--unit", "Phòng Quản lý Doanh nghiep", "--head", "A", env=d["env"], ok=False))


def _settings(d) -> str:
    (data_dir(d["env"]) / "settings.toml").write_text("[deadlines]\ndue_soon = 3\n", encoding="utf-8")
    return said(office("due", env=d["env"], ok=False))


def _not_text(d) -> str:
    garbage = d["tmp"] / "phan-anh.json"
    garbage.write_bytes(b"\x81\x8d\x00\x8f")
    return said(office("add", "--from-file", str(garbage), env=d["env"], ok=False))


def _rekey_stranger(d) -> str:
    put_report(d["store"], d["key"][1])
    office("pull", env=d["env"])  # sealed to the keys in force by the pull...
    _, added = _key(d["tmp"], "moi.txt")
    office("recipients", "--add", added, env=d["env"])  # ... not yet to this new list
    stranger, _ = _key(d["tmp"], "la.txt")
    return said(office("recipients", "--rekey", "--identity", str(stranger), env=d["env"], ok=False))


def _no_credentials(d) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    none = str(d["tmp"] / "none")
    return said(
        subprocess.run(
            [sys.executable, "-m", "office", "pull"],
            env={
                **environ,
                **d["env"],
                "OFFICE_STORE": "s3://kho-thu",
                "AWS_SHARED_CREDENTIALS_FILE": none,
                "AWS_CONFIG_FILE": none,
                "AWS_EC2_METADATA_DISABLED": "true",
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9",
            },
            capture_output=True,
            timeout=120,
        )
    )


def _unreachable(d) -> str:
    return said(
        office(
            "pull",
            env={
                **d["env"],
                "OFFICE_STORE": "s3://kho-thu",
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1",
                "AWS_ENDPOINT_URL_S3": "http://127.0.0.1:9",  # nothing listens there
            },
            ok=False,
        )
    )


def _named(d) -> str:
    """A named denunciation, classified within the Board's competence."""
    number = add(
        d["env"],
        "--channel",
        "reception",
        "--category",
        "corruption",
        "--description",
        "Tố cáo.",
        "--name",
        "Nguyễn Văn A",
        "--address",
        "An Giang",
    )
    office("classify", number, "--competence", "within", env=d["env"])
    return number


def _accept_anonymous(d) -> str:
    office("classify", d["number"], "--competence", "within", env=d["env"])
    return said(office("accept", d["number"], "--decision", "1/QĐ", "--conditions-met", env=d["env"], ok=False))


def _conditions_unanswered(d) -> str:
    # No keyboard (a pipe): the conditions cannot be asked, and are not taken as confirmed.
    return said(office("accept", _named(d), "--decision", "1/QĐ", env=d["env"], input=b"", ok=False))


def _condition_not_met(d) -> str:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "office", "accept", _named(d), "--decision", "1/QĐ"],
        env={**os.environ, **d["env"]},
    )
    child.expect(r"\[y/N\]")
    child.sendline("n")
    child.expect(pexpect.EOF)
    return child.before.decode()


def _cutoff_after_deadline(d) -> str:
    (data_dir(d["env"]) / "settings.toml").write_text('[periods]\nh1_cutoff = "06-10"\n', encoding="utf-8")
    return said(office("settings", env=d["env"], ok=False))


def _old_periods(d) -> str:
    # The first release's way of writing the periods: h1 ends the day before h2_start, after 05/6.
    (data_dir(d["env"]) / "settings.toml").write_text(
        '[periods]\nh1_start = "01-01"\nh2_start = "07-01"\n', encoding="utf-8"
    )
    return said(office("report", "--period", "2025-H1", "--out", str(d["tmp"] / "bc.docx"), env=d["env"]))


def _unbound_store(d) -> str:
    other = d["tmp"] / "kho-moi"
    other.mkdir()
    return said(office("pull", env={**d["env"], "OFFICE_STORE": other.as_uri()}, ok=False))


SITUATIONS: dict[str, Callable[[dict], str]] = {
    "chưa chỉ định kho lưu trữ": lambda d: said(office("pull", env={**d["env"], "OFFICE_STORE": ""}, ok=False)),
    "chưa có tệp khóa": lambda d: said(office("pull", env={**d["env"], "OFFICE_IDENTITY": ""}, ok=False)),
    "không thấy tệp khóa": lambda d: said(
        office("pull", "--identity", str(d["tmp"] / "x.age"), env=d["env"], ok=False)
    ),
    "mật khẩu không mở được": _wrong_passphrase,
    "có thể dùng nhầm tệp khóa": _wrong_key,
    "mã hóa cho khóa khác": _old_key,
    "không có sổ theo dõi ở thư mục": lambda d: said(
        office("list", "--data", str(d["tmp"] / "sai"), env=d["env"], ok=False)
    ),
    "cấp phản ánh cho một sổ khác": _another_register,
    "không lập sổ thứ hai": lambda d: said(
        office("init", env={**d["env"], "OFFICE_DATA": str(d["tmp"] / "so-hai")}, ok=False)
    ),
    "không tồn tại; công cụ không tạo kho mới": lambda d: said(
        office("pull", "--store", (d["tmp"] / "go-sai").as_uri(), env=d["env"], ok=False)
    ),
    "không có khóa truy cập S3": _no_credentials,
    "Không mất gì; chạy lại sau": _unreachable,
    "một lệnh office khác đang làm việc": _busy,
    "chưa thể": lambda d: said(office("conclude", d["number"], "--result", "x", env=d["env"], ok=False)),
    "không có hồ sơ": lambda d: said(office("show", "2026-9999", env=d["env"], ok=False)),
    "chưa có đơn vị": _unit,
    "lỗi trong tệp cài đặt": _settings,
    "không phải văn bản UTF-8 hay ANSI": _not_text,
    "không mở được bằng tệp khóa này nên giữ nguyên": _rekey_stranger,
    "không được xử lý theo thủ tục tố cáo": _accept_anonymous,
    "chưa xác nhận các điều kiện thụ lý": _conditions_unanswered,
    "không đủ điều kiện thụ lý": _condition_not_met,
    "không có thông báo nào phải gửi": lambda d: said(
        office("notice", _named(d), "--kind", "accepted", "--out", str(d["tmp"] / "tb.docx"), env=d["env"], ok=False)
    ),
    "kỳ báo cáo phải có dạng": lambda d: said(
        office("report", "--period", "2026-H3", "--out", str(d["tmp"] / "bc.docx"), env=d["env"], ok=False)
    ),
    "chưa kết thúc: số liệu chốt hết ngày": lambda d: said(
        office(
            "report",
            "--period",
            f"{date.today().year + 1}-H1",
            "--out",
            str(d["tmp"] / "bc.docx"),
            env=d["env"],
            ok=False,
        )
    ),
    "ngày chốt số liệu phải trước hạn gửi báo cáo": _cutoff_after_deadline,
    "sau hạn gửi báo cáo": _old_periods,
    "không có tệp kê khai của bản phát hành": lambda d: said(
        office("check-site", "http://127.0.0.1:9/", env=d["env"], ok=False)
    ),
    "không có thông tin bổ sung chưa khớp nào mang mã": lambda d: said(
        office("attach", "0123456789abcdef", d["number"], env=d["env"], ok=False)
    ),
    "chưa gắn với sổ nào": _unbound_store,
    "không phải nhiệm vụ của Kế hoạch": lambda d: said(
        office("activity", "add", "--task", "9", "--date", "01/01/2026", "--what", "Hội nghị", env=d["env"], ok=False)
    ),
    "không có hoạt động số": lambda d: said(
        office("activity", "edit", "99", "--people", "3", "--reason", "x", env=d["env"], ok=False)
    ),
    "Thiếu tùy chọn": lambda d: said(office("reject", d["number"], env=d["env"], ok=False)),
    "Giá trị không hợp lệ cho": lambda d: said(
        office("classify", d["number"], "--competence", "x", env=d["env"], ok=False)
    ),
    "Không có lệnh": lambda d: said(office("lisst", env=d["env"], ok=False)),
    "Mật khẩu phải có ít nhất 10 ký tự": lambda d: _keygen(d["tmp"], ["ngan"]),
    "Hai lần nhập không khớp": lambda d: _keygen(d["tmp"], ["mat-khau-du-dai-1", "mat-khau-khac-22"]),
}


def test_the_table_is_the_same_in_both_languages_and_every_row_is_covered():
    assert table("vi") == table("en")
    assert set(table("vi")) == set(SITUATIONS), "a row of the table without a situation here, or the reverse"


@pytest.mark.parametrize("excerpt", list(SITUATIONS))
def test_the_tool_prints_the_message_the_table_quotes(desk, excerpt):
    output = SITUATIONS[excerpt](desk)
    assert excerpt in output, output
    assert "Traceback" not in output
