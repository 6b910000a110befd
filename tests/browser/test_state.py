"""What a state portal must also offer, in a real Chromium: legal documents, procedures, the
Department's pages in two languages, the rating form, the text size switch, keyboard-only use."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from rating.models import Rating

SEED = "/bai-viet/so-khoa-hoc-va-cong-nghe-trien-khai-nhiem-vu-nam-2023/"


@pytest.fixture
def demo(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    call_command("load_state_demo", verbosity=0)
    call_command("load_pages_demo", verbosity=0)


def focused_text(page):
    return page.evaluate("(document.activeElement.innerText || document.activeElement.value || '').trim()")


def tab_to(page, text, limit=60):
    """Press Tab until the focused element's text starts with `text` (keyboard only, like a reader)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_text(page).startswith(text):
            return
    raise AssertionError(f"{text!r} never got the focus")


@pytest.mark.parametrize("device", ["phone", "page"])
def test_documents_search_filters_and_detail(request, device, demo, live_server, screenshot):
    """Menu → Văn bản → search by number without accents → detail with metadata and download."""
    page = request.getfixturevalue(device)
    width = "360" if device == "phone" else "1280"
    page.goto(live_server.url + "/")
    if device == "phone":
        page.get_by_role("button", name="Danh mục").click()
    page.locator("#menu-list").get_by_role("link", name="Văn bản", exact=True).click()
    page.wait_for_url("**/van-ban/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Văn bản")
    assert page.locator(".doc-item").count() >= 12
    screenshot(page, f"state-documents-{width}")

    page.get_by_label("Số ký hiệu hoặc trích yếu").fill("12/2023/qd-ubnd")
    page.get_by_role("button", name="Tìm", exact=True).last.click()
    page.wait_for_url("**/van-ban/?q=*")
    expect(page.locator(".state-count")).to_have_text("Tìm thấy 1 văn bản phù hợp.")
    expect(page.locator(".doc-title mark")).to_have_text("12/2023/QĐ-UBND")
    screenshot(page, f"state-documents-search-{width}")

    page.get_by_label("Số ký hiệu hoặc trích yếu").fill("")
    if device == "phone":  # the filters wait behind "Lọc" on a phone
        expect(page.get_by_label("Tình trạng hiệu lực")).to_be_hidden()
        page.locator("summary", has_text="Lọc").click()
    page.get_by_label("Tình trạng hiệu lực").select_option(label="Hết hiệu lực")
    page.get_by_role("button", name="Lọc văn bản").click()
    assert page.locator(".doc-item").count() >= 1
    assert set(page.locator(".doc-item .validity").all_inner_texts()) == {"Hết hiệu lực"}

    page.goto(live_server.url + "/van-ban/?q=quyet+dinh+khoa+hoc")
    page.get_by_role("link", name="Quyết định số 12/2023/QĐ-UBND").click()
    page.wait_for_url("**/van-ban/12-2023-qd-ubnd/")
    table = page.locator("table.doc-meta")
    expect(table.locator("tr", has_text="Số ký hiệu")).to_contain_text("12/2023/QĐ-UBND")
    expect(table.locator("tr", has_text="Tình trạng hiệu lực")).to_contain_text("Còn hiệu lực")
    download_link = page.locator(".doc-files a").first
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1
    screenshot(page, f"state-document-{width}")


@pytest.mark.parametrize("device", ["phone", "page"])
def test_department_pages_and_language_switch(request, device, demo, live_server, screenshot):
    page = request.getfixturevalue(device)
    width = "360" if device == "phone" else "1280"
    page.goto(live_server.url + "/gioi-thieu/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Giới thiệu")
    expect(page.get_by_role("heading", name="Lãnh đạo Sở")).to_be_visible()
    portrait = page.get_by_role("img", name="Ảnh chân dung Trần Minh Quang, Giám đốc Sở")
    expect(portrait).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "vi"
    screenshot(page, f"state-about-{width}")

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/about/")
    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("About us")
    expect(page.get_by_role("heading", name="Leadership")).to_be_visible()
    expect(page.get_by_role("link", name="Skip to main content")).to_be_attached()
    expect(page.locator(".site-footer")).to_contain_text("How would you rate this portal?")
    screenshot(page, f"state-about-en-{width}")

    if device == "phone":
        page.get_by_role("button", name="Menu").click()
    page.locator("#menu-list").get_by_role("link", name="Contact").click()
    page.wait_for_url("**/en/contact/")
    expect(page.get_by_role("heading", name="Spokesperson and information contact")).to_be_visible()
    screenshot(page, f"state-contact-en-{width}")
    page.get_by_role("link", name="Tiếng Việt").click()
    page.wait_for_url("**/lien-he/")
    assert page.evaluate("document.documentElement.lang") == "vi"
    expect(page.get_by_role("heading", level=1)).to_have_text("Liên hệ")
    screenshot(page, f"state-contact-{width}")

    page.goto(live_server.url + "/thu-tuc-hanh-chinh/?q=buc+xa")
    expect(page.locator(".proc-item")).to_have_count(2)
    screenshot(page, f"state-procedures-{width}")


def test_english_browser_gets_vietnamese_then_english_by_the_switch(browser, demo, live_server, screenshot):
    """A citizen whose browser prefers English still gets the Vietnamese portal at "/" (the language comes
    from the URL only); the switch leads to the English landing page and from there to the English pages."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    csp_violations = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and csp_violations.append(msg.text))
    try:
        page.goto(live_server.url + "/")
        assert page.evaluate("document.documentElement.lang") == "vi"
        expect(page.get_by_role("link", name="Bỏ qua, đến nội dung chính")).to_be_attached()

        page.get_by_role("link", name="English").click()
        page.wait_for_url("**/en/")
        assert page.evaluate("document.documentElement.lang") == "en"
        expect(page.get_by_role("heading", level=1)).to_have_text("Department of Science and Technology")
        expect(page.locator(".site-footer")).to_contain_text("How would you rate this portal?")
        screenshot(page, "state-landing-en-1280")

        page.locator("main").get_by_role("link", name="About us").click()
        page.wait_for_url("**/en/about/")
        expect(page.get_by_role("heading", level=1)).to_have_text("About us")
        page.get_by_role("link", name="Tiếng Việt").click()
        page.wait_for_url("**/gioi-thieu/")
        assert page.evaluate("document.documentElement.lang") == "vi"
    finally:
        context.close()
    assert csp_violations == []


def test_text_size_persists_and_applies_before_the_first_paint(page, demo, live_server):
    """A+ twice: 125 %, kept in localStorage, on <html> of the next page before its body is parsed."""
    page.add_init_script(
        "new MutationObserver((changes, observer) => {"
        "  if (document.body) { window.__sizeAtBody = document.documentElement.className; observer.disconnect(); }"
        "}).observe(document, {childList: true, subtree: true});"
    )
    page.goto(live_server.url + "/")
    base = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    larger = page.get_by_role("button", name="A+ Tăng cỡ chữ")
    larger.click()
    larger.click()
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == base * 1.25
    expect(page.locator("[data-text-size-status]")).to_have_text("Cỡ chữ: 125%")
    page.goto(live_server.url + "/van-ban/")
    assert "text-size-2" in page.evaluate("window.__sizeAtBody")  # no flash of the default size
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == base * 1.25
    page.reload()
    assert "text-size-2" in page.evaluate("document.documentElement.className")
    page.get_by_role("button", name="A Cỡ chữ mặc định").click()
    assert page.evaluate("localStorage.getItem('portal:text-size')") == "0"
    smaller = page.get_by_role("button", name="A− Giảm cỡ chữ")
    smaller.click()  # 90 % is the smallest: the button then says it can do no more
    assert smaller.get_attribute("aria-disabled") == "true"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") == pytest.approx(base * 0.9)


def test_keyboard_menu_on_a_phone(phone, demo, live_server):
    """Tab to the menu button, open it with Enter, reach Văn bản and follow it, all without a pointer."""
    phone.goto(live_server.url + "/")
    tab_to(phone, "☰")
    phone.keyboard.press("Enter")
    assert phone.get_by_role("button", name="Danh mục").get_attribute("aria-expanded") == "true"
    tab_to(phone, "Văn bản")
    phone.keyboard.press("Enter")
    phone.wait_for_url("**/van-ban/")


SCROLL_MS = 15_000


def test_keyboard_slider(page, demo, live_server):
    page.goto(live_server.url + "/")
    dots = page.locator(".slider-dots a")
    tab_to(page, "Tin sau")
    page.keyboard.press("Enter")
    # The slide scrolls smoothly and the dot follows when it stops: allow for a busy machine's slow frames
    # (CI once saw the first move take more than the default 5 s).
    expect(dots.nth(1)).to_have_attribute("aria-current", "true", timeout=SCROLL_MS)
    page.keyboard.press("Space")
    expect(dots.nth(2)).to_have_attribute("aria-current", "true", timeout=SCROLL_MS)
    page.keyboard.press("Shift+Tab")  # past the dots, back to "Tin trước"
    for _ in range(10):
        if focused_text(page).startswith("‹"):
            break
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(dots.nth(1)).to_have_attribute("aria-current", "true", timeout=SCROLL_MS)


def test_keyboard_document_search_form(page, demo, live_server):
    page.goto(live_server.url + "/van-ban/")
    tab_to(page, "")  # the skip link first
    assert focused_text(page) == "Bỏ qua, đến nội dung chính"
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "q":
            break
    page.keyboard.type("quyết định khoa học")
    page.keyboard.press("Tab")  # Tìm
    page.keyboard.press("Tab")  # Loại văn bản
    assert page.evaluate("document.activeElement.name") == "loai"
    page.keyboard.press("ArrowDown")  # the first type in the list
    assert page.evaluate("document.activeElement.value") != ""
    tab_to(page, "Lọc văn bản")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=*")
    assert page.evaluate("new URLSearchParams(location.search).get('q')") == "quyết định khoa học"
    assert page.locator(".state-count").inner_text().startswith(("Tìm thấy", "Không"))


def test_rating_with_the_keyboard_then_the_limit(page, demo, live_server, screenshot):
    """Choose a level with the arrow keys, write, send with Enter: thanked in place; the 4th is refused."""
    page.goto(live_server.url + SEED)
    footer = page.locator(".site-footer")
    footer.get_by_label("Rất tốt").focus()
    page.keyboard.press("ArrowRight")  # radio group: the arrow moves and selects
    assert footer.get_by_label("Tốt", exact=True).is_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("Trang dễ đọc, tìm văn bản nhanh.")
    page.keyboard.press("Tab")
    assert focused_text(page) == "Gửi đánh giá"
    page.keyboard.press("Enter")
    status = footer.locator("[data-rating-status]")
    expect(status).to_have_text("Cảm ơn bạn đã đánh giá! Ý kiến của bạn giúp chúng tôi làm cổng thông tin tốt hơn.")
    assert page.evaluate("document.activeElement.hasAttribute('data-rating-status')")
    screenshot(page, "state-rating-thanks-1280")
    rating = Rating.objects.get()
    assert (rating.level, rating.comment, rating.page) == (4, "Trang dễ đọc, tìm văn bản nhanh.", SEED)

    for _ in range(2):
        page.goto(live_server.url + "/van-ban/")
        page.locator(".site-footer").get_by_label("Bình thường").check()
        page.locator(".site-footer").get_by_role("button", name="Gửi đánh giá").click()
        expect(page.locator(".site-footer [data-rating-status]")).to_contain_text("Cảm ơn bạn")
    page.goto(live_server.url + "/gioi-thieu/")
    page.locator(".site-footer").get_by_label("Kém").check()
    page.locator(".site-footer").get_by_role("button", name="Gửi đánh giá").click()
    status = page.locator(".site-footer [data-rating-status]")
    expect(status).to_contain_text("đã gửi đủ 3 đánh giá trong 24 giờ qua nên đánh giá này chưa được lưu")
    assert "rating-status-limit" in status.get_attribute("class")
    screenshot(page, "state-rating-limit-1280")
    assert Rating.objects.count() == 3


def test_rating_without_javascript(browser, demo, live_server, screenshot):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/gioi-thieu/")
        footer = page.locator(".site-footer")
        footer.get_by_label("Rất tốt").check()
        footer.get_by_role("button", name="Gửi đánh giá").click()
        page.wait_for_url("**/danh-gia/cam-on/**")
        expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn đã đánh giá")
        screenshot(page, "state-rating-thanks-nojs-360")
        page.get_by_role("link", name="Quay lại trang bạn đang xem").click()
        page.wait_for_url("**/gioi-thieu/")
        assert Rating.objects.get().level == 5
    finally:
        context.close()
