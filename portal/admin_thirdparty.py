"""The libraries' admin pages in Vietnamese, where a translation cannot reach them.

django-otp's TOTP devices: the library's strings are plain English (not marked for translation), so its
ModelAdmin is replaced by a subclass with Vietnamese labels, help texts, columns and filter. "Quản trị" reads
and deletes devices here (a colleague who lost their phone), without ever seeing a device's secret. django-axes' login attempts: two columns have
no label and its clean-up action fails outside a login request and formats its message before translating it; the
subclass fixes both, in Vietnamese.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

LABELS = {
    "user": _("Cán bộ"),
    "name": _("Tên thiết bị"),
    "confirmed": _("Đã xác nhận"),
    "created_at": _("Thêm lúc"),
    "last_used_at": _("Dùng lần cuối"),
    "key": _("Khoá bí mật"),
    "step": _("Bước thời gian (giây)"),
    "t0": _("Mốc bắt đầu đếm"),
    "digits": _("Số chữ số"),
    "tolerance": _("Độ lệch cho phép"),
    "drift": _("Độ lệch đồng hồ"),
    "last_t": _("Bước của mã đúng gần nhất"),
    "throttling_failure_timestamp": _("Lần nhập sai gần nhất"),
    "throttling_failure_count": _("Số lần nhập sai liên tiếp"),
}
HELP_TEXTS = {
    "user": _("Tài khoản dùng thiết bị này."),
    "name": _("Tên để nhận ra thiết bị."),
    "confirmed": _("Thiết bị đã sẵn sàng dùng chưa."),
    "key": _("Khoá bí mật (mã hex, tối đa 40 byte)."),
    "step": _("Mỗi mã dùng được trong bấy nhiêu giây."),
    "t0": _("Thời điểm Unix bắt đầu đếm bước."),
    "digits": _("Số chữ số của mã."),
    "tolerance": _("Số bước thời gian trước hoặc sau được chấp nhận."),
    "drift": _("Số bước đồng hồ của điện thoại được biết là lệch so với máy chủ."),
    "throttling_failure_timestamp": _("Thời điểm nhập sai gần nhất."),
    "throttling_failure_count": _("Số lần nhập sai liên tiếp."),
    "created_at": _("Thời điểm thiết bị được thêm vào hệ thống."),
    "last_used_at": _("Thời điểm thiết bị được dùng gần nhất."),
}


class TOTPDeviceForm(forms.ModelForm):
    class Meta:
        model = TOTPDevice
        fields = [name for name in LABELS if name not in ("created_at", "last_used_at")]  # (not editable)
        labels = LABELS
        help_texts = HELP_TEXTS


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("đã xác nhận")
    parameter_name = "da_xac_nhan"

    def lookups(self, request, model_admin):
        return [("1", _("Có")), ("0", _("Không"))]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(confirmed=self.value() == "1")
        return queryset


class PortalTOTPDeviceAdmin(TOTPDeviceAdmin):
    form = TOTPDeviceForm
    list_display = ["device_user", "device_name", "added", "last_used", "is_confirmed"]
    list_filter = [ConfirmedFilter]
    search_help_text = _("Tìm theo tên đăng nhập hoặc e-mail của cán bộ.")

    def get_list_display(self, request):
        return self.list_display  # never the QR code column: a secret stays out of lists

    def get_urls(self):
        # Not the library's pages that show a device's secret as a QR code: whoever holds it can make the
        # codes of that colleague. Enrolment goes through the colleague's own one-time link instead.
        return admin.ModelAdmin.get_urls(self)

    def get_fieldsets(self, request, obj=None):
        secret = {"key", "qrcode_link"}
        names = {
            "Identity": _("Thiết bị"),
            "Timestamps": _("Thời điểm"),
            "Configuration": _("Cấu hình"),
            "State": _("Trạng thái"),
            "Throttling": _("Chống dò mã"),
        }
        fieldsets = []
        for title, options in super().get_fieldsets(request, obj):
            fields = [name for name in options["fields"] if name not in secret]
            if fields:
                fieldsets.append((names.get(title, title), {**options, "fields": fields}))
        return fieldsets

    @admin.display(description=_("Cán bộ"), ordering="user__username")
    def device_user(self, obj):
        return obj.user

    @admin.display(description=_("Tên thiết bị"), ordering="name")
    def device_name(self, obj):
        return obj.name

    @admin.display(description=_("Thêm lúc"), ordering="created_at")
    def added(self, obj):
        return obj.created_at

    @admin.display(description=_("Dùng lần cuối"), ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at

    @admin.display(description=_("Đã xác nhận"), boolean=True, ordering="confirmed")
    def is_confirmed(self, obj):
        return obj.confirmed


def _replace(model, model_admin):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)


def register_totp():
    _replace(TOTPDevice, PortalTOTPDeviceAdmin)


def register_axes():
    from axes.admin import AccessAttemptAdmin
    from axes.conf import settings as axes_settings
    from axes.models import AccessAttempt

    class PortalAccessAttemptAdmin(AccessAttemptAdmin):
        @admin.display(description=_("Hết hạn lúc"))
        def expiration(self, obj):
            return obj.expiration.expires_at if hasattr(obj, "expiration") else _("Chưa đặt")

        @admin.display(description=_("Tình trạng"))
        def status(self, obj):
            left = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
            if left > 0:
                return ngettext("Còn %d lần thử", "Còn %d lần thử", left) % left
            return _("Đang bị khoá")

        @admin.action(description=_("Xoá các lần đăng nhập sai đã hết hạn"))
        def cleanup_expired_attempts(self, request, queryset):
            # axes reads the time of the login attempt from the request (its login handling sets it): an admin
            # request has none, and the library's own action fails with an AttributeError (a 500). None
            # means "now".
            if not hasattr(request, "axes_attempt_time"):
                request.axes_attempt_time = None
            count = self.handler.clean_expired_user_attempts(request=request)
            self.message_user(
                request,
                ngettext("Đã xoá %d lần đăng nhập sai hết hạn.", "Đã xoá %d lần đăng nhập sai hết hạn.", count)
                % count,
            )

    if axes_settings.AXES_ENABLE_ADMIN:
        _replace(AccessAttempt, PortalAccessAttemptAdmin)
