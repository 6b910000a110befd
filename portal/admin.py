"""The staff screens of the admin, in Vietnamese: "Người dùng" with "Thêm cán bộ", and the roles ("Nhóm").

What a role does and how an account is invited: portal/accounts.py. Only superusers see (and may change)
the superuser flag and raw permissions, and only they may change or delete a superuser's account: a member
of "Quản trị" administers staff, not the administrators above them."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from core import roles

from . import accounts

User = get_user_model()

admin.site.unregister(User)
admin.site.unregister(Group)


def titled(filter_class, title, empty_label=None):
    """A list filter of Django's with a Vietnamese title (and a name for "none")."""

    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title
            if empty_label is not None:
                self.empty_value_display = empty_label

    return Titled


def _names(users):
    return ", ".join(f"“{user.get_username()}”" for user in users)


@admin.register(User)
class StaffAdmin(DjangoUserAdmin):
    add_form = accounts.StaffCreationForm
    form = accounts.StaffChangeForm
    add_form_template = "admin/auth/user/add_staff.html"
    add_fieldsets = ((None, {"fields": ("first_name", "email", "username", "groups")}),)
    # Narrow enough for 1366 px with the admin's side bar and the filters.
    list_display = ("staff", "role_names", "working", "activated", "two_factor", "last_seen")
    list_filter = (
        ("groups", titled(admin.RelatedFieldListFilter, gettext_lazy("vai trò"), gettext_lazy("Chưa có vai trò"))),
        ("is_active", titled(admin.BooleanFieldListFilter, gettext_lazy("đang làm việc"))),
    )
    show_facets = admin.ShowFacets.NEVER
    search_fields = ("username", "first_name", "last_name", "email")
    filter_horizontal = ()
    readonly_fields = ("admin_access", "password_status", "two_factor_status", "last_login", "date_joined")
    actions = ["send_invitation", "send_enrolment_link", "delete_selected"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        fieldsets = [
            (None, {"fields": ("username", "first_name", "email")}),
            (_("Vai trò"), {"fields": ("groups", "admin_access", "is_active")}),
            (_("Đăng nhập"), {"fields": ("password_status", "two_factor_status", "last_login", "date_joined")}),
        ]
        if request.user.is_superuser:
            fieldsets.append(
                (_("Quyền đặc biệt (chỉ quản trị cấp cao)"), {"fields": ("is_superuser", "user_permissions")})
            )
        return fieldsets

    def get_list_filter(self, request):
        if request.user.is_superuser:
            superusers = titled(admin.BooleanFieldListFilter, gettext_lazy("quản trị cấp cao"))
            return (*self.list_filter, ("is_superuser", superusers))
        return self.list_filter

    def get_queryset(self, request):
        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).prefetch_related("groups").annotate(has_device=Exists(devices))

    # Only a superuser changes a superuser.
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {
            "title": _("Thêm cán bộ"),
            "link_days": accounts.LINK_DAYS,
            "two_factor_required": settings.OTP_REQUIRED_FOR_STAFF,
            **(extra_context or {}),
        }
        return super().add_view(request, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            user = form.instance
            if accounts.send_link(user, accounts.INVITE, request.build_absolute_uri("/"), sent_by=request.user):
                messages.success(
                    request,
                    _(
                        "Đã tạo tài khoản “%(username)s” (%(name)s) và gửi thư mời tới %(email)s. Liên kết trong thư "
                        "dùng được một lần, trong %(days)s ngày."
                    )
                    % {
                        "username": user.get_username(),
                        "name": user.get_full_name(),
                        "email": user.email,
                        "days": accounts.LINK_DAYS,
                    },
                )
            else:
                messages.warning(
                    request,
                    _(
                        "Đã tạo tài khoản “%(username)s” nhưng chưa gửi được thư mời tới %(email)s. Hãy kiểm tra "
                        "cấu hình e-mail rồi dùng “Gửi lại thư mời” trong danh sách."
                    )
                    % {"username": user.get_username(), "email": user.email},
                )

    def response_add(self, request, obj, post_url_continue=None):
        """To the list (where the new account shows), not to the long user form; the message is the
        invitation's (save_related)."""
        if IS_POPUP_VAR in request.POST or "_addanother" in request.POST or "_continue" in request.POST:
            if "_addanother" in request.POST:
                return HttpResponseRedirect(request.path)
            return admin.ModelAdmin.response_add(self, request, obj, post_url_continue)
        return HttpResponseRedirect(reverse("admin:auth_user_changelist"))

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, unquote(object_id))
        if user is not None and accounts.leaves_no_administrator(leaving=[user.pk]):
            messages.error(request, accounts.LAST_ADMINISTRATOR)
            return redirect("admin:auth_user_change", user.pk)
        return super().delete_view(request, object_id, extra_context)

    # List columns and read-only lines ------------------------------------------------------------

    @admin.display(description=gettext_lazy("Cán bộ"), ordering="username")
    def staff(self, user):
        return format_html(
            "<strong>{}</strong><br><small>{}{}{}</small>",
            user.get_full_name() or user.get_username(),
            user.get_username(),
            " · " if user.email else "",
            user.email,
        )

    @admin.display(description=gettext_lazy("Vai trò"))
    def role_names(self, user):
        return ", ".join(sorted(group.name for group in user.groups.all())) or "—"

    @admin.display(description=gettext_lazy("Làm việc"), boolean=True, ordering="is_active")
    def working(self, user):
        return user.is_active

    @admin.display(description=gettext_lazy("Mật khẩu"), boolean=True)
    def activated(self, user):
        return user.has_usable_password()

    @admin.display(description=gettext_lazy("Hai bước"), boolean=True)
    def two_factor(self, user):
        return getattr(user, "has_device", False)

    @admin.display(description=gettext_lazy("Đăng nhập cuối"), ordering="last_login")
    def last_seen(self, user):
        if user.last_login is None:
            return _("Chưa lần nào")
        return timezone.localtime(user.last_login).strftime("%d/%m/%Y %H:%M")

    @admin.display(description=gettext_lazy("Vào trang quản trị"))
    def admin_access(self, user):
        if user.is_superuser:
            return _("Có (quản trị cấp cao)")
        if user.is_staff:
            return _("Có, theo vai trò")
        return _("Không: chưa có vai trò nào")

    @admin.display(description=gettext_lazy("Mật khẩu"))
    def password_status(self, user):
        if user.has_usable_password():
            return _("Đã đặt (chỉ người dùng biết). Quên mật khẩu: chọn tài khoản trong danh sách, “Gửi lại thư mời”.")
        return _("Chưa đặt: cán bộ chưa mở thư mời. Thư hết hạn thì dùng “Gửi lại thư mời” trong danh sách.")

    @admin.display(description=gettext_lazy("Xác thực hai bước"))
    def two_factor_status(self, user):
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            return _("Đã bật")
        return _(
            "Chưa bật. Gửi liên kết thiết lập: chọn tài khoản trong danh sách, “Gửi liên kết thiết lập xác thực hai bước”."
        )

    # Actions ------------------------------------------------------------------------------------

    def _send(self, request, queryset, kind, eligible):
        sent, skipped = [], []
        for user in queryset:
            reason = eligible(user)
            if reason is None and not accounts.send_link(user, kind, request.build_absolute_uri("/"), request.user):
                reason = _("chưa gửi được thư (kiểm tra cấu hình e-mail)")
            (skipped if reason else sent).append((user, reason))
        if sent:
            messages.success(
                request,
                ngettext(
                    "Đã gửi tới %(count)d cán bộ: %(names)s.", "Đã gửi tới %(count)d cán bộ: %(names)s.", len(sent)
                )
                % {"count": len(sent), "names": _names(user for user, _r in sent)},
            )
        for user, reason in skipped:
            messages.warning(
                request, _("Không gửi cho “%(username)s”: %(reason)s.") % {"username": user, "reason": reason}
            )

    def _common_refusal(self, request, user):
        if not user.email:
            return _("tài khoản chưa có e-mail")
        if not user.is_active:
            return _("tài khoản đang bị khoá (không còn làm việc)")
        if user.is_superuser and not request.user.is_superuser:
            return _("chỉ quản trị cấp cao mới gửi được cho tài khoản quản trị cấp cao")
        return None

    @admin.action(description=gettext_lazy("Gửi lại thư mời (đặt mật khẩu mới)"), permissions=["change"])
    def send_invitation(self, request, queryset):
        self._send(request, queryset, accounts.INVITE, lambda user: self._common_refusal(request, user))

    @admin.action(description=gettext_lazy("Gửi liên kết thiết lập xác thực hai bước"), permissions=["change"])
    def send_enrolment_link(self, request, queryset):
        def refusal(user):
            if reason := self._common_refusal(request, user):
                return reason
            if not user.has_usable_password():
                return _("chưa đặt mật khẩu: hãy dùng “Gửi lại thư mời”")
            if getattr(user, "has_device", False):
                return _("đã bật xác thực hai bước (mất điện thoại: xoá thiết bị cũ trong “TOTP devices” trước)")
            return None

        self._send(request, queryset, accounts.ENROL, refusal)

    @admin.action(description=gettext_lazy("Xoá các %(verbose_name_plural)s đã chọn"), permissions=["delete"])
    def delete_selected(self, request, queryset):
        if not request.user.is_superuser and queryset.filter(is_superuser=True).exists():
            messages.error(request, _("Chỉ quản trị cấp cao mới xoá được tài khoản quản trị cấp cao."))
            return None
        if accounts.leaves_no_administrator(leaving=queryset.values_list("pk", flat=True)):
            messages.error(request, accounts.LAST_ADMINISTRATOR)
            return None
        return django_delete_selected(self, request, queryset)


@admin.register(Group)
class RoleAdmin(DjangoGroupAdmin):
    form = accounts.GroupForm
    list_display = ("name", "description", "member_count")
    filter_horizontal = ()
    show_facets = admin.ShowFacets.NEVER

    def get_fieldsets(self, request, obj=None):
        fields = ["name", "description", "members"]
        if request.user.is_superuser:
            fields.append("permissions")
        return [(None, {"fields": fields})]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.name in {role.name for role in roles.declared()}:
            return ("name", "description")  # renaming would cut it off from the roles table
        return ("description",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members_count=Count("user"))

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.name in {role.name for role in roles.declared()}:
            return False  # a role of the table is made again by the next migrate
        return super().has_delete_permission(request, obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "members" in form.cleaned_data:
            form.instance.user_set.set(form.cleaned_data["members"])

    @admin.display(description=gettext_lazy("Được làm gì"))
    def description(self, group):
        return accounts.role_description(group.name) or "—"

    @admin.display(description=gettext_lazy("Số thành viên"), ordering="members_count")
    def member_count(self, group):
        return group.members_count
