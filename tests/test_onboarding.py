"""Staff onboarding: "Thêm cán bộ" makes a working account in one step, a role opens the admin (and taking
every role away closes it), the new person sets their own password (and authenticator) from a one-time
e-mail link, a login without a role says so, and a "Quản trị" member cannot make anyone a superuser."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from news.models import Article
from portal import accounts
from portal.roles import ADMINISTRATORS, EDITORS, LEADERS, PUBLISHERS, ROLES

pytestmark = pytest.mark.django_db

ADD = "/admin/auth/user/add/"
LIST = "/admin/auth/user/"
LOGIN = "/admin/login/"
CODE = "/admin/dang-nhap/ma-xac-thuc/"
ACTIVATE = "/admin/kich-hoat/"
PASSWORD = "mat-khau-123"
NEW_PASSWORD = "Hoa sen nở giữa hồ 2025"


def code_for(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def role(name):
    return Group.objects.get(name=name)


def new_staff(**overrides):
    data = {
        "first_name": "Nguyễn Văn An",
        "email": "an.nguyen@sokhcn.gov.vn",
        "username": "an.nguyen",
        "groups": [role(EDITORS).pk],
        "_save": "1",
    }
    data.update(overrides)
    return data


def link_of(message):
    return re.search(r"http://testserver(/admin/kich-hoat/\S+/)", message.body).group(1)


def html(response):
    return response.content.decode()


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.fixture
def mailbox(request):
    """The messages sent so far: through the outbox's sender when tests/conftest.py has one."""
    try:
        return request.getfixturevalue("deliver_mail")
    except pytest.FixtureLookupError:
        from django.core import mail

        return lambda: list(mail.outbox)


@pytest.fixture
def quantri(django_user_model):
    user = django_user_model.objects.create_user(
        "quantri", password=PASSWORD, email="quantri@sokhcn.gov.vn", first_name="Trần Thị Bình"
    )
    user.groups.add(role(ADMINISTRATORS))
    return user


@pytest.fixture
def admin_client_of(client, quantri):
    client.force_login(quantri)
    return client


def invite(client, mailbox, **overrides):
    response = client.post(ADD, new_staff(**overrides))
    assert response.status_code == 302, html(response)[:3000]
    return response, mailbox()[-1]


# --- "Thêm cán bộ" -------------------------------------------------------------------------------------


def test_add_staff_makes_a_working_account_and_sends_the_invitation(admin_client_of, mailbox, django_user_model):
    """One step: the account exists, in its role, with admin access and no password anyone typed."""
    response, message = invite(admin_client_of, mailbox)
    assert response["Location"] == LIST
    user = django_user_model.objects.get(username="an.nguyen")
    assert user.get_full_name() == "Nguyễn Văn An" and user.email == "an.nguyen@sokhcn.gov.vn"
    assert [g.name for g in user.groups.all()] == [EDITORS]
    assert user.is_staff and user.is_active and not user.is_superuser
    assert not user.has_usable_password()

    assert message.to == ["an.nguyen@sokhcn.gov.vn"]
    assert message.subject == "Mời tham gia trang quản trị Cổng thông tin Sở Khoa học và Công nghệ"
    body = message.body
    assert "Chào Nguyễn Văn An," in body and "Trần Thị Bình đã tạo cho bạn một tài khoản" in body
    assert "Tên đăng nhập: an.nguyen" in body and "Vai trò: Biên tập viên" in body
    assert "đặt mật khẩu" in body and "(3 ngày)" in body and "http://testserver/admin/login/" in body
    assert "&amp;" not in body and "&#" not in body  # plain text, not HTML-escaped

    page = html(admin_client_of.get(LIST))
    assert "Đã tạo tài khoản “an.nguyen” (Nguyễn Văn An) và gửi thư mời tới an.nguyen@sokhcn.gov.vn" in page
    assert "Biên tập viên" in page


def test_the_form_speaks_vietnamese_and_shows_each_role(admin_client_of):
    page = html(admin_client_of.get(ADD))
    assert "<title>Thêm cán bộ |" in page and "<h1>Thêm cán bộ</h1>" in page
    for label in ("Họ và tên", "E-mail", "Tên đăng nhập", "Vai trò", "Tạo tài khoản và gửi thư mời"):
        assert label in page
    for each in ROLES:
        assert f'<strong>{each.name}</strong> <span class="role-description">— {each.description}</span>' in page
    assert 'type="checkbox" name="groups"' in page
    for english in ("Password-based authentication", "After you’ve created a user", "password1", "Choose all"):
        assert english not in page
    assert "is_superuser" not in page


def test_reachable_from_the_admin_home_and_the_user_list(admin_client_of, client, editor):
    home = html(admin_client_of.get("/admin/"))
    assert f'<a href="{ADD}" class="addlink">Thêm cán bộ</a>' in home
    assert f'href="{ADD}" class="addlink">Thêm cán bộ</a>' in html(admin_client_of.get(LIST))
    client.logout()
    client.force_login(editor)
    assert "Thêm cán bộ" not in html(client.get("/admin/"))
    assert client.get(ADD).status_code == 403


def test_duplicate_user_name_or_email_is_said_next_to_the_field(admin_client_of, django_user_model, mailbox):
    """Case does not make a new name or address; everything typed stays in the form; nothing is sent."""
    django_user_model.objects.create_user("an.nguyen", email="an.nguyen@sokhcn.gov.vn", password=PASSWORD)
    before = len(mailbox())
    response = admin_client_of.post(
        ADD,
        new_staff(username="AN.Nguyen", email="An.Nguyen@SOKHCN.gov.vn", groups=[role(EDITORS).pk, role(LEADERS).pk]),
    )
    page = html(response)
    assert response.status_code == 200
    assert "Tên đăng nhập “AN.Nguyen” đã có người dùng" in page
    assert "E-mail này đã dùng cho tài khoản “an.nguyen”" in page
    assert page.index("Tên đăng nhập “AN.Nguyen” đã có người dùng") < page.index('name="username"')
    assert page.index("E-mail này đã dùng cho tài khoản") < page.index('name="email"')
    assert 'value="Nguyễn Văn An"' in page and 'value="AN.Nguyen"' in page
    assert 'value="An.Nguyen@SOKHCN.gov.vn"' in page
    for group in (role(EDITORS), role(LEADERS)):
        assert re.search(rf'value="{group.pk}"[^>]*checked', page)
    assert django_user_model.objects.count() == 2 and len(mailbox()) == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"groups": []}, "Hãy chọn ít nhất một vai trò"),
        ({"email": "an.nguyen@"}, "Địa chỉ e-mail chưa đúng"),
        ({"email": ""}, "Vui lòng nhập e-mail"),
        ({"username": "an nguyen"}, "Tên đăng nhập chỉ gồm chữ cái, chữ số"),
        ({"username": ""}, "Vui lòng chọn tên đăng nhập"),
        ({"first_name": "  "}, "Vui lòng nhập họ và tên"),
        ({"groups": ["999999"]}, "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_bad_input_gets_a_vietnamese_message(admin_client_of, django_user_model, overrides, message):
    response = admin_client_of.post(ADD, new_staff(**overrides))
    assert response.status_code == 200 and message in html(response)
    assert not django_user_model.objects.filter(username="an.nguyen").exists()


def test_no_role_outside_the_table_from_the_add_form(admin_client_of, django_user_model):
    other = Group.objects.create(name="Nhóm tạm")
    response = admin_client_of.post(ADD, new_staff(groups=[other.pk]))
    assert response.status_code == 200
    assert not django_user_model.objects.filter(username="an.nguyen").exists()


def test_a_mail_server_error_keeps_the_account_and_says_so(admin_client_of, django_user_model, monkeypatch):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("down")

    monkeypatch.setattr(accounts, "send_mail", refuse)
    response = admin_client_of.post(ADD, new_staff(), follow=True)
    assert response.status_code == 200
    assert "chưa gửi được thư mời" in html(response) and "Gửi lại thư mời" in html(response)
    assert django_user_model.objects.filter(username="an.nguyen", is_staff=True).exists()


# --- A role opens the admin --------------------------------------------------------------------------------


def test_a_role_opens_the_admin_however_the_groups_change(django_user_model):
    user = django_user_model.objects.create_user("canbo", password=PASSWORD)
    boss = django_user_model.objects.create_superuser("sep", password=PASSWORD, email="sep@sokhcn.gov.vn")

    def staff(u):
        u.refresh_from_db()
        return u.is_staff

    user.groups.add(role(EDITORS))
    assert user.is_staff and staff(user)  # the instance in hand too
    user.groups.add(role(LEADERS))
    user.groups.remove(role(EDITORS))
    assert staff(user)
    user.groups.remove(role(LEADERS))
    assert not user.is_staff and not staff(user)
    role(PUBLISHERS).user_set.add(user, boss)  # from the group's side
    assert staff(user)
    role(PUBLISHERS).user_set.remove(user)
    assert not staff(user)
    user.groups.set([role(EDITORS)])
    assert staff(user)
    role(EDITORS).user_set.clear()
    assert not staff(user)
    user.groups.add(role(EDITORS))
    user.groups.clear()
    assert not staff(user)
    temporary = Group.objects.create(name="Nhóm tạm")
    temporary.user_set.add(user)
    assert staff(user)
    temporary.delete()
    assert not staff(user)
    # Superusers keep what they have.
    boss.groups.clear()
    assert staff(boss)
    django_user_model.objects.filter(pk=boss.pk).update(is_staff=False)
    boss.groups.add(role(EDITORS))
    assert not staff(boss)


def test_removing_every_role_in_the_user_form_closes_the_admin(client, admin_user, editor):
    client.force_login(admin_user)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    form = {"username": "bientap", "first_name": "", "email": "", "is_active": "on", "user_permissions": []}
    assert client.post(url, form).status_code == 302
    editor.refresh_from_db()
    assert not editor.is_staff
    assert client.post(url, {**form, "groups": [role(LEADERS).pk]}).status_code == 302
    editor.refresh_from_db()
    assert editor.is_staff


def test_the_role_form_adds_and_removes_members(admin_client_of, django_user_model):
    user = django_user_model.objects.create_user("lanhdao", password=PASSWORD, first_name="Phạm Văn Cường")
    leaders = role(LEADERS)
    url = reverse("admin:auth_group_change", args=[leaders.pk])
    page = html(admin_client_of.get(url))
    assert "Phạm Văn Cường (lanhdao)" in page and "Thành viên" in page
    assert 'name="permissions"' not in page and 'name="name"' not in page  # a role of the table: fixed
    assert admin_client_of.post(url, {"members": [user.pk]}).status_code == 302
    user.refresh_from_db()
    assert user.is_staff and list(user.groups.all()) == [leaders]
    assert admin_client_of.post(url, {}).status_code == 302
    user.refresh_from_db()
    assert not user.is_staff


def test_roles_of_the_table_cannot_be_deleted(admin_client_of):
    response = admin_client_of.get(reverse("admin:auth_group_delete", args=[role(EDITORS).pk]))
    assert response.status_code == 403


def test_the_role_list_says_what_each_role_does(admin_client_of, editor):
    page = html(admin_client_of.get(reverse("admin:auth_group_changelist")))
    assert "Được làm gì" in page and "Số thành viên" in page
    for each in ROLES:
        assert each.description in page


# --- The one-time link ----------------------------------------------------------------------------------


def test_the_link_sets_the_password_and_then_the_account_logs_in(admin_client_of, client, mailbox, django_user_model):
    """Invitation → own password (checked by the validators) → optional authenticator → login."""
    from django.test import Client

    _response, message = invite(admin_client_of, mailbox)
    link = link_of(message)
    newcomer = Client()
    response = newcomer.get(link)
    assert response.status_code == 302 and response["Location"] == ACTIVATE
    page = html(newcomer.get(ACTIVATE))
    assert "Chào <strong>Nguyễn Văn An</strong>" in page and "Đặt mật khẩu" in page and "Mật khẩu mới" in page

    weak = newcomer.post(ACTIVATE, {"new_password1": "12345678", "new_password2": "12345678"})
    assert "Mật khẩu này quá phổ biến" in html(weak) or "hoàn toàn là số" in html(weak)
    mismatch = newcomer.post(ACTIVATE, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "!"})
    assert "Hai mật khẩu không giống nhau" in html(mismatch)
    user = django_user_model.objects.get(username="an.nguyen")
    assert not user.has_usable_password()

    response = newcomer.post(ACTIVATE, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == ACTIVATE
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    offered = html(newcomer.get(ACTIVATE))  # two-factor not required here: offered, with a way past it
    assert "Nên bật xác thực hai bước" in offered and "Để sau, đăng nhập bằng mật khẩu" in offered
    response = newcomer.post(ACTIVATE, {"skip": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN and "Đã đặt mật khẩu. Mời bạn đăng nhập." in html(response)

    response = newcomer.post(LOGIN, {"username": "an.nguyen", "password": NEW_PASSWORD, "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert newcomer.get("/admin/news/article/").status_code == 200

    # Used: the same link now says so, and changes nothing.
    again = Client()
    page = html(again.get(link, follow=True))
    assert "Liên kết này không còn dùng được" in page and "Nếu bạn đã đặt mật khẩu, hãy đăng nhập" in page


def test_an_expired_link_says_so_and_what_to_do(admin_client_of, client, mailbox, monkeypatch):
    _response, message = invite(admin_client_of, mailbox)
    client.logout()
    tokens = accounts.TOKENS[accounts.INVITE]
    real_now = tokens._now
    monkeypatch.setattr(tokens, "_now", lambda: real_now() + timedelta(days=3) - timedelta(minutes=1))
    assert client.get(link_of(message))["Location"] == ACTIVATE  # still good just before the 3 days end
    monkeypatch.setattr(tokens, "_now", lambda: real_now() + timedelta(days=3, minutes=1))
    response = client.get(ACTIVATE)  # the step checks again
    page = html(response)
    assert response.status_code == 200 and "Liên kết này đã hết hạn" in page and "trong 3 ngày" in page
    assert "Gửi lại thư mời" in page
    assert "Liên kết này đã hết hạn" in html(client.get(link_of(message)))


@pytest.mark.parametrize(
    "path",
    [
        "/admin/kich-hoat/moi/MQ/abc/",
        "/admin/kich-hoat/moi/@@@/1-2/",
        "/admin/kich-hoat/khac/MQ/c3g1ab-0123456789abcdef/",
        "/admin/kich-hoat/moi/OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk/c3g1ab-0123/",
        "/admin/kich-hoat/xac-thuc/LTE/zzzzzzzzzzzzzzzz-1/",
        "/admin/kich-hoat/moi/" + "A" * 500 + "/" + "1" * 300 + "-x/",
    ],
)
def test_a_made_up_link_is_refused_plainly(client, path):
    response = client.get(path)
    assert response.status_code == 200 and "Liên kết này không còn dùng được" in html(response)


def test_the_steps_need_a_link(client):
    page = html(client.get(ACTIVATE))
    assert "Liên kết này không còn dùng được" in page
    response = client.post(ACTIVATE, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert "Liên kết này không còn dùng được" in html(response)


def test_a_link_is_void_once_the_email_changes_or_the_account_is_switched_off(editor):
    link = accounts.TOKENS[accounts.INVITE]
    token = link.make_token(editor)
    assert link.check(editor, token) == accounts.OK
    editor.email = "khac@sokhcn.gov.vn"
    editor.save()
    assert link.check(editor, token) == accounts.INVALID
    token = link.make_token(editor)
    editor.is_active = False
    editor.save()
    assert link.check(editor, token) == accounts.INVALID
    assert accounts.TOKENS[accounts.ENROL].check(editor, link.make_token(editor)) == accounts.INVALID  # kinds differ


def test_resend_invitation(admin_client_of, mailbox, django_user_model, admin_user):
    """The action "Gửi lại thư mời" sends a new link; it skips who has no e-mail, who has left, and superusers."""
    _response, first = invite(admin_client_of, mailbox)
    user = django_user_model.objects.get(username="an.nguyen")
    no_mail = django_user_model.objects.create_user("khongthu", password=PASSWORD)
    no_mail.groups.add(role(EDITORS))
    gone = django_user_model.objects.create_user("danghi", email="danghi@sokhcn.gov.vn", is_active=False)
    before = len(mailbox())
    response = admin_client_of.post(
        LIST,
        {"action": "send_invitation", "_selected_action": [user.pk, no_mail.pk, gone.pk, admin_user.pk]},
        follow=True,
    )
    page = html(response)
    assert "Đã gửi tới 1 cán bộ: “an.nguyen”." in page
    assert "Không gửi cho “khongthu”: tài khoản chưa có e-mail." in page
    assert "Không gửi cho “danghi”: tài khoản đang bị khoá" in page
    assert "Không gửi cho “admin”: chỉ quản trị cấp cao mới gửi được" in page
    messages = mailbox()[before:]
    assert [m.to for m in messages] == [["an.nguyen@sokhcn.gov.vn"]]
    assert link_of(messages[0]).startswith("/admin/kich-hoat/moi/")


def test_enrolment_link_action(admin_client_of, mailbox, editor):
    editor.email = "bientap@sokhcn.gov.vn"
    editor.save()
    before = len(mailbox())
    admin_client_of.post(LIST, {"action": "send_enrolment_link", "_selected_action": [editor.pk]})
    (message,) = mailbox()[before:]
    assert message.subject.startswith("Thiết lập xác thực hai bước") and "/admin/kich-hoat/xac-thuc/" in message.body
    TOTPDevice.objects.create(user=editor, name="Điện thoại", confirmed=True)
    response = admin_client_of.post(
        LIST, {"action": "send_enrolment_link", "_selected_action": [editor.pk]}, follow=True
    )
    assert "đã bật xác thực hai bước" in html(response) and len(mailbox()) == before + 1


def test_staff_link_command_prints_a_link(editor, capsys, django_user_model, mailbox):
    newcomer = django_user_model.objects.create_user("moi", email="moi@sokhcn.gov.vn")
    call_command("staff_link", "moi")
    assert "/admin/kich-hoat/moi/" in capsys.readouterr().out
    call_command("staff_link", "bientap")
    assert "/admin/kich-hoat/xac-thuc/" in capsys.readouterr().out
    before = len(mailbox())
    call_command("staff_link", "moi", "--send")
    assert [m.to for m in mailbox()[before:]] == [[newcomer.email]]


# --- Two-factor through the invitation ------------------------------------------------------------------


def test_with_two_factor_required_the_invitation_enrols_the_authenticator(client, quantri, mailbox, settings):
    """Password, then the authenticator (no way past it), then the login asks for the code."""
    from django.test import Client

    settings.OTP_REQUIRED_FOR_STAFF = True
    device = TOTPDevice.objects.create(user=quantri, name="Điện thoại", confirmed=True)
    client.post(LOGIN, {"username": "quantri", "password": PASSWORD, "next": "/admin/"})
    assert client.post(CODE, {"token": code_for(device)})["Location"] == "/admin/"
    assert "thiết lập xác thực hai bước" in html(client.get(ADD))
    admin_client_of = client
    _response, message = invite(admin_client_of, mailbox)
    assert "rồi thiết lập xác thực hai bước" in message.body

    newcomer = Client()
    newcomer.get(link_of(message))
    newcomer.post(ACTIVATE, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    page = html(newcomer.get(ACTIVATE))
    assert "Trang quản trị yêu cầu xác thực hai bước" in page and "Để sau" not in page
    assert newcomer.post(ACTIVATE, {"skip": "1"}).status_code == 200  # no way past it
    phone = TOTPDevice.objects.get(user__username="an.nguyen", confirmed=False)
    wrong = "000000" if code_for(phone) != "000000" else "111111"
    assert "Mã chưa đúng" in html(newcomer.post(ACTIVATE, {"token": wrong}))
    response = newcomer.post(ACTIVATE, {"token": code_for(phone)}, follow=True)
    assert "Đã bật xác thực hai bước" in html(response) and response.redirect_chain[-1][0] == LOGIN
    phone.refresh_from_db()
    assert phone.confirmed

    response = newcomer.post(LOGIN, {"username": "an.nguyen", "password": NEW_PASSWORD, "next": "/admin/"})
    assert response["Location"] == CODE and SESSION_KEY not in newcomer.session
    assert newcomer.post(CODE, {"token": code_for(phone, offset=1)})["Location"] == "/admin/"
    assert newcomer.get("/admin/").status_code == 200


def test_the_enrolment_window_after_the_password_closes(admin_client_of, mailbox, settings, monkeypatch):
    """After an invitation's password, the browser that set it may enrol for an hour; then the admin sends
    an enrolment link."""
    from django.test import Client

    from portal import admin_site

    _response, message = invite(admin_client_of, mailbox)
    settings.OTP_REQUIRED_FOR_STAFF = True
    newcomer = Client()
    newcomer.get(link_of(message))
    newcomer.post(ACTIVATE, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    real_time = admin_site.time.time
    monkeypatch.setattr(admin_site.time, "time", lambda: real_time() + admin_site.ENROL_SECONDS + 1)
    page = html(newcomer.get(ACTIVATE))
    assert "Đã quá một giờ kể từ khi bạn đặt mật khẩu" in page and "Mật khẩu bạn đặt vẫn giữ nguyên" in page


# --- Login -------------------------------------------------------------------------------------------


def log_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"})


GENERIC = "Bạn hãy nhập đúng"


def test_an_account_without_a_role_is_told_so(client, django_user_model):
    django_user_model.objects.create_user("chuacovaitro", password=PASSWORD)
    response = log_in(client, "chuacovaitro")
    page = html(response)
    assert response.status_code == 200 and SESSION_KEY not in client.session
    assert "chưa được giao vai trò nào" in page and "nhờ quản trị viên" in page and GENERIC not in page


@pytest.mark.parametrize(
    ("username", "password"),
    [("chuacovaitro", "sai-mat-khau"), ("khong-co-ai", PASSWORD), ("danghi", PASSWORD), ("bientap", "sai")],
)
def test_unknown_users_and_wrong_passwords_get_the_one_generic_message(
    client, django_user_model, editor, username, password
):
    django_user_model.objects.create_user("chuacovaitro", password=PASSWORD)
    gone = django_user_model.objects.create_user("danghi", password=PASSWORD, is_active=False)
    gone.groups.add(role(EDITORS))
    page = html(log_in(client, username, password))
    assert GENERIC in page and "vai trò" not in page and SESSION_KEY not in client.session


def test_a_superuser_without_staff_flag_gets_the_generic_message(client, django_user_model):
    django_user_model.objects.create_user("sieu", password=PASSWORD, is_superuser=True, is_staff=False)
    page = html(log_in(client, "sieu"))
    assert GENERIC in page and "vai trò" not in page


def test_the_lockout_still_counts_wrong_passwords(client, django_user_model):
    django_user_model.objects.create_user("chuacovaitro", password=PASSWORD)
    for _ in range(4):
        assert log_in(client, "chuacovaitro", "sai").status_code == 200
    assert log_in(client, "chuacovaitro", "sai").status_code == 429
    assert log_in(client, "chuacovaitro").status_code == 429


# --- Uploads and previews need the code when it is required ------------------------------------------


UPLOAD = "/ckeditor5/image_upload/"


def verified_login(client, username, device, offset=0):
    client.post(LOGIN, {"username": username, "password": PASSWORD, "next": "/admin/"})
    assert client.post(CODE, {"token": code_for(device, offset)})["Location"] == "/admin/"


def test_upload_needs_a_session_past_the_code(client, editor, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    client.force_login(editor)  # password only
    assert client.post(UPLOAD).status_code == 403
    device = TOTPDevice.objects.create(user=editor, name="Điện thoại", confirmed=True)
    assert client.post(UPLOAD).status_code == 403
    client.logout()
    verified_login(client, "bientap", device)
    assert client.post(UPLOAD).status_code == 400  # past the gate: "Chưa chọn tệp ảnh."


def test_upload_with_an_authenticator_needs_the_code_even_when_optional(client, editor, settings):
    settings.OTP_REQUIRED_FOR_STAFF = False
    client.force_login(editor)
    assert client.post(UPLOAD).status_code == 400
    TOTPDevice.objects.create(user=editor, name="Điện thoại", confirmed=True)
    assert client.post(UPLOAD).status_code == 403


def test_draft_preview_needs_a_session_past_the_code(client, publisher, make_article, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    draft = make_article("Bản nháp chưa duyệt", status=Article.Status.DRAFT)
    client.force_login(publisher)
    assert client.get(draft.get_absolute_url()).status_code == 404
    device = TOTPDevice.objects.create(user=publisher, name="Điện thoại", confirmed=True)
    client.logout()
    verified_login(client, "duyetbai", device)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


# --- Who may make whom a superuser ------------------------------------------------------------------------


def test_quan_tri_sees_no_superuser_or_permission_fields(admin_client_of, quantri, editor):
    url = reverse("admin:auth_user_change", args=[editor.pk])
    page = html(admin_client_of.get(url))
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert 'name="is_staff"' not in page and 'name="password"' not in page
    for text in ("Họ và tên", "Vai trò", "Đang làm việc", "Vào trang quản trị", "Có, theo vai trò", "Chưa bật"):
        assert text in page
    for english in ("Raw passwords", "Reset password", "Staff status", "Superuser status", "Choose all"):
        assert english not in page
    form = {"username": "bientap", "first_name": "Lê Văn Biên", "email": "bientap@sokhcn.gov.vn", "is_active": "on"}
    forged = {**form, "groups": [role(EDITORS).pk], "is_superuser": "on", "user_permissions": ["1", "2"]}
    assert admin_client_of.post(url, forged).status_code == 302
    editor.refresh_from_db()
    assert not editor.is_superuser and not editor.user_permissions.exists() and editor.first_name == "Lê Văn Biên"
    # Nor themselves.
    own = reverse("admin:auth_user_change", args=[quantri.pk])
    admin_client_of.post(
        own, {**form, "username": "quantri", "email": "", "groups": [role(ADMINISTRATORS).pk], "is_superuser": "on"}
    )
    quantri.refresh_from_db()
    assert not quantri.is_superuser


def test_quan_tri_cannot_change_a_superuser(admin_client_of, admin_user):
    url = reverse("admin:auth_user_change", args=[admin_user.pk])
    page = html(admin_client_of.get(url))
    assert 'name="email"' not in page and 'name="_save"' not in page  # read only
    assert admin_client_of.post(url, {"username": "admin", "email": "cuop@example.com"}).status_code == 403
    assert admin_client_of.get(reverse("admin:auth_user_password_change", args=[admin_user.pk])).status_code == 403
    assert admin_client_of.get(reverse("admin:auth_user_delete", args=[admin_user.pk])).status_code == 403
    admin_user.refresh_from_db()
    assert admin_user.email != "cuop@example.com"


def test_a_superuser_sees_the_fields_in_vietnamese(client, admin_user, editor):
    client.force_login(admin_user)
    page = html(client.get(reverse("admin:auth_user_change", args=[editor.pk])))
    assert 'name="is_superuser"' in page and "Quản trị cấp cao (superuser)" in page
    assert "Quyền riêng (ngoài vai trò)" in page and "Tin bài | Thêm bài viết" in page
    assert "Can add" not in page
    group_page = html(client.get(reverse("admin:auth_group_change", args=[role(EDITORS).pk])))
    assert (
        'name="permissions"' in group_page
        and "Tin bài | Sửa bài viết" in group_page
        and "Can change" not in group_page
    )


def test_the_user_list(admin_client_of, editor, django_assert_max_num_queries, django_user_model):
    for i in range(20):
        user = django_user_model.objects.create_user(f"canbo{i}", email=f"canbo{i}@sokhcn.gov.vn")
        user.groups.add(role(EDITORS), role(LEADERS))
    with django_assert_max_num_queries(14):
        page = html(admin_client_of.get(LIST))
    for header in ("Cán bộ", "Vai trò", "Làm việc", "Mật khẩu", "Hai bước"):
        assert header in page
    assert "Biên tập viên, Lãnh đạo" in page
    assert "Gửi lại thư mời (đặt mật khẩu mới)" in page and "Gửi liên kết thiết lập xác thực hai bước" in page


# --- Somebody keeps the keys ---------------------------------------------------------------------------


def test_the_last_administrator_cannot_remove_their_own_role(admin_client_of, quantri):
    url = reverse("admin:auth_user_change", args=[quantri.pk])
    form = {"username": "quantri", "first_name": "Trần Thị Bình", "email": "quantri@sokhcn.gov.vn"}
    response = admin_client_of.post(url, {**form, "is_active": "on", "groups": [role(EDITORS).pk]})
    assert response.status_code == 200 and "tài khoản quản trị cuối cùng" in html(response)
    response = admin_client_of.post(url, {**form, "groups": [role(ADMINISTRATORS).pk]})  # switched off
    assert response.status_code == 200 and "tài khoản quản trị cuối cùng" in html(response)
    quantri.refresh_from_db()
    assert quantri.is_active and quantri.groups.filter(name=ADMINISTRATORS).exists()
    # Nor by the role's form, nor by deleting the account.
    group_url = reverse("admin:auth_group_change", args=[role(ADMINISTRATORS).pk])
    response = admin_client_of.post(group_url, {"members": []})
    assert response.status_code == 200 and "tài khoản quản trị cuối cùng" in html(response)
    response = admin_client_of.post(LIST, {"action": "delete_selected", "_selected_action": [quantri.pk]}, follow=True)
    assert "tài khoản quản trị cuối cùng" in html(response)
    response = admin_client_of.get(reverse("admin:auth_user_delete", args=[quantri.pk]), follow=True)
    assert "tài khoản quản trị cuối cùng" in html(response)
    assert role(ADMINISTRATORS).user_set.filter(pk=quantri.pk).exists()


def test_with_another_administrator_the_role_may_go(admin_client_of, quantri, django_user_model):
    other = django_user_model.objects.create_user("quantri2", password=PASSWORD)
    other.groups.add(role(ADMINISTRATORS))
    url = reverse("admin:auth_user_change", args=[quantri.pk])
    form = {"username": "quantri", "first_name": "Trần Thị Bình", "email": "quantri@sokhcn.gov.vn", "is_active": "on"}
    assert admin_client_of.post(url, {**form, "groups": [role(EDITORS).pk]}).status_code == 302
