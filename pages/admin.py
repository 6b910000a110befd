from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.editing import EditingAdminMixin
from core.workflow import kinds as workflow
from core.workflow.admin import WorkflowAdminMixin

from .forms import LeaderAdminForm, PageAdminForm
from .models import ContactInfo, Leader, Page


class PageWorkflow(workflow.Workflow):
    """The department's pages are always live: every edit is a working copy until "Duyệt & xuất bản"."""

    publish_permission = "pages.change_page"
    noun = _("trang")


workflow.register(Page, PageWorkflow(Page))


@admin.register(Page)
class PageAdmin(EditingAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    """The two fixed pages (made by a migration): edited, never added or deleted."""

    form = PageAdminForm
    list_display = ["__str__", "kind", "has_english", "updated_at", "updated_by"]
    list_select_related = ["updated_by"]
    readonly_fields = ["kind", "updated_at", "updated_by"]
    fieldsets = [
        (_("Tiếng Việt"), {"fields": ["kind", "title", "summary", "body"]}),
        (_("Tiếng Anh"), {"fields": ["title_en", "summary_en", "body_en"]}),
        (_("Lịch sử"), {"fields": ["updated_at", "updated_by"], "classes": ["collapse"]}),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Có bản tiếng Anh"), boolean=True)
    def has_english(self, obj):
        return bool(obj.title_en and obj.body_en)

    def view_on_site(self, obj):
        return obj.get_absolute_url()

    def preview_response(self, request, obj, m2m):
        """The page as readers will see it, in Vietnamese (core/workflow: "Xem trước")."""
        from core.sanitize import sanitize_html

        from .views import AboutView, ContactView

        view = (AboutView if obj.kind == Page.Kind.ABOUT else ContactView)()
        view.setup(request)
        context = view.get_context_data()
        obj.body = sanitize_html(obj.body)
        context.update(page=obj, page_title=obj.title, page_summary=obj.summary, page_body=obj.body)
        return view.render_to_response(context)


@admin.register(Leader)
class LeaderAdmin(admin.ModelAdmin):
    form = LeaderAdminForm
    list_display = ["name", "title", "position", "is_shown", "portrait"]
    list_editable = ["position", "is_shown"]
    search_fields = ["name", "title"]

    @admin.display(description=_("Ảnh"))
    def portrait(self, obj):
        if not obj.photo:
            return _("Chưa có ảnh")
        return format_html('<img src="{}" alt="{}" width="48" height="60">', obj.photo_240.url, obj.photo_alt())


@admin.register(ContactInfo)
class ContactInfoAdmin(admin.ModelAdmin):
    """One row: the list goes straight to its form."""

    fieldsets = [
        (None, {"fields": ["name", "address", "phone", "fax", "email", "hours"]}),
        (
            _("Người phát ngôn, cung cấp thông tin"),
            {"fields": ["focal_name", "focal_title", "focal_phone", "focal_email"]},
        ),
        (_("Tiếng Anh"), {"fields": ["name_en", "address_en", "hours_en", "focal_title_en"]}),
        (
            _("Cài đặt chung của cổng (đầu trang, chân trang)"),
            {"fields": ["emblem", "licence", "copyright", "source_notice", "facebook_url", "youtube_url", "zalo_url"]},
        ),
    ]

    def has_add_permission(self, request):
        return not ContactInfo.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if ContactInfo.objects.exists():
            return redirect(reverse("admin:pages_contactinfo_change", args=[1]))
        return super().changelist_view(request, extra_context)
