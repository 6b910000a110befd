from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import clean_text

GROUP_NAME = "Tiếp nhận góp ý"
SEARCH_CONFIG = "vn_unaccent"  # news/migrations/0003_search_config.py


class FeedbackQuerySet(models.QuerySet):
    def published(self):
        """The one rule for /hoi-dap/: answered, and published by staff."""
        return self.filter(status=Feedback.Status.ANSWERED, is_public=True).exclude(answer="")

    def newest_answers(self):
        return self.order_by("-answered_at", "-id")

    def search(self, query):
        """Accent-insensitive keyword search ("khoa hoc" finds "khoa học"); websearch syntax
        ("quoted phrase", -word, or)."""
        query = clean_text(query, multiline=False)
        if not query:
            return self
        return self.filter(search_vector=SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch"))

    def open(self):
        return self.filter(status__in=Feedback.OPEN_STATUSES)

    def overdue(self, now=None):
        return self.open().filter(created_at__lte=Feedback.overdue_threshold(now))

    def not_overdue(self, now=None):
        return self.exclude(pk__in=self.overdue(now).values("pk"))

    def from_client(self, ip_hash, since):
        return self.filter(ip_hash=ip_hash, created_at__gt=since)


class FeedbackManager(models.Manager.from_queryset(FeedbackQuerySet)):
    def get_queryset(self):
        # The search vector is for the database only; no page needs it in Python.
        return super().get_queryset().defer("search_vector")


class Feedback(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("Mới")
        IN_PROGRESS = "in_progress", _("Đang xử lý")
        ANSWERED = "answered", _("Đã trả lời")
        REJECTED = "rejected", _("Từ chối")
        SPAM = "spam", _("Spam")

    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS)

    code = models.CharField(_("mã tra cứu"), max_length=16, unique=True, editable=False)
    article = models.ForeignKey(
        "news.Article",
        verbose_name=_("bài viết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback",
    )
    name = models.CharField(_("họ tên"), max_length=100)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    title = models.CharField(_("tiêu đề"), max_length=200)
    content = models.TextField(_("nội dung"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.NEW)
    staff_note = models.TextField(
        _("ghi chú nội bộ"), blank=True, help_text=_("Chỉ cán bộ tiếp nhận thấy; không gửi cho người dân.")
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_unit = models.CharField(
        _("đơn vị trả lời"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Phòng Quản lý Khoa học. Để trống sẽ ghi tên Sở."),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người trả lời"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True, editable=False)
    is_public = models.BooleanField(
        _("công khai trên trang Hỏi đáp"),
        default=False,
        help_text=_("Chỉ câu hỏi đã trả lời mới được công khai."),
    )
    public_title = models.CharField(
        _("tiêu đề khi công khai"),
        max_length=200,
        blank=True,
        help_text=_("Để trống để công khai nguyên văn tiêu đề. Điền vào nếu tiêu đề có thông tin cá nhân."),
    )
    public_question = models.TextField(
        _("câu hỏi khi công khai"),
        blank=True,
        help_text=_(
            "Để trống để công khai nguyên văn câu hỏi. Điền vào nếu cần lược bỏ thông tin cá nhân "
            "(số điện thoại, địa chỉ…) trước khi công khai; nguyên văn vẫn được lưu."
        ),
    )
    public_answer = models.TextField(
        _("câu trả lời khi công khai"),
        blank=True,
        help_text=_(
            "Bản trả lời đăng trên trang Hỏi đáp (lấy sẵn từ câu trả lời gửi người hỏi): bỏ lời chào tên "
            "người hỏi, số điện thoại, địa chỉ… Câu trả lời gửi riêng cho người hỏi không đổi."
        ),
    )
    ip_hash = models.CharField(_("mã băm địa chỉ IP"), max_length=64, editable=False, db_index=False)
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    search_vector = models.GeneratedField(
        expression=SearchVector(
            Coalesce(NullIf("public_title", Value(""), output_field=models.CharField()), "title"),
            weight="A",
            config=SEARCH_CONFIG,
        )
        + SearchVector(
            Coalesce(NullIf("public_question", Value(""), output_field=models.TextField()), "content"),
            weight="B",
            config=SEARCH_CONFIG,
        )
        + SearchVector("public_answer", weight="C", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )

    objects = FeedbackManager()

    class Meta:
        verbose_name = _("góp ý")
        verbose_name_plural = _("góp ý, câu hỏi")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["ip_hash", "created_at"], name="feedback_client_idx"),
            models.Index(fields=["status", "-created_at"], name="feedback_status_idx"),
            models.Index(fields=["-created_at", "-id"], name="feedback_created_idx"),
            models.Index(
                fields=["-answered_at", "-id"],
                name="feedback_public_idx",
                condition=Q(status="answered", is_public=True),
            ),
            GinIndex(fields=["search_vector"], name="feedback_search_idx", condition=Q(is_public=True)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_public=False) | Q(status="answered"),
                name="feedback_public_only_answered",
                violation_error_message=_("Chỉ câu hỏi đã trả lời mới được công khai."),
            ),
            models.CheckConstraint(
                condition=Q(is_public=False) | ~Q(public_answer=""),
                name="feedback_public_has_public_answer",
                violation_error_message=_("Câu hỏi công khai cần có câu trả lời khi công khai."),
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | ~Q(answer=""),
                name="feedback_answered_has_answer",
                violation_error_message=_("Trạng thái “Đã trả lời” cần có nội dung trả lời."),
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.title}"

    def get_absolute_url(self):
        """The citizen's own view of this item (the code is the key)."""
        return f"{reverse('feedback:lookup')}?ma={self.code}"

    def get_public_url(self):
        return f"{reverse('feedback:qa')}#hoi-dap-{self.pk}"

    @staticmethod
    def overdue_threshold(now=None):
        return (now or timezone.now()) - timedelta(days=settings.FEEDBACK_OVERDUE_DAYS)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_overdue(self):
        return self.is_open and self.created_at <= self.overdue_threshold()

    @property
    def shown_title(self):
        return self.public_title or self.title

    @property
    def shown_question(self):
        return self.public_question or self.content

    @property
    def shown_unit(self):
        return self.answered_unit or settings.SITE_NAME

    @property
    def public_status_label(self):
        """What the citizen is told: spam is not announced as such."""
        if self.status == self.Status.SPAM:
            return self.Status.REJECTED.label
        return self.get_status_display()


def private_storage():
    """Citizens' attachments live outside MEDIA_ROOT, with no public URL: only staff open them,
    through the admin (feedback/admin.py), never the public site."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class AttachmentQuerySet(models.QuerySet):
    def pending(self):
        """Kept from a form sent back with an error, not yet part of a feedback item."""
        return self.filter(feedback__isnull=True)


class Attachment(models.Model):
    """A photo or scanned page a citizen attached to a question (JPEG/PNG re-encoded without metadata,
    or PDF checked by its content). Private: removed with the feedback's personal data."""

    feedback = models.ForeignKey(
        Feedback,
        verbose_name=_("góp ý"),
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
    )
    file = models.FileField(_("tệp"), upload_to="feedback/%Y/%m/", storage=private_storage, max_length=200)
    original_name = models.CharField(_("tên tệp gốc"), max_length=200)
    content_type = models.CharField(_("kiểu tệp"), max_length=50)
    size = models.PositiveIntegerField(_("dung lượng"))
    # An unguessable key that lets the form sent back with an error keep what was already uploaded.
    token = models.CharField(max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now, editable=False)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("tệp đính kèm của góp ý")
        verbose_name_plural = _("tệp đính kèm của góp ý")
        ordering = ["id"]

    def __str__(self):
        return self.original_name

    @property
    def is_image(self):
        return self.content_type.startswith("image/")
