"""A citizen on a phone (360×780 at device pixel ratio 2) and on a laptop (1366×768): shares an article
without any third-party script, opens the English landing page and switches languages, finds a document
with the filters folded behind "Lọc", and reads an article that stays within its page-weight budget."""

import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import ARTIFACTS

SEED = "/bai-viet/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023/"
# HTML + CSS + JS + images fetched before the reader scrolls, on a phone: what a weak 3G connection
# brings in a few seconds. Measured as the bodies' decoded sizes (an upper bound of what is transferred).
PAGE_WEIGHT_BUDGET = 250 * 1024
DEVICES = {
    "phone": {
        "viewport": {"width": 360, "height": 780},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "laptop": {"viewport": {"width": 1366, "height": 768}},
}
# What a phone's share sheet would receive: the test's stand-in for navigator.share.
FAKE_SHARE = """
Object.defineProperty(navigator, "share", {
  configurable: true,
  value: function (data) { window.__shared = data; return Promise.resolve(); },
});
"""


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    call_command("load_state_demo", verbosity=0)
    call_command("load_pages_demo", verbosity=0)


@pytest.fixture
def open_device(browser):
    """open_device(name, **context options) → a page whose CSP violations fail the test."""
    contexts, pages = [], []

    def open_(name, **options):
        context = browser.new_context(locale="vi-VN", **DEVICES[name], **options)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        page.csp_violations = []
        page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text))
        pages.append(page)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert [v for page in pages for v in page.csp_violations] == []


def first_screen(page, name):
    """The screen as the reader first sees it (not the whole page)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def serious_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_share_an_article(device, demo, live_server, open_device, screenshot):
    """Facebook gets the article's URL, copying confirms in Vietnamese, and "Chia sẻ" hands the URL to the
    device's share sheet where there is one (emulated here: headless Chromium on Linux has none)."""
    page = open_device(device, permissions=["clipboard-read", "clipboard-write"])
    if device == "phone":
        page.add_init_script(FAKE_SHARE)
    url = settings.SITE_URL + SEED
    page.goto(live_server.url + SEED)
    box = page.get_by_role("group", name="Chia sẻ bài viết")
    expect(box).to_be_visible()

    facebook = box.get_by_role("link", name="Chia sẻ lên Facebook (mở trong thẻ mới)")
    expect(facebook).to_be_visible()
    href = facebook.get_attribute("href")
    assert href == "https://www.facebook.com/sharer/sharer.php?u=" + quote(url, safe="")
    assert facebook.get_attribute("target") == "_blank" and "noopener" in facebook.get_attribute("rel").split()

    box.get_by_role("link", name="Sao chép liên kết").click()
    expect(box.get_by_role("status")).to_have_text("Đã sao chép liên kết bài viết.")
    assert page.evaluate("navigator.clipboard.readText()") == url
    assert page.url == live_server.url + SEED  # copying did not follow the link

    native = box.get_by_role("button", name="Chia sẻ", exact=True)
    if device == "phone":
        expect(native).to_be_visible()
        # Share, copy and print fit the first screen, under the title.
        assert native.bounding_box()["y"] + native.bounding_box()["height"] <= 780
        native.click()
        page.wait_for_function("window.__shared !== undefined")
        shared = page.evaluate("window.__shared")
        assert shared["url"] == url and shared["title"] == "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023"
    else:
        assert page.evaluate("typeof navigator.share") != "function"
        expect(native).to_be_hidden()  # no button that would do nothing
    expect(box.get_by_role("button", name="In bài viết")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
    width = page.viewport_size["width"]
    first_screen(page, f"share-article-{width}")
    screenshot(page, f"share-article-full-{width}")
    assert serious_violations(page) == []


def test_copy_falls_back_to_a_selected_link(demo, live_server, open_device):
    """Without the Clipboard API the link appears in a field, selected, with a Vietnamese hint or confirmation."""
    page = open_device("laptop")
    page.add_init_script('Object.defineProperty(navigator, "clipboard", {configurable: true, value: undefined});')
    page.goto(live_server.url + SEED)
    page.get_by_role("link", name="Sao chép liên kết").click()
    field = page.get_by_label("Liên kết bài viết")
    expect(field).to_be_visible()
    expect(field).to_be_focused()
    assert field.input_value() == settings.SITE_URL + SEED
    assert page.evaluate("document.activeElement.selectionEnd - document.activeElement.selectionStart") == len(
        settings.SITE_URL + SEED
    )
    status = page.get_by_role("group", name="Chia sẻ bài viết").get_by_role("status")
    expect(status).to_have_text(
        re.compile(r"^(Đã sao chép liên kết bài viết\.|Liên kết đã được chọn sẵn: nhấn Ctrl\+C.*)$")
    )


@pytest.mark.parametrize("device", ["phone", "laptop"])
def test_english_landing_and_back(device, demo, live_server, open_device, screenshot):
    page = open_device(device)
    page.goto(live_server.url + "/en/")
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("Department of Science and Technology")
    for heading in ("Who we are", "Contact us", "English pages", "Latest in English"):
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_text("There are no news items in English yet.")).to_be_visible()
    main = page.locator("main")
    expect(main.get_by_role("link", name="About us")).to_have_attribute("href", "/en/about/")
    expect(main.get_by_role("link", name="Contact", exact=True)).to_have_attribute("href", "/en/contact/")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
    screenshot(page, f"landing-en-{page.viewport_size['width']}")
    assert serious_violations(page) == []

    page.get_by_role("link", name="Tiếng Việt").click()
    page.wait_for_url(live_server.url + "/")
    assert page.evaluate("document.documentElement.lang") == "vi"
    page.get_by_role("link", name="English", exact=True).click()
    page.wait_for_url("**/en/")
    assert page.evaluate("document.documentElement.lang") == "en"

    # A page with its own counterpart switches to it: the rating page.
    page.goto(live_server.url + "/danh-gia/")
    page.get_by_role("link", name="English", exact=True).click()
    page.wait_for_url("**/en/rating/")
    page.get_by_role("link", name="Tiếng Việt").click()
    page.wait_for_url("**/danh-gia/")


def test_documents_on_a_phone_show_a_result_first(demo, live_server, open_device, screenshot):
    """At 360×780 the first document is on the first screen; the filters wait behind "Lọc"."""
    page = open_device("phone")
    page.goto(live_server.url + "/van-ban/")
    toggle = page.locator("summary", has_text="Lọc")
    expect(toggle).to_be_visible()
    expect(page.get_by_label("Tình trạng hiệu lực")).to_be_hidden()
    expect(page.get_by_label("Số ký hiệu hoặc trích yếu")).to_be_visible()
    first_screen(page, "van-ban-360")
    first = page.locator(".doc-item").first
    title = first.locator(".doc-title a")
    expect(title).to_be_in_viewport()
    box = title.bounding_box()
    assert box["y"] + box["height"] <= 780, box
    assert serious_violations(page) == []

    toggle.click()
    expect(page.get_by_label("Tình trạng hiệu lực")).to_be_visible()
    page.get_by_label("Tình trạng hiệu lực").select_option(label="Hết hiệu lực")
    page.get_by_role("button", name="Lọc văn bản").click()
    page.wait_for_url("**/van-ban/?*hieu_luc=*")
    # A filter in use stays in sight, with its count on the toggle.
    expect(page.get_by_label("Tình trạng hiệu lực")).to_be_visible()
    expect(toggle).to_have_text("Lọc (1)")
    assert set(page.locator(".doc-item .validity").all_inner_texts()) == {"Hết hiệu lực"}
    first_screen(page, "van-ban-filtered-360")


def test_documents_on_a_laptop_show_the_filters(demo, live_server, open_device):
    page = open_device("laptop")
    page.goto(live_server.url + "/van-ban/")
    expect(page.get_by_label("Tình trạng hiệu lực")).to_be_visible()
    expect(page.locator("summary", has_text="Lọc")).to_be_hidden()


def test_article_page_weight_on_a_phone(demo, live_server, open_device):
    """Everything fetched before the reader scrolls stays under the budget; images below the fold are lazy."""
    page = open_device("phone")
    fetched = []

    def count(response):
        try:
            fetched.append((response.url, response.request.resource_type, len(response.body())))
        except Exception:  # a redirect has no body
            fetched.append((response.url, response.request.resource_type, 0))

    page.on("response", count)
    page.goto(live_server.url + SEED, wait_until="load")
    page.wait_for_load_state("networkidle")
    total = sum(size for _, _, size in fetched)
    report = "\n".join(f"{size:>8} {kind:<10} {url}" for url, kind, size in fetched)
    (ARTIFACTS / "article-weight-360.txt").write_text(f"{total} bytes before scrolling\n{report}\n")
    assert total <= PAGE_WEIGHT_BUDGET, report
    assert {kind for _, kind, _ in fetched} <= {"document", "stylesheet", "script", "image", "fetch", "xhr", "other"}

    below = page.evaluate(
        """() => Array.from(document.images)
            .filter((img) => img.getBoundingClientRect().top > window.innerHeight && img.getAttribute("src"))
            .map((img) => [img.getAttribute("src"), img.getAttribute("loading")])"""
    )
    assert below, "the seed article has images below the fold"
    assert [src for src, loading in below if loading != "lazy"] == []
