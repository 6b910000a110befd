"""Staff accounts: a role opens the admin, "Thêm cán bộ" makes a working account in one step, and the new
person sets their own password (and authenticator) through a one-time link sent by e-mail.

- **A role is the key.** `is_staff` follows the groups (the roles of portal/roles.py): a user in any group
  is staff, a user in none is not; superusers are left as they are. One receiver of the groups relation
  keeps it true whichever side changes it (the user form, the group form, `user.groups.add()` in code,
  `group.user_set.clear()`, a deleted group), with one UPDATE.
- **Nobody types another person's password.** The account is made without a usable password and an
  invitation goes to its e-mail: a link valid `LINK_DAYS` days that sets the password, then enrols the
  authenticator app (portal/admin_site.py). A link is used up by what it does: the token hashes the
  password, the last login, the e-mail, the active flag and the confirmed authenticators, so setting the
  password (or confirming an authenticator) makes every earlier link of that account void.
- **Enrolment needs a link.** An authenticator is added only through such a link (the invitation's, or
  "Gửi liên kết thiết lập xác thực hai bước"), never by whoever holds the password alone.
- **Somebody keeps the keys.** No change (roles, the active flag, the superuser flag, deletion) may leave the
  portal without an active administrator (a member of "Quản trị" or a superuser).
"""

import logging
import smtplib
from datetime import timedelta

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm, UsernameField
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.db.models.signals import m2m_changed, post_delete, pre_delete
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.html import format_html
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import roles

from .auth import two_factor_required
from .roles import ADMINISTRATORS

logger = logging.getLogger(__name__)

LINK_DAYS = 3
INVITE = "moi"  # set the password, then enrol the authenticator
ENROL = "xac-thuc"  # enrol the authenticator (the password is already set)
KINDS = (INVITE, ENROL)
OK, EXPIRED, INVALID = "ok", "expired", "invalid"


def users():
    return get_user_model()._default_manager


# A role opens the admin ---------------------------------------------------------------------------


def sync_staff(user_ids):
    """is_staff = "is in some group", for these users; superusers are kept as they are (one UPDATE)."""
    ids = [pk for pk in user_ids or () if pk is not None]
    if not ids:
        return
    User = get_user_model()
    memberships = User.groups.through.objects.filter(user_id=OuterRef("pk"))
    users().filter(pk__in=ids, is_superuser=False).update(is_staff=Exists(memberships))


def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed of User.groups, from either side (user.groups… or group.user_set…)."""
    if action == "pre_clear" and reverse:
        instance._members_before_clear = list(instance.user_set.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        sync_staff([instance.pk])
        if not instance.is_superuser:
            instance.is_staff = instance.groups.exists()
    elif action == "post_clear":
        sync_staff(getattr(instance, "_members_before_clear", ()))
    else:
        sync_staff(pk_set)


def group_deleting(sender, instance, **kwargs):
    instance._members_before_delete = list(instance.user_set.values_list("pk", flat=True))


def group_deleted(sender, instance, **kwargs):
    sync_staff(getattr(instance, "_members_before_delete", ()))


def connect():
    """Called once by portal's AppConfig.ready()."""
    User = get_user_model()
    uid = "portal-staff-follows-roles"
    m2m_changed.connect(groups_changed, sender=User.groups.through, dispatch_uid=uid)
    pre_delete.connect(group_deleting, sender=Group, dispatch_uid=uid)
    post_delete.connect(group_deleted, sender=Group, dispatch_uid=uid)


def role_groups():
    """The groups of the roles table, in the table's order."""
    names = [role.name for role in roles.declared()]
    order = Case(*[When(name=name, then=Value(i)) for i, name in enumerate(names)], output_field=IntegerField())
    return Group.objects.filter(name__in=names).order_by(order)


def all_groups():
    """Every group, the roles first in the table's order, then any other by name."""
    names = [role.name for role in roles.declared()]
    order = Case(
        *[When(name=name, then=Value(i)) for i, name in enumerate(names)],
        default=Value(len(names)),
        output_field=IntegerField(),
    )
    return Group.objects.order_by(order, "name")


def role_description(name):
    role = next((role for role in roles.declared() if role.name == name), None)
    return role.description if role else ""


# Somebody keeps the keys ------------------------------------------------------------------------


def administrator_ids():
    """Active accounts that can manage staff accounts: superusers and members of "Quản trị"."""
    return set(
        users()
        .filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(groups__name=ADMINISTRATORS))
        .values_list("pk", flat=True)
        .distinct()
    )


def leaves_no_administrator(leaving=(), joining=()):
    """Would the portal be left without an administrator if these stopped (and those started) being one?"""
    now = administrator_ids()
    return bool(now) and not ((now - set(leaving)) | set(joining))


LAST_ADMINISTRATOR = _(
    "Đây là tài khoản quản trị cuối cùng: nếu thay đổi như vậy, sẽ không còn ai quản lý được tài khoản cán bộ. "
    "Hãy giao vai trò “Quản trị” cho một người khác trước."
)


# One-time links ---------------------------------------------------------------------------------


class StaffLinkTokens(PasswordResetTokenGenerator):
    """Django's password-reset tokens, valid LINK_DAYS days (whatever PASSWORD_RESET_TIMEOUT says for
    ordinary resets), one salt per kind of link, and void once an authenticator is confirmed."""

    timeout = LINK_DAYS * 24 * 3600

    def __init__(self, kind):
        self.key_salt = f"portal.accounts.StaffLinkTokens.{kind}"
        super().__init__()

    def _make_hash_value(self, user, timestamp):
        devices = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").values_list("pk", flat=True)
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}{','.join(map(str, devices))}"

    def check(self, user, token):
        """OK, EXPIRED (a genuine link, too old) or INVALID (used, replaced, or never ours)."""
        if user is None or not token or len(token) > 100:
            return INVALID
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return INVALID
        genuine = any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )
        if not genuine:
            return INVALID
        if self._num_seconds(self._now()) - ts > self.timeout:
            return EXPIRED
        return OK

    def check_token(self, user, token):
        return self.check(user, token) == OK


TOKENS = {kind: StaffLinkTokens(kind) for kind in KINDS}


def link_path(user, kind):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("admin:staff_link", kwargs={"kind": kind, "uidb64": uid, "token": TOKENS[kind].make_token(user)})


def user_from_uid(uidb64):
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if not 0 < pk < 2**63:
        return None
    return users().filter(pk=pk).first()


def kind_for(user):
    """The link a user needs now: an invitation until a password is set, then an enrolment link."""
    return INVITE if not user.has_usable_password() else ENROL


def send_link(user, kind, base_url, sent_by=None):
    """E-mail a one-time link to the user. False (and a log line) if the mail could not be handed over."""
    expires = timezone.localtime(timezone.now() + timedelta(days=LINK_DAYS))
    context = {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "kind": kind,
        "invite": kind == INVITE,
        "link": base_url.rstrip("/") + link_path(user, kind),
        "login_url": base_url.rstrip("/") + reverse("admin:login"),
        "expires": expires.strftime("%H:%M ngày %d/%m/%Y"),
        "days": LINK_DAYS,
        "roles": ", ".join(user.groups.order_by("name").values_list("name", flat=True)),
        "two_factor_required": two_factor_required(user),
        "sent_by": (sent_by.get_full_name() or sent_by.get_username()) if sent_by else "",
        "site_name": settings.SITE_NAME,
    }
    if kind == INVITE:
        subject = _("Mời tham gia trang quản trị Cổng thông tin %(site)s") % {"site": settings.SITE_NAME}
    else:
        subject = _("Thiết lập xác thực hai bước – Cổng thông tin %(site)s") % {"site": settings.SITE_NAME}
    body = render_to_string("admin/email/staff_link.txt", context)
    try:
        send_mail(str(subject), body, None, [user.email])
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the %s link to user %s", kind, user.pk)
        return False
    return True


# Forms ------------------------------------------------------------------------------------------

USERNAME_HELP = _("Chữ cái, chữ số và các dấu @ . + - _ (không có dấu cách), tối đa 150 ký tự. Ví dụ: an.nguyen")
USERNAME_INVALID = _(
    "Tên đăng nhập chỉ gồm chữ cái, chữ số và các dấu @ . + - _ (không có dấu cách), ví dụ: an.nguyen."
)
EMAIL_INVALID = _("Địa chỉ e-mail chưa đúng, ví dụ: an.nguyen@sokhcn.gov.vn.")


class RoleChoiceField(forms.ModelMultipleChoiceField):
    """Groups as checkboxes, each role with what it may do."""

    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, group):
        description = role_description(group.name)
        if not description:
            return group.name
        return format_html('<strong>{}</strong> <span class="role-description">— {}</span>', group.name, description)


ACTIONS = {"add": _("Thêm"), "change": _("Sửa"), "delete": _("Xoá"), "view": _("Xem")}


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    """Permissions named in Vietnamese ("Tin tức | Thêm bài viết") instead of "Can add article"."""

    def label_from_instance(self, permission):
        content_type = permission.content_type
        model = content_type.model_class()
        action, _sep, model_name = permission.codename.partition("_")
        if model is not None and action in ACTIONS and model_name == model._meta.model_name:
            text = f"{ACTIONS[action]} {model._meta.verbose_name}"
        else:
            text = permission.name
        try:
            app = apps.get_app_config(content_type.app_label).verbose_name
        except LookupError:
            app = content_type.app_label
        return f"{capfirst(app)} | {capfirst(text)}"


def permission_field(**kwargs):
    return PermissionChoiceField(
        queryset=Permission.objects.select_related("content_type").order_by("content_type__app_label", "codename"),
        widget=forms.SelectMultiple(attrs={"size": 12}),
        **kwargs,
    )


class StaffFieldsMixin:
    """The checks "Thêm cán bộ" and the user form share: one e-mail per person, user names case-blind."""

    def clean_email(self):
        email = users().normalize_email(self.cleaned_data.get("email") or "").strip()
        if not email:
            return email
        others = users().filter(email__iexact=email).exclude(pk=self.instance.pk)
        if other := others.first():
            raise ValidationError(
                _("E-mail này đã dùng cho tài khoản “%(username)s”. Mỗi cán bộ cần một địa chỉ e-mail riêng."),
                code="duplicate_email",
                params={"username": other.get_username()},
            )
        return email

    def clean_username(self):
        username = self.cleaned_data.get("username") or ""
        validator = get_user_model().username_validator
        try:
            validator(username)
        except ValidationError:
            raise ValidationError(USERNAME_INVALID, code="invalid") from None
        if users().filter(username__iexact=username).exclude(pk=self.instance.pk).exists():
            raise ValidationError(
                _("Tên đăng nhập “%(username)s” đã có người dùng. Hãy chọn tên khác, ví dụ thêm chữ đầu của tên đệm."),
                code="duplicate_username",
                params={"username": username},
            )
        return username


class StaffCreationForm(StaffFieldsMixin, forms.ModelForm):
    """The form of "Thêm cán bộ": who, how to reach them, what they do. No password: they set it from the
    invitation."""

    first_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=150,
        help_text=_("Ví dụ: Nguyễn Văn An"),
        error_messages={"required": _("Vui lòng nhập họ và tên của cán bộ.")},
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Thư mời đặt mật khẩu được gửi tới địa chỉ này."),
        error_messages={"required": _("Vui lòng nhập e-mail: thư mời được gửi tới đây."), "invalid": EMAIL_INVALID},
    )
    username = UsernameField(
        label=_("Tên đăng nhập"),
        max_length=150,
        help_text=USERNAME_HELP,
        error_messages={"required": _("Vui lòng chọn tên đăng nhập.")},
    )
    groups = RoleChoiceField(
        queryset=Group.objects.none(),
        label=_("Vai trò"),
        help_text=_("Chọn một hoặc nhiều vai trò. Vai trò cho phép vào trang quản trị và quyết định được làm gì."),
        error_messages={
            "required": _("Hãy chọn ít nhất một vai trò: không có vai trò, cán bộ không vào được trang quản trị.")
        },
    )

    class Meta:
        model = get_user_model()
        fields = ["first_name", "email", "username", "groups"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = role_groups()
        self.fields["username"].widget.attrs.update(autocapitalize="none", autocomplete="off", spellcheck="false")
        self.fields["first_name"].widget.attrs.update(autofocus=True)

    def clean_first_name(self):
        return " ".join(self.cleaned_data["first_name"].split())

    def save(self, commit=True):
        user = super().save(commit=False)
        user.last_name = ""
        user.set_unusable_password()
        if commit:
            user.save()
            self.save_m2m()
        return user


class StaffChangeForm(StaffFieldsMixin, forms.ModelForm):
    """The user form: the superuser flag and raw permissions are in it only for superusers
    (portal/admin.py leaves them out of the fields otherwise)."""

    class Meta:
        model = get_user_model()
        fields = ["username", "first_name", "email", "is_active", "groups"]
        field_classes = {"username": UsernameField}
        labels = {
            "username": _("Tên đăng nhập"),
            "first_name": _("Họ và tên"),
            "email": _("E-mail"),
            "is_active": _("Đang làm việc"),
            "is_superuser": _("Quản trị cấp cao (superuser)"),
        }
        help_texts = {
            "username": USERNAME_HELP,
            "first_name": "",
            "email": _("Thư mời và liên kết thiết lập được gửi tới địa chỉ này."),
            "is_active": _(
                "Bỏ chọn khi cán bộ nghỉ việc hoặc chuyển công tác: tài khoản không đăng nhập được nữa, "
                "nhật ký thao tác của họ vẫn giữ nguyên (thay vì xoá tài khoản)."
            ),
            "is_superuser": _("Có mọi quyền mà không cần vai trò. Chỉ quản trị cấp cao mới thấy và đổi được ô này."),
        }
        error_messages = {"email": {"invalid": EMAIL_INVALID}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "groups" in self.fields:
            self.fields["groups"] = RoleChoiceField(
                queryset=all_groups(),
                required=False,
                label=_("Vai trò"),
                help_text=_(
                    "Có ít nhất một vai trò thì vào được trang quản trị; bỏ hết vai trò thì không vào được nữa."
                ),
            )
        if "user_permissions" in self.fields:
            self.fields["user_permissions"] = permission_field(
                required=False,
                label=_("Quyền riêng (ngoài vai trò)"),
                help_text=_("Ít khi cần: nên giao vai trò. Giữ phím Ctrl (Command trên Mac) để chọn nhiều quyền."),
            )

    def clean(self):
        cleaned = super().clean()
        user = self.instance
        if user.pk is None:
            return cleaned
        was = user.pk in administrator_ids()
        active = cleaned.get("is_active", user.is_active)
        superuser = cleaned.get("is_superuser", user.is_superuser)
        if "groups" in cleaned:
            in_admin_group = any(group.name == ADMINISTRATORS for group in cleaned["groups"])
        else:
            in_admin_group = user.groups.filter(name=ADMINISTRATORS).exists()
        will_be = bool(active and (superuser or in_admin_group))
        if was and not will_be and leaves_no_administrator(leaving=[user.pk]):
            field = "groups" if "groups" in self.fields and active else "is_active"
            self.add_error(field, ValidationError(LAST_ADMINISTRATOR, code="last_administrator"))
        return cleaned


class GroupForm(forms.ModelForm):
    """A role: its name, who is in it (the admin may change membership from here too), and for superusers
    its permissions (those of the roles table are set again after every migrate)."""

    members = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Thành viên"),
        help_text=_("Cán bộ có vai trò này. Có vai trò thì vào được trang quản trị."),
    )

    class Meta:
        model = Group
        fields = ["name", "permissions"]
        labels = {"name": _("Tên vai trò")}
        error_messages = {"name": {"unique": _("Đã có vai trò tên như vậy.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = users().order_by("first_name", "username")
        self.fields["members"].label_from_instance = staff_label
        if self.instance.pk is not None:
            self.initial.setdefault("members", list(self.instance.user_set.values_list("pk", flat=True)))
        if "permissions" in self.fields:
            self.fields["permissions"] = permission_field(
                required=False,
                label=_("Quyền"),
                help_text=_(
                    "Quyền của các vai trò trong bảng vai trò (portal/roles.py) được đặt lại đúng như bảng sau mỗi "
                    "lần cập nhật phần mềm: sửa ở đây chỉ giữ đến lần cập nhật sau."
                ),
            )

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None and self.instance.name == ADMINISTRATORS and "members" in cleaned:
            chosen = {user.pk for user in cleaned["members"]}
            current = set(self.instance.user_set.filter(is_superuser=False).values_list("pk", flat=True))
            joining = {user.pk for user in cleaned["members"] if user.is_active}
            if leaves_no_administrator(leaving=current - chosen, joining=joining):
                self.add_error("members", ValidationError(LAST_ADMINISTRATOR, code="last_administrator"))
        return cleaned


def staff_label(user):
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class LinkPasswordForm(SetPasswordForm):
    """The password step of an invitation link."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        first = self.fields["new_password1"]
        first.label = _("Mật khẩu mới")
        first.help_text = _(
            "Ít nhất 8 ký tự; không quá giống tên hay e-mail của bạn, không phải mật khẩu phổ biến, "
            "không chỉ gồm chữ số. Nên dùng một câu ngắn dễ nhớ."
        )
        first.widget.attrs["autofocus"] = True
        second = self.fields["new_password2"]
        second.label = _("Nhập lại mật khẩu mới")
        second.help_text = _("Nhập lại đúng mật khẩu trên để chắc không gõ nhầm.")
        for field in (first, second):
            field.error_messages["required"] = _("Vui lòng nhập mật khẩu.")
        self.error_messages = {**self.error_messages, "password_mismatch": _("Hai mật khẩu không giống nhau.")}
