"""A citizen searches everything from the header box, on a phone (360×780, device pixel ratio 2) and on a
laptop (1366×768): "quyet dinh 12" finds the legal document first, labelled as such; the "Văn bản" tab;
the document. On the articles' tab the filters wait behind "Lọc". axe: nothing serious or critical."""

import pytest
from django.core.management import call_command

from documents.models import Document

SCREENS = {
    "phone": {
        "viewport": {"width": 360, "height": 780},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1366, "height": 768}, "device_scale_factor": 1},
}
NUMBER = "12/2023/QĐ-UBND"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    call_command("load_state_demo", verbosity=0)
    call_command("feedback_demo", verbosity=0)


@pytest.fixture
def open_screen(browser):
    contexts = []

    def open_(screen):
        context = browser.new_context(locale="vi-VN", **SCREENS[screen])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.csp_violations = []
        page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text))
        return page

    yield open_
    for context in contexts:
        assert all(not page.csp_violations for page in context.pages)
        context.close()


def first_screen(page, name):
    from tests.browser.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))  # what shows before any scrolling


def assert_on_first_screen(page, locator):
    assert page.evaluate("window.scrollY") == 0
    box = locator.bounding_box()
    assert box is not None and box["y"] + box["height"] <= page.viewport_size["height"], box
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1


def serious_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_document_number_from_the_header_box(open_screen, demo, live_server, screenshot, screen):
    page = open_screen(screen)
    document = Document.objects.get(number=NUMBER)
    page.goto(live_server.url + "/")
    page.locator("#header-q").fill("quyet dinh 12")
    page.locator("#header-q").press("Enter")
    page.wait_for_url("**/tim-kiem/?q=quyet+dinh+12")

    first = page.locator(".search-result").first
    assert NUMBER in first.locator(".search-result-title").inner_text()
    assert first.locator(".result-kind").inner_text() == "Văn bản"
    assert page.locator(".search-tabs a[aria-current=page]").inner_text() == "Tất cả"
    assert_on_first_screen(page, first.locator(".search-result-title"))
    first_screen(page, f"site-search-{screen}-first-screen")
    screenshot(page, f"site-search-{screen}-all")
    assert serious_axe_violations(page) == []

    page.locator(".search-tabs").get_by_role("link", name="Văn bản").click()
    page.wait_for_url("**loai=van-ban**")
    assert page.locator(".search-tabs a[aria-current=page]").inner_text().startswith("Văn bản (")
    first = page.locator(".search-result").first
    assert NUMBER in first.locator(".search-result-title").inner_text()
    assert_on_first_screen(page, first.locator(".search-result-title"))
    screenshot(page, f"site-search-{screen}-van-ban")
    assert serious_axe_violations(page) == []

    first.locator(".search-result-title a").click()
    page.wait_for_url(f"**{document.get_absolute_url()}")
    assert NUMBER in page.get_by_role("heading", level=1).inner_text()
    first_screen(page, f"site-search-{screen}-document")


def test_article_filters_behind_lọc_on_a_phone(open_screen, demo, live_server, screenshot):
    """On the articles' tab the filters are one "Lọc" button; the first result still shows on the first screen."""
    page = open_screen("phone")
    page.goto(live_server.url + "/tim-kiem/?q=khoa+hoc+cong+nghe&loai=tin-bai")
    assert not page.locator("#id_chuyen_muc").is_visible()
    assert page.locator(".search-filters summary").inner_text().strip() == "Lọc"
    first = page.locator(".search-result").first
    assert first.locator(".result-kind").inner_text() == "Tin bài"
    assert_on_first_screen(page, first.locator(".search-result-title"))
    first_screen(page, "site-search-phone-tin-bai")
    page.locator(".search-filters summary").click()
    assert page.locator("#id_chuyen_muc").is_visible()
    screenshot(page, "site-search-phone-loc-open")
    assert serious_axe_violations(page) == []
