"""Staff accounts for browser journeys, made the way the department makes them: an administrator fills
"Thêm cán bộ", the new colleague opens the invitation's link, sets a password and logs in.

    admin = admin_page(browser, live_server)                 # a superuser, logged in
    add_staff(admin, live_server, "Nguyễn Văn An", "an@sokhcn.gov.vn", "an.nguyen", ["Biên tập viên"])
    an = activate(browser, live_server, deliver_mail, "an@sokhcn.gov.vn", "Hoa sen nở giữa hồ 2025")

Journeys other than onboarding's may set `settings.OTP_REQUIRED_FOR_STAFF = False` (the activation then
skips the authenticator app); with it on, `activate` enrols one and logs in with its code."""

import base64
import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

ADMIN_PASSWORD = "mat-khau-giam-doc-2025"


def _watched(context):
    page = context.new_page()
    page.set_default_timeout(15000)
    page.csp_violations = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and page.csp_violations.append(msg.text))
    return page


def new_context(browser, phone=False, **extra):
    """A laptop (1366×768) or a phone (390×844, device_scale_factor=2) in Vietnamese."""
    if phone:
        return browser.new_context(
            locale="vi-VN",
            viewport={"width": 390, "height": 844},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            **extra,
        )
    return browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768}, **extra)


def _totp(device, offset=0):
    from django_otp.oath import totp

    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def log_in(page, live_server, username, password, device=None, offset=0):
    """The admin login; with `device` (a confirmed TOTPDevice), the code step too."""
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    if device is not None:
        page.wait_for_url(live_server.url + "/admin/dang-nhap/ma-xac-thuc/")
        page.get_by_label("Mã xác thực").fill(_totp(device, offset))
        page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(live_server.url + "/admin/")
    return page


def admin_page(browser_or_context, live_server, username="giamdoc", password=ADMIN_PASSWORD, **context_extra):
    """A superuser ("Lê Minh Giám"), made in the database (someone has to be first), logged in on a laptop.
    With OTP_REQUIRED_FOR_STAFF on, an authenticator is made for it and its code given."""
    from django.conf import settings

    user = get_user_model().objects.create_superuser(
        username, f"{username}@sokhcn.gov.vn", password, first_name="Lê Minh Giám"
    )
    device = None
    if getattr(settings, "OTP_REQUIRED_FOR_STAFF", False):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)
    context = browser_or_context
    if hasattr(browser_or_context, "new_context"):
        context = new_context(browser_or_context, **context_extra)
    page = _watched(context)
    return log_in(page, live_server, username, password, device)


def add_staff(page, live_server, full_name, email, username, roles):
    """Fill "Thêm cán bộ" on `page` (logged in as someone who may add staff) with one checkbox per role name
    ("Biên tập viên", "Duyệt bài", ...); returns the new user (from the database)."""
    page.goto(live_server.url + "/admin/")
    page.get_by_role("link", name="Thêm cán bộ").first.click()
    page.wait_for_url(live_server.url + "/admin/auth/user/add/")
    page.get_by_label("Họ và tên").fill(full_name)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Tên đăng nhập").fill(username)
    for role in roles:
        page.get_by_role("checkbox", name=re.compile("^" + re.escape(role))).check()
    page.get_by_role("button", name="Tạo tài khoản và gửi thư mời").click()
    page.wait_for_url(live_server.url + "/admin/auth/user/")
    expect(page.get_by_text(f"Đã tạo tài khoản “{username}”")).to_be_visible()
    return get_user_model().objects.get(username=username)


def invitation_link(deliver_mail, email):
    """The newest invitation link sent to `email` (delivering the outbox first)."""
    messages = [m for m in deliver_mail() if m.to == [email]]
    assert messages, f"no mail to {email}"
    links = re.findall(r"(http://\S+/admin/kich-hoat/moi/\S+/)", messages[-1].body)
    assert links, f"no invitation link in the mail to {email}"
    return links[0]


def activate(browser_or_context, live_server, deliver_mail, email, password, phone=False):
    """The new colleague opens the invitation in their own browser (a new laptop context, or a phone with
    `phone=True`, when given the browser; else a new page of the given context), sets `password` and logs
    in. Returns the logged-in page (on the admin home); `page.user` is the account."""
    link = invitation_link(deliver_mail, email)
    context = browser_or_context
    if hasattr(browser_or_context, "new_context"):
        context = new_context(browser_or_context, phone=phone)
    page = _watched(context)
    page.goto(link)
    page.wait_for_url(live_server.url + "/admin/kich-hoat/")
    page.get_by_label("Mật khẩu mới:", exact=True).fill(password)
    page.get_by_label("Nhập lại mật khẩu mới").fill(password)
    page.get_by_role("button", name="Đặt mật khẩu").click()
    user = get_user_model().objects.get(email__iexact=email)
    device = None
    expect(
        page.get_by_text("Trang quản trị yêu cầu xác thực hai bước")
        .or_(page.get_by_role("button", name="Để sau, đăng nhập bằng mật khẩu"))
        .first
    ).to_be_visible()
    skip = page.get_by_role("button", name="Để sau, đăng nhập bằng mật khẩu")
    if skip.count():
        skip.click()
    else:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user=user, confirmed=False)
        secret = page.locator("code").inner_text().replace(" ", "")
        assert base64.b32encode(device.bin_key).decode().startswith(secret)
        page.get_by_label("Mã xác thực").fill(_totp(device))
        page.get_by_role("button", name="Bật xác thực hai bước").click()
    page.wait_for_url(live_server.url + "/admin/login/")
    if device is not None:
        device.refresh_from_db()
    log_in(page, live_server, user.username, password, device, offset=1 if device is not None else 0)
    page.user = user
    return page
