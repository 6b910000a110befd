from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import ACTIONS, AuditEntry

FLAG_LABELS = {ADDITION: _("Thêm mới"), CHANGE: _("Sửa"), DELETION: _("Xoá")}


class ActionFilter(admin.SimpleListFilter):
    """Publishing, unpublishing, answering…: the named actions, found by their message."""

    title = _("việc đã làm")
    parameter_name = "viec"

    def lookups(self, request, model_admin):
        return [(key, label) for key, label in ACTIONS.items()]

    def queryset(self, request, queryset):
        label = ACTIONS.get(self.value())
        if label is None:
            return queryset
        return queryset.filter(change_message__startswith=str(label))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Nhật ký thao tác: who did what to which article or feedback, and when. Read only."""

    list_display = ["when", "user", "action", "object_link", "content_type", "message"]
    list_display_links = None
    list_filter = [
        ActionFilter,
        "action_flag",
        ("content_type", admin.RelatedOnlyFieldListFilter),
        ("user", admin.RelatedOnlyFieldListFilter),
        "action_time",
    ]
    list_select_related = ["user", "content_type"]
    search_fields = [
        "object_repr",
        "object_id",
        "change_message",
        "user__username",
        "user__first_name",
        "user__last_name",
    ]
    date_hierarchy = "action_time"
    list_per_page = 100
    show_full_result_count = False
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and (request.user.is_superuser or request.user.has_perm("audit.view_auditentry"))

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("Thời điểm"), ordering="action_time")
    def when(self, obj):
        return date_format(timezone.localtime(obj.action_time), "d/m/Y H:i:s")

    @admin.display(description=_("Thao tác"), ordering="action_flag")
    def action(self, obj):
        return FLAG_LABELS.get(obj.action_flag, "—")

    @admin.display(description=_("Đối tượng"), ordering="object_repr")
    def object_link(self, obj):
        url = obj.get_admin_url() if obj.action_flag != DELETION else None
        if not url:
            return obj.object_repr
        return format_html('<a href="{}">{}</a>', url, obj.object_repr)

    @admin.display(description=_("Nội dung"))
    def message(self, obj):
        return obj.get_change_message() or "—"
