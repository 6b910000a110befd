"""The outbox in the admin ("Thư đi"): what waits, what was sent, what failed and why; "Gửi lại" queues
messages again. Read-only otherwise: a message is what the code built, nobody edits it."""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import (
    admin_media,  # noqa: F401  "Thư viện tệp" (core/admin_media.py)
    admin_redirects,  # noqa: F401  "Chuyển hướng" (core/admin_redirects.py)
)
from .mail import OutgoingMail


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject_short", "recipients", "status", "attempts", "next_attempt", "error_short"]
    list_filter = ["status"]
    search_fields = ["subject"]
    search_help_text = _("Tìm theo tiêu đề hoặc địa chỉ người nhận.")
    date_hierarchy = "created_at"
    actions = ["retry"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "status",
                    "attempts",
                    "last_error",
                    "created_at",
                    "last_attempt_at",
                    "next_attempt_at",
                    "sent_at",
                ]
            },
        ),
        (_("Thư"), {"fields": ["from_email", "recipients", "subject", "body"]}),
    ]
    readonly_fields = [
        "status",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
        "from_email",
        "recipients",
        "subject",
        "body",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("core.retry_outgoingmail")

    def get_search_results(self, request, queryset, search_term):
        """The subject, or any To address (an array column: searched as one text)."""
        if not search_term:
            return queryset, False
        term = search_term.strip()
        found = queryset.with_recipients().filter(Q(recipients__icontains=term) | Q(subject__icontains=term))
        return found, False

    @admin.action(description=_("Gửi lại các thư đã chọn"), permissions=["retry"])
    def retry(self, request, queryset):
        count = queryset.retry()
        self.message_user(
            request,
            ngettext(
                "Đã xếp %(count)d thư vào hàng gửi lại ngay.",
                "Đã xếp %(count)d thư vào hàng gửi lại ngay.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    @admin.display(description=_("Tiêu đề"), ordering="subject")
    def subject_short(self, obj):
        return obj.subject if len(obj.subject) <= 80 else obj.subject[:79] + "…"

    @admin.display(description=_("Người nhận"))
    def recipients(self, obj):
        return ", ".join([*obj.to, *obj.cc])

    @admin.display(description=_("Thử lần tới"), ordering="next_attempt_at")
    def next_attempt(self, obj):
        return obj.next_attempt_at if obj.status == OutgoingMail.Status.QUEUED else None

    @admin.display(description=_("Lỗi lần cuối"))
    def error_short(self, obj):
        return obj.last_error if len(obj.last_error) <= 120 else obj.last_error[:119] + "…"
