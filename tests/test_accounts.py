"""Staff accounts: login lockout (django-axes), two-factor codes (django-otp TOTP), enrolment only through
a one-time link, two-factor required for every staff role, session lifetime. (Onboarding, the invitation's
link and the roles' rules: tests/test_onboarding.py.)"""

import base64
import re

import pytest
from django.contrib.auth import SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
CODE = "/admin/dang-nhap/ma-xac-thuc/"
SETUP = "/admin/xac-thuc-hai-buoc/"
ACTIVATE = "/admin/kich-hoat/"
PASSWORD = "mat-khau-123"


def code_for(device, offset=0):
    """The 6-digit code the authenticator app shows now (offset in 30-second steps)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def log_in(client, username, password=PASSWORD, next="/admin/", **extra):
    return client.post(LOGIN, {"username": username, "password": password, "next": next}, **extra)


@pytest.fixture
def staff(editor):
    return editor  # "bientap", password mat-khau-123


@pytest.fixture
def device(staff):
    return TOTPDevice.objects.create(user=staff, name="Điện thoại", confirmed=True)


@pytest.fixture
def mailbox(request):
    """The messages sent so far: through the outbox's sender when tests/conftest.py has one."""
    try:
        return request.getfixturevalue("deliver_mail")
    except pytest.FixtureLookupError:
        from django.core import mail

        return lambda: list(mail.outbox)


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    # django-otp slows retries after a wrong code (1 s, 2 s, 4 s…); tests give the right code at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


# --- Lockout -------------------------------------------------------------------------------------


def test_lockout_after_five_failures(client, staff):
    """The fifth wrong password locks user + address out for 30 minutes with a Vietnamese page (429)."""
    for _ in range(4):
        response = log_in(client, "bientap", "sai-mat-khau")
        assert response.status_code == 200
        assert "Bạn hãy nhập đúng" in response.content.decode()  # Django's own message, in Vietnamese
    response = log_in(client, "bientap", "sai-mat-khau")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Tạm khoá đăng nhập" in html
    assert "Tài khoản “bientap” đã đăng nhập sai quá 5 lần" in html and "30 phút" in html
    assert response["Retry-After"] == "1800"
    # The right password no longer helps, from this address.
    response = log_in(client, "bientap")
    assert response.status_code == 429 and SESSION_KEY not in client.session
    # Another address, or another user from this address, is not locked.
    assert log_in(client, "bientap", REMOTE_ADDR="203.0.113.9").status_code == 302
    client.logout()
    assert log_in(client, "duyetbai-khong-co", "x").status_code == 200


def test_lockout_page_escapes_the_user_name(client, db):
    """The user name shown on the lockout page is the typed one, escaped."""
    for _ in range(5):
        response = log_in(client, "<script>alert(1)</script>", "x")
    html = response.content.decode()
    assert response.status_code == 429
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html


def test_lockout_uses_the_trusted_client_address(client, staff, settings):
    """Behind a trusted proxy the lockout is per real client (X-Forwarded-For), not per proxy."""
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for _ in range(5):
        log_in(client, "bientap", "sai", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert log_in(client, "bientap", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert log_in(client, "bientap", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 302


def test_success_resets_the_count(client, staff):
    """A right password after a few typos starts the count again."""
    for _ in range(4):
        log_in(client, "bientap", "sai")
    assert log_in(client, "bientap").status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "bientap", "sai").status_code == 200


def test_staff_session_lasts_a_working_day(client, staff, settings):
    """A staff session cookie expires 8 hours after login."""
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    response = log_in(client, "bientap")
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600


def test_password_validators_refuse_weak_passwords(staff):
    """Django's validators are on: short, common or numeric passwords are refused."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["123", "password", "12345678901", "bientap123"]:
        with pytest.raises(ValidationError):
            validate_password(weak, staff)


# --- Two-factor login ----------------------------------------------------------------------------


def test_staff_without_device_logs_in_with_password_only(client, staff):
    response = log_in(client, "bientap")
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_login_asks_for_the_code_when_a_device_is_set_up(client, staff, device):
    """Password first, then the authenticator's code; only then is the user logged in."""
    response = log_in(client, "bientap")
    assert response.status_code == 302 and response["Location"] == CODE
    assert SESSION_KEY not in client.session  # not logged in yet
    assert client.get("/admin/").status_code == 302
    page = client.get(CODE)
    assert (
        page.status_code == 200
        and "Tài khoản <strong>bientap</strong> đã bật xác thực hai bước" in page.content.decode()
    )

    wrong = client.post(CODE, {"token": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 200 and "Mã xác thực không đúng" in wrong.content.decode()
    malformed = client.post(CODE, {"token": "12ab"})
    assert "Mã xác thực gồm đúng 6 chữ số" in malformed.content.decode()
    assert SESSION_KEY not in client.session

    response = client.post(CODE, {"token": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/news/article/").status_code == 200


def test_code_is_not_reusable_and_step_expires(client, staff, device, monkeypatch):
    """A code works once; the half-done login expires after 5 minutes."""
    token = code_for(device)
    log_in(client, "bientap")
    assert client.post(CODE, {"token": token}).status_code == 302
    client.logout()
    log_in(client, "bientap")
    assert "Mã xác thực không đúng" in client.post(CODE, {"token": token}).content.decode()

    import portal.auth

    real_time = portal.auth.time.time
    monkeypatch.setattr(portal.auth.time, "time", lambda: real_time() + 301)
    response = client.post(CODE, {"token": code_for(device, offset=1)})
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_wrong_codes_count_towards_the_lockout(client, staff, device):
    """Guessing codes after a stolen password is stopped like guessing passwords."""
    log_in(client, "bientap")
    bad = "000000" if code_for(device) != "000000" else "111111"
    for _ in range(4):
        assert client.post(CODE, {"token": bad}).status_code == 200
    response = client.post(CODE, {"token": bad})
    assert response.status_code == 429 and "Tạm khoá đăng nhập" in response.content.decode()
    assert log_in(client, "bientap").status_code == 429


def test_code_step_without_password_goes_back_to_login(client, db):
    response = client.get(CODE)
    assert response.status_code == 302 and response["Location"] == LOGIN


def test_session_from_before_enrolment_must_give_the_code(client, staff):
    """A session logged in by password only, whose user has since set up a device, is asked for the code."""
    client.force_login(staff)
    TOTPDevice.objects.create(user=staff, name="Điện thoại", confirmed=True)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get(response["Location"])["Location"] == CODE


# --- Enrolment (only through a one-time link) ----------------------------------------------------


def link_of(message):
    return re.search(r"http://testserver(/admin/kich-hoat/\S+/)", message.body).group(1)


def enrol_through(client, path, offset=0):
    """Open a one-time link, scan the QR code (read the secret) and confirm with a code."""
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == ACTIVATE
    page = client.get(ACTIVATE)
    html = page.content.decode()
    assert page.status_code == 200 and "data:image/svg+xml;base64," in html
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", html).group(1)
    device = TOTPDevice.objects.get(confirmed=False)
    assert base64.b32encode(device.bin_key).decode().startswith(secret.replace(" ", ""))
    response = client.post(ACTIVATE, {"token": code_for(device, offset)})
    device.refresh_from_db()
    return response, device


def test_enrolment_from_the_admin_needs_a_link_sent_to_ones_own_email(client, staff, mailbox):
    """A logged-in staff member without an authenticator gets no QR code from the admin (whoever holds the
    password could scan it): the page sends a one-time link to the account's e-mail, which enrols."""
    staff.email = "bientap@sokhcn.gov.vn"
    staff.save()
    client.force_login(staff)
    assert f'href="{SETUP}"' in client.get("/admin/").content.decode()
    page = client.get(SETUP).content.decode()
    assert "data:image/svg+xml" not in page and "Gửi liên kết thiết lập tới bientap@sokhcn.gov.vn" in page
    assert not TOTPDevice.objects.exists()
    response = client.post(SETUP, follow=True)
    assert "Đã gửi liên kết thiết lập tới bientap@sokhcn.gov.vn" in response.content.decode()
    (message,) = mailbox()
    assert message.to == ["bientap@sokhcn.gov.vn"] and "xác thực hai bước" in message.subject

    response, device = enrol_through(client, link_of(message))
    assert response.status_code == 302 and response["Location"] == "/admin/" and device.confirmed
    assert client.get("/admin/").status_code == 200  # enrolled from its own session: counts as verified
    assert "Tắt xác thực hai bước" in client.get(SETUP).content.decode()
    client.logout()
    assert log_in(client, "bientap")["Location"] == CODE
    # The link is used up.
    assert "không còn dùng được" in client.get(link_of(message), follow=True).content.decode()


def test_a_secret_made_before_the_link_is_never_shown(client, staff):
    """An unconfirmed device someone else made (and may have scanned) is replaced by a new secret."""
    from portal import accounts

    planted = TOTPDevice.objects.create(user=staff, name="Của người khác", confirmed=False)
    _response, device = enrol_through(client, accounts.link_path(staff, accounts.ENROL))
    assert device.confirmed and device.pk != planted.pk
    assert not TOTPDevice.objects.filter(pk=planted.pk).exists()


def test_staff_may_turn_it_off_with_a_code(client, staff, device):
    log_in(client, "bientap")
    client.post(CODE, {"token": code_for(device)})
    assert "Tắt xác thực hai bước" in client.get(SETUP).content.decode()
    response = client.post(SETUP, {"token": code_for(device, offset=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()


# --- Two-factor required for every staff role -------------------------------------------------------


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED_FOR_STAFF = True


@pytest.mark.parametrize("role", ["Biên tập viên", "Duyệt bài", "Tiếp nhận góp ý", "Lãnh đạo", "Quản trị"])
def test_every_role_must_enrol_before_logging_in(client, django_user_model, required, role):
    """The right password of an account that has not enrolled logs nobody in: it says what to do."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user("canbo", password=PASSWORD)
    user.groups.add(Group.objects.get(name=role))
    response = log_in(client, "canbo")
    assert response.status_code == 200 and SESSION_KEY not in client.session
    assert "chưa thiết lập xác thực hai bước" in response.content.decode()
    TOTPDevice.objects.create(user=user, name="Điện thoại", confirmed=True)
    assert log_in(client, "canbo")["Location"] == CODE


def test_superusers_too(client, admin_user, required):
    assert "chưa thiết lập xác thực hai bước" in log_in(client, "admin", "password").content.decode()
    device = TOTPDevice.objects.create(user=admin_user, name="Điện thoại", confirmed=True)
    assert log_in(client, "admin", "password")["Location"] == CODE
    assert client.post(CODE, {"token": code_for(device)})["Location"] == "/admin/"
    assert "không tắt được" in client.get(SETUP).content.decode()
    response = client.post(SETUP, {"token": code_for(device, offset=1)})
    assert response.status_code == 200 and TOTPDevice.objects.filter(user=admin_user).exists()


def test_a_session_without_the_code_opens_nothing(client, staff, required):
    """A session that never gave a code (from before the setting, or forced) is sent back to the login,
    logged out there with the reason."""
    client.force_login(staff)
    for url in ["/admin/", "/admin/news/article/", SETUP]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), url
    page = client.get(LOGIN).content.decode()
    assert "chưa thiết lập xác thực hai bước" in page and SESSION_KEY not in client.session


def test_a_session_without_the_code_is_asked_for_it(client, staff, device, required):
    client.force_login(staff)
    assert client.get("/admin/news/article/")["Location"].startswith(LOGIN)
    assert client.get(LOGIN)["Location"] == CODE
    assert client.post(CODE, {"token": code_for(device)})["Location"] == "/admin/"
    assert client.get("/admin/news/article/").status_code == 200


def test_not_required_in_development(client, admin_user, settings):
    """With the setting off (development, `make run`), the printed admin login works with the password alone."""
    settings.OTP_REQUIRED_FOR_STAFF = False
    assert log_in(client, "admin", "password")["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


# --- Where the code step sends you -------------------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/admin/", "/\\evil.example", "javascript:alert(1)"]
)
def test_no_open_redirect_after_the_code(client, staff, device, target):
    """`?next=` leads only to this site, whichever way the code step was reached."""
    assert log_in(client, "bientap", next=target)["Location"] == CODE
    assert client.post(CODE, {"token": code_for(device)})["Location"] == "/admin/"
    client.logout()
    client.force_login(staff)  # a session from before enrolment, sent to the login with ?next=
    assert client.get(LOGIN, {"next": target})["Location"] == CODE
    assert client.post(CODE, {"token": code_for(device, offset=1)})["Location"] == "/admin/"


def test_a_next_on_this_site_is_kept(client, staff, device):
    assert log_in(client, "bientap", next="/admin/news/article/")["Location"] == CODE
    assert client.post(CODE, {"token": code_for(device)})["Location"] == "/admin/news/article/"


def test_setting_defaults(monkeypatch):
    """Required in production, off in DEBUG, and the environment decides when set."""
    import importlib

    import portal.settings as portal_settings

    try:
        for env, expected in [
            ({"DEBUG": "1"}, False),
            ({"DEBUG": "1", "OTP_REQUIRED_FOR_STAFF": "1"}, True),
            ({"DEBUG": "0", "SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://x/y", "ALLOWED_HOSTS": "a"}, True),
            ({"DEBUG": "0", "OTP_REQUIRED_FOR_STAFF": "0"}, False),
        ]:
            monkeypatch.delenv("OTP_REQUIRED_FOR_STAFF", raising=False)
            for key, value in env.items():
                monkeypatch.setenv(key, value)
            assert importlib.reload(portal_settings).OTP_REQUIRED_FOR_STAFF is expected
    finally:
        monkeypatch.undo()
        importlib.reload(portal_settings)
