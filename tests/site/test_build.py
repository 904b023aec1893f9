"""The built site as files: strict build, links, nothing from elsewhere, data rendered, calendar."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
from icalendar import Calendar

from intake_function import envelope

from .conftest import COMPLETE_DATA, ROOT, page_paths, run_build

pytestmark = pytest.mark.slow


def test_strict_build_is_clean(built_site):
    """``mkdocs build --strict`` passed (fixture) and printed no warning or error at all."""
    noisy = [line for line in built_site.log.splitlines() if re.match(r"\s*(WARNING|ERROR)", line)]
    assert noisy == []
    assert "reaches end of life" not in built_site.log, "NO_MKDOCS_2_WARNING=1 is not set"
    assert (built_site.site / "index.html").is_file() and (built_site.site / "en" / "index.html").is_file()


def test_every_page_has_a_translation(built_site):
    paths = page_paths(built_site.site)
    vi = {p for p in paths if not p.startswith("/en/") and p != "/404.html"}
    en = {p[len("/en") :] for p in paths if p.startswith("/en/")}
    assert vi == en, f"pages in one language only: {sorted(vi ^ en)}"


def test_the_one_404_page_is_the_vietnamese_build_with_both_home_pages(built_site):
    html = (built_site.site / "404.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="vi"', html), "the English build overwrote the 404 page"
    assert 'lang="vi">Không tìm thấy trang' in html and 'lang="en">Page not found' in html
    assert re.search(r'href="/\.?">trang chủ', html) and 'href="/en/" hreflang="en">home page' in html
    assert not (built_site.site / "en" / "404.html").exists()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value:
                self.urls.append((tag, value))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _target_file(site: Path, page_url: str, href: str) -> tuple[Path, str]:
    parts = urlsplit(href)
    base = PurePosixPath(page_url if page_url.endswith("/") else page_url.rsplit("/", 1)[0] + "/")
    path = unquote(parts.path)
    resolved = PurePosixPath(path) if path.startswith("/") else base / path
    normalized = PurePosixPath("/")
    for part in resolved.parts[1:]:
        normalized = normalized.parent if part == ".." else normalized if part == "." else normalized / part
    target = site / str(normalized).lstrip("/")
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def test_no_internal_link_is_broken(built_site):
    """Every href and src of every page points to a file of the site, and every #anchor exists."""
    site = built_site.site
    broken = []
    ids_cache: dict[Path, set[str]] = {}
    for page_url in page_paths(site):
        html_file = site / (page_url.lstrip("/") + ("index.html" if page_url.endswith("/") else ""))
        links = _parse(html_file)
        ids_cache[html_file] = links.ids
        for tag, href in links.urls:
            parts = urlsplit(href)
            if parts.scheme in ("mailto", "tel", "data") or (parts.scheme and parts.netloc):
                continue
            if page_url == "/404.html" and not href.startswith(("/", "#")):
                continue  # the 404 page is served at any depth, so its links are root-absolute
            if href.startswith("#"):
                target, fragment = html_file, href[1:]
            else:
                target, fragment = _target_file(site, page_url, href)
            if not target.is_file():
                broken.append(f"{page_url}: {href} -> missing {target.relative_to(site)}")
                continue
            if fragment and tag == "a" and target.suffix == ".html" and not fragment.startswith("__"):
                if target not in ids_cache:
                    ids_cache[target] = _parse(target).ids
                if unquote(fragment) not in ids_cache[target]:
                    broken.append(f"{page_url}: {href} -> no #{fragment} in {target.relative_to(site)}")
    assert broken == []


def test_nothing_is_loaded_from_another_host(built_site):
    """The check of TECH_NOTES: no src or href to another host in any page, no url() in the CSS."""
    found = []
    for html_file in built_site.site.rglob("*.html"):
        found += re.findall(r'(?:src|href)="(?:https?:)?//[^"]+"', html_file.read_text(encoding="utf-8"))
    for css in built_site.site.rglob("*.css"):
        found += re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]+\)", css.read_text(encoding="utf-8"))
    assert found == []


def test_no_inline_script_or_style(built_site):
    """The CSP allows neither; JSON data blocks are not scripts and are allowed."""
    found = []
    for html_file in built_site.site.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", text, re.S):
            attrs, body = match["attrs"], match["body"].strip()
            if body and 'type="application/json"' not in attrs:
                found.append(f"{html_file.relative_to(built_site.site)}: inline script")
        if re.search(r"<style[\s>]", text) or re.search(r"\sstyle=", text) or re.search(r"\son[a-z]+=", text):
            found.append(f"{html_file.relative_to(built_site.site)}: inline style or handler")
    assert found == []


def _article(site: Path, page: str) -> str:
    text = (site / page / "index.html").read_text(encoding="utf-8")
    return text[text.index("<article") : text.index("</article>")]


def test_contacts_page_shows_placeholders_without_links(built_site):
    for page, pending in (("lien-he", "đang cập nhật"), ("en/lien-he", "being updated")):
        article = _article(built_site.site, page)
        assert article.count(pending) >= 10
        assert "tel:" not in article and "mailto:" not in article


def test_contacts_page_renders_the_data_with_links(complete_site):
    article = _article(complete_site.site, "lien-he")
    assert 'href="tel:+84000000000"' in article
    assert 'href="mailto:tiep-nhan@example.invalid"' in article
    assert "Thứ Năm của tuần thứ hai hằng tháng" in article
    assert "Từ 07 giờ 30 đến 11 giờ 00" in article
    assert 'href="../lich-tiep-cong-dan.ics"' in article
    assert "20/05/2026" in article
    english = _article(complete_site.site, "en/lien-he")
    assert "The second Thursday of every month" in english
    assert 'href="../../lich-tiep-cong-dan.ics"' in english
    # The English place is not known: the Vietnamese one is shown, marked as Vietnamese.
    assert '<span lang="vi">Phòng tiếp công dân (dữ liệu kiểm thử)</span>' in english


def test_footer_carries_the_data(complete_site, built_site):
    page = (complete_site.site / "dao-tao" / "index.html").read_text(encoding="utf-8")
    footer = page[page.index('<footer class="md-footer"') :]
    assert "tel:+84000000000" in footer and "Ban Quản lý Khu kinh tế tỉnh An Giang" in footer
    placeholder = (built_site.site / "en" / "index.html").read_text(encoding="utf-8")
    assert "being updated" in placeholder[placeholder.index('<footer class="md-footer"') :]


def test_confidentiality_page_shows_the_key_and_its_computed_fingerprint(built_site, office_recipient):
    for page in ("bao-mat", "en/bao-mat"):
        article = _article(built_site.site, page)
        assert office_recipient in article
        assert envelope.fingerprint(office_recipient) in article


def test_calendar_of_an_unknown_schedule_is_valid_and_says_so(built_site):
    calendar = Calendar.from_ical((built_site.site / "lich-tiep-cong-dan.ics").read_bytes())
    assert calendar.walk("VEVENT") == []
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    assert "đang cập nhật" in str(calendar["DESCRIPTION"])


def test_calendar_holds_the_schedule(complete_site):
    calendar = Calendar.from_ical((complete_site.site / "lich-tiep-cong-dan.ics").read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert dict(event["RRULE"]) == {"FREQ": ["MONTHLY"], "BYDAY": ["2TH"]}
    start, end = event["DTSTART"], event["DTEND"]
    assert start.params["TZID"] == "Asia/Ho_Chi_Minh"
    # The first reception day on or after the update date (2026-05-20) is the 2nd Thursday of June.
    assert start.dt.isoformat() == "2026-06-11T07:30:00+07:00"
    assert end.dt.isoformat() == "2026-06-11T11:00:00+07:00"
    assert str(event["LOCATION"]) == "Phòng tiếp công dân (dữ liệu kiểm thử)"
    assert "Tiếp công dân định kỳ của Trưởng ban" in str(event["SUMMARY"])
    assert "Register beforehand (test data)" in str(event["DESCRIPTION"])


def test_search_index_is_split_by_language(built_site):
    import json

    def read(path: str):
        return json.loads((built_site.site / path).read_text(encoding="utf-8"))

    vi, en = read("search/search_index.json"), read("en/search/search_index.json")
    assert vi["config"]["lang"] == ["vi"] and en["config"]["lang"] == ["en"]
    # Every page loads its language's index: it holds no documents, only where they are (the search
    # worker fetches them at the first query).
    assert vi["docs"] == en["docs"] == []
    assert vi["config"]["portal_documents"] == "search/documents.json"
    assert en["config"]["portal_documents"] == "en/search/documents.json"
    vi_docs, en_docs = read("search/documents.json"), read("en/search/documents.json")
    assert vi_docs and en_docs
    assert not any(doc["location"].startswith("en/") for doc in vi_docs + en_docs)
    # The technical section's pages stay out of the index; its index page is in.
    for documents in (vi_docs, en_docs):
        pages = {doc["location"].split("#")[0] for doc in documents}
        assert "huong-dan-ky-thuat/" in pages and "dao-tao/ke-hoach-cua-ban/" in pages
        assert not [p for p in pages if p.startswith("huong-dan-ky-thuat/") and p != "huong-dan-ky-thuat/"]


def test_malformed_data_file_fails_the_build_naming_the_field(tmp_path):
    bad = tmp_path / "portal.yml"
    text = COMPLETE_DATA.read_text(encoding="utf-8").replace('hotline: "+84 000 000 000"', 'hotline: "call us"')
    bad.write_text(text.replace("  postal_address:", "  postal_adress:"), encoding="utf-8")
    build = run_build(tmp_path / "site", "--data", str(bad))
    assert build.returncode != 0
    assert "office.hotline" in build.log
    assert "office.postal_adress" in build.log  # the typo
    assert "office.postal_address: thiếu mục này" in build.log


def test_bad_recipient_override_fails_the_build(tmp_path):
    build = run_build(tmp_path / "site", "--recipients", "age1notakey")
    assert build.returncode != 0 and "PORTAL_RECIPIENTS" in build.log


def test_build_refuses_to_overwrite_the_repository(tmp_path):
    build = run_build(ROOT / "docs")
    assert build.returncode == 2 and "refusing" in build.log
