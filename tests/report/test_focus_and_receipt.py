"""What a keyboard and a small screen show (issue 24 items 2 and 3), in the real Chromium.

* After sending, the receipt's title and code are in the viewport, not under the sticky header and
  not covered by anything, at 360x640 and at 200 % zoom (180x320 CSS px); the title has the focus;
  the code is as large as the text around it (it grows with zoom) and breaks between groups only.
* While sending, the focus never falls to the page's body.
* Every element the Tab key reaches shows a focus ring: its outline or box-shadow differs from the
  same element's without focus, in the default colours and in forced colours; at 360 px no Tab stop
  is off the screen (the closed navigation drawer takes none).
"""

from __future__ import annotations

import pytest

from tests.report.test_report_form import fill

pytestmark = [pytest.mark.browser]

# Transitions off (a stylesheet built in the page, which the CSP allows), so that what is measured
# is where things end, not half-way.
STILL = """() => {
    const still = new CSSStyleSheet();
    still.replaceSync("*, *::before, *::after { transition: none !important; animation: none !important; }");
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, still];
}"""

# Each focusable element's look without focus, keyed by a number written on it.
RECORD = """() => {
    const focusable = "a[href], button, input, select, textarea, summary, label[tabindex], [tabindex]";
    document.activeElement?.blur();
    window.unfocused = [];
    for (const element of document.querySelectorAll(focusable)) {
        const style = getComputedStyle(element);
        element.dataset.probe = window.unfocused.length;
        window.unfocused.push([style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow].join("|"));
    }
    window.scrollTo(0, 0);
}"""

# The element the keyboard is on: where it is, and whether it looks different from without focus.
FOCUSED = """() => {
    const element = document.activeElement;
    if (!element || element === document.body) return null;
    const style = getComputedStyle(element);
    const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const now = [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow].join("|");
    const before = window.unfocused[element.dataset.probe];
    const box = element.getBoundingClientRect();
    return {
        name: `${element.tagName.toLowerCase()}#${element.id}.${element.className} `
            + (element.textContent || "").trim().slice(0, 30),
        changed: before === undefined || before !== now,
        ring: ring || style.boxShadow !== "none",
        onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.left < innerWidth
            && box.bottom > 0 && box.top < innerHeight && style.visibility === "visible",
    };
}"""


def walk(page, limit: int = 120) -> list[dict]:
    """Tab through the whole page from its top; what each stop looked like."""
    page.evaluate(STILL)
    page.evaluate(RECORD)
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED)
        if stop is None:
            break
        stops.append(stop)
    return stops


def assert_every_stop_shows_focus_on_screen(page, where: str) -> int:
    stops = walk(page)
    assert len(stops) >= 5, f"{where}: Tab reached only {len(stops)} stops"
    unseen = [s["name"] for s in stops if not (s["changed"] and s["ring"])]
    assert unseen == [], f"{where}: no visible focus on {unseen}"
    off_screen = [s["name"] for s in stops if not s["onScreen"]]
    assert off_screen == [], f"{where}: Tab stops off the screen: {off_screen}"
    return len(stops)


def test_every_tab_stop_shows_a_focus_ring_and_none_is_off_screen(chromium, portal):
    for forced in ("none", "active"):
        context = chromium.new_context(viewport={"width": 360, "height": 640}, has_touch=True)
        page = context.new_page()
        page.emulate_media(forced_colors=forced)
        counts = {}
        for path in ("/", "/gui-phan-anh/", "/tra-cuu/", "/en/", "/lien-he/"):
            page.goto(f"{portal.origin}{path}")
            page.wait_for_function("document.documentElement.classList.contains('js')")
            counts[path] = assert_every_stop_shows_focus_on_screen(page, f"{path} (forced colours: {forced})")
        # The report page: every field is reached, and before the form only a few stops (no drawer).
        assert counts["/gui-phan-anh/"] <= 40, counts
        context.close()


def test_the_receipt_is_in_view_and_focused_after_sending_on_a_phone_and_at_200_percent(chromium, portal):
    for viewport, scale, where in (
        ({"width": 360, "height": 640}, 2, "360x640"),
        ({"width": 180, "height": 320}, 4, "200 %"),
    ):
        context = chromium.new_context(viewport=viewport, device_scale_factor=scale, has_touch=True)
        page = context.new_page()
        page.goto(f"{portal.origin}/gui-phan-anh/")
        page.wait_for_selector("#report-form.js-enabled")
        fill(page, description="Hồ sơ dự thầu bị đánh tráo trước giờ mở thầu.")
        # Where the focus is while the page sends, every few milliseconds until the receipt shows.
        page.evaluate("""() => {
            window.focusLog = [];
            window.focusWatch = setInterval(() => {
                const active = document.activeElement;
                if (document.getElementById("report-form").getAttribute("aria-busy") === "true")
                    window.focusLog.push(active === document.body ? "body" : active.tagName);
            }, 5);
        }""")
        page.focus("#report-form button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_selector("#receipt-code", state="visible", timeout=60_000)
        page.evaluate("clearInterval(window.focusWatch)")
        log = page.evaluate("window.focusLog")
        assert log and "body" not in log, f"{where}: focus while sending: {sorted(set(log))}"
        assert page.evaluate("document.activeElement.id") == "receipt-title", where
        found = page.evaluate("""() => {
            const header = document.querySelector(".md-header").getBoundingClientRect().bottom;
            const box = (selector) => document.querySelector(selector).getBoundingClientRect();
            const title = box("#receipt-title"), code = box("#receipt-code");
            const groups = [...document.querySelectorAll("#receipt-code span")];
            const covered = groups.filter((g) => {
                const r = g.getBoundingClientRect();
                const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                return !(top && (top === g || g.contains(top)));
            }).map((g) => g.textContent);
            const lineHeight = parseFloat(getComputedStyle(groups[0]).lineHeight);
            return {
                header, innerHeight, title: [title.top, title.bottom], code: [code.top, code.bottom],
                covered, groupLines: groups.map((g) => Math.round(g.getBoundingClientRect().height / lineHeight)),
                codeSize: parseFloat(getComputedStyle(document.querySelector("#receipt-code")).fontSize),
                textSize: parseFloat(getComputedStyle(document.querySelector("#report-receipt p")).fontSize),
                text: document.querySelector("#receipt-code").textContent,
            };
        }""")
        assert found["title"][0] >= found["header"] - 1, f"{where}: title under the header: {found}"
        assert found["code"][1] <= found["innerHeight"] + 1, f"{where}: code below the screen: {found}"
        assert found["code"][0] >= found["header"] - 1, f"{where}: code under the header: {found}"
        assert found["covered"] == [], f"{where}: something covers the code: {found}"
        assert found["groupLines"] == [1, 1, 1, 1], f"{where}: a group is broken: {found}"
        assert found["codeSize"] >= found["textSize"], f"{where}: the code is smaller than the text: {found}"
        assert len(found["text"]) == 27
        if where == "360x640":  # one line at 360 px
            tops = page.eval_on_selector_all(
                "#receipt-code span", "groups => groups.map(g => Math.round(g.getBoundingClientRect().top))"
            )
            assert len(set(tops)) == 1, tops
        context.close()
