"""The Office's handbook (docs/huong-dan-ky-thuat/so-tay-van-phong.md): every command runs as written.

Every ```{.text .sh} block of the Vietnamese page that carries no marker line (``# Trên Windows``...)
is run, line by line and in order, through the real ``office`` command, on a desk prepared the
way the Office's own is: an identity file made by ``age-keygen``, an S3 store on loopback (moto's
server) holding reports as the browser leaves them, one of them with a receipt code and a
follow-up. The page's ``export`` lines are applied literally to the commands after them, so the
store is the one the page names. Both languages must give exactly the same commands.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import boto3
import docx
import pytest
from PIL import Image

from intake_function import codes, envelope, objects, receipt, report
from intake_function.store import open_store
from tests.conftest import ROOT, age_encrypt
from tests.infra.test_guide import GUIDE
from tests.infra.test_guide import blocks as guide_blocks
from tests.promises import find_promises
from tests.test_office import put_report

PAGE = "so-tay-van-phong"
EXPORT = re.compile(r"^export (OFFICE_[A-Z_]+)=(.+)$")

# The reporters of the online reports: their names must show only where the page says they do.
NAMED = "Phạm Thị Kín Đáo"
FORWARDED_NAME = "Lê Văn Giấu Tên"
CAMERA_OWNER = "LE VAN GIAU TEN"  # in the EXIF of the photo sent with the forwarded case
MESSAGE_FILE = "tra-loi-2026-0001.txt"
MESSAGE = (
    "Văn phòng Ban đã xác minh thông tin Ông/Bà bổ sung.\n"
    "Ông/Bà có thể tiếp tục bổ sung thông tin bằng mã tra cứu này.\n"
)
OFFICE = "Văn phòng Ban"
# What the Office writes for the half-year report, in the files the page names (as Notepad saves them).
DIFFICULTIES = "Chưa có phần mềm quản lý văn bản liên thông với các phòng.\r\n"
NEXT_TASKS = "Tiếp tục quán triệt Quy định 231-QĐ/TW.\r\n\r\nRà soát quy trình tiếp nhận tại các phòng.\r\n"
# The help of every command the handbook must teach (the brief of the Office's day).
TAUGHT = {
    "init",
    "recipients",
    "settings",
    "pull",
    "quarantine",
    "followups",
    "attach",
    "due",
    "list",
    "show",
    "extract",
    "reveal",
    "add",
    "classify",
    "assign",
    "notify",
    "accept",
    "notice",
    "flag",
    "extend",
    "follow",
    "conclude",
    "forward",
    "reject",
    "reply",
    "export",
    "incident",
    "report",
    "activity",
    "audit",
    "import",
    "check-site",
    "protect",
    "protection",
    "unit-report",
}
# The portal's address in the handbook; the test serves a release of the site there instead.
PORTAL = "https://tocao.example.gov.vn/"


STRAY_MESSAGE = "Tôi xin bổ sung: sự việc ở hồ sơ có tiêu cực xảy ra tại cổng khu công nghiệp."


def _unmatched_id() -> str:
    """The id of the unmatched follow-up, as the page's `office attach` line names it."""
    (line,) = [line for line in runnable() if line.startswith("office attach ")]
    return shlex.split(line)[2]


def blocks(lang: str) -> list[tuple[str, str, list[str]]]:
    """(fence language, marker kind or "", command lines) of each block, read as the guide's pages are."""
    return guide_blocks(PAGE, lang)


def runnable(lang: str = "vi") -> list[str]:
    """The lines of the page's unmarked shell blocks, in order."""
    return [line for language, marker, lines in blocks(lang) if language == "sh" and not marker for line in lines]


def test_both_languages_give_the_same_commands_and_markers():
    vi, en = blocks("vi"), blocks("en")
    assert len(vi) == len(en) > 20
    for (vi_lang, vi_marker, vi_lines), (en_lang, en_marker, en_lines) in zip(vi, en, strict=True):
        assert (vi_lang, vi_marker) == (en_lang, en_marker)
        assert vi_lines == en_lines
    assert any(marker == "windows" for _, marker, _ in vi), "the Windows set-up is missing"
    for language, marker, _ in vi:
        assert language in ("sh", "powershell") and (language == "sh" or marker == "windows")


def test_the_page_is_in_the_nav_and_listed_by_the_guide():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "      - huong-dan-ky-thuat/index.md\n      - huong-dan-ky-thuat/so-tay-van-phong.md\n" in nav
    for index in ("index.md", "index.en.md"):
        assert "](so-tay-van-phong.md)" in (GUIDE / index).read_text(encoding="utf-8")


def test_unmarked_blocks_hold_only_office_commands_and_its_variables():
    lines = runnable()
    assert lines
    for line in lines:
        if line.startswith("export "):
            assert EXPORT.match(line), line
        else:
            assert shlex.split(line)[0] == "office", f"not an office command: {line}"
    taught = {shlex.split(line)[1] for line in lines if line.startswith("office ")}
    assert taught >= TAUGHT, f"the handbook does not show: {sorted(TAUGHT - taught)}"


# --- the desk the handbook runs on ---------------------------------------------------------------


def _office_command() -> list[str]:
    script = Path(sys.executable).with_name("office")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "office"]


def _at(store, key: str, when: str) -> str:
    """Move an inbox object to the key it would have had if it had arrived at ``when`` (UTC)."""
    milliseconds = int(datetime.fromisoformat(when).replace(tzinfo=UTC).timestamp() * 1000)
    moved = objects.inbox_key(codes.new_object_id(milliseconds))
    store.put(moved, store.get(key))
    store.delete(key)
    return moved


def _photo_with_exif() -> bytes:
    exif = Image.Exif()
    exif[0x013B] = CAMERA_OWNER  # Artist
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "green").save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert CAMERA_OWNER.encode() in data
    return data


@pytest.fixture(scope="session")
def released_site(tmp_path_factory, office_key, second_key):
    """The site released for the Office's two keys, served by the on-premises runtime: (origin, manifest)."""
    from tests.release.conftest import serving
    from tests.site.conftest import run_build

    keys = [office_key[1], second_key[1]]
    build = run_build(tmp_path_factory.mktemp("handbook-site") / "site", "--recipients", ",".join(keys))
    assert build.returncode == 0, build.log
    with serving(build.site, keys, tmp_path_factory.mktemp("handbook-site-store")) as origin:
        yield origin, build.site / "site-manifest.json"


def _key_pair(folder: Path, name: str) -> str:
    """An identity file NAME.age and its public key file NAME.pub, as office keygen leaves them."""
    made = subprocess.run(["age-keygen", "-o", str(folder / f"{name}.age")], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    public = subprocess.run(
        ["age-keygen", "-y", str(folder / f"{name}.age")], check=True, capture_output=True, text=True
    ).stdout.strip()
    (folder / f"{name}.pub").write_text(f"{public}\n", encoding="utf-8")
    return public


@pytest.fixture
def desk(tmp_path, office_key, second_key, moto_endpoint, released_site):
    """A working folder holding the identity file, and the store the handbook names with reports in it."""
    exports = {}  # the first value of each variable: section 1's (section 12 changes OFFICE_IDENTITY later)
    for line in runnable():
        if line.startswith("export "):
            name, value = EXPORT.match(line).groups()
            exports.setdefault(name, value)
    url = exports["OFFICE_STORE"]
    bucket = url.removeprefix("s3://").split("/")[0]
    client = boto3.client("s3", endpoint_url=moto_endpoint)
    if bucket not in [b["Name"] for b in client.list_buckets().get("Buckets", [])]:
        client.create_bucket(Bucket=bucket)
    store = open_store(url)
    for info in list(store.list("")):  # a bucket of an earlier run in the same session
        store.delete(info.key)

    work = tmp_path / "van-phong"
    work.mkdir()
    shutil.copy(office_key[0], work / exports["OFFICE_IDENTITY"])
    (work / "office-identity.pub").write_text(f"{office_key[1]}\n", encoding="utf-8")
    shutil.copy(second_key[0], work / "office-backup.age")  # unsealed for section 12
    # The public keys file the IT staff give the Office: the primary and the backup (section 1).
    (work / "office-recipients.txt").write_text(
        f"# khóa chính\n{office_key[1]}\n# khóa dự phòng\n{second_key[1]}\n", encoding="utf-8"
    )
    for name in ("office-identity-2027", "office-identity-moi"):  # the new keys of section 12
        _key_pair(work, name)
    recipient = office_key[1]
    named_code, rejected_code = receipt.derive(receipt.new_code()), receipt.derive(receipt.new_code())
    photo = b"\xff\xd8 anh chup hien truong"
    key, _, _ = put_report(
        store,
        recipient,
        [photo],
        category="corruption",
        description="Cán bộ X yêu cầu doanh nghiệp nộp tiền ngoài quy định.",
        reporter={"name": NAMED, "email": "kin.dao@example.vn"},
        reply={"recipient": named_code.reply_recipient, "lookup_id": named_code.lookup_id},
    )
    _at(store, key, "2026-07-06T02:00:00")  # 2026-0001
    key, _, _ = put_report(
        store,
        recipient,
        [_photo_with_exif()],
        description="Công trình bỏ dở nhiều năm, gây lãng phí.",
        reporter={"name": FORWARDED_NAME},
    )
    _at(store, key, "2026-07-08T02:00:00")  # 2026-0002, sent without a receipt code
    key, _, _ = put_report(
        store,
        recipient,
        category="negativity",
        description="Có tiêu cực.",
        reply={"recipient": rejected_code.reply_recipient, "lookup_id": rejected_code.lookup_id},
    )
    _at(store, key, "2026-07-10T02:00:00")  # 2026-0003, anonymous
    followup = {"schema": "followup/1", "lookup_id": named_code.lookup_id, "message": "Tôi bổ sung thêm chi tiết."}
    store.put(objects.new_inbox_key()[1], age_encrypt(report.padded(followup), recipient))
    # A follow-up sent with a mistyped code: no case has it; the page joins it by hand, by its id.
    stray = {"schema": "followup/1", "lookup_id": "0" * 32, "message": STRAY_MESSAGE}
    store.put(objects.inbox_key(_unmatched_id()), age_encrypt(report.padded(stray), recipient))
    (work / MESSAGE_FILE).write_text(MESSAGE, encoding="utf-8")  # the message the page sends from a file
    (work / "kho-khan.txt").write_bytes(("\ufeff" + DIFFICULTIES).encode("utf-8"))
    (work / "nhiem-vu-ky-toi.txt").write_text(NEXT_TASKS, encoding="utf-8", newline="")
    (work / exports["OFFICE_DATA"]).mkdir()
    shutil.copy(released_site[1], work / exports["OFFICE_DATA"] / "site-manifest.json")  # as the IT officer gives it

    env = {k: v for k, v in os.environ.items() if not k.startswith("OFFICE_")}
    env["HOME"] = str(tmp_path)
    return {
        "keys": {"primary": office_key[0], "backup": second_key[0]},
        "work": work,
        "store": store,
        "recipient": recipient,
        "env": env,
        "photo": photo,
        "codes": {"2026-0001": named_code, "2026-0003": rejected_code},
        "portal": released_site[0],
    }


def _run_page(desk: dict) -> dict[str, list[str]]:
    """Run every line of the page in order; return each line's outputs (stdout, stderr), by line."""
    env, outputs = dict(desk["env"]), {}
    for line in runnable():
        setting = EXPORT.match(line)
        if setting:
            name, value = setting.groups()
            env[name] = shlex.split(value)[0]
            continue
        if line.startswith("office pull --encrypted-only"):
            _before_transfer(desk)
        args = shlex.split(line)  # plain commands: no shell is needed to run them as written
        args = [desk["portal"] if arg == PORTAL else arg for arg in args]  # the release served here
        result = subprocess.run(
            [*_office_command(), *args[1:]],
            cwd=desk["work"],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"{line}\n{result.stdout}\n{result.stderr}"
        outputs.setdefault(line, []).append(result.stdout + result.stderr)
    desk["env_after"] = env
    return outputs


def _before_transfer(desk: dict) -> None:
    """A report arrives before the online computer copies the store for the offline one."""
    if desk.get("transfer_report"):
        return
    code = receipt.derive(receipt.new_code())
    key, _, _ = put_report(
        desk["store"],
        desk["recipient"],
        description="Phản ánh chuyển qua USB.",
        reply={"recipient": code.reply_recipient, "lookup_id": code.lookup_id},
    )
    desk["transfer_report"] = _at(desk["store"], key, "2026-11-24T03:00:00")
    desk["codes"]["2026-0006"] = code


def _office(desk: dict, *args: str) -> str:
    result = subprocess.run(
        [*_office_command(), *args],
        cwd=desk["work"],
        env=desk["env_after"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _answers(store, derived) -> list[dict]:
    """What the holder of a receipt code reads, oldest first."""
    identity = envelope.parse_identities(derived.reply_identity)
    infos = store.list(objects.outbox_prefix(derived.lookup_id))
    keys = sorted(info.key for info in infos if objects.OUTBOX_KEY_RE.fullmatch(info.key))  # not the marker
    return [json.loads(envelope.decrypt(store.get(key), identity)) for key in keys]


def _only(outputs: dict[str, list[str]], start: str) -> str:
    """The output of the one line of the page that is ``start`` or begins with ``start + " "``."""
    (line,) = [line for line in outputs if line == start or line.startswith(start + " ")]
    (output,) = outputs[line]
    return output


def _only_line(outputs: dict[str, list[str]], start: str) -> str:
    (line,) = [line for line in outputs if line.startswith(start + " ")]
    return line


def _argument(outputs: dict[str, list[str]], start: str, option: str) -> str:
    """The value the page gives an option on the line that begins with ``start``."""
    (line,) = [line for line in outputs if line.startswith(start + " ")]
    args = shlex.split(line)
    return args[args.index(option) + 1]


def test_every_command_of_the_handbook_runs_as_written(desk):
    outputs = _run_page(desk)
    work, env = desk["work"], desk["env_after"]
    data = work / "office-data"
    assert Path(env["OFFICE_DATA"]) == Path("office-data") and env["OFFICE_STORE"].startswith("s3://")
    assert (data / "settings.toml").is_file() and (data / "register.sqlite").is_file()
    assert [p.name for p in work.rglob("register.sqlite")] == ["register.sqlite"], "a second data folder"

    # Every working day: the three online reports and the follow-up arrive; then what is due.
    (pulled,) = outputs["office pull"]
    assert "2026-0001, 2026-0002, 2026-0003" in pulled
    assert _only(outputs, "office followups").startswith("2026-0001  1 ")
    (first_due,) = outputs["office due"]
    assert "2026-0001" in first_due

    # The live site is the release, and the check is in the audit trail.
    checked = _only(outputs, "office check-site")
    assert checked.startswith("KẾT LUẬN: ĐÚNG") and envelope.fingerprint(desk["recipient"]) in checked

    # A follow-up whose code matches no case: listed, read, joined by hand, and the trail says so.
    assert _unmatched_id() in _only(outputs, "office list --unmatched")
    assert STRAY_MESSAGE in _only(outputs, f"office show {_unmatched_id()}")
    assert json.loads(_office(desk, "list", "--unmatched", "--format", "json")) == []
    joined_to = shlex.split(_only_line(outputs, "office attach"))[3]
    assert STRAY_MESSAGE in _office(desk, "show", joined_to)
    assert "joined a follow-up to a case" in _office(desk, "audit", "list", "--case", joined_to)

    # Reading a case: the identity only through reveal, and the JSON original with its reason.
    (shown,) = outputs["office show 2026-0001"]
    assert "Cán bộ X yêu cầu" in shown and "Tôi bổ sung thêm chi tiết." in shown and NAMED not in shown
    assert NAMED in _only(outputs, "office reveal 2026-0001")
    original = _only(outputs, "office show 2026-0001 --format json")
    assert json.loads(original[: original.rindex("}") + 1])["reporter"]["name"] == NAMED
    (extracted,) = (work / "tep-2026-0001").iterdir()
    assert extracted.read_bytes() == desk["photo"]

    # Cases from other channels, and the plan's workflow.
    assert _only(outputs, "office add --channel hotline").splitlines()[0] == "2026-0004"
    assert _only(outputs, "office add --channel reception").splitlines()[0] == "2026-0005"
    cases = {c["number"]: c for c in json.loads(_office(desk, "list", "--format", "json"))}
    assert {n: c["status"] for n, c in cases.items()} == {
        "2026-0001": "received",
        "2026-0002": "following",
        "2026-0003": "rejected",
        "2026-0004": "concluded",
        "2026-0005": "concluded",  # the denunciation made in person, accepted, concluded, its conclusion notified
        "2026-0006": "received",  # the report carried by the offline computer's transfer folder
    }
    assert cases["2026-0004"]["channel"] == "hotline" and not cases["2026-0004"]["anonymous"]
    assert cases["2026-0004"]["unit"] == "Phòng chuyên môn A" and cases["2026-0004"]["flags"] == [
        "complex",
        "many-people",
    ]
    assert cases["2026-0002"]["forwarded_to"] == "Cơ quan có thẩm quyền B"

    # Two tracks: only the denunciation accepted by a decision runs under the Law on Denunciations.
    assert {n: c["track"] for n, c in cases.items()} == {
        **dict.fromkeys(cases, "report"),
        "2026-0005": "denunciation",
    }
    assert cases["2026-0005"]["acceptance_ref"] == _argument(outputs, "office accept 2026-0005", "--decision")
    assert cases["2026-0005"]["notices_owed"] == []  # both Điều 29 notices, and both of the conclusion, recorded
    conclusion = "\n".join(p.text for p in docx.Document(work / "thong-bao-ket-luan-2026-0005.docx").paragraphs)
    assert "Kết luận nội dung tố cáo số .../KL-BQLKKT" in conclusion and "Trần Văn B" not in conclusion
    assert "office notice 2026-0005 --kind concluded" in _only(outputs, "office conclude 2026-0005")
    assert cases["2026-0004"]["assigned_at"] and cases["2026-0004"]["accepted_at"] is None
    reminded = _only(outputs, "office due --within 10")
    assert "2026-0005" in reminded and "người bị tố cáo" in reminded and "Luật 136/2025/QH15" in reminded
    notice = "\n".join(p.text for p in docx.Document(work / "thong-bao-thu-ly-2026-0005.docx").paragraphs)
    assert "2026-0005" in notice and "[Họ và tên người tố cáo]" in notice and "Trần Văn B" not in notice
    assert "Cần báo cáo Lãnh đạo Ban" in _only(outputs, "office flag 2026-0004 --set")
    told = 'office flag 2026-0004 --leaders-informed --note "Đã báo cáo Lãnh đạo Ban"'
    assert "Cần báo cáo Lãnh đạo Ban" not in _only(outputs, told)
    assert "Cần báo cáo Lãnh đạo Ban" in _only(outputs, "office extend 2026-0004")  # complex: a new flag
    history = _office(desk, "show", "2026-0004")
    assert "(đã báo cáo Lãnh đạo Ban" in history and "Nguyễn Văn A" not in history
    assert _argument(outputs, "office notify 2026-0004", "--how") in history

    # Answers through the receipt code: the case's step by default, a file, a reason for the reporter.
    store = desk["store"]
    assert [(a["status"], a.get("message")) for a in _answers(store, desk["codes"]["2026-0001"])] == [
        ("received", _argument(outputs, "office reply 2026-0001 --message", "--message")),
        ("received", MESSAGE.strip()),
    ]
    (refusal,) = _answers(store, desk["codes"]["2026-0003"])
    assert refusal["status"] == "not_accepted"  # read as "Không xem xét, xử lý", never "không thụ lý"
    assert refusal["reason"] == _argument(outputs, "office reply 2026-0003", "--reason")

    # The package for the competent authority: no reporter, no camera owner, a manifest to read.
    package = work / "chuyen-2026-0002"
    assert (package / "manifest.txt").is_file() and (package / "ho-so-2026-0002.docx").is_file()
    (photo,) = (package / "tai-lieu").iterdir()
    assert photo.read_bytes().startswith(b"\xff\xd8") and CAMERA_OWNER.encode() not in photo.read_bytes()
    for path in package.rglob("*"):
        if path.is_file():
            assert FORWARDED_NAME.encode() not in path.read_bytes(), path
    text = "\n".join(p.text for p in docx.Document(package / "ho-so-2026-0002.docx").paragraphs)
    assert "Công trình bỏ dở" in text and FORWARDED_NAME not in text
    assert not list(package.glob("MAT-*"))  # a report forwarded without the reporter's consent: no identity part
    # The wait on the authority's result, from the first follow-up to the result, is not the Office's time.
    assert "Cơ quan có thẩm quyền B (cơ quan được chuyển / the authority)" in _office(desk, "show", "2026-0002")

    # The half-year report: every task of the plan with the activities recorded, to the cut-off day,
    # with the Office's own text; the unit's report; the figures as CSV (the incident counted).
    assert "Hội nghị quán triệt Chỉ thị 27-CT/TW" in _only(outputs, "office activity list")
    document = docx.Document(work / "bao-cao-6-thang.docx")
    text = "\n".join(p.text.replace("\u00a0", " ") for p in document.paragraphs)
    assert "Văn phòng Ban báo cáo kết quả thực hiện 6 tháng cuối năm 2026 như sau:" in text
    assert "đến hết ngày 15/11/2026 (ngày chốt số liệu của kỳ báo cáo)" in text
    assert "Chưa có phần mềm quản lý văn bản liên thông với các phòng." in text
    assert "Rà soát quy trình tiếp nhận tại các phòng./." in text and "[Văn phòng Ban bổ sung" not in text
    assert "Trong kỳ, chưa ghi nhận hoạt động kiểm tra, chấn chỉnh nào" in text  # task 4: nothing recorded
    activities = {
        (row.cells[1].text, row.cells[4].text, row.cells[5].text)
        for table in document.tables[1:-2]
        if table._element.getprevious().xpath("string(.)").startswith("Bảng ") and table.rows[0].cells[1].text == "Ngày"
        for row in table.rows[1:]
    }
    assert activities == {
        ("15/07/2026", "Văn phòng Ban", "45"),
        ("20/07/2026", "Văn phòng Ban", ""),
        ("12/08/2026", "Văn phòng Ban", "3"),  # as corrected
        ("20/08/2026", "Phòng chuyên môn A", "12"),
    }
    # Fair figures: on the cut-off day the three online reports were still waiting for the Office's
    # classification (the page classifies them later), which is the Office's step; the unit that
    # handled 2026-0004 in time is not counted late.
    tables = {t._element.getprevious().xpath("string(.)").split(". ", 1)[-1]: t for t in document.tables[1:-2]}
    late = {row.cells[1].text: (row.cells[2].text, row.cells[3].text) for row in tables["Hồ sơ trễ hạn"].rows[1:]}
    assert late == dict.fromkeys(("2026-0001", "2026-0002", "2026-0003"), ("Phân loại, xác định thẩm quyền", OFFICE))
    units = {
        row.cells[1].text: (row.cells[6].text, row.cells[7].text) for row in tables["Hồ sơ theo đơn vị xử lý"].rows[1:]
    }
    assert units == {"Phòng chuyên môn A": ("0", "0"), OFFICE: ("0", "3")}  # none among cases assigned to it
    unit = docx.Document(work / "bao-cao-phong-chuyen-mon-a.docx")
    assert "PHÒNG CHUYÊN MÔN A" in unit.tables[0].cell(0, 0).text
    assert "Phòng chuyên môn A báo cáo kết quả" in "\n".join(p.text for p in unit.paragraphs)
    with (work / "so-lieu-6-thang.csv").open(encoding="utf-8-sig", newline="") as handle:
        figures = {(row["section"], row["key"]): row["value"] for row in csv.DictReader(handle, delimiter=";")}
    # Four cases: the denunciation received on 23/11 (2026-0005) falls after the cut-off of 15/11.
    assert figures[("summary", "total")] == "4" and figures[("summary", "confidentiality_incidents")] == "1"
    assert [figures[("task", str(n))] for n in range(1, 6)] == ["2", "1", "1", "0", "0"]
    assert "Phiếu ghi nội dung cuộc gọi" in _only(outputs, "office incident list")
    # Protection recorded stage by stage; the units' reports received, said in the Office's report.
    assert re.search(r"Đã áp dụng / applied: Chánh Văn phòng", _only(outputs, "office protection list"))
    assert "đã nhận 1/1 báo cáo: Phòng chuyên môn A (ngày 01/12/2026)" in text
    assert "kênh" in (work / "mau-phan-anh.yaml").read_text(encoding="utf-8")  # the example case file, explained

    # The audit trail: the reveal and the JSON view are in it, and it checks out.
    trail = _only(outputs, "office audit list --case 2026-0001")
    assert "revealed the reporter's identity" in trail and "viewed the original (with identity)" in trail
    assert "checked the live site" in _office(desk, "audit", "list")
    assert re.search(r"head: \d+:[0-9a-f]{64}", _only(outputs, "office audit verify"))

    # The offline computer: imported, answered through the folder; the copy back sends the answer
    # and empties the store's inbox of what was imported.
    transfer = work / "chuyen-phan-anh"
    first_copy, copy_back = outputs["office pull --encrypted-only --to chuyen-phan-anh"]
    assert "answers sent: 0" in first_copy and "answers sent: 1" in copy_back
    assert "deleted as imported: 0" in first_copy and "deleted as imported: 0" not in copy_back
    assert (transfer / "imported.txt").read_text() == ""
    assert not (transfer / desk["transfer_report"]).exists()
    assert list(store.list("inbox/")) == [] and list(store.list("attachments/")) == []
    assert not any(transfer.rglob("outbox/*/*.age")), "the answer stayed on the drive"
    (answer,) = _answers(store, desk["codes"]["2026-0006"])
    assert answer["status"] == "received"
    assert answer["message"] == _argument(outputs, "office reply 2026-0006", "--message")

    # Nothing the Office's tool said along the way promises an answer or a result.
    said = [(line, phrase) for line, texts in outputs.items() for text in texts for phrase in find_promises(text)]
    assert said == []

    # Section 12: the primary key changed, then the new one lost. Every file of the data folder
    # (cases of each channel, attachments, the follow-up, copies of answers) opens with the backup and
    # the newest key, as the reference tool reads it, and with neither key retired.
    assert Path(env["OFFICE_IDENTITY"]).name == "office-identity-moi.age"
    sealed = [p for p in (data / "store").rglob("*.age") if ".tmp" not in p.parts]
    assert {p.relative_to(data / "store").parts[0] for p in sealed} == {"inbox", "attachments", "cases", "replies"}
    retired = [desk["keys"]["primary"], work / "office-identity-2027.age"]
    for path in sealed:
        for key, opens in [(desk["keys"]["backup"], True), (work / "office-identity-moi.age", True)] + [
            (k, False) for k in retired
        ]:
            done = subprocess.run(["age", "-d", "-i", str(key)], input=path.read_bytes(), capture_output=True)
            assert (done.returncode == 0) is opens, f"{path.name} with {key.name}"
    for number in ("2026-0001", "2026-0004"):
        assert _office(desk, "show", number)  # with the new primary key the page ends with
    trail = json.loads(_office(desk, "audit", "list", "--format", "json"))
    assert [e["details"].get("retired") for e in trail if e["action"] == "keys" and "retired" in e["details"]] == [
        [],
        [envelope.fingerprint(office_key_of(work, "office-identity.pub"))],
        [envelope.fingerprint(office_key_of(work, "office-identity-2027.pub"))],
    ]


def office_key_of(work: Path, name: str) -> str:
    return (work / name).read_text(encoding="utf-8").strip()
