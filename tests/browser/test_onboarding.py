"""A new editor, start to finish: the director adds "Nguyễn Văn An" through "Thêm cán bộ"; An opens the
invitation's link in his own browser, sets a password, enrols his authenticator app, logs in and finds
the admin home of an editor."""

import re

from django.contrib.auth import get_user_model
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

PASSWORD = "mat-khau-giam-doc-2025"
NEW_PASSWORD = "Hoa sen nở giữa hồ 2025"


def code_for(device, offset=0):
    """What the authenticator app shows, computed with django_otp's own TOTP."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def watched(context):
    page = context.new_page()
    page.set_default_timeout(15000)
    page.csp_violations = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text))
    return page


def desktop(browser, **extra):
    return browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768}, **extra)


def log_in(page, live_server, username, password, device, offset=0):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(live_server.url + "/admin/dang-nhap/ma-xac-thuc/")
    page.get_by_label("Mã xác thực").fill(code_for(device, offset))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(live_server.url + "/admin/")


def test_a_new_editor_from_invitation_to_admin_home(browser, live_server, settings, screenshot, request):
    settings.OTP_REQUIRED_FOR_STAFF = True  # the production rule: every staff account uses two-factor
    deliver_mail = request.getfixturevalue("deliver_mail")
    director = get_user_model().objects.create_superuser(
        "giamdoc", "giamdoc@sokhcn.gov.vn", PASSWORD, first_name="Lê Minh Giám"
    )
    director_phone = TOTPDevice.objects.create(user=director, name="Điện thoại", confirmed=True)

    # The director adds the editor.
    admin_context = desktop(browser)
    admin = watched(admin_context)
    log_in(admin, live_server, "giamdoc", PASSWORD, director_phone)
    admin.get_by_role("link", name="Thêm cán bộ").click()
    admin.wait_for_url(live_server.url + "/admin/auth/user/add/")
    expect(admin.get_by_role("heading", name="Thêm cán bộ", exact=True)).to_be_visible()
    admin.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    admin.get_by_label("E-mail").fill("an.nguyen@sokhcn.gov.vn")
    admin.get_by_label("Tên đăng nhập").fill("an.nguyen")
    admin.get_by_role("checkbox", name=re.compile(r"^Biên tập viên")).check()
    expect(admin.get_by_text("Không xuất bản, không sửa bài đã xuất bản")).to_be_visible()
    screenshot(admin, "onboarding-add-staff")
    admin.get_by_role("button", name="Tạo tài khoản và gửi thư mời").click()
    admin.wait_for_url(live_server.url + "/admin/auth/user/")
    expect(admin.get_by_text("Đã tạo tài khoản “an.nguyen” (Nguyễn Văn An)")).to_be_visible()
    expect(admin.get_by_role("row", name=re.compile("an.nguyen"))).to_contain_text("Biên tập viên")
    screenshot(admin, "onboarding-user-list")
    admin.get_by_role("link", name=re.compile("Nguyễn Văn An")).click()
    expect(admin.get_by_text("Chưa đặt: cán bộ chưa mở thư mời.")).to_be_visible()
    screenshot(admin, "onboarding-user-change")
    assert admin.csp_violations == []

    # The invitation.
    (message,) = [m for m in deliver_mail() if m.to == ["an.nguyen@sokhcn.gov.vn"]]
    link = re.search(r"(http://\S+/admin/kich-hoat/moi/\S+/)", message.body).group(1)
    assert link.startswith(live_server.url)

    # An, in his own browser: password, then the authenticator app.
    an_context = desktop(browser)
    an = watched(an_context)
    an.goto(link)
    an.wait_for_url(live_server.url + "/admin/kich-hoat/")
    expect(an.get_by_text("Chào Nguyễn Văn An.")).to_be_visible()
    an.get_by_label("Mật khẩu mới:", exact=True).fill(NEW_PASSWORD)
    an.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    screenshot(an, "onboarding-set-password")
    an.get_by_role("button", name="Đặt mật khẩu").click()
    expect(an.get_by_text("Trang quản trị yêu cầu xác thực hai bước")).to_be_visible()
    expect(an.get_by_role("img", name="Mã QR để thêm tài khoản vào ứng dụng xác thực")).to_be_visible()
    screenshot(an, "onboarding-enrol")
    phone = TOTPDevice.objects.get(user__username="an.nguyen", confirmed=False)
    secret = an.locator("code").inner_text().replace(" ", "")
    assert __import__("base64").b32encode(phone.bin_key).decode().startswith(secret)
    an.get_by_label("Mã xác thực").fill(code_for(phone))
    an.get_by_role("button", name="Bật xác thực hai bước").click()
    an.wait_for_url(live_server.url + "/admin/login/")
    expect(an.get_by_text("Đã bật xác thực hai bước.")).to_be_visible()

    # An logs in (the code of the next 30 seconds: a code works once) and sees an editor's admin.
    log_in(an, live_server, "an.nguyen", NEW_PASSWORD, phone, offset=1)
    main = an.locator("#content-main")
    expect(main.get_by_role("link", name="Bài viết", exact=True)).to_be_visible()
    for hidden in ("Người dùng", "Nhóm", "Thêm cán bộ", "Nhật ký thao tác", "Access attempts", "TOTP"):
        expect(main.get_by_text(hidden, exact=True)).to_have_count(0)
    expect(an.locator("#user-tools")).to_contain_text("Nguyễn Văn An")
    screenshot(an, "onboarding-editor-home")

    small = browser.new_context(
        locale="vi-VN",
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        storage_state=an_context.storage_state(),
    )
    on_phone = watched(small)
    on_phone.goto(live_server.url + "/admin/")
    expect(on_phone.locator("#content-main").get_by_role("link", name="Bài viết", exact=True)).to_be_visible()
    assert on_phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(on_phone, "onboarding-editor-home-phone")
    assert an.csp_violations == [] and on_phone.csp_violations == []
    for context in (admin_context, an_context, small):
        context.close()
