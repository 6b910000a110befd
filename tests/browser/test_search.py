"""A citizen searches in a real Chromium, types without accents or with a typo, and prints an article."""

import pytest
from django.core.management import call_command

SEED_TITLE = "Sở Khoa học và Công nghệ triển khai nhiệm vụ năm 2023"
SEED_URL = "/bai-viet/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023/"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize("device", ["phone", "page"])
def test_search_from_the_header(request, device, demo, live_server, screenshot):
    """Header box → results with highlighted words → filters → the article, at 360 px and 1280 px."""
    page = request.getfixturevalue(device)
    width = "360" if device == "phone" else "1280"
    page.goto(live_server.url + "/")
    page.locator("#header-q").fill("khoa hoc cong nghe 2023")
    page.locator("#header-q").press("Enter")
    page.wait_for_url("**/tim-kiem/?q=khoa+hoc+cong+nghe+2023")
    assert page.locator("#id_q").input_value() == "khoa hoc cong nghe 2023"
    assert page.locator(".search-summary").inner_text().startswith("Tìm thấy")
    first = page.locator(".search-result").first
    assert first.locator(".search-result-title a").inner_text() == SEED_TITLE
    assert first.locator("mark").count() >= 4
    assert "10/01/2023" in first.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
    screenshot(page, f"search-{width}")

    page.locator(".search-tabs").get_by_role("link", name="Tin bài").click()
    page.wait_for_url("**loai=tin-bai**")
    page.locator(".search-filters summary").click()
    page.locator("#id_chuyen_muc").select_option("hoat-dong-cua-so")
    page.locator("#id_den_ngay").fill("2023-12-31")
    page.get_by_role("button", name="Tìm kiếm", exact=True).click()
    page.wait_for_url("**chuyen_muc=hoat-dong-cua-so**")
    titles = page.locator(".search-result-title").all_inner_texts()
    assert titles == [SEED_TITLE]
    screenshot(page, f"search-filtered-{width}")

    page.locator(".search-result-title a").first.click()
    page.wait_for_url(f"**{SEED_URL}")
    assert page.get_by_role("heading", level=1).inner_text() == SEED_TITLE


def test_typo_offers_the_article(page, demo, live_server, screenshot):
    """`khao hoc cong nghe` finds nothing as typed; the suggestion leads to the seed article."""
    page.goto(live_server.url + "/tim-kiem/?q=khao+hoc+cong+nghe")
    box = page.locator(".did-you-mean")
    assert "Có phải bạn muốn tìm:" in box.inner_text()
    screenshot(page, "search-typo-1280")
    box.get_by_role("link", name="khoa học công nghệ").click()
    page.wait_for_url("**/tim-kiem/?q=**")
    assert SEED_TITLE in page.locator(".search-result-title").all_inner_texts()


def test_bad_date_gets_a_message(phone, demo, live_server, screenshot):
    """A hand-edited date gets a Vietnamese message next to the field; the query stays."""
    phone.goto(live_server.url + "/tim-kiem/?q=s%E1%BB%9F+khoa+h%E1%BB%8Dc&loai=tin-bai&tu_ngay=31/02/2023")
    assert phone.locator("#id_q").input_value() == "sở khoa học"
    assert "Ngày không hợp lệ" in phone.locator(".filter-field.has-error").inner_text()
    assert phone.locator("#id_chuyen_muc").is_visible()  # the filters are open to show the error
    screenshot(phone, "search-bad-date-360")


def test_article_prints_without_menus_or_forms(page, demo, live_server, screenshot):
    """In print media: no header, menu, sidebar, footer, feedback or print button; the URL and date are there."""
    page.goto(live_server.url + SEED_URL)
    assert page.locator("[data-print]").is_visible()  # the print button, once JS has run
    page.emulate_media(media="print")
    for selector in (".site-header", ".main-nav", ".sidebar", ".site-footer", ".print-button", "form"):
        locator = page.locator(selector)
        assert all(not locator.nth(i).is_visible() for i in range(locator.count())), selector
    url = page.locator(".print-url")
    assert url.is_visible() and url.inner_text().endswith(SEED_URL)
    assert page.get_by_text("10/01/2023 14:00").is_visible()
    assert page.locator(".article-body").is_visible()
    screenshot(page, "article-print-1280")
