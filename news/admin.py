from datetime import datetime
from urllib.parse import urlsplit

from django.contrib import admin, messages
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.editing import EditingAdminMixin
from core.mediaforms import LibraryFileForm
from core.workflow import kinds as workflow
from core.workflow.admin import WorkflowAdminMixin

from .forms import ArticleAdminForm
from .models import Article, Attachment, Category, ImportedPage
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
    # "Xuất bản / Gỡ xuống / Gửi duyệt các bài viết đã chọn": WorkflowAdminMixin's bulk actions (core/workflow).
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

    def has_publish_permission(self, request):
        return can_publish(request.user)


class ImportRunFilter(admin.SimpleListFilter):
    """The runs of `manage.py import_site`, newest first, named by when they began (the command is long)."""

    title = _("lần chạy")
    parameter_name = "run"

    def lookups(self, request, model_admin):
        runs = ImportedPage.objects.exclude(run="").order_by().values_list("run", flat=True).distinct()
        return [(run, run.split(" · ")[0]) for run in sorted(runs, key=_run_started, reverse=True)]

    def queryset(self, request, queryset):
        return queryset.filter(run=self.value()) if self.value() else queryset


def _run_started(run):
    try:
        return datetime.strptime(run.split(" · ")[0], "%d/%m/%Y %H:%M")
    except ValueError:
        return datetime.min


@admin.register(ImportedPage)
class ImportedPageAdmin(admin.ModelAdmin):
    """What `manage.py import_site` brought in from the old portal, and what it could not read (and why):
    read-only, the failed pages first. Re-importing is done by running the import again on the server (a
    page that has not changed is skipped, a failed one is read again): the list's action shows the command."""

    list_display = ["old_link", "outcome_with_reason", "article_links", "image_count", "when"]
    list_filter = ["outcome", ImportRunFilter]
    search_fields = ["old_url", "article__title"]
    search_help_text = _("Tìm theo địa chỉ cũ hoặc tiêu đề bài viết.")
    list_select_related = ["article"]
    list_per_page = 50
    actions = ["show_rerun_command"]
    fields = [
        "old_link",
        "outcome_with_reason",
        "article_links",
        "image_count",
        "date_estimated",
        "run",
        "first_seen_at",
        "last_run_at",
    ]
    readonly_fields = fields

    def get_ordering(self, request):
        failed_first = Case(When(outcome=ImportedPage.Outcome.FAILED, then=Value(0)), default=Value(1))
        return [failed_first.asc(), "-last_run_at", "-id"]

    def get_list_display(self, request):
        if request.user.has_perm("news.view_article"):
            return self.list_display
        return [("article_public" if name == "article_links" else name) for name in self.list_display]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Địa chỉ cũ"), ordering="old_url")
    def old_link(self, obj):
        parts = urlsplit(obj.old_url)  # the old site's name is the same on every row: its path says which page
        shown = parts.path + (f"?{parts.query}" if parts.query else "")
        return format_html(
            '<a href="{}" title="{}" target="_blank" rel="noopener noreferrer" '
            'style="display:inline-block;min-width:11rem;overflow-wrap:anywhere">{}</a>',
            obj.old_url,
            obj.old_url,
            shown or obj.old_url,
        )

    @admin.display(description=_("Kết quả"), ordering="outcome")
    def outcome_with_reason(self, obj):
        if obj.outcome == ImportedPage.Outcome.FAILED:
            return format_html(
                '<span class="status-badge status-pending">{}</span>'
                '<div class="import-error" style="overflow-wrap:anywhere">{}</div>',
                obj.get_outcome_display(),
                obj.error,
            )
        return format_html('<span class="status-badge status-published">{}</span>', obj.get_outcome_display())

    @admin.display(description=_("Bài viết trên cổng mới"))
    def article_links(self, obj):
        if obj.article is None:
            return "—"
        admin_url = reverse("admin:news_article_change", args=[obj.article.pk])
        return format_html(
            '<div style="min-width:12rem"><a href="{}">{}</a><br>{}</div>',
            admin_url,
            obj.article.title,
            self.public_link(obj.article),
        )

    @admin.display(description=_("Bài viết trên cổng mới"))
    def article_public(self, obj):
        if obj.article is None:
            return "—"
        return format_html(
            '<div style="min-width:12rem">{}<br>{}</div>', obj.article.title, self.public_link(obj.article)
        )

    @staticmethod
    def public_link(article):
        if not article.is_public:
            return format_html('<span class="quiet">{}</span>', _("chưa xuất bản"))
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', article.get_absolute_url(), _("Xem trên cổng")
        )

    @admin.display(description=_("Lúc"), ordering="last_run_at")
    def when(self, obj):
        moment = timezone.localtime(obj.last_run_at)
        return format_html(
            '{}<br><span class="quiet">{}</span>', date_format(moment, "d/m/Y"), date_format(moment, "H:i")
        )

    @admin.action(description=_("Xem lệnh nhập lại các trang đã chọn"))
    def show_rerun_command(self, request, queryset):
        runs = sorted({run for run in queryset.values_list("run", flat=True) if run}, key=_run_started)
        if not runs:
            self.message_user(request, _("Các trang đã chọn không ghi lần chạy nào."), messages.WARNING)
            return
        self.message_user(
            request,
            _(
                "Trang quản trị chưa nhập lại được từng trang. Trên máy chủ, chạy lại lệnh nhập (trang không đổi "
                "được bỏ qua, trang chưa nhập được sẽ được đọc lại):"
            ),
        )
        for run in runs:
            self.message_user(request, format_html("<code>python {}</code>", run.split(" · ", 1)[-1]))
