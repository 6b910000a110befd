from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Rating


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    """Read-only: ratings come from readers. A superuser may delete an abusive comment's rating."""

    list_display = ["created_at", "level", "short_comment", "page", "language"]
    list_filter = ["level", "language"]
    date_hierarchy = "created_at"
    search_fields = ["comment"]
    readonly_fields = ["level", "comment", "page", "language", "created_at"]
    exclude = ["visitor_hash", "ip_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("Ý kiến"))
    def short_comment(self, obj):
        return obj.comment if len(obj.comment) <= 80 else obj.comment[:77] + "…"
