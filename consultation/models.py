"""Public comment on drafts ("Lấy ý kiến dự thảo văn bản", Decree 42/2022/NĐ-CP; Law on Promulgation of
Legal Documents): a draft with its files and comment period, citizens' comments (private by default, staff
may publish selected ones), and after the deadline the published summary of how they were taken in.

Visibility of a consultation: `ConsultationQuerySet.published()` (core.publishing). Whether it is open is
decided by its period alone (`open_at()` / `closed_at()` and `phase()`), so it closes by itself.
Comments hold personal data (name, e-mail, phone, IP hash): `consultation_cleanup` removes them after
FEEDBACK_CONTACT_RETENTION_DAYS (docs/security.md, personal data).
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filenames import ATTACHMENT_EXTENSIONS, normalised_name
from core.files import validate_attachment
from core.models import Stamped, StoredFile
from core.publishing import PUBLISHED, PublishableQuerySet
from core.search import CONFIG
from core.slugs import unique_slug

CLOSES_BEFORE_OPENING = _("Thời hạn kết thúc phải sau thời điểm bắt đầu lấy ý kiến.")


class Phase(models.TextChoices):
    """Where a consultation stands; the values are the list filter's URL parameter (?trang-thai=…)."""

    UPCOMING = "sap-lay-y-kien", _("Sắp lấy ý kiến")
    OPEN = "dang-lay-y-kien", _("Đang lấy ý kiến")
    CLOSED = "da-ket-thuc", _("Đã kết thúc")


class ConsultationQuerySet(PublishableQuerySet):
    def in_phase(self, phase, now=None):
        now = now or timezone.now()
        if phase == Phase.UPCOMING:
            return self.filter(opens_at__gt=now)
        if phase == Phase.OPEN:
            return self.filter(opens_at__lte=now, closes_at__gt=now)
        if phase == Phase.CLOSED:
            return self.filter(closes_at__lte=now)
        return self

    def newest(self):
        return self.order_by("-opens_at", "-id")


class Consultation(Stamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PENDING = "pending", _("Chờ duyệt")
        PUBLISHED = PUBLISHED, _("Đã công bố")

    title = models.CharField(
        _("tên dự thảo"), max_length=400, help_text=_("Ví dụ: Dự thảo Quyết định ban hành Quy định quản lý …")
    )
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("Tự tạo từ tên; không đổi sau khi đã công bố."),
    )
    drafting_unit = models.CharField(_("cơ quan chủ trì soạn thảo"), max_length=300, blank=True)
    summary = models.TextField(_("tóm tắt nội dung dự thảo"), max_length=4000)
    opens_at = models.DateTimeField(_("bắt đầu lấy ý kiến"), default=timezone.now)
    closes_at = models.DateTimeField(_("hạn cuối gửi ý kiến"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(_("thời điểm công bố"), default=timezone.now)
    report = models.TextField(
        _("báo cáo tổng hợp, tiếp thu, giải trình"),
        blank=True,
        help_text=_("Tổng hợp các ý kiến nhận được và việc tiếp thu, giải trình; công bố sau khi hết hạn lấy ý kiến."),
    )
    report_published = models.BooleanField(_("công bố báo cáo"), default=False)
    report_published_at = models.DateTimeField(_("công bố báo cáo lúc"), null=True, blank=True, editable=False)
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("title", weight="A", config=CONFIG)
            + SearchVector("summary", weight="B", config=CONFIG)
            + SearchVector("drafting_unit", weight="C", config=CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("dự thảo lấy ý kiến")
        verbose_name_plural = _("dự thảo lấy ý kiến")
        ordering = ["-opens_at", "-id"]
        permissions = [("publish_consultation", _("Có thể công bố dự thảo và báo cáo tiếp thu"))]
        indexes = [GinIndex(fields=["search_vector"], name="consultation_search_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")),
                name="consultation_closes_after_opening",
                violation_error_message=CLOSES_BEFORE_OPENING,
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.pk:
            old = Consultation.objects.filter(pk=self.pk).values_list("slug", "status").first()
            if old and old[1] == PUBLISHED:
                self.slug = old[0]  # links already given out must keep working
        if not self.slug:
            self.slug = unique_slug(Consultation, self.title, instance=self, max_length=200)
        if self.report_published and self.report_published_at is None:
            self.report_published_at = timezone.now()
        elif not self.report_published:
            self.report_published_at = None
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        from django.core.exceptions import ValidationError

        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = CLOSES_BEFORE_OPENING
        if self.report_published and not self.report.strip():
            errors["report"] = _("Hãy viết báo cáo tổng hợp, tiếp thu, giải trình trước khi công bố.")
        elif self.report_published and self.closes_at and self.closes_at > timezone.now():
            errors["report_published"] = _("Chỉ công bố báo cáo sau khi hết hạn lấy ý kiến.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("consultation:detail", kwargs={"slug": self.slug})

    def phase(self, now=None):
        now = now or timezone.now()
        if self.opens_at > now:
            return Phase.UPCOMING
        if self.closes_at > now:
            return Phase.OPEN
        return Phase.CLOSED

    @property
    def is_open(self):
        return self.phase() == Phase.OPEN

    @property
    def days_left(self):
        """Whole days until the deadline (0 on its last day)."""
        return max(0, (timezone.localdate(self.closes_at) - timezone.localdate()).days)

    @property
    def shows_report(self):
        return self.report_published and bool(self.report.strip()) and self.phase() == Phase.CLOSED


def consultation_file_upload_to(instance, filename):
    # Under attachments/: portal.views.media serves those as downloads, never rendered in the browser.
    return f"attachments/lay-y-kien/{timezone.localdate():%Y/%m}/{normalised_name(filename, ATTACHMENT_EXTENSIONS)}"


class ConsultationFile(StoredFile):
    consultation = models.ForeignKey(
        Consultation, verbose_name=_("dự thảo"), on_delete=models.CASCADE, related_name="files"
    )
    title = models.CharField(
        _("tên tệp"), max_length=300, blank=True, help_text=_("Ví dụ: Dự thảo Quyết định, Tờ trình.")
    )
    file = models.FileField(
        _("tệp"),
        upload_to=consultation_file_upload_to,
        max_length=255,
        validators=[validate_attachment],
        help_text=_("PDF, DOC, DOCX, XLS, XLSX, ODT hoặc ODS; tối đa 20 MB."),
    )

    class Meta(StoredFile.Meta):
        verbose_name = _("tệp dự thảo")
        verbose_name_plural = _("tệp dự thảo")


class CommentQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Comment(models.Model):
    """A citizen's comment: private until staff publish it; contact details are removed after the retention."""

    consultation = models.ForeignKey(
        Consultation, verbose_name=_("dự thảo"), on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("họ và tên"), max_length=100, blank=True)
    organisation = models.CharField(_("cơ quan, tổ chức"), max_length=200, blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    content = models.TextField(_("ý kiến"))
    created_at = models.DateTimeField(_("gửi lúc"), default=timezone.now, db_index=True)
    ip_hash = models.CharField(_("mã băm IP"), max_length=64, blank=True, editable=False)
    is_public = models.BooleanField(
        _("công khai"),
        default=False,
        help_text=_("Ý kiến được hiện trên trang dự thảo (không kèm email, điện thoại)."),
    )
    response = models.TextField(
        _("tiếp thu, giải trình"), blank=True, help_text=_("Cơ quan soạn thảo tiếp thu hoặc giải trình ý kiến này.")
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("ý kiến góp ý dự thảo")
        verbose_name_plural = _("ý kiến góp ý dự thảo")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["consultation", "created_at"], name="comment_public_idx", condition=Q(is_public=True))
        ]

    def __str__(self):
        return f"{self.name or _('(đã ẩn danh)')} – {self.created_at:%d/%m/%Y}"
