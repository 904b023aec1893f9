"""The desk's records right in law and in numbers (issue 21): the trial's defects rebuilt as cases, and gone.

The second desk trial (``../shared/reviews/2026-12-office-desk-trial-2.md``) and the legal review
(``2026-12-content-and-law.md``) found: a second ``notify`` erasing the first and making on-time notices
late (H1); an incident found after its period's report reported nowhere (H2); the denunciation track
stopping before the conclusion's notice (H3); notices outside the Board's layout, with "Quyết định số
Quyết định số" (H4); a forwarded case's wait counted as the Office's lateness (M1); a transfer without
the denouncer, whom the receiving authority needs (content H1); a unit's report small enough to point at
a reporter (content M7). The register of this module is kept as the trial kept its own: every command is
typed on its day (``faketime``), from May to November 2026, with the real ``office`` command.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import docx
import pytest

from tests.conftest import ROOT, require_tool, run_office
from tests.desk import nd30
from tests.desk.conftest import ADDRESS, NAME, data_dir, office

QHXD = "Phòng Quản lý Quy hoạch và Xây dựng"
DN = "Phòng Quản lý Doanh nghiệp"
VP = "Văn phòng Ban"
SETTINGS = f"""\ufeff[report]\r
superior_body = "ỦY BAN NHÂN DÂN TỈNH AN GIANG"\r
place = "An Giang"\r
number = "Số:        /BC-BQLKKT"\r
signature_authority = "KT. TRƯỞNG BAN"\r
signature_title = "PHÓ TRƯỞNG BAN"\r
signer = "Nguyễn Hữu Sương"\r
\r
[units]\r
"{QHXD}" = "Trưởng phòng QHXD"\r
"{DN}" = "Trưởng phòng DN"\r
"{VP}" = "Chánh Văn phòng"\r
"""
DENOUNCER = "Trần Văn Tố"
DENOUNCER_ADDRESS = "Ấp Ví Dụ, xã Ví Dụ"


def _on(day: str, *args: str, env: dict[str, str], ok: bool = True) -> subprocess.CompletedProcess:
    """``office`` as the clerk ran it on ``day`` (dd/mm/2026), at 09:00 in Vietnam."""
    dd, mm, yyyy = day.split("/")
    faketime = require_tool("faketime")
    result = subprocess.run(
        [faketime, f"{yyyy}-{mm}-{dd} 02:00:00", sys.executable, "-m", "office", *args],
        capture_output=True,
        env={**os.environ, **env, "TZ": "UTC"},
        timeout=600,
    )
    if ok:
        assert result.returncode == 0, f"office {' '.join(args)} on {day}: {result.stderr.decode()}"
    return result


def _add(day: str, env: dict[str, str], *args: str) -> str:
    return _on(day, "add", *args, env=env).stdout.decode().strip()


@pytest.fixture(scope="module")
def trial(tmp_path_factory, office_key) -> tuple[dict[str, str], dict[str, str], Path, dict]:
    work = tmp_path_factory.mktemp("trial")
    env = {
        "OFFICE_DATA": str(work / "desk"),
        "OFFICE_IDENTITY": str(office_key[0]),
        "OFFICE_RECIPIENTS": office_key[1],
        "OFFICE_USER": "can-bo-van-phong",
    }
    _on("04/05/2026", "init", env=env)
    (data_dir(env) / "settings.toml").write_bytes(SETTINGS.encode("utf-8"))  # as Notepad saves it
    c: dict[str, str] = {}

    # B: a hotline report, handed to the planning unit; its caller's identity leaked on 13/05 (found 24/07).
    c["B"] = _add("12/05/2026", env, "--channel", "hotline", "--category", "obstruction", "--description", "Gây khó.")
    _on("13/05/2026", "classify", c["B"], "--competence", "within", env=env)
    _on("14/05/2026", "assign", c["B"], "--unit", QHXD, env=env)
    _on("25/05/2026", "report", "--period", "2026-H1", "--out", str(work / "h1.csv"), env=env)

    # A: a named e-mail outside the Board's competence, forwarded; the reporter told on time, then of the result.
    c["A"] = _add(
        "15/06/2026", env, "--channel", "email", "--category", "corruption", "--description", "Nhận tiền.",
        "--name", NAME, "--email", "a@example.vn",
    )  # fmt: skip
    _on("16/06/2026", "classify", c["A"], "--competence", "outside", env=env)
    _on("18/06/2026", "forward", c["A"], "--to", "Thanh tra tỉnh An Giang", env=env)
    _on("19/06/2026", "notify", c["A"], "--how", "Thư điện tử: đã chuyển Thanh tra tỉnh theo thẩm quyền", env=env)
    _on("17/07/2026", "follow", c["A"], "--note", "Thanh tra tỉnh đã nhận hồ sơ", env=env)

    # L: a postal letter, anonymous, about the planning unit; handed to another unit.
    c["L"] = _add(
        "01/07/2026", env, "--channel", "letter", "--category", "waste", "--description", "Lãng phí vật tư.",
        "--persons", f"cán bộ {QHXD}",
    )  # fmt: skip
    _on("02/07/2026", "classify", c["L"], "--competence", "within", env=env)
    named = _on("03/07/2026", "assign", c["L"], "--unit", QHXD, env=env, ok=False)
    _on("03/07/2026", "assign", c["L"], "--unit", DN, env=env)

    _on("24/07/2026", "incident", "add", "--date", "13/05/2026", "--note", "Lộ thông tin người gọi", "--case", c["B"],
        env=env)  # fmt: skip

    # C: a signed denunciation, accepted, extended, concluded.
    c["C"] = _add(
        "03/08/2026", env, "--channel", "reception", "--category", "corruption", "--description", "Cán bộ X nhận tiền.",
        "--name", DENOUNCER, "--address", DENOUNCER_ADDRESS,
    )  # fmt: skip
    _on("04/08/2026", "classify", c["C"], "--competence", "within", env=env)
    _on("10/08/2026", "accept", c["C"], "--decision", "Quyết định số 45/QĐ-BQLKKT", "--conditions-met", env=env)
    for to in ("denouncer", "denounced"):
        _on("12/08/2026", "notify", c["C"], "--to", to, "--about", "accepted", "--how", "Gửi thông báo", env=env)
    _on("13/08/2026", "assign", c["C"], "--unit", DN, env=env)
    _on("28/08/2026", "follow", c["A"], "--note", "Thanh tra tỉnh gửi kết quả", "--result-received", env=env)
    _on("31/08/2026", "conclude", c["A"], "--result", "Thanh tra tỉnh đã xử lý", env=env)
    _on("31/08/2026", "notify", c["A"], "--how", "Thư điện tử báo kết quả do Thanh tra tỉnh cung cấp", env=env)
    _on("05/09/2026", "extend", c["C"], "--reason", "Phức tạp", "--decision", "Quyết định số 60/QĐ-BQLKKT", env=env)
    for to in ("denouncer", "denounced"):
        _on("08/09/2026", "notify", c["C"], "--to", to, "--about", "extended", "--how", "Gửi thông báo", env=env)
    _on("10/09/2026", "incident", "add", "--date", "10/09/2026", "--note", "Ghi chép để trên bàn", env=env)
    concluded = _on("07/10/2026", "conclude", c["C"], "--result", "Tố cáo đúng một phần", "--decision",
                    "Kết luận số 05/KL-BQLKKT", env=env)  # fmt: skip
    owed = json.loads(_on("08/10/2026", "due", "--within", "30", "--format", "json", env=env).stdout)
    shown_owed = _on("08/10/2026", "show", c["C"], env=env).stdout.decode()
    for to in ("denouncer", "denounced"):
        _on("09/10/2026", "notify", c["C"], "--to", to, "--about", "concluded", "--how", "Gửi kết luận", env=env)

    # D: a denunciation outside the Board's competence, transferred with its denouncer.
    c["D"] = _add(
        "20/09/2026", env, "--channel", "reception", "--category", "waste", "--description", "Sai phạm ở huyện.",
        "--name", DENOUNCER, "--address", DENOUNCER_ADDRESS,
    )  # fmt: skip
    _on("21/09/2026", "classify", c["D"], "--competence", "outside", env=env)
    _on("22/09/2026", "forward", c["D"], "--to", "Thanh tra tỉnh", "--denunciation", "--decision", "20/CV-BQLKKT",
        env=env)  # fmt: skip
    _on("23/09/2026", "notify", c["D"], "--to", "denouncer", "--how", "Gửi thông báo", env=env)

    # R: a Board employee reports retaliation by her unit head: flagged, the leaders to be told, protection.
    c["R"] = _add("01/10/2026", env, "--channel", "email", "--category", "retaliation", "--description", "Bị trù dập.",
                  "--name", NAME, "--address", ADDRESS)  # fmt: skip
    _on("02/10/2026", "classify", c["R"], "--competence", "within", env=env)
    retaliation_due = json.loads(_on("02/10/2026", "due", "--format", "json", env=env).stdout)
    _on("03/10/2026", "assign", c["R"], "--unit", VP, env=env)
    measure = _on("05/10/2026", "protect", c["R"], "--kind", "position", "--what",
                  "Giữ nguyên vị trí công tác, không điều chuyển", "--by-whom", "Người phản ánh đề nghị",
                  env=env).stdout.decode().strip()  # fmt: skip
    _on("08/10/2026", "protection", "stage", measure, "--stage", "decided", "--by-whom", "Trưởng ban", env=env)
    _on("09/10/2026", "protection", "stage", measure, "--stage", "applied", "--by-whom", "Chánh Văn phòng", env=env)

    # G: the only case of the period assigned to the planning unit, and it is named.
    c["G"] = _add("20/10/2026", env, "--channel", "email", "--category", "waste", "--description", "Lãng phí.",
                  "--name", NAME, "--email", "g@example.vn")  # fmt: skip
    _on("21/10/2026", "classify", c["G"], "--competence", "within", env=env)
    _on("22/10/2026", "assign", c["G"], "--unit", QHXD, env=env)

    _on("20/11/2026", "report", "--period", "2026-H2", "--out", str(work / "h2.csv"), env=env)
    listed = json.loads(_on("20/11/2026", "list", "--period", "2026-H2", "--format", "json", env=env).stdout)
    _on("01/12/2026", "unit-report", "add", "--unit", DN, "--period", "2026-H2", "--reference", "12/BC-DN", env=env)
    _on("02/12/2026", "report", "--period", "2026-H2", "--out", str(work / "h2.docx"), env=env)
    _on("02/12/2026", "report", "--period", "2026-H2", "--unit", QHXD, "--out", str(work / "qhxd.docx"), env=env)
    found = {
        "named": named,
        "concluded": concluded,
        "owed": owed,
        "shown_owed": shown_owed,
        "retaliation_due": retaliation_due,
        "listed": [row["number"] for row in listed],
    }
    return env, c, work, found


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig")), delimiter=";"))


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [" | ".join(cell.text for cell in row.cells) for row in table.rows]
    return "\n".join(parts).replace("\u00a0", " ")


def test_a_case_notified_twice_on_time_and_waiting_on_another_agency_is_never_late(trial):
    env, c, work, _ = trial
    rows = _csv(work / "h2.csv")
    assert not [r for r in rows if r["section"] == "late" and r["key"] == c["A"]]  # desk trial 2: H1, M1
    shown = office("show", c["A"], env=env).stdout.decode()
    assert "TRỄ HẠN" not in shown
    # Both notices are kept, each its own record: the first ended the Board's notice step on 19/06.
    notices = re.findall(r"Thông báo / notice: (.*)", shown)
    assert notices[0].startswith("Thông báo về việc xử lý cho người phản ánh") and "19/06/2026" in notices[0]
    assert notices[1].startswith("Thông báo kết quả xử lý cho người phản ánh") and "31/08/2026" in notices[1]
    # The wait on the inspectorate (17/07 to 28/08) is its time; the Office closed the case 3 days after.
    db = sqlite3.connect(data_dir(env) / "register.sqlite")
    waits = db.execute(
        "SELECT s.waits_on FROM steps s JOIN cases c ON c.id = s.case_id WHERE c.number = ? ORDER BY s.id", (c["A"],)
    ).fetchall()
    assert [w for (w,) in waits] == [None, None, None, "Thanh tra tỉnh An Giang", None]


def test_an_incident_found_after_its_periods_report_is_reported_in_the_next_with_both_dates(trial):
    env, c, work, _ = trial
    h1 = {(r["section"], r["key"]): r for r in _csv(work / "h1.csv")}
    assert h1[("summary", "confidentiality_incidents")]["value"] == "0"  # as sent on 25/05
    h2 = _csv(work / "h2.csv")
    incidents = [r for r in h2 if r["section"] == "incident"]
    assert sorted((r["value"], r["detail"]) for r in incidents) == [
        ("2026-05-13", "xảy ra 2026-05-13; ghi nhận 2026-07-24; phát hiện sau khi báo cáo kỳ trước đã lập"),
        ("2026-09-10", "xảy ra 2026-09-10; ghi nhận 2026-09-10"),
    ]
    text = _docx_text(work / "h2.docx")
    assert "2 sự cố do Văn phòng Ban ghi nhận, trong đó 1 sự cố xảy ra trong kỳ trước" in text
    assert f"13/05/2026 | 24/07/2026 | {c['B']}" in text
    # The plan's expected result "không để xảy ra trường hợp tiết lộ thông tin" is assessed, and not met.
    assert re.search(r"không để xảy ra trường hợp tiết lộ.*\| 2 vụ việc tiết lộ.*\| Chưa đạt", text)
    # Made again today, the first half-year still says what was sent: the incident is the second's.
    again = work / "h1-again.csv"
    office("report", "--period", "2026-H1", "--out", str(again), env=env)
    assert {(r["section"], r["key"]): r["value"] for r in _csv(again)}[("summary", "confidentiality_incidents")] == "0"
    listed = office("incident", "list", env=env).stdout.decode()
    assert re.search(rf"13/05/2026\s+24/07/2026\s+2026-H2\s+{c['B']}", listed)  # both dates, and where reported


def test_the_denunciation_track_runs_to_the_conclusions_notice(trial):
    env, c, _, found = trial
    assert (
        "office notice" in found["concluded"].stderr.decode()
        and "--kind concluded" in found["concluded"].stderr.decode()
    )
    owed = [d for d in found["owed"]["deadlines"] if d["number"] == c["C"] and d["notice"]]
    assert sorted((d["notice"]["about"], d["notice"]["to"]) for d in owed) == [
        ("concluded", "denounced"),
        ("concluded", "denouncer"),
    ]
    assert "Thông báo kết luận nội dung tố cáo cho người tố cáo" in found["shown_owed"]
    assert "CHƯA thông báo" in found["shown_owed"]
    after = json.loads(office("due", "--within", "100000", "--format", "json", env=env).stdout)["deadlines"]
    assert not [d for d in after if d["number"] == c["C"] and d["notice"]]
    shown = office("show", c["C"], env=env).stdout.decode()
    assert "Quyết định số Quyết định số" not in shown and "Quyết định số / decision 45/QĐ-BQLKKT" in shown
    history = shown[shown.index("Diễn biến / history:") : shown.index("Các bước / steps:")]
    # The trail in words: who was told what, never "người phản ánh" for the person denounced (M9, L11).
    assert "Ghi nhận đã thông báo: Thông báo nội dung tố cáo cho người bị tố cáo" in history
    assert "Ghi nhận đã thông báo: Thông báo kết luận nội dung tố cáo cho người bị tố cáo" in history
    assert "người phản ánh" not in history and "classify" not in history and "Phân loại" in history
    # The time limit of the denunciation is the resolver's, not the Office's (content review L14).
    assert re.search(r"Giải quyết tố cáo, từ ngày thụ lý .*\(Người giải quyết tố cáo\)", shown)


def test_the_notices_are_the_boards_documents(trial, tmp_path):
    env, c, _, _ = trial
    drafts = {}
    for kind, to in (("accepted", "denouncer"), ("extended", "denouncer"), ("concluded", "denouncer"),
                     ("concluded", "denounced"), ("transferred", "denouncer")):  # fmt: skip
        number = c["D"] if kind == "transferred" else c["C"]
        drafts[(kind, to)] = tmp_path / f"{kind}-{to}.docx"
        office("notice", number, "--kind", kind, "--to", to, "--out", str(drafts[(kind, to)]), env=env)
    for path in drafts.values():
        nd30.assert_header(docx.Document(str(path)), ["ỦY BAN NHÂN DÂN", "TỈNH AN GIANG", "BAN QUẢN LÝ KHU KINH TẾ"],
                           "THÔNG BÁO")  # fmt: skip
    text = {key: _docx_text(path) for key, path in drafts.items()}
    assert "Số:        /TB-BQLKKT" in text[("accepted", "denouncer")]
    assert "Quyết định số 45/QĐ-BQLKKT về việc thụ lý" in text[("accepted", "denouncer")]
    assert all("Quyết định số Quyết định số" not in t and "năm 2026" in t for t in text.values())
    # The extension states its days and the new time limit: 10/08 + 30 days + 30 days.
    assert "Thời gian gia hạn: 30 ngày" in text[("extended", "denouncer")]
    assert "đến hết ngày 09/10/2026" in text[("extended", "denouncer")]
    assert "Kết luận nội dung tố cáo số 05/KL-BQLKKT" in text[("concluded", "denouncer")]
    # The person denounced reads nothing of the denouncer, not even the case number in the "Lưu" line (L12).
    assert c["C"] not in text[("concluded", "denounced")] and "03/08/2026" not in text[("concluded", "denounced")]
    # The law in force, never a 2018 figure as fact (content review M2).
    for t in text.values():
        assert "Luật số 136/2025/QH15" in t and "30 ngày kể từ ngày thụ lý" not in t and "Điều 30" not in t
    # Rendered by LibreOffice: the names whole, the number, the year, the signature.
    for pdf in nd30.to_pdf(list(drafts.values()), tmp_path):
        first = "\n".join(nd30.pages(pdf)[0])
        assert re.search(r"^ỦY BAN NHÂN DÂN\s{3,}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM$", first, re.MULTILINE), pdf
        assert re.search(r"^BAN QUẢN LÝ KHU KINH TẾ$", first, re.MULTILINE)
        assert re.search(r"Số:\s*/TB-BQLKKT\s+An Giang, ngày\s+tháng\s+năm 2026", first), first
        whole = "\n".join("\n".join(lines) for lines in nd30.pages(pdf))
        assert "PHÓ TRƯỞNG BAN" in whole and "Nguyễn Hữu Sương" in whole


def test_a_transfer_goes_with_what_the_authority_needs_and_a_units_package_with_nothing(trial, tmp_path):
    env, c, _, _ = trial
    transferred = tmp_path / "chuyen"
    said = office("export", c["D"], "--out", str(transferred), env=env)
    part = transferred / "MAT-thong-tin-nguoi-to-cao.txt"
    secret = part.read_text("utf-8")
    assert secret.startswith("MẬT\n") and DENOUNCER in secret and DENOUNCER_ADDRESS in secret
    assert "Đề nghị Thanh tra tỉnh giữ bí mật họ tên, địa chỉ, bút tích" in secret
    assert DENOUNCER in _docx_text(transferred / "MAT-thong-tin-nguoi-to-cao.docx")
    main = (transferred / f"ho-so-{c['D']}.txt").read_text("utf-8")
    assert DENOUNCER not in main and "ở phần riêng, MẬT" in main and main.startswith(f"HỒ SƠ TỐ CÁO SỐ {c['D']}")
    manifest = json.loads((transferred / "manifest.json").read_text("utf-8"))
    assert manifest["reporter_identity"] == "separate-confidential-part"
    assert manifest["identity_fields"] == ["address", "name"]
    assert "MẬT" in said.stderr.decode()
    trail = json.loads(office("audit", "list", "--case", c["D"], "--format", "json", env=env).stdout)
    (entry,) = [e for e in trail if e["action"] == "export"]
    assert entry["details"]["purpose"] == "denunciation" and entry["details"]["identity_part"] == ["address", "name"]

    internal = tmp_path / "giao"
    office("export", c["G"], "--out", str(internal), env=env)
    text = (internal / f"ho-so-{c['G']}.txt").read_text("utf-8")
    assert f"(giao {QHXD} xử lý; không gồm thông tin người phản ánh" in text and "chuyển" not in text.lower()
    assert not list(internal.glob("MAT-*"))
    for path in internal.rglob("*"):
        if path.is_file():
            assert NAME.encode() not in path.read_bytes(), path
    refused = office("export", c["G"], "--out", str(tmp_path / "x"), "--consent", "Đồng ý qua điện thoại", env=env,
                     ok=False)  # fmt: skip
    assert refused.returncode == 1 and "drop --consent" in refused.stderr.decode()

    forwarded, consented = tmp_path / "pa", tmp_path / "pa-dong-y"
    office("export", c["A"], "--out", str(forwarded), env=env)
    assert not list(forwarded.glob("MAT-*"))
    office("export", c["A"], "--out", str(consented), "--consent", "Đồng ý bằng thư điện tử ngày 18/06/2026", env=env)
    assert NAME in (consented / "MAT-thong-tin-nguoi-phan-anh.txt").read_text("utf-8")


def test_an_assignment_to_the_unit_the_report_names_needs_a_reason(trial):
    env, c, _, found = trial
    refused = found["named"]
    assert refused.returncode == 1 and QHXD in refused.stderr.decode() and "--named-reason" in refused.stderr.decode()
    assert "CẢNH BÁO" in refused.stderr.decode() and "may expose the reporter" in refused.stderr.decode()
    trail = json.loads(office("audit", "list", "--case", c["L"], "--format", "json", env=env).stdout)
    assert not [e for e in trail if e["details"].get("unit") == QHXD]


def test_retaliation_is_flagged_and_the_leaders_are_to_be_told(trial):
    _, c, _, found = trial
    assert {"number": c["R"], "flags": ["retaliation"]} in found["retaliation_due"]["report_to_leaders"]


def test_every_figure_of_the_reports_tables_is_the_count_over_its_annex(trial):
    _, c, work, found = trial
    values = {(r["section"], r["key"]): r for r in _csv(work / "h2.csv")}
    annex = _csv(work / "h2-phu-luc.csv")
    # office list --period lists exactly the report's cases: the annex's.
    assert sorted(found["listed"]) == sorted(r["Số hồ sơ"] for r in annex)
    new = [r for r in annex if r["Trong kỳ"] == "Tiếp nhận trong kỳ"]
    assert sorted(r["Số hồ sơ"] for r in new) == sorted(c[k] for k in "ALCDRG")
    assert [r["Số hồ sơ"] for r in annex if r["Trong kỳ"] == "Kỳ trước chuyển sang"] == [c["B"]]
    assert values[("summary", "total")]["value"] == str(len(new))
    assert values[("summary", "anonymous")]["value"] == str(sum(r["Người gửi"] == "Ẩn danh" for r in new))
    assert values[("summary", "carried_over")]["value"] == "1"
    from office.reports.half_year import category_label, channel_label, status_label

    channels = Counter(r["Kênh tiếp nhận"] for r in new)
    for key, row in values.items():
        if key[0] == "channel":
            assert int(row["value"]) == channels[channel_label(key[1])], key
        if key[0] == "category":
            assert int(row["value"]) == Counter(r["Loại nội dung"] for r in new)[category_label(key[1])], key
        if key[0] == "status":
            by_track = Counter((r["Tình trạng tại ngày chốt"], r["Diện"]) for r in new)
            label = status_label(key[1])
            reports, accepted = by_track[(label, "Phản ánh, kiến nghị")], by_track[(label, "Tố cáo đã thụ lý")]
            assert row["value"] == str(reports + accepted)
            assert row["detail"] == f"phản ánh, kiến nghị {reports}; tố cáo đã thụ lý {accepted}"
    assert values[("channel", "letter")]["value"] == "1"  # the postal letter is not the comment box
    assert values[("summary", "within")]["value"] == str(sum(r["Thẩm quyền"].startswith("Thuộc") for r in new))
    decisions = Counter(d for r in annex for d in r["Quyết định về tố cáo trong kỳ"].split("; ") if d)
    assert values[("denunciation", "accepted")]["value"] == str(decisions["Thụ lý tố cáo"])
    transferred = "Chuyển tố cáo đến cơ quan có thẩm quyền giải quyết"
    assert values[("denunciation", "transferred")]["value"] == str(decisions[transferred])
    assert values[("summary", "flagged")]["value"] == str(sum(r["Cần báo cáo Lãnh đạo Ban"] == "Có" for r in new))
    late = [step for r in annex for step in r["Bước xử lý trễ hạn"].split(" | ") if step]
    assert values[("summary", "late_steps")]["value"] == str(len(late))
    for key, row in values.items():
        if key[0] == "unit":
            assigned = sum(r["Đơn vị xử lý"] == key[1] for r in new)
            assert row["value"] == str(assigned), key
            late_cases = {r["Số hồ sơ"] for r in annex if f"({key[1]}):" in r["Bước xử lý trễ hạn"]}
            among = {r["Số hồ sơ"] for r in new if r["Đơn vị xử lý"] == key[1]} & late_cases
            assert row["detail"].endswith(
                f"trễ hạn trong số được giao trong kỳ {len(among)}; trễ hạn hồ sơ khác {len(late_cases - among)}"
            ), key
    # The Word report carries the same annex, after the signature.
    text = _docx_text(work / "h2.docx")
    assert "DANH SÁCH HỒ SƠ TÍNH TRONG BÁO CÁO 6 THÁNG CUỐI NĂM 2026" in text
    assert all(f"| {r['Số hồ sơ']} |" in text for r in annex)


def test_a_units_report_never_splits_a_count_small_enough_to_point_at_a_reporter(trial):
    env, c, work, _ = trial
    text = _docx_text(work / "qhxd.docx")
    assert "được giao xử lý 1 phản ánh, tố giác;" in text  # G alone, named
    assert "phản ánh ẩn danh và" not in text and "phản ánh có thông tin người gửi" not in text
    assert "không nêu trong báo cáo của đơn vị vì có nhóm chỉ gồm 1 hoặc 2 hồ sơ" in text
    assert "Kênh tiếp nhận" not in text and "Hình 1" not in text
    assert "PHÒNG QUẢN LÝ QUY HOẠCH" in text and "QUY\n" not in text
    office("report", "--period", "2026-H2", "--unit", QHXD, "--out", str(work / "qhxd.csv"), env=env)
    annex = _csv(work / "qhxd-phu-luc.csv")
    assert "Kênh tiếp nhận" not in annex[0] and "Người gửi" not in annex[0]
    assert c["G"] in {r["Số hồ sơ"] for r in annex}


def test_registers_of_earlier_releases_keep_every_notice_as_a_record(tmp_path):
    for name in ("legacy-register", "release-register"):
        shutil.copytree(ROOT / "tests" / "data" / name / "desk", tmp_path / name)
        env = {
            "OFFICE_DATA": str(tmp_path / name),
            "OFFICE_IDENTITY": str(ROOT / "tests" / "data" / name / "identity.txt"),
            "OFFICE_USER": "can-bo-van-phong",
        }
        assert run_office("audit", "verify", env=env).returncode == 0
        db = sqlite3.connect(tmp_path / name / "register.sqlite")
        told = db.execute(
            "SELECT c.number, n.about, n.given_at, n.how FROM notices n JOIN cases c ON c.id = n.case_id"
            " WHERE n.recipient = 'reporter' ORDER BY n.id"
        ).fetchall()
        if name == "legacy-register":
            assert [row[:2] for row in told] == [("2026-0001", "handling")]
        else:
            assert told == [("2026-0003", "handling", "2026-08-19T17:00:00Z", "Thư điện tử")]
        trail = json.loads(run_office("audit", "list", "--format", "json", env=env).stdout)
        assert [e["details"]["step"] for e in trail if e["action"] == "upgrade"][-1:] in (
            ["21-notice-records"],
            ["21-fair-clocks"],
        )


def test_retaliation_gets_protection_recorded_stage_by_stage_and_reported(trial):
    env, c, work, _ = trial
    listed = office("protection", "list", c["R"], env=env).stdout.decode()
    assert "Bảo vệ vị trí công tác, việc làm: Giữ nguyên vị trí công tác" in listed
    assert re.search(r"08/10/2026\s+Quyết định áp dụng / decided: Trưởng ban", listed)
    assert re.search(r"09/10/2026\s+Đã áp dụng / applied: Chánh Văn phòng", listed)
    assert "Biện pháp bảo vệ / protection measures:" in office("show", c["R"], env=env).stdout.decode()
    late = office("protection", "stage", "1", "--stage", "decided", "--by-whom", "x", env=env, ok=False)
    assert late.returncode == 1 and "next is" in late.stderr.decode()  # decided once, applied since
    text = _docx_text(work / "h2.docx")
    assert "1 biện pháp được đề nghị hoặc quyết định, trong đó 1 biện pháp đã được áp dụng" in text
    assert "Quyết định áp dụng 08/10/2026 (Trưởng ban); Đã áp dụng 09/10/2026 (Chánh Văn phòng)" in text
    # The units' own reports (plan IV.3): the one received, the others not yet.
    assert f"Văn phòng Ban đã nhận 1/2 báo cáo: {DN} (ngày 01/12/2026); chưa nhận: {QHXD}." in text
    trail = json.loads(office("audit", "list", "--case", c["R"], "--format", "json", env=env).stdout)
    assert [e["details"]["stage"] for e in trail if e["action"] == "protection"] == ["requested", "decided", "applied"]
