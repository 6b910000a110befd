"""A citizen on a phone (360×780, device pixel ratio 2) and on a laptop (1366×768) reads the captcha and
sends a question; the audio alternative in Vietnamese; messages in Vietnamese, never the browser's."""

import re
import shutil

import pytest
from captcha.models import CaptchaStore
from playwright.sync_api import expect

from feedback.models import Feedback
from tests.test_captcha import assert_same_drawing, character_boxes

SCREENS = {
    "phone": {
        "viewport": {"width": 360, "height": 780},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1366, "height": 768}, "device_scale_factor": 1},
}
TITLE = "Hỏi về hỗ trợ đổi mới công nghệ cho doanh nghiệp nhỏ"
CONTENT = "Xin hỏi Sở: doanh nghiệp nhỏ ở huyện được hỗ trợ kinh phí đổi mới công nghệ như thế nào?"


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


def captcha_image(page, key):
    """The image the browser chose from srcset for `key`: its URL, its size in pixels as the browser
    decodes it, and its bytes. (`naturalWidth` of a "2x" candidate is divided by its density: 180.)"""
    image = page.locator(".fb-captcha-image")
    page.wait_for_function(
        "([img, key]) => img.complete && img.naturalWidth > 0 && img.currentSrc.includes(key)",
        arg=[image.element_handle(), key],
    )
    url, width, height = image.evaluate(
        """async img => {
            const copy = new Image();
            copy.src = img.currentSrc;
            await copy.decode();
            return [img.currentSrc, copy.naturalWidth, copy.naturalHeight];
        }"""
    )
    return url, (width, height), page.request.get(url).body()


def fill_form(page):
    page.get_by_label("Họ và tên").fill("Lê Văn Tám")
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_label("Nội dung").fill(CONTENT)


def send_and_get_code(page):
    page.get_by_role("button", name="Gửi góp ý").click()
    page.wait_for_url(re.compile(r"/gop-y/da-gui/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn đã gửi góp ý")
    code = page.locator("[data-copy-source]").inner_text()
    assert re.fullmatch(r"GY-[2-9A-HJ-NP-Z]{8}", code)
    return code


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_citizen_reads_the_captcha_and_sends_a_question(
    open_screen, live_server, transactional_db, screen, screenshot
):
    page = open_screen(screen)
    page.goto(live_server.url + "/gop-y/")
    key = page.locator('input[name="captcha_0"]').input_value()
    answer = CaptchaStore.objects.get(hashkey=key).response
    text = CaptchaStore.objects.get(hashkey=key).challenge

    url, size, png = captcha_image(page, key)
    if screen == "phone":
        # The 2× image, with twice the pixels, the same characters, every one inside it.
        assert url.endswith(f"/captcha/image/{key}@2/") and size == (360, 112)
        one = page.request.get(f"{live_server.url}/captcha/image/{key}/").body()
        assert_same_drawing(one, png, text)
    else:
        assert url.endswith(f"/captcha/image/{key}/") and size == (180, 56)
        boxes = character_boxes(png)
        assert len(boxes) == len(text) and boxes[0][0] > 0 and boxes[-1][1] < 179
    # Shown at 180×56 CSS pixels on every screen (sharp on the phone: 2 device pixels per CSS pixel).
    shown = page.locator(".fb-captcha-image").evaluate(
        "img => [img.naturalWidth, img.naturalHeight, img.clientWidth, img.clientHeight]"
    )
    assert shown == [180, 56, 180, 56]  # (clientWidth: inside the border)

    fill_form(page)
    page.get_by_label("Mã kiểm tra").fill(answer.upper())
    page.get_by_label("Mã kiểm tra").scroll_into_view_if_needed()
    screenshot(page, "captcha-form-360-dpr2" if screen == "phone" else "captcha-form-1366")
    code = send_and_get_code(page)
    assert Feedback.objects.get(code=code).title == TITLE


@pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng is not installed: `apt-get install espeak-ng`"
)
def test_citizen_listens_to_the_code_in_vietnamese(open_screen, live_server, transactional_db, screenshot, settings):
    settings.CAPTCHA_ESPEAK_PATH = shutil.which("espeak-ng")
    page = open_screen("phone")
    page.goto(live_server.url + "/gop-y/")
    old_key = page.locator('input[name="captcha_0"]').input_value()
    fill_form(page)
    with page.expect_response(lambda r: "/gop-y/ma-kiem-tra/?nghe=1" in r.url) as challenge:
        page.get_by_role("link", name="Nghe mã bằng tiếng Việt").click()
    assert challenge.value.status == 200
    player = page.locator("[data-captcha-player]")
    expect(player).to_be_visible()
    key = page.locator('input[name="captcha_0"]').input_value()
    assert key != old_key
    digits = CaptchaStore.objects.get(hashkey=key).response
    assert re.fullmatch(r"\d{6}", digits)
    audio = page.request.get(player.evaluate("el => el.currentSrc || el.src"))
    assert audio.status == 200 and audio.headers["content-type"] == "audio/wav" and audio.body()[:4] == b"RIFF"
    expect(page.locator("[data-captcha-status]")).to_contain_text("Mã nghe: 6 chữ số, đọc hai lần.")
    assert page.get_by_label("Mã kiểm tra").get_attribute("inputmode") == "numeric"
    # The image now shows the same digits.
    url, size, png = captcha_image(page, key)
    assert url.endswith(f"/captcha/image/{key}@2/") and size == (360, 112)
    assert len(character_boxes(png)) == 6
    # Digits typed as heard, with spaces.
    page.get_by_label("Mã kiểm tra").fill(f"{digits[:3]} {digits[3:]}")
    page.locator(".fb-captcha").scroll_into_view_if_needed()
    screenshot(page, "captcha-audio-360-dpr2")
    send_and_get_code(page)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_messages_are_vietnamese_not_browser_bubbles(open_screen, live_server, transactional_db, screen):
    """Empty forms reach the server (no "Please fill out this field." / "Please select one of these
    options."), which answers in Vietnamese and keeps what was typed."""
    page = open_screen(screen)
    page.goto(live_server.url + "/gop-y/")
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_role("button", name="Gửi góp ý").click()
    expect(page.locator(".fb-error-summary")).to_contain_text("Vui lòng nhập họ và tên.")
    expect(page.get_by_label("Tiêu đề")).to_have_value(TITLE)
    # The footer's rating form without a level: its own Vietnamese message, in place.
    rating = page.locator("[data-rating-form]")
    rating.get_by_role("button", name="Gửi đánh giá").click()
    expect(rating.locator("[data-rating-status]")).to_have_text("Hãy chọn một mức đánh giá.")
    assert page.evaluate("() => [...document.forms].every(f => f.noValidate || !f.querySelector('[required]'))")


def test_audio_page_accessibility(open_screen, live_server, transactional_db, settings):
    """axe-core: no serious or critical violation with the player shown (`/gop-y/?nghe=1`)."""
    from axe_playwright_python.sync_playwright import Axe

    settings.CAPTCHA_ESPEAK_PATH = shutil.which("espeak-ng") or "/usr/bin/espeak-ng"
    page = open_screen("phone")
    page.goto(live_server.url + "/gop-y/?nghe=1")
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
