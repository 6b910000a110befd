"""The work calendar in the admin, in the review workflow of articles (core/workflow): "Lưu nháp", "Gửi duyệt",
and for holders of agenda.publish_entry "Duyệt & xuất bản", "Lên lịch", "Trả lại", "Gỡ xuống"; an edit of a
live entry waits as its working copy; "Lịch sử" lists, compares and restores versions. The list's bulk
actions are the workflow's own (WorkflowAdminMixin).

A week is entered quickly: the list by date (date hierarchy), "Lưu và thêm mới" keeps the day, and a whole
week is copied to the next one as drafts ("Nhân bản sang tuần sau"). Entries are short, so no autosave or
edit lock (core/editing.py): the workflow's state token already refuses a save over someone else's change."""

from datetime import timedelta

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.workflow import kinds as workflow
from core.workflow.admin import WorkflowAdminMixin

from .forms import EntryAdminForm
from .models import Entry
from .signals import content_changed

PUBLISH = "agenda.publish_entry"


class EntryWorkflow(workflow.StatusWorkflow):
    publish_permission = PUBLISH
    noun = _("mục lịch công tác")

    def label(self, obj):
        return str(obj)


workflow.register(Entry, EntryWorkflow(Entry))


@admin.register(Entry)
class EntryAdmin(WorkflowAdminMixin, admin.ModelAdmin):
    form = EntryAdminForm
    workflow_add_another = True
    list_display = ["day", "starts_at", "ends_at", "content_short", "leaders", "place", "status"]
    list_display_links = ["day", "starts_at", "content_short"]
    list_filter = ["status"]
    search_fields = ["content", "leaders", "place", "host_unit", "attendees"]
    date_hierarchy = "day"
    ordering = ["-day", "starts_at"]
    actions = ["copy_to_next_week"]  # and the workflow's "Xuất bản / Gỡ xuống / Gửi duyệt các … đã chọn"
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["day", ("starts_at", "ends_at"), "content", "leaders", "host_unit", "attendees", "place"]}),
        (_("Công bố"), {"fields": ["status", "publish_at"]}),
    ]

    def response_add(self, request, obj, post_url_continue=None):
        # "Lưu và thêm mới" after an entry of Tuesday: the next form starts on Tuesday too (?day=…).
        response = super().response_add(request, obj, post_url_continue)
        if "_addanother" in request.POST and response.get("Location", "").endswith("/add/"):
            response["Location"] = f"{response['Location']}?day={obj.day:%d/%m/%Y}"
        return response

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if allowed and obj is not None and obj.status == Entry.Status.PUBLISHED:
            return self.can_publish(request)
        return allowed

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)  # a live entry's edit is kept as its working copy

    def preview_response(self, request, obj, m2m):
        from .views import week_preview

        return week_preview(request, obj)

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
