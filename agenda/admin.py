from datetime import timedelta

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import EntryAdminForm
from .models import Entry
from .signals import content_changed


def can_publish(user):
    return user.has_perm("agenda.publish_entry")


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """A week is entered quickly: the list by date (date hierarchy), "Lưu và thêm mới" keeps the day, and a
    whole week is copied to the next one as drafts ("Nhân bản sang tuần sau")."""

    form = EntryAdminForm
    list_display = ["day", "starts_at", "ends_at", "content_short", "leaders", "place", "status"]
    list_display_links = ["day", "starts_at", "content_short"]
    list_filter = ["status"]
    search_fields = ["content", "leaders", "place", "host_unit", "attendees"]
    date_hierarchy = "day"
    ordering = ["-day", "starts_at"]
    actions = ["copy_to_next_week", "publish", "unpublish", "submit_for_review"]
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["day", ("starts_at", "ends_at"), "content", "leaders", "host_unit", "attendees", "place"]}),
        (_("Công bố"), {"fields": ["status", "publish_at"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        allowed = can_publish(request.user)

        class RoleForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, can_publish=allowed, **kw)

        return RoleForm

    def response_add(self, request, obj, post_url_continue=None):
        # "Lưu và thêm mới" after an entry of Tuesday: the next form starts on Tuesday too (?day=…).
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" in request.POST:
            response["Location"] = f"{response['Location']}?day={obj.day:%d/%m/%Y}"
        return response

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.status == Entry.Status.PUBLISHED:
            return can_publish(request.user)  # what is public changes through review
        return allowed

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if allowed and obj is not None and obj.status == Entry.Status.PUBLISHED:
            return can_publish(request.user)
        return allowed

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Nội dung"), ordering="content")
    def content_short(self, obj):
        return obj.content if len(obj.content) <= 90 else f"{obj.content[:88]}…"

    @admin.action(description=_("Nhân bản sang tuần sau (bản nháp)"), permissions=["add"])
    def copy_to_next_week(self, request, queryset):
        copies = [
            Entry(
                day=entry.day + timedelta(days=7),
                starts_at=entry.starts_at,
                ends_at=entry.ends_at,
                content=entry.content,
                leaders=entry.leaders,
                attendees=entry.attendees,
                host_unit=entry.host_unit,
                place=entry.place,
                status=Entry.Status.DRAFT,
                created_by=request.user,
                updated_by=request.user,
            )
            for entry in queryset
        ]
        Entry.objects.bulk_create(copies)
        content_changed()
        self.message_user(
            request,
            ngettext(
                "Đã nhân bản %(count)d mục sang tuần sau (ở dạng bản nháp).",
                "Đã nhân bản %(count)d mục sang tuần sau (ở dạng bản nháp).",
                len(copies),
            )
            % {"count": len(copies)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Công bố các mục đã chọn"), permissions=["publish"])
    def publish(self, request, queryset):
        count = queryset.exclude(status=Entry.Status.PUBLISHED).update(
            status=Entry.Status.PUBLISHED, updated_by=request.user
        )
        content_changed()
        self.message_user(request, _("Đã công bố %(count)d mục.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Gỡ xuống (chuyển về bản nháp)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        count = queryset.filter(status=Entry.Status.PUBLISHED).update(
            status=Entry.Status.DRAFT, updated_by=request.user
        )
        content_changed()
        self.message_user(request, _("Đã gỡ %(count)d mục.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Gửi duyệt các mục đã chọn"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        count = queryset.filter(status=Entry.Status.DRAFT).update(status=Entry.Status.PENDING, updated_by=request.user)
        self.message_user(request, _("Đã gửi duyệt %(count)d mục.") % {"count": count}, messages.SUCCESS)
