"""A citizen on a phone (360×780, DPR 2) sends a question with a photo of the problem attached: the captcha
is read from the image the phone shows, a forgotten field sends the form back with the photo still
chosen, and the staff member opens the photo from the admin."""

import io
import re

from captcha.models import CaptchaStore
from playwright.sync_api import expect

from feedback.models import Feedback
from tests.browser.test_captcha_phone import captcha_image, open_screen  # noqa: F401 (open_screen: a fixture)
from tests.test_feedback_support import staff_user

CONTENT = "Đèn tín hiệu trước cổng khu công nghệ cao bị hỏng từ tuần trước, xin Sở kiểm tra. Ảnh chụp kèm theo."


def photo_bytes():
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (800, 600), (200, 220, 240))
    ImageDraw.Draw(image).rectangle((300, 150, 500, 450), fill=(40, 40, 40))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return out.getvalue()


def solve(page):
    key = page.locator('input[name="captcha_0"]').input_value()
    url, size, _png = captcha_image(page, key)
    assert url.endswith(f"/captcha/image/{key}@2/") and size == (360, 112)  # the phone's 2× image
    page.get_by_label("Mã kiểm tra").fill(CaptchaStore.objects.get(hashkey=key).response)


def test_a_question_with_a_photo_from_a_phone(
    open_screen,  # noqa: F811 (the fixture imported above)
    live_server,
    transactional_db,
    screenshot,
    browser,
    django_user_model,
):
    page = open_screen("phone")
    page.goto(live_server.url + "/gop-y/")
    page.get_by_label("Họ và tên").fill("Võ Thị Mai")
    page.get_by_label("Nội dung").fill(CONTENT)
    page.get_by_label("Ảnh hoặc bản chụp giấy tờ").set_input_files(
        {"name": "den-tin-hieu.jpg", "mimeType": "image/jpeg", "buffer": photo_bytes()}
    )
    expect(page.locator(".fb-file-names")).to_have_text("den-tin-hieu.jpg")  # in Vietnamese, not "Choose Files"
    expect(page.get_by_text("Chọn ảnh hoặc tệp PDF")).to_be_visible()
    solve(page)
    page.get_by_role("button", name="Gửi góp ý").click()

    # The title was forgotten: the form comes back with the text and the photo still there.
    expect(page.get_by_role("heading", name="Chưa gửi được góp ý")).to_be_visible()
    expect(page.get_by_label("Nội dung")).to_have_value(CONTENT)
    kept = page.get_by_role("checkbox", name=re.compile("den-tin-hieu.jpg"))
    expect(kept).to_be_checked()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    kept.scroll_into_view_if_needed()
    screenshot(page, "feedback-attachment-kept-360-dpr2")

    page.get_by_label("Tiêu đề").fill("Đèn tín hiệu hỏng trước cổng khu công nghệ cao")
    solve(page)
    page.get_by_role("button", name="Gửi góp ý").click()
    page.wait_for_url(re.compile(r"/gop-y/da-gui/"))
    code = page.locator("[data-copy-source]").inner_text()
    feedback = Feedback.objects.get(code=code)
    (attachment,) = feedback.attachments.all()
    assert attachment.original_name == "den-tin-hieu.jpg" and attachment.content_type == "image/jpeg"

    # The receiving officer sees and downloads it in the admin.
    staff = staff_user(django_user_model)
    staff.set_password("mat-khau-tiep-nhan-2025")
    staff.save()
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768}, accept_downloads=True)
    admin = context.new_page()
    admin.goto(live_server.url + "/admin/login/")
    admin.get_by_label("Tên đăng nhập").fill(staff.username)
    admin.get_by_label("Mật khẩu").fill("mat-khau-tiep-nhan-2025")
    admin.get_by_role("button", name="Đăng nhập").click()
    admin.goto(f"{live_server.url}/admin/feedback/feedback/{feedback.pk}/change/")
    link = admin.get_by_role("link", name="den-tin-hieu.jpg")
    expect(link).to_be_visible()
    screenshot(admin, "feedback-attachment-admin-1366")
    with admin.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "den-tin-hieu.jpg"
    context.close()
