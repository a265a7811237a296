"""The report in a real browser: Debian's chromium driven by Playwright over file:// URLs.

Skipped with a reason when /usr/bin/chromium is missing (scripts/test.sh and CI install it).
Screenshots of the overview and a story page go to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditor.report.html import story_path, write_report
from test_report import fixed_result

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"),
]


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (pip install 'auditor[test]')")
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser-report")
    changes = {"previous_run": {"id": 6, "finished_at": "2025-11-13T06:00:00+00:00"}, "new": ["f-ref"], "resolved": [], "changed": []}
    write_report(out, fixed_result(changes=changes))
    return out


class Page:
    """A page with every console message, page error and request outside the report recorded."""

    def __init__(self, browser, path: Path, width: int = 1200):
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.console, self.errors, self.remote = [], [], []  # remote: requests to anywhere but file://
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith("file://") else self.remote.append(r.url))
        self.responses = []  # from outside the report: none, even when something asked (the CSP refuses)
        self.page.on("response", lambda r: None if r.url.startswith("file://") else self.responses.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")

    def expect_rows(self, selector: str, count: int) -> None:
        """Wait (up to 5 s) until `count` rows are shown: the filters apply after the event, not during it."""
        from playwright.sync_api import expect

        expect(self.page.locator(f"{selector} tr[data-row]:visible")).to_have_count(count, timeout=5000)

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.fixture
def open_page(browser):
    pages = []

    def opener(path: Path, width: int = 1200) -> Page:
        pages.append(Page(browser, path, width))
        return pages[-1]

    yield opener
    for page in pages:
        page.page.close()


def test_overview_loads_without_console_errors_or_network(report, open_page):
    page = open_page(report / "index.html")
    assert page.console == [] and page.errors == [] and page.remote == []
    assert page.page.locator("form.filters").is_visible()  # report.js ran under the CSP
    page.screenshot("overview.png")


def test_story_page_loads_without_console_errors_and_hostile_article_cannot_run_script(report, open_page):
    page = open_page(report / story_path("strikes"))
    assert page.console == [] and page.errors == [] and page.remote == []
    assert page.page.evaluate("typeof window.pwned") == "undefined"
    assert "<img src=x" in page.page.locator("td.sentence", has_text="Officials said <img").inner_text()
    assert page.page.locator("th .id", has_text="<script>window.pwned=1</script>Strikes").count() == 1  # shown as text
    page.page.locator("a", has_text="Hostile").hover()  # the hostile URL is one harmless href
    assert page.page.evaluate("typeof window.pwned") == "undefined"
    page.screenshot("story.png")


def test_filters_and_search_change_what_the_overview_shows(report, open_page):
    page = open_page(report / "index.html")
    page.expect_rows("#findings-list", 2)
    page.page.select_option("select[name=severity]", "critical")
    page.expect_rows("#findings-list", 1)
    assert page.page.locator("#findings-list tr[data-row]:visible").get_attribute("data-type") == "conflict"
    page.page.click("form.filters button[type=reset]")
    page.expect_rows("#findings-list", 2)
    page.page.select_option("select[name=source]", "<b>Hostile</b> Wire")
    page.expect_rows("#findings-list", 1)
    assert "Showing 1 of 2 rows." in page.page.locator("form.filters .shown").inner_text()


def test_filters_and_search_change_what_the_story_page_shows(report, open_page):
    page = open_page(report / story_path("strikes"))
    page.expect_rows("#claims-list", 5)
    page.page.fill("input[name=q]", "officials said")
    page.expect_rows("#claims-list", 3)  # two claims in Outlet A's sentence, one in the hostile one
    page.page.fill("input[name=q]", "")
    page.page.select_option("select[name=metric]", "boats_destroyed")
    page.expect_rows("#claims-list", 2)
    assert page.page.locator("#claims-list section.group:visible").count() == 1  # the killed chart is hidden too
    page.page.select_option("select[name=metric]", "")
    page.page.select_option("select[name=verdict]", "conflict")
    page.expect_rows("#claims-list", 3)


def test_sorting_a_claims_table_by_interval(report, open_page):
    page = open_page(report / story_path("strikes"))
    table = page.page.locator("#group-2 table")  # killed: 76, 80, 95 sorted by date
    table.locator("th button", has_text="Interval").click()
    table.locator("th button", has_text="Interval").click()
    assert table.locator("tbody td:nth-child(4)").all_inner_texts() == ["95", "80", "76"]
    assert table.locator("th", has_text="Interval").get_attribute("aria-sort") == "descending"


def test_narrow_screen_and_print_layouts(report, open_page):
    page = open_page(report / story_path("strikes"), width=390)
    assert page.page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.screenshot("story-narrow.png")
    page.page.emulate_media(media="print")
    assert not page.page.locator("form.filters").is_visible()
    if os.environ.get("AUDITOR_PRINT_PDF"):  # headless PDF is slow; on demand only
        page.page.pdf(path=str(ARTIFACTS / "story.pdf"))


def test_at_400_px_the_overview_tables_fit_or_scroll_in_their_box(report, open_page):
    page = open_page(report / "index.html", width=400)
    assert page.page.evaluate("document.documentElement.scrollWidth") <= 400
    boxes = page.page.evaluate("""[...document.querySelectorAll('table')].map(t => {
        const box = t.closest('.scroll');
        return {table: t.className, fits: t.getBoundingClientRect().width <= box.clientWidth + 1,
                scrolls: getComputedStyle(box).overflowX === 'auto'};
    })""")
    assert {b["table"] for b in boxes} >= {"counts", "stories sortable", "findings sortable"}
    assert all(b["scrolls"] for b in boxes)
    assert [b["table"] for b in boxes if not b["fits"] and b["table"] != "errors"] == []  # a long path may scroll
    page.screenshot("overview-400.png")


def test_csp_blocks_injected_inline_handlers_and_remote_loads(report, open_page):
    """Defence in depth: even markup that got in could neither run nor call out."""
    page = open_page(report / "index.html")
    page.page.evaluate("""() => {
        document.body.insertAdjacentHTML('beforeend', '<img src="data:,broken" onerror="window.pwned=5">');
        const s = document.createElement('script'); s.src = 'https://cdn.example/x.js'; document.head.append(s);
        fetch('https://tracker.example/').catch(() => {});
    }""")
    page.page.wait_for_timeout(300)
    assert page.page.evaluate("typeof window.pwned") == "undefined"
    assert page.responses == []
    refused = [m for m in page.console if "Content Security Policy" in m]
    assert any("inline event handler" in m for m in refused)
    assert any("cdn.example" in m for m in refused) and any("tracker.example" in m for m in refused)


def test_search_matches_the_phrase_as_typed(report, open_page):
    page = open_page(report / story_path("strikes"))
    page.page.fill("input[name=q]", "Outlet B")  # not every row with "outlet" and a "b" somewhere:
    page.expect_rows("#claims-list", 4)  # Outlet B's two claims, and two explanations naming it
    page.page.fill("input[name=q]", "  IN ALL,   95 ")
    page.expect_rows("#claims-list", 1)
