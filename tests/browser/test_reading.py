"""A citizen reads the news in a real Chromium, on a phone and on a desktop."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

SEED_TITLE = "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize("device", ["phone", "page"])
def test_home_category_article(request, device, demo, live_server, screenshot):
    """Home → category (through the menu) → article, at 360 px and at 1280 px."""
    page = request.getfixturevalue(device)
    width = "360" if device == "phone" else "1280"
    page.goto(live_server.url + "/")
    assert page.locator("h1, .slide-title").first.is_visible()
    assert page.get_by_text(SEED_TITLE).first.is_visible()
    screenshot(page, f"home-{width}")

    if device == "phone":
        toggle = page.get_by_role("button", name="Danh mục")
        assert toggle.is_visible()
        assert not page.locator("#menu-list").is_visible()
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
    page.locator("#menu-list").get_by_role("link", name="Hoạt động của Sở", exact=True).click()
    page.wait_for_url("**/chuyen-muc/hoat-dong-cua-so/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hoạt động của Sở"
    screenshot(page, f"category-{width}")

    page.get_by_role("link", name=SEED_TITLE).first.click()
    page.wait_for_url("**/bai-viet/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023/")
    assert page.get_by_role("heading", level=1).inner_text() == SEED_TITLE
    assert page.get_by_text("10/01/2023 14:00").is_visible()
    assert page.get_by_text("Các đại biểu dự Hội nghị").first.is_visible()
    assert page.locator(".article-byline").inner_text().strip().startswith("Dương Liễu")
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
    screenshot(page, f"article-{width}")


def test_keyboard_reaches_submenu(page, demo, live_server):
    """With the keyboard alone: the skip link comes first, and a submenu opens on focus."""
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Bỏ qua, đến nội dung chính"
    sub = page.locator("#menu-list .submenu a", has_text="Tin trong tỉnh")
    assert not sub.is_visible()
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").strip() == "Tin trong tỉnh":
            break
    assert sub.is_visible()
    page.keyboard.press("Enter")
    page.wait_for_url("**/chuyen-muc/tin-trong-tinh/")


def test_slider_controls(page, demo, live_server):
    """The featured slider's buttons move between slides."""
    page.goto(live_server.url + "/")
    dots = page.locator(".slider-dots a")
    assert dots.count() >= 2
    assert dots.first.get_attribute("aria-current") == "true"
    page.get_by_role("button", name="Tin sau").click()
    expect(dots.nth(1)).to_have_attribute("aria-current", "true")


@pytest.mark.parametrize(
    "path",
    ["/", "/chuyen-muc/hoat-dong-cua-so/", "/bai-viet/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023/"],
)
def test_accessibility(page, demo, live_server, path):
    """axe-core finds no serious or critical violation on the main pages."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(live_server.url + path)
    results = Axe().run(page)
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
