"""The handbook's scenario lived entirely in the page, by keyboard alone; then the commands check the register.

Two registers are fed the same store: the clerk works one through the desk in
Chromium (Tab, typing, Enter and Space only), and the other is worked through
the same steps with the `office` commands. Both run under the same fixed clock.
At the end the commands read both registers: the same cases in the same state,
and the same audit entries, the page's own views of a case aside (each is an
audit entry of its own, as every `office show` is). On the way, axe checks every
page at 1366x768, nothing reaches another host, and the handbook's screenshots
are taken from the real page.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import docx
import pytest
from PIL import Image, ImageChops
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from intake_function import objects, receipt, report
from intake_function.store import open_store
from office import register
from tests.conftest import ROOT, age_encrypt, require_tool
from tests.desk.test_handbook import _at
from tests.report.conftest import axe_serious
from tests.test_office import put_report
from tests.window.conftest import (
    PASSPHRASE,
    make_register,
    open_window,
    press,
    start_desk,
    tab_to,
    type_into,
    wait_for_exit,
)

# The clock of the scenario: after the second half of 2026 has ended (cut-off 15/11), before its report is due.
CLOCK = "2026-11-25 09:00:00"
SHOTS = ROOT / "docs" / "huong-dan-ky-thuat" / "anh"
NAMED = "Phạm Thị Kín Đáo"
DENOUNCER = "Trần Văn B"
FOLLOWUP = "Tôi bổ sung: sự việc xảy ra vào sáng thứ Hai hằng tuần."
STRAY = "Tôi xin bổ sung cho phản ánh về công trình bỏ dở: có ảnh chụp mới."
HOTLINE = "Người gọi cho biết cán bộ tiếp nhận hồ sơ yêu cầu nộp thêm một khoản tiền ngoài quy định."
LETTER = "Đơn tố cáo có chữ ký: cán bộ C nhận tiền của doanh nghiệp D để bỏ qua vi phạm khi kiểm tra."
PHOTO = b"\xff\xd8 anh chup hien truong"
UNIT, HEAD = "Phòng chuyên môn A", "Trưởng phòng chuyên môn A"
REPLY = "Văn phòng Ban đã nhận phản ánh và thông tin bổ sung của Ông/Bà."
DECISION = "Quyết định số 45/QĐ-BQLKKT"
ACTIVITY = "Hội nghị quán triệt Chỉ thị 27-CT/TW và Kế hoạch của Ban"
REVEAL = "Lãnh đạo Ban yêu cầu để xem xét áp dụng biện pháp bảo vệ người phản ánh"
INCIDENT = "Phiếu ghi nội dung cuộc gọi để trên bàn làm việc chung; đã thu hồi"

# The steps both faces take, as the commands write them (the page types the same values into its forms).
STEPS = [
    ["pull"],
    ["add", "--channel", "hotline", "--received", "10/11/2026 08:30", "--category", "corruption",
     "--description", HOTLINE, "--place", "Bộ phận tiếp nhận hồ sơ"],
    ["add", "--channel", "mailbox", "--received", "12/11/2026", "--category", "corruption", "--description", LETTER,
     "--name", DENOUNCER, "--address", "Ấp Ví Dụ, xã Ví Dụ", "--contact", "post", "--attach", "don-to-cao.pdf"],
    ["classify", "2026-0001", "--competence", "within", "--note", "Thuộc phạm vi quản lý của Ban"],
    ["assign", "2026-0001", "--unit", UNIT, "--head", HEAD],
    ["reply", "2026-0001", "--message", REPLY, "--yes"],
    ["extract", "2026-0001", "--out", "tep-2026-0001", "--reason", "Xem ảnh chụp gửi kèm phản ánh"],
    ["reveal", "2026-0001", "--reason", REVEAL],
    ["classify", "2026-0004", "--competence", "within", "--note", "Tố cáo thuộc thẩm quyền giải quyết của Ban"],
    ["accept", "2026-0004", "--decision", DECISION, "--on", "20/11/2026", "--conditions-met"],
    ["notice", "2026-0004", "--kind", "accepted", "--out", "thong-bao-thu-ly.docx"],
    ["attach", "{stray}", "2026-0002", "--reason", "Cùng sự việc ở hồ sơ 2026-0002"],
    ["activity", "add", "--task", "1", "--date", "20/08/2026", "--kind", "meeting", "--what", ACTIVITY,
     "--people", "30"],
    # The page shows the figures (not a report made: not in the trail), then downloads the DOCX and the CSV.
    ["report", "--period", "2026-H2", "--out", "bao-cao-6-thang.docx"],
    ["report", "--period", "2026-H2", "--out", "so-lieu.csv"],
    ["incident", "add", "--date", "12/11/2026", "--note", INCIDENT, "--case", "2026-0003"],
]  # fmt: skip


def _fill_store(store, recipients: list[str]) -> tuple[receipt.Derived, str]:
    """Two online reports (one named, with a receipt code and a photo), a follow-up, and a stray follow-up, sealed
    to the keys in force as the site seals them."""
    recipient = ",".join(recipients)
    code = receipt.derive(receipt.new_code())
    key, _, _ = put_report(
        store,
        recipient,
        [PHOTO],
        category="corruption",
        description="Cán bộ X yêu cầu doanh nghiệp nộp tiền ngoài quy định.",
        reporter={"name": NAMED, "email": "kin.dao@example.vn"},
        reply={"recipient": code.reply_recipient, "lookup_id": code.lookup_id},
    )
    _at(store, key, "2026-11-02T02:00:00")
    key, _, _ = put_report(store, recipient, description="Công trình bỏ dở nhiều năm, gây lãng phí.")
    _at(store, key, "2026-11-05T02:00:00")
    followup = {"schema": "followup/1", "lookup_id": code.lookup_id, "message": FOLLOWUP}
    key = objects.new_inbox_key()[1]
    store.put(key, age_encrypt(report.padded(followup), *recipients))
    _at(store, key, "2026-11-06T02:00:00")
    stray = {"schema": "followup/1", "lookup_id": "0" * 32, "message": STRAY}
    key = objects.new_inbox_key()[1]
    store.put(key, age_encrypt(report.padded(stray), *recipients))
    stray_key = _at(store, key, "2026-11-07T02:00:00")
    return code, register.followup_reference(stray_key)


def _clock(minutes: int = 0) -> dict[str, str]:
    """The environment that runs a process under the scenario's clock, ``minutes`` later (it starts there and runs
    on): libfaketime preloaded as the ``faketime`` command does, without the command's shared semaphore, whose
    name (its process id) a dead run of any test on the machine may have left taken."""
    require_tool("faketime")
    libraries = sorted(Path("/usr/lib").glob("*/faketime/libfaketimeMT.so.1"))
    assert libraries, "libfaketime is not installed with faketime"
    start = datetime.fromisoformat(CLOCK) + timedelta(minutes=minutes)
    return {"LD_PRELOAD": str(libraries[0]), "FAKETIME": f"@{start:%Y-%m-%d %H:%M:%S}"}


def _office(env: dict[str, str], cwd: Path, *args: str, minutes: int = 0) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "office", *args],
        env={**os.environ, **env, **_clock(minutes)},
        cwd=cwd,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert result.returncode == 0, f"office {' '.join(args)}: {result.stderr}"
    return result


@pytest.fixture(scope="module")
def two_desks(tmp_path_factory, protected_key, second_key, office_key):
    """The page's register and the commands' register, fed the same store; the files the clerk has."""
    recipients = [protected_key[1], second_key[1]]
    page_root, command_root = tmp_path_factory.mktemp("page"), tmp_path_factory.mktemp("commands")
    page_env = {**make_register(page_root, recipients), "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
    command_env = {**make_register(command_root, recipients), "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
    command_env["OFFICE_IDENTITY"] = str(office_key[0])  # the same key, unsealed: the commands run unattended
    store = open_store(page_env["OFFICE_STORE"])
    code, stray = _fill_store(store, recipients)
    twin = open_store(command_env["OFFICE_STORE"])
    for info in store.list(""):
        if info.key != objects.REGISTER_MARKER:
            twin.put(info.key, store.get(info.key))
    letter = page_root / "don-to-cao.pdf"
    letter.write_bytes(b"%PDF-1.4\n% don to cao co chu ky\n")
    shutil.copy(letter, command_root / "don-to-cao.pdf")
    return {
        "page": (page_root, page_env),
        "commands": (command_root, command_env),
        "code": code,
        "stray": stray,
        "letter": letter,
        "store": store,
    }


class Clerk:
    """The clerk at the page, keyboard only; every page checked by axe; screenshots for the handbook."""

    def __init__(self, window, origin: str):
        self.page = window.page
        self.window = window
        self.origin = origin
        self.checked: list[str] = []

    def check(self) -> None:
        """axe on the page as it is (WCAG 2.1 A and AA): no serious or critical finding.

        Once for each kind of page in each state (a case page like another is not checked again).
        """
        path = re.sub(r"\d{4}-\d{4}|[0-9A-Z]{26}", "N", self.page.url.removeprefix(self.origin).split("#")[0])
        state = (path, self.page.locator("main .error, main .done, details[open]").count())
        if state in self.checked:
            return
        assert axe_serious(self.page) == [], self.page.url
        self.checked.append(state)

    def shot(self, name: str) -> None:
        """A screenshot for the handbook: the page as it is, in few colours (a page of text needs no more),
        once for each language of the site (the English page shows the same screen, as ``.en.png``)."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        image = Image.open(io.BytesIO(self.page.screenshot())).convert("RGB")
        image = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        for suffix in (".png", ".en.png"):
            path = SHOTS / f"ban-lam-viec-{name}{suffix}"
            if not _same_picture(path, image):
                image.save(path, optimize=True)

    def go(self, target, key: str = "Enter") -> None:
        """Tab to a link or button and press it; wait for the page it leads to."""
        tab_to(self.page, target)
        with self.page.expect_navigation():
            self.page.keyboard.press(key)

    def menu(self, label: str) -> None:
        self.go(self.page.locator("nav.side a", has_text=label))
        self.check()

    def open_action(self, name: str) -> None:
        press(self.page, self.page.locator(f"#viec-{name} > summary"))

    def type(self, selector: str, text: str) -> None:
        type_into(self.page, self.page.locator(selector), text)

    def choose(self, name: str, value: str, scope: str = "main") -> None:
        """A radio group by keyboard: Tab into the group, then the arrow keys until ``value`` is checked."""
        group = self.page.locator(f'{scope} input[type="radio"][name="{name}"]')
        first = group.first
        for _ in range(200):
            active = self.page.evaluate("() => document.activeElement && document.activeElement.name")
            if active == name and self.page.evaluate("() => document.activeElement.closest('form') !== null"):
                break
            self.page.keyboard.press("Tab")
        assert first.count()
        for _ in range(group.count() + 1):
            if self.page.locator(f'{scope} input[type="radio"][name="{name}"][value="{value}"]').is_checked():
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{name}={value} never checked")

    def pick(self, selector: str, value: str, typed: str) -> None:
        """A drop-down list by keyboard: focus it, type the start of the option, as a person does."""
        tab_to(self.page, self.page.locator(selector))
        self.page.keyboard.type(typed)
        assert self.page.locator(selector).input_value() == value

    def choose_file(self, selector: str, path: Path) -> None:
        """A file from the PC: Space on the file field opens the chooser. Chromium now and then lets a key
        press on a file field pass without opening it (seen under load): the clerk presses again."""
        for _ in range(3):
            tab_to(self.page, self.page.locator(selector))
            try:
                with self.page.expect_file_chooser(timeout=10_000) as chooser:
                    self.page.keyboard.press(" ")
            except PlaywrightTimeout:
                continue
            chooser.value.set_files(str(path))
            return
        raise AssertionError(f"{selector} never opened the file chooser")

    def tick(self, selector: str) -> None:
        press(self.page, self.page.locator(selector), " ")

    def submit(self, selector: str) -> None:
        self.go(self.page.locator(selector))

    def done_text(self) -> str:
        return self.page.locator("#ket-qua").inner_text()


def _same_picture(path: Path, image: Image.Image) -> bool:
    """Whether the screenshot already in the handbook shows the same (its palette may differ by a shade from one
    run to the next, which is no reason to change the file)."""
    if not path.exists():
        return False
    with Image.open(path) as kept:
        if kept.size != image.size:
            return False
        difference = ImageChops.difference(kept.convert("RGB"), image.convert("RGB")).convert("L")
    return difference.point(lambda level: 255 if level > 16 else 0).getbbox() is None


def _audit(env: dict[str, str], cwd: Path) -> list[dict]:
    entries = json.loads(_office(env, cwd, "audit", "list", "--format", "json").stdout)
    return [
        {"action": e["action"], "case": e["case"], "reason": e["reason"], "details": _steady(e["details"])}
        for e in entries
        if e["action"] not in ("view", "view-full")
    ]


def _steady(details: dict) -> dict:
    """An entry's details without what differs between two runs of the same step: object ids, file paths,
    and the time of day of a moment (each step is taken on the same day, a few seconds or minutes apart)."""
    volatile = ("object", "key", "out", "path", "file", "register", "store")
    return {
        k: v[:10] if isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", v) else v
        for k, v in details.items()
        if k not in volatile
    }


def _cases(env: dict[str, str], cwd: Path) -> list[dict]:
    rows = json.loads(_office(env, cwd, "list", "--format", "json").stdout)
    for row in rows:
        row["assigned_at"] = (row["assigned_at"] or "")[:10]  # the moment differs by seconds, not the day
        del row["unread_followups"]  # reading the case page reads its follow-ups, as `office show` does
    return rows


def test_the_handbooks_scenario_in_the_page_by_keyboard_then_the_commands_agree(browser, two_desks, protected_key):
    page_root, page_env = two_desks["page"]
    command_root, command_env = two_desks["commands"]

    def by_commands() -> None:
        """The same steps through the commands, on the twin register (meanwhile: it needs no browser)."""
        for minutes, step in enumerate(STEPS, start=1):  # each command a minute after the one before
            args = [arg.format(stray=two_desks["stray"]) for arg in step]
            _office(command_env, command_root, *args, minutes=minutes)

    said: dict[str, list[str]] = {}  # what the page showed in the commands' words, by the command that prints it
    with ThreadPoolExecutor(max_workers=1) as meanwhile:
        twin = meanwhile.submit(by_commands)
        desk = start_desk({**page_env, **_clock()}, protected_key[0])
        try:
            window = open_window(browser, desk)
            clerk = Clerk(window, desk.origin)
            _live_the_scenario(clerk, window.page, two_desks, said)
            assert wait_for_exit(desk.process) == 0, "Thoát did not stop the desk"
            assert window.hosts == {f"127.0.0.1:{desk.port}"}, "the page talked to another host"
            # The refusals on purpose (a wrong passphrase, a wrong date; a page that does not exist) answer
            # 400 and 404; nothing else failed.
            refused = "Failed to load resource: the server responded with a status of {} ({})"
            assert window.errors == [refused.format(400, "BAD REQUEST")] * 2 + [refused.format(404, "NOT FOUND")]
            window.context.close()
        finally:
            desk.stop()
        twin.result()

    # Nothing of a report reached the disk but the copies the clerk chose to save (the photo's folder).
    secrets = [HOTLINE, LETTER, FOLLOWUP, STRAY, NAMED, DENOUNCER, REPLY, "Cán bộ X yêu cầu doanh nghiệp"]
    saved = page_root / "tep-2026-0001"
    for path in page_root.rglob("*"):
        if path.is_file() and saved not in path.parents:
            data = path.read_bytes()
            assert not [s for s in secrets if s.encode() in data], path
    assert list((page_root / "tmp").iterdir()) == [], "the desk left files in its temporary folder"

    # The commands read both registers: the same cases, in the same state; the same audit entries.
    assert _cases(page_env, page_root) == _cases(command_env, command_root)
    assert _audit(page_env, page_root) == _audit(command_env, command_root)
    views = json.loads(_office(page_env, page_root, "audit", "list", "--case", "2026-0001", "--format", "json").stdout)
    assert any(e["action"] == "view" for e in views), "opening the case page is not in the audit trail"
    unread = _office(page_env, page_root, "followups").stdout
    assert "2026-0001" not in unread, "the follow-up read in the page is still unread"

    # The case page and the overview said what office show and office due print, word for word.
    printed = " ".join(_office(page_env, page_root, "due").stdout.split())  # a page's cell keeps no double space
    assert len(said["due"]) >= 2 and all(" ".join(line.split()) in printed for line in said["due"]), said["due"]
    unsealed = {**page_env, "OFFICE_IDENTITY": command_env["OFFICE_IDENTITY"]}
    printed = _office(unsealed, page_root, "show", "2026-0002").stdout
    assert len(said["show"]) >= 3 and all(block in printed for block in said["show"]), said["show"]


def _live_the_scenario(clerk: Clerk, page, desks: dict, said: dict[str, list[str]]) -> None:
    # Unlock: a wrong passphrase first, said in Vietnamese; then the right one.
    clerk.check()
    clerk.shot("1-mo-khoa")
    clerk.type("#passphrase", "không phải mật khẩu")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "mật khẩu không mở được" in page.locator("#unlock-error").inner_text()
    clerk.check()
    clerk.type("#passphrase", PASSPHRASE)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/")
    clerk.check()

    # Pull: the two online reports, the follow-up, the stray follow-up kept aside.
    clerk.menu("Tải phản ánh mới")
    clerk.submit("main form button[type=submit]")
    summary = clerk.done_text()
    assert "2026-0001, 2026-0002" in summary and "chưa khớp hồ sơ nào" in summary
    clerk.check()
    clerk.shot("2-tai-phan-anh")

    # A hotline call: a wrong date is refused with everything typed kept; then registered.
    clerk.menu("Vào sổ phản ánh")
    clerk.choose("channel", "hotline")
    clerk.type("#add-received", "31/02/2026 08:30")
    clerk.choose("category", "corruption")
    clerk.type("#add-description", HOTLINE)
    clerk.type("#add-place", "Bộ phận tiếp nhận hồ sơ")
    clerk.submit("main form button[type=submit]")
    assert page.locator("main .error").count() == 1 and "31/02/2026" in page.locator("main .error").inner_text()
    assert page.locator("#add-description").input_value() == HOTLINE
    clerk.check()
    clerk.type("#add-received", "10/11/2026 08:30")
    clerk.submit("main form button[type=submit]")
    assert page.url.split("#")[0].endswith("/cases/2026-0003")
    clerk.check()

    # A signed letter of denunciation, with its scan chosen from the PC.
    clerk.menu("Vào sổ phản ánh")
    clerk.choose("channel", "mailbox")
    clerk.type("#add-received", "12/11/2026")
    clerk.choose("category", "corruption")
    clerk.type("#add-description", LETTER)
    clerk.type("#add-name", DENOUNCER)
    clerk.type("#add-address", "Ấp Ví Dụ, xã Ví Dụ")
    clerk.choose("contact", "post")
    clerk.choose_file("#add-attach", desks["letter"])
    clerk.shot("4-vao-so")
    clerk.submit("main form button[type=submit]")
    assert page.url.split("#")[0].endswith("/cases/2026-0004")

    # The named online report: classify, assign, answer through its receipt code.
    # The register: the online cases of the period by keyboard, sorted by deadline, their CSV for Excel.
    clerk.menu("Sổ theo dõi")
    clerk.pick("#f-channel", "online", "T")
    clerk.type("#f-period", "2026-H2")
    clerk.submit("form.filters button[type=submit]")
    assert [row.inner_text() for row in page.locator("tbody th").all()] == ["2026-0001", "2026-0002"]
    clerk.go(page.locator("thead a", has_text="Hạn"))
    assert "sort=due" in page.url and page.locator("th[aria-sort=ascending]").count() == 1
    with page.expect_download() as download:
        press(page, page.locator("main a", has_text="Tải CSV cho Excel"))
    table = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(";")[0] for line in table[1:]] == ["2026-0001", "2026-0002"]
    clerk.check()
    clerk.menu("Sổ theo dõi")
    clerk.shot("3-so-theo-doi")
    clerk.go(page.locator("tbody a", has_text="2026-0001"))
    clerk.check()
    assert NAMED not in page.locator("main").inner_text() and FOLLOWUP in page.locator("main").inner_text()
    clerk.open_action("classify")
    clerk.choose("competence", "within", "#viec-classify")
    clerk.type("#classify-note", "Thuộc phạm vi quản lý của Ban")
    clerk.submit("#viec-classify button[type=submit]")
    assert "Đã phân loại" in clerk.done_text()
    clerk.open_action("assign")
    clerk.type("#assign-unit", UNIT)
    clerk.type("#assign-head", HEAD)
    clerk.submit("#viec-assign button[type=submit]")
    assert "Đang xử lý" in clerk.done_text()
    clerk.check()
    clerk.shot("5-ho-so")
    clerk.open_action("reply")
    clerk.type("#reply-message", REPLY)
    clerk.submit("#viec-reply button[type=submit]")
    assert REPLY in page.locator("#xem-truoc").inner_text()  # what the reporter will read, before it is sent
    clerk.check()
    clerk.submit("main form button[type=submit]")
    assert "đã gửi trả lời" in clerk.done_text()

    # Its photo, decrypted as it came into a folder the clerk types; then who sent it, for a reason.
    folder = desks["page"][0] / "tep-2026-0001"
    clerk.open_action("extract")
    clerk.type("#extract-out", str(folder))
    clerk.type("#extract-reason", "Xem ảnh chụp gửi kèm phản ánh")
    clerk.submit("#viec-extract button[type=submit]")
    assert [p.read_bytes() for p in folder.iterdir()] == [PHOTO]
    clerk.open_action("reveal")
    clerk.type("#reveal-reason", REVEAL)
    clerk.submit("#viec-reveal button[type=submit]")
    assert NAMED in page.locator("main").inner_text()
    clerk.check()

    # The denunciation: classify, accept (its five conditions confirmed), download its notice.
    clerk.menu("Sổ theo dõi")
    clerk.go(page.locator("tbody a", has_text="2026-0004"))
    clerk.open_action("classify")
    clerk.choose("competence", "within", "#viec-classify")
    clerk.type("#classify-note", "Tố cáo thuộc thẩm quyền giải quyết của Ban")
    clerk.submit("#viec-classify button[type=submit]")
    clerk.open_action("accept")
    clerk.type("#accept-decision", DECISION)
    clerk.type("#accept-on", "20/11/2026")
    for number in "12345":  # each condition of acceptance, confirmed one by one
        clerk.tick(f'#viec-accept input[name="conditions"][value="{number}"]')
    clerk.submit("#viec-accept button[type=submit]")
    assert "Tố cáo đã thụ lý" in clerk.done_text()
    clerk.check()
    clerk.open_action("notice")
    clerk.choose("kind", "accepted", "#viec-notice")
    with page.expect_download() as download:
        press(page, page.locator("#viec-notice button[type=submit]"))
    notice = docx.Document(download.value.path())
    text = "\n".join(p.text for p in notice.paragraphs)
    assert "2026-0004" in text and DENOUNCER not in text

    # The stray follow-up: read, then joined to the case it belongs to.
    clerk.menu("Thông tin bổ sung")
    clerk.go(page.locator("main a", has_text=desks["stray"]))
    assert STRAY in page.locator("main").inner_text()
    clerk.check()
    clerk.type("#attach-case", "2026-0002")
    clerk.type("#attach-reason", "Cùng sự việc ở hồ sơ 2026-0002")
    clerk.submit("main form button[type=submit]")
    assert page.url.split("#")[0].endswith("/cases/2026-0002") and STRAY in page.locator("main").inner_text()
    said["show"] = [block.inner_text() for block in page.locator("pre.said").all()]

    # An activity of the plan.
    clerk.menu("Hoạt động")
    clerk.choose("task", "1", "#them-hoat-dong")
    clerk.type("#act-held", "20/08/2026")
    clerk.type("#act-what", ACTIVITY)
    clerk.pick("#act-kind", "meeting", "H")
    clerk.type("#act-people", "30")
    clerk.submit("#them-hoat-dong button[type=submit]")
    assert ACTIVITY in page.locator("main > ul.lines").inner_text()
    clerk.check()

    # The half-year report: its figures in the page, then the DOCX and the CSV.
    clerk.menu("Báo cáo 6 tháng")
    clerk.type("#rep-period", "2026-H2")
    clerk.go(page.get_by_role("button", name="Xem số liệu"))
    clerk.check()
    clerk.shot("6-bao-cao")
    with page.expect_download() as download:
        press(page, page.get_by_role("button", name="Tải báo cáo Word"))
    text = "\n".join(p.text for p in docx.Document(download.value.path()).paragraphs)
    assert "6 tháng cuối năm 2026" in text
    with page.expect_download() as download:
        press(page, page.get_by_role("button", name="Tải CSV"))
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig")), delimiter=";"))
    assert ["summary", "total", "Tổng số tiếp nhận", "4", ""] in rows

    # A confidentiality incident.
    clerk.menu("Sự cố bảo mật")
    clerk.type("#inc-on", "12/11/2026")
    clerk.type("#inc-note", INCIDENT)
    clerk.type("#inc-case_number", "2026-0003")
    clerk.submit("#them-su-co button[type=submit]")
    assert INCIDENT in page.locator("main").inner_text()
    clerk.check()

    # The overview, the keys and the audit trail.
    clerk.menu("Tổng quan")
    clerk.shot("0-tong-quan")
    steps = page.locator("#han td:first-of-type").all()
    said["due"] = [page.locator("#han-tinh-den").inner_text(), *(step.inner_text() for step in steps)]
    clerk.menu("Khóa và nhật ký")
    assert "Nhật ký toàn vẹn" in page.locator("main").inner_text()

    # A page that does not exist says so (the refusal pages are checked like the others).
    page.goto(clerk.origin + "/khong-co")
    assert "Không có trang này" in page.locator("main").inner_text()
    clerk.check()

    # "Khóa" locks at once and asks again; "Thoát" stops the desk.
    clerk.go(page.get_by_role("button", name="Khóa"))
    assert "/unlock" in page.url
    clerk.check()
    clerk.type("#passphrase", PASSPHRASE)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    clerk.go(page.get_by_role("button", name="Thoát"))
    assert "Đã thoát" in page.locator("main").inner_text()
    clerk.check()
