"""Staff accounts: the login lockout page (django-axes), the login's own refusals, and two-factor
authentication (django-otp, TOTP).

- Five wrong passwords for one user name from one address lock that pair out for 30 minutes
  (settings AXES_*); the page says so in Vietnamese. Keyed by user name *and* address, so a whole
  office behind one public address is not locked out by one person's typos.
- An unknown user or a wrong password gets Django's one generic message; the right password of an
  account without a role (portal/accounts.py: a role is what opens the admin) is told so plainly.
- Whoever has an authenticator app is asked for its 6-digit code after the password, before being
  logged in. Wrong codes count as failed logins for the lockout.
- With settings.OTP_REQUIRED_FOR_STAFF (on unless DEBUG), every staff account must have one: a session
  that has not given a code opens nothing of the admin, uploads nothing and previews no draft
  (news asks `admin.site.has_permission`). An authenticator is enrolled only through a one-time link
  (portal/accounts.py), so whoever else holds a new account's password cannot enrol theirs.
"""

import base64
import io
import time

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

PENDING_KEY = "portal_otp_pending"
PENDING_SECONDS = 300  # time allowed between the password and the code
DEVICE_NAME = "Ứng dụng xác thực"


# Lockout (django-axes) ----------------------------------------------------------------------------


def lockout_minutes():
    return max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))


def lockout_response(request, original_response=None, credentials=None):
    """settings.AXES_LOCKOUT_CALLABLE: a Vietnamese page, status 429, in the admin's look."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        **admin.site.each_context(request),
        "title": _("Tạm khoá đăng nhập"),
        "username": username[:150],
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": lockout_minutes(),
    }
    response = render(request, "admin/lockout.html", context, status=429)
    response["Retry-After"] = str(lockout_minutes() * 60)
    return response


# Two-factor (django-otp) --------------------------------------------------------------------------


def two_factor_required(user):
    """Must this account give an authenticator's code (settings.OTP_REQUIRED_FOR_STAFF)?"""
    return bool(
        getattr(settings, "OTP_REQUIRED_FOR_STAFF", False)
        and user.is_authenticated
        and (user.is_staff or user.is_superuser)
    )


def second_factor_ok(request):
    """The session has given a code, or its user needs none (no authenticator, and not required).
    At most one query, once a request."""
    user = request.user
    if not user.is_authenticated:
        return True
    if getattr(user, "is_verified", None) and user.is_verified():
        return True
    if two_factor_required(user):
        return False
    if getattr(request, "_portal_has_device", None) is None:
        request._portal_has_device = user_has_device(user)
    return not request._portal_has_device


NO_ROLE = _(
    "Tài khoản của bạn chưa được giao vai trò nào (Biên tập viên, Duyệt bài…), nên chưa vào được trang quản "
    "trị. Hãy nhờ quản trị viên của Sở giao vai trò cho bạn."
)
NOT_ENROLLED = _(
    "Tài khoản của bạn chưa thiết lập xác thực hai bước, bắt buộc với mọi cán bộ. Hãy mở liên kết trong thư mời "
    "đã gửi tới e-mail của bạn; nếu liên kết đã hết hạn hoặc không tìm thấy thư, hãy nhờ quản trị viên gửi "
    "liên kết thiết lập xác thực hai bước."
)


class StaffAuthenticationForm(AdminAuthenticationForm):
    """The admin's login form. Unknown user, wrong password or a switched-off account: Django's one generic
    message. The right password of an account with no role, or of one that must enrol first: what to do."""

    def confirm_login_allowed(self, user):
        AuthenticationForm.confirm_login_allowed(self, user)  # inactive accounts
        if not user.is_staff:
            if user.is_superuser:
                super().confirm_login_allowed(user)  # the generic message, as Django gives it
            raise ValidationError(NO_ROLE, code="no_role")
        if two_factor_required(user) and confirmed_device(user) is None:
            raise ValidationError(NOT_ENROLLED, code="not_enrolled")


def safe_next(request, url):
    """`url` if it stays on this site (else ""): what `?next=` may send a user to after logging in."""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def axes_username(request, credentials):
    """settings.AXES_USERNAME_CALLABLE: the typed user name as it can be stored (axes keeps 255
    characters; no user name is longer than 150, and PostgreSQL refuses NUL)."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username", "")
    return str(username).replace("\x00", "")[:150]


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def begin_pending(request, user, backend, next_url):
    """The password was right and an authenticator is set up: remember who is half-way in."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": backend,
        "since": int(time.time()),
        "next": safe_next(request, next_url),
    }


def pending(request):
    """(user, backend, next URL) of a login waiting for its code, or None (none, or older than 5 minutes)."""
    from django.contrib.auth import get_user_model

    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict) or time.time() - data.get("since", 0) > PENDING_SECONDS:
        return None
    user = get_user_model()._default_manager.filter(pk=data.get("user"), is_active=True, is_staff=True).first()
    if user is None:
        return None
    return user, data.get("backend"), safe_next(request, data.get("next"))


def clear_pending(request):
    request.session.pop(PENDING_KEY, None)


def qr_data_uri(url):
    """The otpauth:// URL as an SVG QR code in a data: URI (the admin's policy allows data: images)."""
    from django_otp.qr import write_qrcode_image

    out = io.BytesIO()
    write_qrcode_image(url, out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def readable_secret(device):
    """The key in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực"),
        max_length=20,
        help_text=_("6 chữ số đang hiện trong ứng dụng xác thực trên điện thoại của bạn."),
        error_messages={"required": _("Vui lòng nhập mã xác thực gồm 6 chữ số.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 8}
        ),
    )

    def clean_token(self):
        token = "".join(self.cleaned_data["token"].split())
        if not (token.isascii() and token.isdigit() and len(token) == 6):
            raise forms.ValidationError(_("Mã xác thực gồm đúng 6 chữ số."), code="format")
        return token
