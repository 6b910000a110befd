"""A citizen asks under an article, staff answer in the admin, the citizen reads the answer, the
published question appears on /hoi-dap/."""

import re

import pytest
from captcha.models import CaptchaStore
from playwright.sync_api import expect

from core.clientip import hash_ip
from feedback.models import Feedback
from tests.test_feedback_support import answered, make_feedback, staff_user

NAME = "Nguyễn Thị Hồng Nhung"
TITLE = "Hỏi về hồ sơ đề tài khoa học cấp tỉnh năm 2024"
CONTENT = (
    "Kính gửi Sở Khoa học và Công nghệ,\n"
    "Tôi muốn hỏi hồ sơ đăng ký đề tài cấp tỉnh năm 2024 gồm những gì, nộp ở đâu?\n"
    "Xin cảm ơn! <b>không phải HTML</b> 👍"
)
GREETING = "Chào bà Nhung, "
ANSWER = "Hồ sơ gồm đơn đăng ký và thuyết minh đề tài, nộp tại Bộ phận một cửa của Sở trước ngày 30/6."


@pytest.fixture
def people(transactional_db, article, django_user_model):
    return staff_user(django_user_model, first_name="Hoa", last_name="Lê")


def captcha_answer(page):
    key = page.locator('input[name="captcha_0"]').input_value()
    assert key
    return CaptchaStore.objects.get(hashkey=key).response


def new_page(browser, width, **options):
    height = 740 if width < 600 else 900
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    page.set_default_timeout(15000)
    return page


def login(page, live_server, username):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("mat-khau-123")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/admin/")


def test_ask_answer_lookup_publish(browser, live_server, people, article, screenshot, deliver_mail):
    # The citizen, on a phone, under the article.
    citizen = new_page(browser, 360, is_mobile=True, has_touch=True)
    citizen.goto(live_server.url + article.get_absolute_url())
    slot = citizen.locator("[data-feedback-slot]")
    expect(slot.locator("[data-feedback-form]")).to_be_visible()
    expect(slot.get_by_role("link", name="Gửi góp ý về bài viết này")).to_be_hidden()
    expect(slot.locator(".fb-captcha-image")).to_be_hidden()  # nothing per-reader until the reader starts

    with citizen.expect_response(lambda r: "/gop-y/ma-kiem-tra/" in r.url) as challenge:
        slot.get_by_label("Họ và tên").fill(NAME)
    assert challenge.value.status == 200
    image = slot.locator(".fb-captcha-image")
    expect(image).to_be_visible()
    citizen.wait_for_function("img => img.complete && img.naturalWidth === 180", arg=image.element_handle())
    slot.get_by_label("Email").fill("nhung@example.vn")
    slot.get_by_label("Tiêu đề").fill(TITLE)
    slot.get_by_label("Nội dung").fill(CONTENT)
    expect(slot.locator("#id_content_counter")).to_have_text(f"{len(CONTENT)} / 5.000 ký tự")
    slot.get_by_label("Mã kiểm tra").fill("sai")
    slot.scroll_into_view_if_needed()
    screenshot(citizen, "feedback-article-slot-360")

    # Wrong captcha: the full form comes back, with the message and the text.
    slot.get_by_role("button", name="Gửi góp ý").click()
    citizen.wait_for_url(re.compile(r"/gop-y/$"))
    expect(citizen.locator(".fb-error-summary")).to_contain_text("Mã kiểm tra chưa đúng")
    expect(citizen.locator(".fb-error-summary")).to_be_focused()
    expect(citizen.get_by_label("Họ và tên")).to_have_value(NAME)
    expect(citizen.get_by_label("Tiêu đề")).to_have_value(TITLE)
    expect(citizen.get_by_label("Nội dung")).to_have_value(CONTENT)
    expect(citizen.get_by_label("Mã kiểm tra")).to_have_value("")
    expect(citizen.locator(".fb-about")).to_contain_text(article.title)
    assert Feedback.objects.count() == 0
    screenshot(citizen, "feedback-error-360")

    # Right the second time: a tracking code.
    citizen.get_by_label("Mã kiểm tra").fill(captcha_answer(citizen))
    citizen.get_by_role("button", name="Gửi góp ý").click()
    citizen.wait_for_url(re.compile(r"/gop-y/da-gui/"))
    expect(citizen.get_by_role("heading", level=1)).to_have_text("Cảm ơn bạn đã gửi góp ý")
    code = citizen.locator("[data-copy-source]").inner_text()
    assert re.fullmatch(r"GY-[2-9A-HJ-NP-Z]{8}", code)
    screenshot(citizen, "feedback-thanks-360")
    feedback = Feedback.objects.get(code=code)
    assert feedback.article == article and feedback.content == CONTENT and feedback.name == NAME

    # Staff answer in the admin and publish.
    staff = new_page(browser, 1280)
    login(staff, live_server, "tiepnhan")
    staff.goto(live_server.url + "/admin/feedback/feedback/")
    row = staff.get_by_role("row").filter(has_text=code)
    expect(row).to_contain_text("Mới")
    screenshot(staff, "feedback-admin-list-1280")
    row.get_by_role("link", name=code).click()
    expect(staff.locator(".fb-admin-text")).to_contain_text("<b>không phải HTML</b>")
    staff.get_by_label("Nội dung trả lời").fill(GREETING + ANSWER)
    staff.get_by_label("Đơn vị trả lời").fill("Phòng Quản lý Khoa học")
    staff.get_by_role("checkbox", name="Công khai trên trang Hỏi đáp").check()
    screenshot(staff, "feedback-admin-change-1280")
    staff.get_by_role("button", name="Lưu lại", exact=True).click()
    # The answer greets the citizen by name: publishing it word for word is stopped, and says why.
    warning = staff.locator(".errorlist").filter(has_text="Phần công khai có thể còn thông tin cá nhân")
    expect(warning).to_contain_text("họ tên người gửi “bà Nhung” (câu trả lời)")
    public_answer = staff.get_by_label("Câu trả lời khi công khai")
    expect(public_answer).to_have_value(GREETING + ANSWER)  # pre-filled from the answer, nothing lost
    public_answer.scroll_into_view_if_needed()
    screenshot(staff, "feedback-admin-personal-data-warning-1280")
    public_answer.fill(ANSWER)
    staff.get_by_role("button", name="Lưu lại", exact=True).click()
    expect(staff.locator(".messagelist")).to_contain_text("thành công")
    feedback.refresh_from_db()
    assert feedback.status == Feedback.Status.ANSWERED and feedback.is_public
    assert feedback.answer == GREETING + ANSWER and feedback.public_answer == ANSWER
    assert feedback.answered_by.username == "tiepnhan"
    delivered = deliver_mail()  # the mail sender's round (core/mail.py)
    assert any(message.to == ["nhung@example.vn"] and ANSWER in message.body for message in delivered)

    # The citizen looks the code up.
    citizen.goto(live_server.url + "/gop-y/tra-cuu/")
    citizen.get_by_label("Mã tra cứu").fill(code.lower().replace("-", " "))
    citizen.get_by_role("button", name="Tra cứu").first.click()
    expect(citizen.locator(".fb-status")).to_have_text("Đã trả lời")
    expect(citizen.locator(".fb-answer")).to_contain_text(GREETING + ANSWER)  # their own answer, in full
    expect(citizen.locator(".fb-answer")).to_contain_text("Phòng Quản lý Khoa học")
    screenshot(citizen, "feedback-lookup-360")

    # And finds it on /hoi-dap/, also by an unaccented search.
    citizen.goto(live_server.url + "/hoi-dap/?q=ho+so+de+tai")
    item = citizen.locator(f"#hoi-dap-{feedback.pk}")
    expect(item.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(item).to_contain_text(ANSWER)
    expect(item).not_to_contain_text(NAME)
    expect(item).not_to_contain_text("Nhung")  # the public version only
    screenshot(citizen, "feedback-qa-360")
    wide = new_page(browser, 1280)
    wide.goto(live_server.url + "/hoi-dap/")
    expect(wide.locator(f"#hoi-dap-{feedback.pk}")).to_be_visible()
    screenshot(wide, "feedback-qa-1280")


def test_without_javascript_the_full_page_works(browser, live_server, people, article, screenshot):
    page = new_page(browser, 1280, java_script_enabled=False)
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator("[data-feedback-form]")).to_be_hidden()
    page.get_by_role("link", name="Gửi góp ý về bài viết này").click()
    page.wait_for_url(re.compile(r"/gop-y/\?bai-viet="))
    expect(page.locator(".fb-captcha-image")).to_be_visible()
    page.get_by_label("Họ và tên").fill("Trần Văn Bình")
    page.get_by_label("Tiêu đề").fill("Góp ý không dùng JavaScript")
    page.get_by_label("Nội dung").fill("Trình duyệt của tôi tắt JavaScript, vẫn gửi được.")
    page.get_by_label("Mã kiểm tra").fill(captcha_answer(page))
    screenshot(page, "feedback-form-nojs-1280")
    page.get_by_role("button", name="Gửi góp ý").click()
    page.wait_for_url(re.compile(r"/gop-y/da-gui/"))
    assert Feedback.objects.get().article == article


def test_refresh_gives_a_new_challenge(page, live_server, people, article):
    page.goto(live_server.url + "/gop-y/")
    first = page.locator('input[name="captcha_0"]').input_value()
    refresh = page.get_by_role("button", name="Đổi mã khác")
    expect(refresh).to_be_visible()
    refresh.click()
    expect(page.locator('input[name="captcha_0"]')).not_to_have_value(first)
    expect(page.get_by_label("Mã kiểm tra")).to_be_focused()
    second = page.locator('input[name="captcha_0"]').input_value()
    assert second in page.locator(".fb-captcha-image").get_attribute("src")
    expect(page.locator("[data-captcha-status]")).to_have_text("Đã có ảnh mã kiểm tra mới.")


def test_counter_warns_before_the_server_does(page, live_server, people):
    page.goto(live_server.url + "/gop-y/")
    page.get_by_label("Nội dung").fill("Ý" * 5003)
    expect(page.locator("#id_content_counter")).to_have_text("Vượt quá 3 ký tự, vui lòng rút gọn.")
    expect(page.locator("#id_title_counter")).to_be_hidden()  # one-line fields: only near the limit
    page.get_by_label("Tiêu đề").fill("Đ" * 170)
    expect(page.locator("#id_title_counter")).to_have_text("170 / 200 ký tự")


def test_wide_pages_look_right(page, live_server, people, article, screenshot):
    page.goto(live_server.url + article.get_absolute_url())
    page.locator("[data-feedback-slot]").get_by_label("Họ và tên").fill("Lê Văn C")
    expect(page.locator("[data-feedback-slot] .fb-captcha-image")).to_be_visible()
    screenshot(page, "feedback-article-slot-1280")
    page.goto(live_server.url + "/gop-y/")
    page.get_by_role("button", name="Gửi góp ý").click()  # empty: the browser's own checks stop it
    assert Feedback.objects.count() == 0
    screenshot(page, "feedback-form-1280")
    item = answered(title="Câu hỏi đã trả lời", is_public=False)
    page.goto(live_server.url + f"/gop-y/tra-cuu/?ma={item.code}")
    screenshot(page, "feedback-lookup-1280")


@pytest.mark.parametrize("path", ["/gop-y/", "/hoi-dap/", "/gop-y/tra-cuu/?ma={code}", "{article}"])
def test_accessibility(page, live_server, people, article, path):
    """axe-core finds no serious or critical violation on the feedback pages."""
    from axe_playwright_python.sync_playwright import Axe

    answered(title="Câu hỏi công khai", is_public=True)
    item = make_feedback(title="Câu hỏi đang chờ")
    page.goto(live_server.url + path.format(code=item.code, article=article.get_absolute_url()))
    results = Axe().run(page)
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])}× e.g. {v['nodes'][0]['target']})"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


def test_rate_limited_reader_keeps_the_text(page, live_server, people, screenshot):
    """The 6th submission within the hour: a polite 429 page, the text still in the form."""
    for _ in range(5):
        make_feedback(ip_hash=hash_ip("127.0.0.1"))
    page.goto(live_server.url + "/gop-y/")
    page.get_by_label("Họ và tên").fill(NAME)
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_label("Nội dung").fill(CONTENT)
    page.get_by_label("Mã kiểm tra").fill(captcha_answer(page))
    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        page.get_by_role("button", name="Gửi góp ý").click()
    assert posted.value.status == 429
    expect(page.locator(".fb-limit")).to_contain_text("Bạn đã gửi nhiều góp ý trong thời gian ngắn")
    expect(page.get_by_label("Nội dung")).to_have_value(CONTENT)
    assert Feedback.objects.count() == 5
    screenshot(
        page, "feedback-rate-limited-360" if page.viewport_size["width"] < 600 else "feedback-rate-limited-1280"
    )
