from urllib.parse import urlencode

from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.editing import EditingAdminMixin
from core.workflow import kinds as workflow
from core.workflow.admin import WorkflowAdminMixin

from .forms import ConsultationAdminForm
from .models import Comment, Consultation, ConsultationFile

PUBLISH = "consultation.publish_consultation"


class ConsultationWorkflow(workflow.StatusWorkflow):
    """Drafts for public comment in the review workflow of articles (core/workflow); the files' list travels
    with each version."""

    publish_permission = PUBLISH
    noun = _("dự thảo")
    follow = ("files",)

    def label(self, obj):
        return obj.title


workflow.register(Consultation, ConsultationWorkflow(Consultation))


class ConsultationFileInline(admin.TabularInline):
    model = ConsultationFile
    extra = 1
    fields = ["title", "file", "position"]


@admin.register(Consultation)
class ConsultationAdmin(EditingAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    """ "Lưu nháp", "Gửi duyệt", and for holders of consultation.publish_consultation "Duyệt & xuất bản", "Lên
    lịch", "Trả lại", "Gỡ xuống"; an edit of a live draft waits as its working copy; "Lịch sử" lists, compares
    and restores versions with their files. The summary and report are long: autosave and edit locks
    (core/editing.py)."""

    form = ConsultationAdminForm
    list_display = ["title", "opens_at", "closes_at", "phase_label", "status", "comment_count", "report_published"]
    list_filter = ["status", "report_published"]
    search_fields = ["title", "summary", "drafting_unit"]
    date_hierarchy = "opens_at"
    inlines = [ConsultationFileInline]
    readonly_fields = ["report_published_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "drafting_unit", "summary"]}),
        (_("Thời gian lấy ý kiến"), {"fields": [("opens_at", "closes_at")]}),
        (_("Công bố"), {"fields": ["status", "publish_at"]}),
        (
            _("Sau khi hết hạn: báo cáo tổng hợp, tiếp thu, giải trình"),
            {"fields": ["report", "report_published", "report_published_at"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("search_vector").annotate(comments_received=Count("comments"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        allowed = self.can_publish(request)

        class RoleForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, can_publish=allowed, **kw)

        return RoleForm

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj and obj.status == Consultation.Status.PUBLISHED:
            fields.append("slug")  # frozen: links already given out must keep working
        return fields

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if allowed and obj is not None and obj.status == Consultation.Status.PUBLISHED:
            return self.can_publish(request)
        return allowed

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)  # a live draft's edit is kept as its working copy

    def preview_response(self, request, obj, m2m):
        from .views import consultation_preview

        return consultation_preview(request, obj)

    @admin.display(description=_("Tình trạng"))
    def phase_label(self, obj):
        return obj.phase().label

    @admin.display(description=_("Ý kiến"), ordering="comments_received")
    def comment_count(self, obj):
        url = reverse("admin:consultation_comment_changelist") + "?" + urlencode({"consultation__id__exact": obj.pk})
        return format_html('<a href="{}">{}</a>', url, obj.comments_received)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Moderation: comments are private; staff publish the ones worth showing and note how each was taken in."""

    list_display = ["created_at", "name", "organisation", "consultation", "content_short", "is_public", "has_response"]
    list_filter = ["is_public", "consultation"]
    list_select_related = ["consultation"]
    search_fields = ["name", "organisation", "content"]
    date_hierarchy = "created_at"
    actions = ["make_public", "make_private"]
    fields = [
        "consultation",
        "name",
        "organisation",
        "email",
        "phone",
        "created_at",
        "content",
        "is_public",
        "response",
    ]
    readonly_fields = ["consultation", "name", "organisation", "email", "phone", "created_at", "content"]

    def has_add_permission(self, request):
        return False  # comments come from citizens, through the public form

    @admin.display(description=_("Ý kiến"))
    def content_short(self, obj):
        return obj.content if len(obj.content) <= 120 else f"{obj.content[:118]}…"

    @admin.display(description=_("Đã tiếp thu, giải trình"), boolean=True)
    def has_response(self, obj):
        return bool(obj.response.strip())

    @admin.action(description=_("Công khai các ý kiến đã chọn"), permissions=["change"])
    def make_public(self, request, queryset):
        count = queryset.filter(is_public=False).update(is_public=True)
        self.message_user(request, _("Đã công khai %(count)d ý kiến.") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Thôi công khai các ý kiến đã chọn"), permissions=["change"])
    def make_private(self, request, queryset):
        count = queryset.filter(is_public=True).update(is_public=False)
        self.message_user(request, _("Đã thôi công khai %(count)d ý kiến.") % {"count": count}, messages.SUCCESS)
