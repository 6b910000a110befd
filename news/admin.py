from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.models import ACTIONS
from core.editing import EditingAdminMixin
from core.mediaforms import LibraryFileForm
from core.workflow import kinds as workflow
from core.workflow.admin import WorkflowAdminMixin

from .forms import ArticleAdminForm
from .models import Article, Attachment, Category
from .search import filter_by_text


def can_publish(user):
    return user.has_perm("news.publish_article")


class ArticleWorkflow(workflow.StatusWorkflow):
    """Articles in the shared workflow (core/workflow): the attachments' list travels with each version."""

    publish_permission = "news.publish_article"
    noun = _("bài viết")
    follow = ("attachments",)

    def label(self, obj):
        return obj.title


workflow.register(Article, ArticleWorkflow(Article))


def log_status_change(request, changes, action):
    """Audit trail (audit app): who published, unpublished or submitted which article, and from what state.

    `changes` are (article, previous status) pairs; one LogEntry per article, written in one INSERT per message."""
    by_message = {}
    for article, previous in changes:
        message = str(ACTIONS[action])
        if previous:
            message += " " + _("(trước đó: “%(status)s”)") % {"status": Article.Status(previous).label}
        by_message.setdefault(message, []).append(article)
    for message, group in by_message.items():
        LogEntry.objects.log_actions(
            user_id=request.user.pk, queryset=group, action_flag=CHANGE, change_message=message
        )


def status_action(old, new):
    """The named action an edit of the status amounts to, if any."""
    if new == Article.Status.PUBLISHED and old != Article.Status.PUBLISHED:
        return "publish"
    if old == Article.Status.PUBLISHED and new != Article.Status.PUBLISHED:
        return "unpublish"
    if old == Article.Status.DRAFT and new == Article.Status.PENDING:
        return "submit"
    return None


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "position", "in_menu", "slug"]
    list_editable = ["position", "in_menu"]
    list_filter = ["in_menu", "parent"]
    search_fields = ["name"]
    list_select_related = ["parent"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = LibraryFileForm  # upload into the media library or pick from it; kept when the form comes back
    extra = 1
    fields = ["title", "file", "position"]


@admin.register(Article)
class ArticleAdmin(EditingAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    # Readable at 1366 px beside the menu and the filters: the title takes the room; short dates (10/01/2023
    # 14:00 on two short lines); "featured" is a mark in the status column, who and when last changed it one column.
    list_display = ["title", "category", "status_badge", "publish_time", "updated"]
    list_filter = ["status", "featured", "category"]
    list_select_related = ["category", "category__parent", "updated_by"]
    search_fields = ["title", "summary"]
    date_hierarchy = "publish_at"
    inlines = [AttachmentInline]
    actions = ["publish", "unpublish", "submit_for_review"]
    readonly_fields = ["cover_preview", "created_by", "created_at", "updated_by", "updated_at"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "summary", "body"]}),
        (_("Ảnh đại diện"), {"fields": ["cover", "cover_caption", "cover_alt"]}),  # the cover field shows its preview
        (_("Xuất bản"), {"fields": ["status", "publish_at", "featured", "author", "source"]}),
        (_("Lịch sử"), {"fields": ["created_by", "created_at", "updated_by", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        allowed = can_publish(request.user)

        class RoleForm(form):
            media_user = request.user  # the uploader of a new cover (core.mediaforms)

            def __init__(self, *args, **kw):
                super().__init__(*args, can_publish=allowed, **kw)

        return RoleForm

    def get_search_results(self, request, queryset, search_term):
        # The public search's machinery (accent-insensitive full text, last word as a prefix), or an exact slug.
        return filter_by_text(queryset, search_term, extra=Q(slug=search_term.strip())), False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj and obj.status in (Article.Status.PUBLISHED, Article.Status.ARCHIVED):
            fields.append("slug")  # frozen: links already given out must keep working
        return fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.status == Article.Status.ARCHIVED:
            return can_publish(request.user)  # a live article's edits become a working copy (core/workflow)
        return allowed

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if allowed and obj is not None and obj.status == Article.Status.PUBLISHED:
            return can_publish(request.user)
        return allowed

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not can_publish(request.user):
            actions.pop("publish", None)
            actions.pop("unpublish", None)
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)  # a live article's edit is kept as its working copy

    def preview_response(self, request, obj, m2m):
        from .views import article_preview

        return article_preview(request, obj)

    @admin.display(description=_("Trạng thái"), ordering="status")
    def status_badge(self, obj):
        scheduled = obj.status == Article.Status.PUBLISHED and obj.publish_at > timezone.now()
        label = _("Hẹn giờ") if scheduled else obj.get_status_display()
        css = "scheduled" if scheduled else obj.status
        badge = format_html('<span class="status-badge status-{}">{}</span>', css, label)
        if obj.featured:
            badge = format_html('{} <span class="featured-mark">{}</span>', badge, _("★ Nổi bật"))
        return badge

    @admin.display(description=_("Xuất bản lúc"), ordering="publish_at")
    def publish_time(self, obj):
        if not obj.publish_at:
            return "—"
        moment = timezone.localtime(obj.publish_at)
        return format_html(
            '{}<br><span class="quiet">{}</span>', date_format(moment, "d/m/Y"), date_format(moment, "H:i")
        )

    @admin.display(description=_("Sửa lần cuối"), ordering="updated_at")
    def updated(self, obj):
        who = obj.updated_by.get_full_name() or obj.updated_by.get_username() if obj.updated_by else "—"
        when = date_format(timezone.localtime(obj.updated_at), "d/m/Y") if obj.updated_at else ""
        return format_html('{}<br><span class="quiet">{}</span>', who, when)

    @admin.display(description=_("Xem trước ảnh"))
    def cover_preview(self, obj):
        if not obj or not obj.cover:
            return _("Chưa có ảnh")
        return format_html('<img src="{}" alt="" style="max-width:320px;height:auto">', obj.cover_400.url)

    @admin.action(description=_("Xuất bản các bài đã chọn"), permissions=["publish"])
    def publish(self, request, queryset):
        changed = []
        for article in queryset.exclude(status=Article.Status.PUBLISHED):
            changed.append((article, article.status))
            article.status = Article.Status.PUBLISHED
            article.updated_by = request.user
            article.save()
        log_status_change(request, changed, "publish")
        count = len(changed)
        self.message_user(
            request, ngettext("Đã xuất bản %d bài.", "Đã xuất bản %d bài.", count) % count, messages.SUCCESS
        )

    @admin.action(description=_("Gỡ xuống (chuyển về bản nháp)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        changed = []
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            changed.append((article, article.status))
            article.status = Article.Status.DRAFT
            article.updated_by = request.user
            article.save()
        log_status_change(request, changed, "unpublish")
        count = len(changed)
        self.message_user(request, ngettext("Đã gỡ %d bài.", "Đã gỡ %d bài.", count) % count, messages.SUCCESS)

    @admin.action(description=_("Gửi duyệt các bản nháp đã chọn"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        changed = []
        for article in queryset.filter(status=Article.Status.DRAFT):
            changed.append((article, article.status))
            article.status = Article.Status.PENDING
            article.updated_by = request.user
            article.save()
        log_status_change(request, changed, "submit")
        count = len(changed)
        self.message_user(
            request, ngettext("Đã gửi duyệt %d bài.", "Đã gửi duyệt %d bài.", count) % count, messages.SUCCESS
        )

    def has_publish_permission(self, request):
        return can_publish(request.user)
