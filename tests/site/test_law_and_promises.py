"""What the portal says, checked in what it ships: no promise of an answer or a result to a reporter,
every citation of the Law on Denunciation or the Law on Citizen Reception with its amendment note,
the placeholder notice and the draft label driven by the data file, the pages users look for."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

from intake_function import report
from portal_site import data as data_module
from portal_site import render
from tests.promises import find_promises as promises_in
from tests.promises import forbidden_phrases

from .conftest import COMPLETE_DATA, ROOT, page_paths

pytestmark = pytest.mark.slow

TEMPLATES = ROOT / "intake_function" / "templates"
REPO_DATA = ROOT / "docs" / "data" / "portal.yml"
LAW = re.compile(
    r"Luật Tố cáo|Luật Tiếp công dân|Law on Denunciation|Law on Citizen Reception|25/2018/QH14|42/2013/QH13"
)
BLOCKS = {"p", "li", "td", "th", "dd", "dt", "summary", "figcaption", "caption", "h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {"br", "img", "input", "hr", "meta", "link", "wbr", "source", "col", "area", "base", "embed", "track"}
# Options of a quiz are answers to choose from, wrong ones included: they cite and promise nothing.
SKIPPED_CLASSES = {"portal-quiz__options"}


def normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


class _Text(HTMLParser):
    """The visible text of a page's body, without scripts, styles and quiz options."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden: list[str] = []  # the stack of open elements whose text is left out

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if tag in VOID:
            return
        if self._hidden or tag in ("script", "style", "template", "head") or classes & SKIPPED_CLASSES:
            self._hidden.append(tag)

    def handle_endtag(self, tag):
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


def _html_file(site: Path, path: str) -> Path:
    return site / (path.lstrip("/") + ("index.html" if path.endswith("/") else ""))


# --- no promise of an answer or a result -------------------------------------------------------


def test_the_list_of_forbidden_phrasings_is_read():
    phrases = forbidden_phrases()
    assert "sẽ trả lời" in phrases and "check a receipt" in phrases and len(phrases) > 20
    assert "sẽ trả lời" in promises_in("Văn phòng Ban  SẼ   trả lời khi có kết quả")
    assert promises_in("Ông/Bà có thể bổ sung thông tin bằng mã tra cứu.") == []


def test_no_page_promises_an_answer_or_a_result(built_site):
    found = {}
    for path in page_paths(built_site.site):
        text = visible_text(_html_file(built_site.site, path).read_text(encoding="utf-8"))
        hits = promises_in(text)
        if hits:
            found[path] = hits
    assert found == {}


def _unescape_js(text: str) -> str:
    """esbuild writes non-ASCII characters as escapes (\\xNN, \\uXXXX, \\u{...}): read them back."""
    text = re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m[1], 16)), text)
    text = re.sub(r"\\u\{([0-9a-fA-F]+)\}", lambda m: chr(int(m[1], 16)), text)
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), text)


def test_no_browser_bundle_promises_an_answer_or_a_result(built_site):
    bundles = sorted((built_site.site / "assets" / "report").glob("*.js"))
    assert bundles, "the report bundles were not built"
    texts = {b.name: _unescape_js(b.read_text(encoding="utf-8")) for b in bundles}
    # The messages of both languages are in the bundles: the search looks where the words are.
    everything = "\n".join(texts.values())
    assert "Phản ánh của Ông/Bà đã được gửi và lưu an toàn" in everything and "Follow up on your report" in everything
    found = {name: promises_in(text) for name, text in texts.items() if promises_in(text)}
    assert found == {}
    # The receipt appears before the Office has pulled anything: it must not say the Office received it.
    assert "Văn phòng Ban đã nhận" not in everything and "The Office has received" not in everything


def test_no_function_template_promises_an_answer_or_a_result():
    templates = sorted(TEMPLATES.glob("*.html"))
    assert len(templates) >= 5
    found = {}
    for template in templates:
        source = re.sub(r"\{[%{#].*?[%}#]\}", " ", template.read_text(encoding="utf-8"), flags=re.S)
        hits = promises_in(visible_text(source))
        if hits:
            found[template.name] = hits
    assert found == {}


def test_no_text_of_the_function_pages_promises_an_answer_or_a_result():
    """The templates hold only markup: their words, in both languages, are pages.TEXTS (words.json included)."""
    from intake_function import pages

    texts = {f"{lang}.{key}": text for lang, table in pages.TEXTS.items() for key, text in table.items()}
    texts.update({f"en error {code}": text for code, text in pages.ERRORS_EN.items()})
    for kind, groups in (("swapped", (2, 3)), ("check", (2,)), ("character", (1,)), ("length", (4,)), ("length", ())):
        for lang in pages.LANGUAGES:
            texts[f"{lang} code {kind}{groups}"] = pages.code_problem(kind, groups, lang)
    assert len(texts) > 100
    found = {name: promises_in(text) for name, text in texts.items() if promises_in(text)}
    assert found == {}
    # The receipt appears before the Office has pulled anything: it must not say the Office received it.
    everything = "\n".join(texts.values())
    assert "Văn phòng Ban đã nhận" not in everything and "The Office has received" not in everything


def test_the_follow_up_page_has_one_name_everywhere(built_site):
    for path, title in (("/tra-cuu/", "Theo dõi phản ánh"), ("/en/tra-cuu/", "Follow up on your report")):
        html = _html_file(built_site.site, path).read_text(encoding="utf-8")
        assert re.search(rf"<h1[^>]*>{title}", html)
        home = _html_file(built_site.site, "/" if path == "/tra-cuu/" else "/en/").read_text(encoding="utf-8")
        assert title in visible_text(home)
    from intake_function import pages

    replies = (TEMPLATES / "replies.html").read_text(encoding="utf-8")
    assert "<h1>{{ t.replies_title }}</h1>" in replies
    assert pages.TEXTS["vi"]["replies_title"] == "Theo dõi phản ánh"
    assert pages.TEXTS["en"]["replies_title"] == "Follow up on your report"


# --- every citation of the 2018/2013 laws carries the amendment note --------------------------


# The 2018 and 2013 texts named as such, or the amending law itself (hooks' OLD_TEXT, and English).
OLD_TEXT = re.compile(r"25/2018/QH14|42/2013/QH13|năm 2018|2018 text|2018 Law|136/2025/QH15")


class _Citations(HTMLParser):
    """Each innermost block of the article (paragraph, list item, cell...) that names one of the
    two laws, and whether it carries the amendment note. The note on the page, headings, admonition
    titles and quiz options are not citations."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_article = 0
        self.skipped = 0
        self.blocks: list[dict] = []  # open blocks: {"tag", "text", "noted", "skip"}
        self.missing: list[str] = []
        self.notes = 0
        self.old_text = 0
        self.note_anchors = 0
        self._stack: list[tuple[str, bool]] = []  # (tag, whether it opened a skipped region)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        attributes = dict(attrs)
        classes = set((attributes.get("class") or "").split())
        if tag == "article":
            self.in_article += 1
        if attributes.get("id") == render.LAW_NOTE_ID:
            self.note_anchors += 1
        skip = bool(classes & ({"portal-law-note", "admonition-title"} | SKIPPED_CLASSES))
        self._stack.append((tag, skip))
        self.skipped += skip
        if tag == "a" and render.AMENDED_CLASS in classes:
            self.notes += 1
            if self.blocks:
                self.blocks[-1]["noted"] = True
        if tag in BLOCKS:
            self.blocks.append({"tag": tag, "text": "", "noted": False})

    def handle_endtag(self, tag):
        if tag in VOID or not self._stack:
            return
        while self._stack:
            open_tag, skip = self._stack.pop()
            self.skipped -= skip
            if open_tag in BLOCKS and self.blocks:
                block = self.blocks.pop()
                self._judge(block)
            if open_tag == "article":
                self.in_article -= 1
            if open_tag == tag:
                break

    def _judge(self, block: dict) -> None:
        if not self.in_article or block["tag"].startswith("h") or block.get("skip"):
            return
        if not LAW.search(block["text"]) or block["noted"]:
            return
        # A citation of an article or a quotation names the old text itself (content review M1: the
        # note would say the amended article reads so); the page's note explains the amendment.
        if OLD_TEXT.search(block["text"]):
            self.old_text += 1
        else:
            self.missing.append(" ".join(block["text"].split())[:160])

    def handle_data(self, data):
        if self.blocks and self.in_article:
            if self.skipped:
                self.blocks[-1]["skip"] = True
            else:
                self.blocks[-1]["text"] += data


def test_every_citation_of_the_two_laws_carries_the_amendment_note(built_site):
    missing, cited = {}, 0
    for path in page_paths(built_site.site):
        parser = _Citations()
        parser.feed(_html_file(built_site.site, path).read_text(encoding="utf-8"))
        if parser.missing:
            missing[path] = parser.missing
        if parser.notes or parser.old_text:
            cited += 1
            assert parser.note_anchors == 1, f"{path}: the note the amendment notes link to, exactly once"
    assert missing == {}
    assert cited >= 20, "the citations were found on the pages that have them"


def test_the_amendment_note_says_what_changed_and_what_to_check(built_site):
    for path, words in (
        ("/bao-mat/", ("136/2025/QH15", "01/7/2026", "văn bản hợp nhất", "42/2013/QH13")),
        ("/en/bao-mat/", ("136/2025/QH15", "1 July 2026", "consolidated text", "42/2013/QH13")),
    ):
        html = _html_file(built_site.site, path).read_text(encoding="utf-8")
        note = html[html.index(f'id="{render.LAW_NOTE_ID}"') :]
        note = note[: note.index("</div>")]
        assert all(word in note for word in words), note


def test_a_missed_citation_is_caught():
    parser = _Citations()
    parser.feed(
        "<article><p>Theo Luật Tố cáo, Điều 25, ...</p>"
        f'<p>Luật Tố cáo (<a class="{render.AMENDED_CLASS}" href="#luat-sua-doi">x</a>)</p>'
        f'<div class="portal-law-note" id="{render.LAW_NOTE_ID}"><p>Luật Tố cáo số 25/2018/QH14</p></div>'
        '<ol class="portal-quiz__options"><li>Luật Tiếp công dân</li></ol></article>'
    )
    assert parser.missing == ["Theo Luật Tố cáo, Điều 25, ..."]


def test_the_quiz_explanation_carries_the_note_too(built_site):
    html = _html_file(built_site.site, "/dao-tao/khi-nhan-phan-anh/").read_text(encoding="utf-8")
    answers = re.findall(r'<details class="portal-quiz__answer">(.*?)</details>', html, re.S)
    assert any("Luật Tố cáo năm 2018 (Điều 25)" in a for a in answers)  # the old text, named as such
    assert f'id="{render.LAW_NOTE_ID}"' in html
    assert "&lt;!--" not in html


# --- the placeholder notice, the draft label, the Board's timing -------------------------------

NOTICE = "portal-setup-notice"
NOTICE_PAGES = (
    "/",
    "/gui-phan-anh/",
    "/en/",
    "/en/gui-phan-anh/",
    # The printable poster of the channels (content review L2).
    "/dao-tao/tai-lieu-in/kenh-tiep-nhan/",
    "/en/dao-tao/tai-lieu-in/kenh-tiep-nhan/",
)


def test_the_notice_shows_while_contacts_are_placeholders(built_site):
    for path in NOTICE_PAGES:
        html = _html_file(built_site.site, path).read_text(encoding="utf-8")
        assert NOTICE in html, path
        notice = visible_text(html[html.index(NOTICE) : html.index("</div>", html.index(NOTICE))])
        # The build has a key (--recipients): only the contacts are missing, and they are named, or, on
        # the poster, whose own list shows each of them as "being updated", pointed to.
        if "tai-lieu-in" in path:
            assert "đang cập nhật" in notice if not path.startswith("/en/") else "being updated" in notice
        else:
            assert ("đường dây nóng" in notice) if not path.startswith("/en/") else ("the hotline" in notice)
        assert "khóa công khai để mã hóa" not in notice and "public key that encrypts" not in notice
    elsewhere = [p for p in page_paths(built_site.site) if p not in NOTICE_PAGES]
    assert not [p for p in elsewhere if NOTICE in _html_file(built_site.site, p).read_text(encoding="utf-8")]


def test_the_notice_disappears_once_everything_is_filled(complete_site):
    for path in NOTICE_PAGES:
        assert NOTICE not in _html_file(complete_site.site, path).read_text(encoding="utf-8"), path


def test_the_notice_says_the_form_cannot_work_without_a_key():
    data = data_module.load(REPO_DATA)
    assert data.keys is None and data.setup_gaps[0] == "keys"
    notice = render.setup_notice_md(data, "vi", "index.md")
    assert "Biểu mẫu gửi phản ánh trực tuyến chưa hoạt động" in notice and "(lien-he/index.md)" in notice
    english = render.setup_notice_md(data, "en", "gui-phan-anh/index.md")
    assert "online report form does not work yet" in english and "(../lien-he/index.md)" in english
    assert data_module.load(COMPLETE_DATA).setup_gaps == ("keys",)


def test_the_procedure_is_a_draft_until_the_board_approves_it(built_site, complete_site):
    for path in ("/bao-mat/", "/dao-tao/khi-nhan-phan-anh/", "/dao-tao/trach-nhiem/", "/en/bao-mat/"):
        html = _html_file(built_site.site, path).read_text(encoding="utf-8")
        assert "portal-draft" in html and "portal-approved" not in html, path
    approved = _html_file(complete_site.site, "/bao-mat/").read_text(encoding="utf-8")
    assert "portal-draft" not in approved and "portal-approved" in approved
    assert "Quyết định số 0/QĐ-KT ngày 01/6/2026 (dữ liệu kiểm thử)" in approved and "01/06/2026" in approved


def test_after_report_page_explains_every_status_with_the_labels_reporters_see(built_site, complete_site):
    for lang, path in (("vi", "/sau-khi-gui/"), ("en", "/en/sau-khi-gui/")):
        text = visible_text(_html_file(built_site.site, path).read_text(encoding="utf-8"))
        for code, names in report.status_labels().items():
            assert names[lang] in text, (path, code)
        assert ("Lãnh đạo Ban quyết định" if lang == "vi" else "to be decided by the Board's leaders") in text
    filled = visible_text(_html_file(complete_site.site, "/sau-khi-gui/").read_text(encoding="utf-8"))
    assert "trong vòng 3 ngày làm việc" in filled and "ít nhất 15 ngày làm việc một lần" in filled


def test_contacts_page_has_online_reception_and_where_to_write_when_the_office_is_involved(built_site, complete_site):
    for path in ("/lien-he/", "/en/lien-he/"):
        html = _html_file(built_site.site, path).read_text(encoding="utf-8")
        assert 'id="tiep-cong-dan-truc-tuyen"' in html and 'id="gui-truong-ban"' in html
        assert "3a" in visible_text(html)
    filled = _html_file(complete_site.site, "/lien-he/").read_text(encoding="utf-8")
    assert 'href="https://tiep-cong-dan.example.invalid/"' in filled
    assert "Thư gửi đích danh Trưởng ban (dữ liệu kiểm thử)" in filled


NEW_PAGES = {
    "sau-khi-gui/": ("Sau khi gửi phản ánh", "What happens after you report"),
    "to-cao/": ("Cách tố cáo theo Luật Tố cáo", "Making a formal denunciation"),
    "dao-tao/khi-phat-hien-sai-pham/": (
        "Khi Ông/Bà phát hiện sai phạm trong cơ quan",
        "When you find wrongdoing at work",
    ),
    "tra-cuu/": ("Theo dõi phản ánh", "Follow up on your report"),
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_new_pages_are_in_the_navigation_of_both_languages(built_site, lang):
    prefix = "/" if lang == "vi" else "/en/"
    html = _html_file(built_site.site, prefix).read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"') : html.index("md-sidebar--secondary")]
    for target, titles in NEW_PAGES.items():
        title = titles[0] if lang == "vi" else titles[1]
        link = rf'<a href="{re.escape(target)}"[^>]*>(?:\s|<[^>]+>)*{re.escape(title)}\s*<'
        assert re.search(link, nav), (lang, target)


def test_the_glossary_is_on_the_pages_where_a_citizen_chooses(built_site):
    for path in ("/", "/gui-phan-anh/", "/lien-he/", "/to-cao/", "/en/", "/en/gui-phan-anh/", "/en/lien-he/"):
        html = _html_file(built_site.site, path).read_text(encoding="utf-8")
        assert "portal-terms" in html, path
        terms = visible_text(html[html.index("portal-terms") : html.index("</details>", html.index("portal-terms"))])
        english = ("Report (phản ánh)", "Recommendation (kiến nghị)", "Denunciation (tố cáo)", "Tố giác")
        for word in english if path.startswith("/en/") else ("Phản ánh", "Kiến nghị", "Tố cáo", "Tố giác"):
            assert word in terms, (path, word)


# --- the check command reports the notice and the draft state ----------------------------------


def _check(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    return subprocess.run(
        [sys.executable, "-m", "portal_site", "check", *args],
        cwd=ROOT, capture_output=True, text=True, check=False, env={**environ, **(env or {})},
    )  # fmt: skip


def test_check_lists_the_notice_state(office_recipient):
    repo = _check("--data", str(REPO_DATA))
    assert repo.returncode == 0, repo.stderr
    assert "ĐANG HIỂN THỊ" in repo.stdout and "khóa công khai để mã hóa phản ánh trực tuyến" in repo.stdout
    assert "đường dây nóng" in repo.stdout and "DỰ THẢO" in repo.stdout
    without_key = _check("--data", str(COMPLETE_DATA))
    notice = without_key.stdout[without_key.stdout.index("Thông báo") :]
    assert "ĐANG HIỂN THỊ" in notice and "khóa công khai" in notice and "đường dây nóng" not in notice
    assert "ĐÃ PHÊ DUYỆT" in without_key.stdout
    complete = _check("--data", str(COMPLETE_DATA), env={"PORTAL_RECIPIENTS": office_recipient})
    assert "KHÔNG hiển thị" in complete.stdout and "PORTAL_RECIPIENTS" in complete.stdout


def _text(site: Path, path: str) -> str:
    return " ".join(visible_text(_html_file(site, path).read_text(encoding="utf-8")).split())


def test_the_site_findings_of_the_2026_12_content_review_stay_fixed(built_site):
    """../shared/reviews/2026-12-content-and-law.md, the site's findings, and issue 24 item 6."""
    site = built_site.site
    pages = {path: _html_file(site, path).read_text(encoding="utf-8") for path in page_paths(site)}
    texts = {path: " ".join(visible_text(html).split()) for path, html in pages.items()}
    everything = " ".join(texts.values())
    # M1: the "since amended" note follows a law's name, never an article or a quotation of the old text.
    note = '<a class="portal-amended"'
    after_article = re.compile(rf'(Điều|Article) [0-9][^<]{{0,40}}{note}|["”»]\s*\(?{note}')
    assert [p for p, html in pages.items() if after_article.search(html)] == []
    assert [p for p, html in pages.items() if re.search(r"năm 2018[^<]{0,30}<a class=\"portal-amended\"", html)] == []
    assert "(đã sửa đổi, bổ sung)" not in everything  # the note now says the law has since been amended
    # M5: the key's custody as the Office practises it, not a computer "never connected".
    assert "Khóa này được giữ trên một máy tính không kết nối mạng" not in everything
    assert "kept on a computer that is not connected to any network" not in everything
    assert "Máy nào giữ khóa trên thực tế" in texts["/bao-mat/"]
    # M6: a complaint about the Head names the bodies above the Board (a visible placeholder here) and
    # never ends with the Head.
    for path in ("/lien-he/", "/bao-mat/", "/dao-tao/khi-phat-hien-sai-pham/"):
        assert "Ông/Bà cũng có thể trình bày trực tiếp với Trưởng ban" not in texts[path], path
        assert "cấp trên trực tiếp của Ban" in texts[path], path
    assert "You can also speak to the Head of the Board" not in everything
    # #7: who may know the identity when a case is forwarded, in the summary too.
    assert "cơ quan đó có thể được biết danh tính theo quy định của pháp luật" in texts["/bao-mat/"]
    # Issue 21: what a transfer goes with, exactly as the desk's export makes it (office/export/transfer.py).
    assert "họ tên, địa chỉ người tố cáo, ở một phần riêng đánh dấu MẬT" in texts["/bao-mat/"]
    assert "Phản ánh: chỉ khi người phản ánh đồng ý" in texts["/bao-mat/"]
    assert "danh tính chỉ được chuyển khi Ông/Bà đồng ý" in texts["/chinh-sach-rieng-tu/"]
    assert "không bao giờ nhận danh tính" in texts["/chinh-sach-rieng-tu/"]
    # #15 and L3: "nothing is collected" only with the hosting caveat.
    assert "Hạ tầng lưu trữ trang có ghi nhật ký truy cập" in texts["/chinh-sach-rieng-tu/"]
    assert "the portal collects nothing about you." not in everything
    # L1, L4, L5, L6, L7, L16, L15.
    assert "Người tố cáo ký tên hoặc điểm chỉ vào đơn:" not in everything
    assert "Ban bảo đảm ba điều" not in everything and "The Board therefore makes sure" not in everything
    assert "là hành vi bị nghiêm cấm (Kế hoạch của Ban" not in everything
    assert "Mỗi chủ đề có phần tự kiểm tra và tài liệu in một trang" not in everything
    assert "ngày đang cập nhật" not in everything and "updated on being updated" not in everything
    assert "bổ sung), được sửa đổi, bổ sung bởi" not in everything
    assert "thông báo cho người tố cáo, người bị tố cáo và cơ quan" in texts["/to-cao/"]
    assert "official rendering" not in everything and "still anonymously" not in everything
    # L2: the poster says what is not ready yet, and keeps "có thể".
    poster = texts["/dao-tao/tai-lieu-in/kenh-tiep-nhan/"]
    assert "Thông tin tiếp nhận chưa đầy đủ" in poster and "Ông/Bà có thể xem tình trạng xử lý" in poster
    assert "đang cập nhật, đang cập nhật" not in poster and "Tiếp công dân trực tuyến" in poster
    assert "Khi nội dung liên quan đến Văn phòng Ban hoặc Trưởng ban" in poster
    assert "cần đối chiếu văn bản hợp nhất trước khi trích dẫn" not in everything  # a drafter's note, not a citizen's
    # Issue 24 item 6: the report page's first screen says what happens; "thụ lý" is explained where it
    # first appears; the legal caveats come after the form; no "MiB".
    report_page = texts["/gui-phan-anh/"]
    lead = report_page.split("Phản ánh của Ông/Bà đi đâu:", 1)[1][:500]
    assert "Văn phòng Ban đọc phản ánh" in lead and "mã tra cứu" in lead
    first = report_page.index("thụ lý")
    explained = "“Thụ lý” là việc cơ quan có thẩm quyền quyết định chính thức nhận giải quyết"
    assert explained in report_page[first : first + 400]
    form_end = pages["/gui-phan-anh/"].index("</form>")
    assert pages["/gui-phan-anh/"].index("không phải đơn tố cáo") > form_end
    assert "MiB" not in report_page and "MiB" not in texts["/en/gui-phan-anh/"]


def test_the_function_pages_say_group_numbers_and_choices_in_words():
    """L8 and L9 of the content review: "thứ 1, 2, 3 và 4", and a category named, not coded."""
    from intake_function import pages

    text = pages.code_problem("check", (1, 2, 3, 4), "vi")
    assert text.startswith("Nhóm ký tự thứ 1, 2, 3 và 4 có ký tự") and "các nhóm này" in text
    with pytest.raises(report.ReportError) as refused:
        report.validate({"schema": "report/1", "category": "bribes", "description": "x"})
    message = refused.value.problems[0].message_vi
    assert "corruption" not in message and report.category_label("corruption") in message
