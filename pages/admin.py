from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .forms import LeaderAdminForm, PageAdminForm
from .models import ContactInfo, Leader, Page


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
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
    ]

    def has_add_permission(self, request):
        return not ContactInfo.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if ContactInfo.objects.exists():
            return redirect(reverse("admin:pages_contactinfo_change", args=[1]))
        return super().changelist_view(request, extra_context)
