"""The built portal in the real Chromium, served by the real local server with the real CSP."""

from __future__ import annotations

import re

import pytest
import yaml

from .conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

QUIZ_PAGE = "/dao-tao/chi-thi-27/"
QUIZ_FILE = ROOT / "docs" / "data" / "quizzes" / "chi-thi-27.vi.yml"
HANDOUTS = ROOT / "docs" / "dao-tao" / "tai-lieu-in"


def _report(visits, attribute: str) -> dict[str, list[str]]:
    return {path: getattr(v, attribute) for path, v in visits.items() if getattr(v, attribute)}


def test_every_page_of_both_languages_is_visited(desktop_visits):
    paths = set(desktop_visits)
    assert "/" in paths and "/en/" in paths
    assert "/lien-he/" in paths and "/en/lien-he/" in paths
    assert len([p for p in paths if p.startswith("/en/")]) >= 15


def test_no_console_error_on_any_page(desktop_visits):
    """A CSP violation (inline script or style) is reported as a console error, so this covers it."""
    assert _report(desktop_visits, "console_errors") == {}


def test_no_request_to_any_other_host(desktop_visits):
    assert _report(desktop_visits, "foreign_requests") == {}


def test_no_failed_request(desktop_visits):
    assert _report(desktop_visits, "failed_responses") == {}


def test_no_serious_or_critical_accessibility_violation_on_a_desktop(desktop_visits):
    assert _report(desktop_visits, "axe_violations") == {}


def test_no_serious_or_critical_accessibility_violation_on_a_small_phone(phone_visits):
    assert _report(phone_visits, "axe_violations") == {}


def test_every_table_scrolls_in_a_box_the_keyboard_reaches(built_site):
    """The boxes are made at build time: they work without JavaScript too, and each has a name."""
    tables = 0
    for page in built_site.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        boxes = re.findall(
            r'<div class="portal-table" role="region" tabindex="0" aria-(?:labelledby|label)="[^"]+">', html
        )
        assert len(boxes) == html.count("<table>"), page
        tables += len(boxes)
    assert tables >= 20


def test_no_horizontal_scrolling_on_a_small_phone(phone_visits):
    too_wide = {path: v.scroll_width for path, v in phone_visits.items() if v.scroll_width > 360}
    assert too_wide == {}


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _search(page, server: str, start: str, query: str) -> list[str]:
    """Type a query as a reader does (Material reacts to key presses) and read the result links."""
    page.goto(server + start)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query)
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
    return [page.evaluate("a => a.href", a) for a in page.query_selector_all("a.md-search-result__link")]


# Written with diacritics, without, in capitals, half and half, and decomposed (NFD) as some
# Vietnamese keyboards send it.
@pytest.mark.parametrize("query", ["tố giác", "to giac", "TỐ GIÁC", "to giác", "to\u0302\u0301 gia\u0301c"])
def test_search_finds_the_training_pages_with_or_without_diacritics(page, server, query):
    links = _search(page, server, "/", query)
    assert any("/dao-tao/" in link for link in links), links
    assert not any("/en/" in link for link in links), "a Vietnamese page searches the Vietnamese pages"


def test_search_on_english_pages_finds_english_pages(page, server):
    links = _search(page, server, "/en/", "retaliation")
    assert links and all("/en/" in link for link in links), links


def test_language_switch_leads_to_the_same_page(page, server):
    page.goto(server + "/dao-tao/chi-thi-27/")
    page.hover(".md-header__option .md-select")
    page.click("a.md-select__link[hreflang=en]")
    page.wait_for_url(server + "/en/dao-tao/chi-thi-27/")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.hover(".md-header__option .md-select")
    page.click("a.md-select__link[hreflang=vi]")
    page.wait_for_url(server + "/dao-tao/chi-thi-27/")
    assert page.evaluate("document.documentElement.lang") == "vi"


def test_quiz_answers_in_the_page_and_sends_nothing(page, server):
    page.goto(server + QUIZ_PAGE)
    page.wait_for_load_state("networkidle")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    quiz = page.locator("[data-portal-quiz]").first
    # Set up only when it comes near the screen: at the top of the page it is still the plain list.
    assert page.locator("[data-portal-quiz].is-interactive").count() == 0
    quiz.scroll_into_view_if_needed()
    page.wait_for_selector("[data-portal-quiz].is-interactive")
    questions = quiz.locator(".portal-quiz__question")
    first = questions.nth(0)
    right = int(first.get_attribute("data-answer"))
    wrong = (right + 1) % first.locator(".portal-quiz__choice").count()

    first.locator(".portal-quiz__choice").nth(wrong).click()
    feedback = first.locator(".portal-quiz__feedback")
    assert feedback.inner_text().startswith("Chưa đúng.")
    assert "is-wrong" in feedback.get_attribute("class")
    assert first.locator(".portal-quiz__choice").nth(wrong).get_attribute("aria-pressed") == "true"

    first.locator(".portal-quiz__choice").nth(right).click()
    assert feedback.inner_text().startswith("Đúng.")
    assert not first.locator("details").is_visible(), "with JavaScript the feedback replaces the answer block"

    total = questions.count()
    for n in range(1, total):
        question = questions.nth(n)
        question.locator(".portal-quiz__choice").nth(int(question.get_attribute("data-answer"))).click()
    assert quiz.locator(".portal-quiz__score").inner_text() == f"Số câu trả lời đúng: {total}/{total}."
    assert requests == [], "answering a quiz must not send anything"


def test_quiz_reads_as_questions_with_answers_without_javascript(browser, server):
    expected = yaml.safe_load(QUIZ_FILE.read_text(encoding="utf-8"))
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + QUIZ_PAGE)
    questions = page.locator("[data-portal-quiz] .portal-quiz__question")
    assert questions.count() == len(expected["questions"])
    for n, item in enumerate(expected["questions"]):
        question = questions.nth(n)
        assert question.locator(".portal-quiz__text").inner_text() == item["q"]
        assert question.locator(".portal-quiz__options li").all_inner_texts() == item["options"]
        question.locator("details summary").click()  # native <details>: no script needed
        answer = question.locator("details").inner_text()
        assert "ABCDEF"[item["answer"]] in answer and item["options"][item["answer"]] in answer
        assert item["explain"] in answer
    context.close()


def test_print_shows_the_content_only(page, server):
    page.goto(server + "/dao-tao/ke-hoach-cua-ban/")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".md-search"):
        assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator("article h1").is_visible()


@pytest.mark.parametrize(
    "handout",
    sorted(p.stem for p in HANDOUTS.glob("*.md") if not p.stem.endswith(".en") and p.stem != "index"),
)
@pytest.mark.parametrize("lang_prefix", ["", "/en"])
def test_each_handout_prints_on_one_a4_sheet(page, server, handout, lang_prefix):
    page.goto(f"{server}{lang_prefix}/dao-tao/tai-lieu-in/{handout}/")
    pdf = page.pdf(prefer_css_page_size=True)
    sheets = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert sheets == 1, f"{handout} prints on {sheets} A4 sheets"


def test_calendar_file_is_served_as_a_calendar(page, server):
    response = page.request.get(server + "/lich-tiep-cong-dan.ics")
    assert response.ok
    assert response.headers["content-type"].startswith("text/calendar")


def test_the_search_documents_load_only_when_someone_searches(page, server):
    """Issue 24 item 5: the search index's documents (the site's largest file) are not loaded by
    every page, only at the first query; then the results come as before."""
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(server + "/dao-tao/")
    page.wait_for_load_state("networkidle")
    assert any(url.endswith("/search/search_index.json") for url in fetched)  # its settings, no documents
    assert not [url for url in fetched if url.endswith("/documents.json")], fetched
    links = _search(page, server, "/dao-tao/", "trả thù")
    assert [url for url in fetched if url.endswith("/search/documents.json")], fetched
    assert any("/dao-tao/" in link for link in links), links
