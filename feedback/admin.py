from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.defaultfilters import filesizeformat, linebreaksbr
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit.models import ACTIONS
from core.text import clean_text

from . import privacy, services
from .export import csv_response
from .models import Attachment, Feedback


class FeedbackAdminForm(forms.ModelForm):
    # Asked for only when the public version still looks like it holds personal data (feedback/privacy.py).
    public_checked = forms.BooleanField(
        label=_("Tôi đã kiểm tra: phần công khai không còn thông tin cá nhân"),
        required=False,
        help_text=_(
            "Chỉ cần đánh dấu khi hệ thống cảnh báo mà bạn chắc chắn nội dung đó không phải thông tin cá nhân."
        ),
    )

    class Meta:
        model = Feedback
        fields = [
            "status",
            "answer",
            "answered_unit",
            "is_public",
            "public_title",
            "public_question",
            "public_answer",
            "staff_note",
        ]
        widgets = {
            "answer": forms.Textarea(attrs={"rows": 10, "cols": 90}),
            "public_title": forms.TextInput(attrs={"size": 90}),
            "public_question": forms.Textarea(attrs={"rows": 5, "cols": 90}),
            "public_answer": forms.Textarea(attrs={"rows": 10, "cols": 90}),
            "staff_note": forms.Textarea(attrs={"rows": 3, "cols": 90}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        # The public answer starts as a copy of the answer sent to the citizen, to be edited; publishing with
        # it left empty takes that copy (and shows it, to edit, if the form comes back).
        if instance.pk and not instance.public_answer and instance.answer:
            self.initial["public_answer"] = instance.answer
        data = self.data
        if (
            self.is_bound
            and data.get("is_public")
            and not data.get("public_answer", "").strip()
            and data.get("answer")
        ):
            self.data = data.copy()
            self.data["public_answer"] = data["answer"]

    def clean_answer(self):
        return clean_text(self.cleaned_data.get("answer"))

    def clean_public_title(self):
        return clean_text(self.cleaned_data.get("public_title"), multiline=False)

    def clean_public_question(self):
        return clean_text(self.cleaned_data.get("public_question"))

    def clean_public_answer(self):
        return clean_text(self.cleaned_data.get("public_answer"))

    def _check_public_version(self, cleaned):
        """Publishing: a public answer is needed, and personal data in what goes public is pointed out
        (the citizen's name, e-mail or phone, or anything that looks like one) until staff confirm."""
        public_answer = cleaned.get("public_answer", "")
        if not public_answer:
            cleaned["public_answer"] = public_answer = cleaned.get("answer", "")
        if not public_answer:
            self.add_error("public_answer", _("Cần có câu trả lời khi công khai."))
            return
        found = public_findings(self.instance, cleaned)
        if found and not cleaned.get("public_checked"):
            self.add_error(
                "is_public",
                _(
                    "Phần công khai có thể còn thông tin cá nhân: %(found)s. Hãy sửa tiêu đề, câu hỏi hoặc "
                    "câu trả lời khi công khai, hoặc đánh dấu “Tôi đã kiểm tra…” nếu chắc chắn không sao."
                )
                % {"found": "; ".join(str(item) for item in found)},
            )

    def clean(self):
        cleaned = super().clean()
        status, answer = cleaned.get("status"), cleaned.get("answer", "")
        if status is None:
            return cleaned
        status = cleaned["status"] = services.status_after_answer(
            status, answer, answer_changed="answer" in self.changed_data
        )
        if status == Feedback.Status.ANSWERED and not answer:
            self.add_error("answer", _("Cần nhập nội dung trả lời trước khi chuyển sang “Đã trả lời”."))
        if cleaned.get("is_public") and status != Feedback.Status.ANSWERED:
            self.add_error("is_public", _("Chỉ câu hỏi đã trả lời mới được công khai trên trang Hỏi đáp."))
        elif cleaned.get("is_public"):
            self._check_public_version(cleaned)
        elif cleaned.get("public_answer") == cleaned.get("answer"):
            cleaned["public_answer"] = ""  # an unpublished item keeps no second copy of the answer
        return cleaned


def public_findings(feedback, values=None):
    """Personal data in what /hoi-dap/ would show of `feedback` (with the form's `values` if given)."""
    values = values or {}

    def value(name):
        return values[name] if name in values else getattr(feedback, name)

    texts = {
        _("tiêu đề"): value("public_title") or feedback.title,
        _("câu hỏi"): value("public_question") or feedback.content,
        _("câu trả lời"): value("public_answer") or value("answer"),
    }
    return privacy.personal_data(texts, name=feedback.name, email=feedback.email, phone=feedback.phone)


def log_actions(request, items, message):
    """Audit trail (audit app): one LogEntry per feedback item, with a plain Vietnamese message."""
    if items:
        LogEntry.objects.log_actions(
            user_id=request.user.pk, queryset=items, action_flag=CHANGE, change_message=str(message)
        )


def log_status_changes(request, items, new_status):
    by_old = {}
    for item in items:
        by_old.setdefault(item.status, []).append(item)
    for old, group in by_old.items():
        message = _("%(action)s: “%(old)s” → “%(new)s”") % {
            "action": ACTIONS["feedback_status"],
            "old": Feedback.Status(old).label,
            "new": Feedback.Status(new_status).label,
        }
        log_actions(request, group, message)


def age_label(moment, now=None):
    """ "8 ngày", "5 giờ", "12 phút": staff count in days (Django's "vi" timesince is untranslated)."""
    if moment is None:
        return "—"
    delta = (now or timezone.now()) - moment
    if delta.days >= 1:
        return ngettext("%(n)d ngày", "%(n)d ngày", delta.days) % {"n": delta.days}
    hours, minutes = delta.seconds // 3600, max(1, delta.seconds // 60)
    if hours:
        return ngettext("%(n)d giờ", "%(n)d giờ", hours) % {"n": hours}
    return ngettext("%(n)d phút", "%(n)d phút", minutes) % {"n": minutes}


class OverdueFilter(admin.SimpleListFilter):
    title = _("quá hạn trả lời")
    parameter_name = "qua_han"

    def lookups(self, request, model_admin):
        return [("1", _("Quá hạn")), ("0", _("Chưa quá hạn"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.overdue()
        if self.value() == "0":
            return queryset.not_overdue()
        return queryset


class ArticleFilter(admin.SimpleListFilter):
    title = _("nguồn gửi")
    parameter_name = "nguon"

    def lookups(self, request, model_admin):
        return [("bai-viet", _("Từ một bài viết")), ("chung", _("Góp ý chung"))]

    def queryset(self, request, queryset):
        if self.value() == "bai-viet":
            return queryset.filter(article__isnull=False)
        if self.value() == "chung":
            return queryset.filter(article__isnull=True)
        return queryset


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    """Staff of the group "Tiếp nhận góp ý" (and superusers) review, answer and publish feedback."""

    form = FeedbackAdminForm
    change_list_template = "feedback/admin/change_list.html"
    list_display = [
        "code",
        "title_short",
        "status_badge",
        "article_short",
        "created",
        "waited",
        "is_public",
    ]  # (the overdue mark sits under the waiting time: one column less, so the list fits at 1366 px)
    list_display_links = ["code", "title_short"]
    list_filter = ["status", OverdueFilter, "is_public", ArticleFilter, "created_at"]
    list_select_related = ["article"]
    search_fields = ["code", "title", "content", "name", "email", "phone", "answer"]
    date_hierarchy = "created_at"
    list_per_page = 50
    show_full_result_count = False
    actions = ["mark_in_progress", "mark_spam", "mark_rejected", "publish", "unpublish", "export_csv"]
    readonly_fields = [
        "code",
        "created_at",
        "article_link",
        "name",
        "email",
        "phone",
        "title",
        "content_text",
        "attachment_links",
        "age",
        "answered_by_name",
        "answered_at",
    ]
    fieldsets = [
        (
            _("Góp ý của người dân"),
            {
                "fields": [
                    "code",
                    "created_at",
                    "age",
                    "article_link",
                    "name",
                    "email",
                    "phone",
                    "title",
                    "content_text",
                    "attachment_links",
                ]
            },
        ),
        (
            _("Xử lý và trả lời"),
            {"fields": ["status", "answer", "answered_unit", "answered_by_name", "answered_at", "staff_note"]},
        ),
        (
            _("Trang Hỏi đáp"),
            {
                "fields": ["is_public", "public_title", "public_question", "public_answer", "public_checked"],
                "description": _(
                    "Trang Hỏi đáp chỉ đăng bản công khai. Bỏ họ tên, lời chào tên người hỏi, số điện thoại, "
                    "e-mail, địa chỉ trước khi công khai; hệ thống sẽ cảnh báo nếu còn."
                ),
            },
        ),
    ]

    def has_add_permission(self, request):
        return False  # feedback comes from citizens, through the public form

    def get_urls(self):
        export = path(
            "xuat-csv/",
            self.admin_site.admin_view(self.export_view),
            name="feedback_feedback_export",
        )
        attachment = path(
            "<int:pk>/tep/<int:attachment_id>/",
            self.admin_site.admin_view(self.attachment_view),
            name="feedback_feedback_attachment",
        )
        return [export, attachment, *super().get_urls()]

    def attachment_view(self, request, pk, attachment_id):
        """A citizen's attached file, for staff only: downloaded, never shown inline on the admin's origin."""
        from django.http import FileResponse, Http404

        if not self.has_view_permission(request):
            raise PermissionDenied
        attachment = Attachment.objects.filter(feedback_id=pk, pk=attachment_id).first()
        if attachment is None:
            raise Http404
        try:
            handle = attachment.file.open("rb")
        except OSError as error:
            raise Http404 from error
        response = FileResponse(
            handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
        )
        response["Cache-Control"] = "private, no-store"
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        return response

    def export_view(self, request):
        """The changelist's "Xuất CSV" button: the list as filtered and searched on screen."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        return csv_response(changelist.get_queryset(request))

    def save_model(self, request, obj, form, change):
        answer_changed = "answer" in form.changed_data
        with transaction.atomic():
            services.record_answer(obj, request.user, answer_changed=answer_changed)
            super().save_model(request, obj, form, change)
            if answer_changed and obj.answer:
                self.log_change(request, obj, str(ACTIONS["reanswer" if form.initial.get("answer") else "answer"]))

    # Columns --------------------------------------------------------------------------------------

    @admin.display(description=_("Tiêu đề"), ordering="title")
    def title_short(self, obj):
        return obj.title if len(obj.title) <= 80 else obj.title[:79] + "…"

    @admin.display(description=_("Trạng thái"), ordering="status")
    def status_badge(self, obj):
        return format_html('<span class="fb-badge fb-badge-{}">{}</span>', obj.status, obj.get_status_display())

    @admin.display(description=_("Bài viết"), ordering="article__title")
    def article_link(self, obj):
        if not obj.article_id:
            return "—"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', obj.article.get_absolute_url(), obj.article
        )

    @admin.display(description=_("Bài viết"), ordering="article__title")
    def article_short(self, obj):
        if not obj.article_id:
            return "—"
        title = obj.article.title
        return format_html('<span title="{}">{}</span>', title, title if len(title) <= 40 else title[:39] + "…")

    @admin.display(description=_("Gửi lúc"), ordering="created_at")
    def created(self, obj):
        return date_format(timezone.localtime(obj.created_at), "d/m/Y H:i")

    @admin.display(description=_("Đã gửi được"), ordering="created_at")
    def age(self, obj):
        return age_label(obj.created_at)

    @admin.display(description=_("Đã chờ"), ordering="created_at")
    def waited(self, obj):
        # A red mark only where action is needed (a boolean column would put a red ✖ on every other row).
        if not obj.is_overdue:
            return age_label(obj.created_at)
        return format_html(
            '{}<br><span class="fb-badge fb-badge-overdue">{}</span>', age_label(obj.created_at), _("Quá hạn")
        )

    @admin.display(description=_("Nội dung"))
    def content_text(self, obj):
        return format_html('<div class="fb-admin-text">{}</div>', linebreaksbr(obj.content, autoescape=True))

    @admin.display(description=_("Tệp đính kèm"))
    def attachment_links(self, obj):
        items = list(obj.attachments.all()) if obj.pk else []
        if not items:
            return "—"
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse("admin:feedback_feedback_attachment", args=[obj.pk, item.pk]),
                    item.original_name,
                    filesizeformat(item.size),
                )
                for item in items
            ),
        )

    @admin.display(description=_("Người trả lời"))
    def answered_by_name(self, obj):
        user = obj.answered_by
        if user is None:
            return "—"
        return user.get_full_name() or user.get_username()

    # Bulk actions ---------------------------------------------------------------------------------

    def _done(self, request, message):
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Chuyển sang “Đang xử lý”"), permissions=["change"])
    def mark_in_progress(self, request, queryset):
        items = list(
            queryset.filter(status=Feedback.Status.NEW).select_related(None).only("id", "code", "title", "status")
        )
        count = Feedback.objects.filter(pk__in=[i.pk for i in items]).update(status=Feedback.Status.IN_PROGRESS)
        log_status_changes(request, items, Feedback.Status.IN_PROGRESS)
        self._done(
            request,
            ngettext("Đã chuyển %d góp ý sang “Đang xử lý”.", "Đã chuyển %d góp ý sang “Đang xử lý”.", count) % count,
        )

    @admin.action(description=_("Đánh dấu là spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        items = list(
            queryset.exclude(status=Feedback.Status.SPAM).select_related(None).only("id", "code", "title", "status")
        )
        count = queryset.update(status=Feedback.Status.SPAM, is_public=False)
        log_status_changes(request, items, Feedback.Status.SPAM)
        self._done(request, ngettext("Đã đánh dấu %d góp ý là spam.", "Đã đánh dấu %d góp ý là spam.", count) % count)

    @admin.action(description=_("Từ chối các góp ý đã chọn"), permissions=["change"])
    def mark_rejected(self, request, queryset):
        items = list(
            queryset.exclude(status=Feedback.Status.REJECTED)
            .select_related(None)
            .only("id", "code", "title", "status")
        )
        count = queryset.update(status=Feedback.Status.REJECTED, is_public=False)
        log_status_changes(request, items, Feedback.Status.REJECTED)
        self._done(request, ngettext("Đã từ chối %d góp ý.", "Đã từ chối %d góp ý.", count) % count)

    @admin.action(description=_("Công khai trên trang Hỏi đáp (chỉ các câu đã trả lời)"), permissions=["change"])
    def publish(self, request, queryset):
        """Publishes answered items whose public version holds no personal data that staff have not
        seen: the others are named and left for staff to check one by one."""
        total = queryset.count()
        already = queryset.filter(is_public=True).count()
        answered = list(queryset.filter(status=Feedback.Status.ANSWERED, is_public=False).exclude(answer=""))
        clean, flagged = [], []
        for item in answered:
            (flagged if public_findings(item) else clean).append(item)
        with transaction.atomic():
            for item in clean:
                Feedback.objects.filter(pk=item.pk).update(
                    is_public=True, public_answer=item.public_answer or item.answer
                )
            log_actions(request, clean, ACTIONS["feedback_public"])
        count = len(clean)
        self._done(request, ngettext("Đã công khai %d câu hỏi.", "Đã công khai %d câu hỏi.", count) % count)
        if flagged:
            message = _(
                "Chưa công khai %(codes)s: phần công khai có thể còn thông tin cá nhân (họ tên, e-mail, số điện "
                "thoại). Mở từng mục, sửa bản công khai rồi công khai."
            ) % {"codes": ", ".join(item.code for item in flagged)}
            self.message_user(request, message, messages.WARNING)
        if skipped := total - len(answered) - already:
            message = ngettext(
                "Bỏ qua %d góp ý chưa được trả lời (chỉ câu đã trả lời mới được công khai).",
                "Bỏ qua %d góp ý chưa được trả lời (chỉ câu đã trả lời mới được công khai).",
                skipped,
            )
            self.message_user(request, message % skipped, messages.WARNING)

    @admin.action(description=_("Thôi công khai trên trang Hỏi đáp"), permissions=["change"])
    def unpublish(self, request, queryset):
        items = list(queryset.filter(is_public=True).select_related(None).only("id", "code", "title"))
        count = Feedback.objects.filter(pk__in=[i.pk for i in items]).update(is_public=False)
        log_actions(request, items, ACTIONS["feedback_private"])
        self._done(request, ngettext("Đã thôi công khai %d câu hỏi.", "Đã thôi công khai %d câu hỏi.", count) % count)

    @admin.action(description=_("Xuất các góp ý đã chọn ra tệp CSV (Excel)"), permissions=["view"])
    def export_csv(self, request, queryset):
        return csv_response(queryset)

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["css/feedback.css"]})

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "export_url": reverse("admin:feedback_feedback_export")}
        return super().changelist_view(request, extra_context=extra_context)
