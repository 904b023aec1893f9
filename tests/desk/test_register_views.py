"""The read side of the desk: ``office list``'s filters, search, sort and CSV, ``office due``'s owners, the overview.

One register for the module, made by the real commands: a hotline report of the first half of 2026
left unclassified (late), a named e-mail report of the second half assigned to a unit whose name
starts with "=" (as a formula would), and a reception report forwarded to another authority. The
overview (the window's first page) is read through its operation, on the same register.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from intake_function.store import open_store
from office.register import overview
from office.register.desk import open_desk
from office.workflow import settings as settings_module
from office.workflow.clock import today
from tests.desk.conftest import add, data_dir, office
from tests.test_office import put_report

UNIT = '=HYPERLINK("http://example.invalid/x","Phòng A")'


@pytest.fixture(scope="module")
def desk(tmp_path_factory, office_key, second_key):
    tmp = tmp_path_factory.mktemp("views")
    store = tmp / "store"
    store.mkdir()
    env = {
        "OFFICE_DATA": str(tmp / "desk"),
        "OFFICE_IDENTITY": str(office_key[0]),
        "OFFICE_RECIPIENTS": f"{office_key[1]},{second_key[1]}",
        "OFFICE_STORE": store.as_uri(),
        "OFFICE_USER": "can-bo-van-phong",
    }
    office("init", env=env)
    hotline = ("--channel", "hotline", "--category", "waste", "--description", "Lãng phí")
    late = add(env, *hotline, "--received", "1/3/2026")
    named = add(
        env, "--channel", "email", "--category", "corruption", "--description", "Nhận tiền", "--name", "Trần Văn B",
        "--email", "b@example.vn", "--received", "20/09/2026",
    )  # fmt: skip
    reception = ("--channel", "reception", "--category", "other", "--description", "Khác")
    forwarded = add(env, *reception, "--received", "1/10/2026")
    office("classify", named, "--competence", "within", env=env)
    office("assign", named, "--unit", UNIT, "--head", "Ông B", env=env)
    office("classify", forwarded, "--competence", "outside", env=env)
    office("forward", forwarded, "--to", "Sở Tài chính tỉnh", env=env)
    return {"env": env, "tmp": tmp, "late": late, "named": named, "forwarded": forwarded, "store": store}


def numbers(desk, *args: str) -> list[str]:
    return [row["number"] for row in json.loads(office("list", "--format", "json", *args, env=desk["env"]).stdout)]


def test_the_filters_each_keep_their_rows_and_combine(desk):
    late, named, forwarded = desk["late"], desk["named"], desk["forwarded"]
    assert numbers(desk) == [late, named, forwarded]  # the register's order: by arrival
    # A period's list is its report's cases (its annex): the open case received in H1 is carried over into H2.
    assert numbers(desk, "--period", "2026-H2") == [late, named, forwarded]
    assert numbers(desk, "--period", "2026-h1") == [late]
    assert numbers(desk, "--late") == [late]
    assert numbers(desk, "--status", "forwarded") == [forwarded]
    assert numbers(desk, "--channel", "email") == [named]
    assert numbers(desk, "--unit", UNIT) == [named]
    assert numbers(desk, "--track", "report") == [late, named, forwarded]
    assert numbers(desk, "--open", "--period", "2026-H2", "--channel", "reception") == [forwarded]
    # Searched without case or tone marks, in the metadata only (the authority, the unit, the number...).
    assert numbers(desk, "--search", "so tai CHINH") == [forwarded]
    assert numbers(desk, "--search", named[-4:]) == [named]
    assert numbers(desk, "--search", "Nhận tiền") == []  # a report's content is never searched: it is encrypted
    assert numbers(desk, "--sort", "-number") == [forwarded, named, late]
    assert numbers(desk, "--sort", "due")[0] == late  # its deadline passed first
    empty = office("list", "--track", "denunciation", env=desk["env"])
    assert empty.stdout == b"" and "Không có hồ sơ nào khớp điều kiện lọc" in empty.stderr.decode()
    table = office("list", "--late", env=desk["env"]).stdout.decode().splitlines()
    assert len(table) == 2 and table[1].startswith(late) and "QUÁ HẠN" in table[1]


def test_a_wrong_filter_is_refused_in_vietnamese_first(desk):
    for args, words in (
        (["--sort", "ngay"], "--sort: 'ngay' không thuộc các giá trị"),
        (["--period", "2026-H3"], "kỳ báo cáo phải có dạng 2026-H1 hoặc 2026-H2"),
    ):
        result = office("list", *args, env=desk["env"], ok=False)
        assert result.returncode == 1 and result.stderr.decode().startswith("Lỗi / Error: ")
        assert words in result.stderr.decode()


def test_the_csv_is_exactly_the_rows_shown_and_excel_runs_no_formula(desk):
    args = ("--period", "2026-H2", "--sort", "-number")
    raw = office("list", "--format", "csv", *args, env=desk["env"]).stdout
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\r\n") == 4  # a BOM: Excel reads the Vietnamese
    header, *rows = csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";")
    table = office("list", *args, env=desk["env"]).stdout.decode().splitlines()
    assert header[0] == "Số / No." and table[0].startswith("Số / No.") and len(header) == 12
    expected = [desk["forwarded"], desk["named"], desk["late"]]
    assert [row[0] for row in rows] == expected == [t.split()[0] for t in table[1:]]
    named = next(row for row in rows if row[0] == desk["named"])
    assert named[6] == "'" + UNIT  # shown as the text it is, never run as a formula
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_due_says_whose_each_step_is(desk):
    found = json.loads(office("due", "--format", "json", "--within", "400", env=desk["env"]).stdout)
    owners = {(d["number"], d["step"]): d["owner"] for d in found["deadlines"]}
    assert owners[(desk["late"], "received")] == "Văn phòng Ban"  # classifying is the Office's step
    assert owners[(desk["named"], "handling")] == UNIT  # the unit holds its handling
    assert owners[(desk["named"], "notify")] == "Văn phòng Ban"  # telling a named reporter is the Office's
    assert owners[(desk["forwarded"], "forwarded")] == "Văn phòng Ban"  # the Office follows what it forwarded


def test_the_overview_counts_what_waits_and_what_is_due(desk, office_key):
    put_report(open_store(desk["store"].as_uri()), office_key[1])
    desk_ = open_desk(data_dir(desk["env"]))
    seen = overview.overview(desk_, open_store(desk["store"].as_uri()))
    assert seen.store.waiting == 1 and seen.store.problem is None
    assert seen.by_status["received"] == 1 and seen.by_status["handling"] == 1 and seen.by_status["forwarded"] == 1
    assert seen.total == 3 and seen.by_status["concluded"] == 0
    assert [(i.due.case.number, i.owner) for i in seen.late] == [(desk["late"], "Văn phòng Ban")]
    assert seen.unread == [] and seen.unmatched == 0 and seen.leaders == []
    # The next half-year report: the first plan deadline (05/6, 05/12) from today on, and its period.
    deadline = seen.next_report.deadline
    assert deadline >= today() and (deadline.month, deadline.day) in ((6, 5), (12, 5))
    assert seen.next_report.period.deadline == deadline and seen.next_report.period.end <= deadline
    assert (deadline - today()).days <= 184
    assert seen.site is None  # no site check recorded yet
    assert overview.overview(desk_).store is None  # no store named: an offline computer

    # A site check is recorded in the audit trail; the overview reads its verdict from there.
    manifest = desk["tmp"] / "site-manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "format": "portal-site-manifest/1",
                "commit": "a" * 40,
                "source_date_epoch": 0,
                "data_sha256": "0" * 64,
                "site_url": None,
                "api_url": "/api/v1",
                "recipients": [],
                "files": {"index.html": "0" * 64},
            }
        )
    )
    checked = office("check-site", "http://127.0.0.1:9/", "--manifest", str(manifest), env=desk["env"], ok=False)
    assert checked.returncode == 1
    site = overview.overview(desk_).site
    assert site is not None and site.verdict == "unreachable" and site.url.startswith("http://127.0.0.1:9")
    # The words check-site printed for the same check: one verdict, one name.
    assert site.label.startswith("KHÔNG XÁC MINH ĐƯỢC: trang không trả lời / CANNOT VERIFY")
    assert checked.stdout.decode().startswith("KẾT LUẬN: KHÔNG XÁC MINH ĐƯỢC")


def test_the_next_report_follows_the_settings_cut_offs():
    settings = settings_module.load(data_dir({"OFFICE_DATA": "/nonexistent"}))
    assert overview.next_report(settings, date(2026, 12, 7)).period.code == "2027-H1"
    assert overview.next_report(settings, date(2026, 12, 5)).period.code == "2026-H2"
    assert overview.next_report(settings, date(2026, 6, 6)).deadline == date(2026, 12, 5)
