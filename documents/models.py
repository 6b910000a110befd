"""The Department's legal documents (văn bản) and administrative procedures (thủ tục hành chính).

Decree 42/2022/NĐ-CP, Art. 4: a state agency's portal publishes its legal documents with their
metadata and a search, and the administrative procedures it handles, linked to the public-service
portal. Visibility is decided once, in `DocumentQuerySet.published()` / `ProcedureQuerySet.published()`.

Search (documents/search.py) reads two stored, derived columns kept by PostgreSQL itself:
`number_key`, the number and symbol folded to ASCII words joined by "-" (`12/2023/QĐ-UBND` →
`12-2023-qd-ubnd`, trigram and btree indexes), and `search_vector`, a tsvector in the accent-folding
`vn_unaccent` configuration (news/migrations/0003_search_config.py): type and summary weigh A (what a
reader calls the document: "Quyết định … khoa học"), the number B, issuer and signer C.
"""

import re
from datetime import date

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filenames import ATTACHMENT_EXTENSIONS, normalised_name
from core.files import validate_attachment
from core.models import Stamped, StoredFile
from core.slugs import unique_slug

CONFIG = "vn_unaccent"


class NumberKey(models.Func):
    """`12/2023/QĐ-UBND` → `12-2023-qd-ubnd`: lower case, no accents (đ → d), words joined by "-".

    Immutable (vn_unaccent_text is declared so), hence usable in a generated column and an index.
    documents.search.number_key() is its Python twin for reader input."""

    template = "btrim(regexp_replace(vn_unaccent_text(%(expressions)s), '[^a-z0-9]+', '-', 'g'), '-')"
    output_field = models.TextField()


class NumberWords(models.Func):
    """The number as separate words (`12 2023 qd ubnd`) for the full-text vector: PostgreSQL's parser
    reads `12/2023/QĐ-UBND` as a file path and would leave the Đ unfolded."""

    template = "regexp_replace(vn_unaccent_text(%(expressions)s), '[^a-z0-9]+', ' ', 'g')"
    output_field = models.TextField()


class NamedItem(models.Model):
    """An editable list entry (type, issuing body, field): a name, a slug for filter URLs, an order."""

    name = models.CharField(_("tên"), max_length=200, unique=True)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Tự tạo từ tên nếu để trống; dùng trong đường dẫn bộ lọc."),
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), self.name, instance=self, max_length=120)
        super().save(*args, **kwargs)


class DocumentType(NamedItem):
    class Meta(NamedItem.Meta):
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")


class IssuingBody(NamedItem):
    class Meta(NamedItem.Meta):
        verbose_name = _("cơ quan ban hành")
        verbose_name_plural = _("cơ quan ban hành")


class Field(NamedItem):
    class Meta(NamedItem.Meta):
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")


class Validity(models.TextChoices):
    """Values double as the filter's URL parameter (?hieu_luc=con-hieu-luc)."""

    IN_FORCE = "con-hieu-luc", _("Còn hiệu lực")
    NOT_YET = "chua-co-hieu-luc", _("Chưa có hiệu lực")
    EXPIRED = "het-hieu-luc", _("Hết hiệu lực")
    # Only set by hand: no date says so.
    PARTLY_EXPIRED = "het-hieu-luc-mot-phan", _("Hết hiệu lực một phần")
    SUSPENDED = "ngung-hieu-luc", _("Ngưng hiệu lực")


class Section(models.TextChoices):
    """Document groups with their own pages (Decree 42/2022/NĐ-CP): budget disclosure and the provincial
    S&T tasks (calls for proposals, results). Values double as URL parameters (documents.sections)."""

    BUDGET = "cong-khai-ngan-sach", _("Công khai ngân sách")
    TASK_CALLS = "nhiem-vu-tuyen-chon", _("Nhiệm vụ KH&CN: thông báo đặt hàng, tuyển chọn")
    TASK_RESULTS = "nhiem-vu-ket-qua", _("Nhiệm vụ KH&CN: kết quả thực hiện")


def derived_validity(effective_on, expires_on, today):
    """Validity from the dates alone: not yet in force before the effective date, expired from the
    expiry date on (the expiry date is the first day the document no longer applies), else in force.
    `DocumentQuerySet.with_validity()` is the same rule in SQL."""
    if effective_on and effective_on > today:
        return Validity.NOT_YET
    if expires_on and expires_on <= today:
        return Validity.EXPIRED
    return Validity.IN_FORCE


class DocumentQuerySet(models.QuerySet):
    def published(self):
        """The one visibility rule for documents: the publish flag."""
        return self.filter(is_published=True)

    def newest(self):
        return self.order_by("-issued_on", "-id")

    def with_validity(self, today=None):
        """Annotate `current_validity` (a Validity value): the manual choice, else derived from the dates."""
        today = today or timezone.localdate()
        return self.annotate(
            current_validity=Case(
                When(~Q(validity_override=""), then=F("validity_override")),
                When(Q(effective_on__isnull=False) & Q(effective_on__gt=today), then=Value(Validity.NOT_YET)),
                When(expires_on__lte=today, then=Value(Validity.EXPIRED)),
                default=Value(Validity.IN_FORCE),
                output_field=models.CharField(),
            )
        )

    def filtered(self, *, doc_type=None, issuer=None, field=None, year=None, validity=None):
        """The list's filters; None leaves a filter out. `validity` needs `with_validity()` first."""
        documents = self
        if doc_type is not None:
            documents = documents.filter(doc_type=doc_type)
        if issuer is not None:
            documents = documents.filter(issuer=issuer)
        if field is not None:
            documents = documents.filter(fields=field)
        if year is not None:
            documents = documents.filter(issued_on__year=year)
        if validity:
            documents = documents.filter(current_validity=validity)
        return documents

    def for_listing(self):
        return self.select_related("doc_type", "issuer").defer("search_vector")


def document_file_upload_to(instance, filename):
    # Under attachments/: portal.views.media serves those as downloads, never rendered in the browser.
    return f"attachments/van-ban/{timezone.localdate():%Y/%m}/{normalised_name(filename, ATTACHMENT_EXTENSIONS)}"


class Document(Stamped):
    doc_type = models.ForeignKey(
        DocumentType, verbose_name=_("loại văn bản"), on_delete=models.PROTECT, related_name="documents"
    )
    number = models.CharField(
        _("số ký hiệu"), max_length=100, help_text=_("Ví dụ: 12/2023/QĐ-UBND, 1234/UBND-KGVX, 05/KH-SKHCN.")
    )
    issuer = models.ForeignKey(
        IssuingBody, verbose_name=_("cơ quan ban hành"), on_delete=models.PROTECT, related_name="documents"
    )
    signer = models.CharField(_("người ký"), max_length=150, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    effective_on = models.DateField(
        _("ngày có hiệu lực"), null=True, blank=True, help_text=_("Để trống nếu có hiệu lực từ ngày ban hành.")
    )
    expires_on = models.DateField(
        _("ngày hết hiệu lực"),
        null=True,
        blank=True,
        help_text=_("Ngày đầu tiên văn bản không còn áp dụng. Để trống nếu chưa có."),
    )
    validity_override = models.CharField(
        _("tình trạng hiệu lực (chọn tay)"),
        max_length=32,
        choices=Validity.choices,
        blank=True,
        help_text=_(
            "Để trống để tự xác định theo ngày có hiệu lực và ngày hết hiệu lực. Chỉ chọn khi "
            "tình trạng không suy ra được từ các ngày (ví dụ: bị bãi bỏ một phần, tạm ngưng)."
        ),
    )
    summary = models.TextField(_("trích yếu"), max_length=1000)
    fields = models.ManyToManyField(Field, verbose_name=_("lĩnh vực"), blank=True, related_name="documents")
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=160,
        unique=True,
        blank=True,
        help_text=_("Tự tạo từ số ký hiệu; không đổi sau khi văn bản đã công bố."),
    )
    is_published = models.BooleanField(_("công bố trên cổng"), default=False)
    section = models.CharField(
        _("chuyên mục riêng"),
        max_length=32,
        choices=Section.choices,
        blank=True,
        help_text=_(
            "Để trống với văn bản thường; chọn để văn bản hiện cả ở trang Công khai ngân sách hoặc Nhiệm vụ KH&CN."
        ),
    )
    # Copies of the related names, so the generated search vector (one row only) can read them.
    type_name = models.CharField(max_length=200, editable=False, default="")
    issuer_name = models.CharField(max_length=200, editable=False, default="")
    number_key = models.GeneratedField(
        expression=NumberKey("number"), output_field=models.TextField(), db_persist=True, editable=False
    )
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("summary", weight="A", config=CONFIG)
            + SearchVector("type_name", weight="A", config=CONFIG)
            + SearchVector(NumberWords("number"), weight="B", config=CONFIG)
            + SearchVector("issuer_name", weight="C", config=CONFIG)
            + SearchVector("signer", weight="C", config=CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-id"]
        permissions = [("publish_document", _("Có thể công bố, gỡ văn bản"))]
        indexes = [
            models.Index(fields=["-issued_on", "-id"], name="document_published_idx", condition=Q(is_published=True)),
            models.Index(
                fields=["section", "-issued_on", "-id"],
                name="document_section_idx",
                condition=Q(is_published=True) & ~Q(section=""),
            ),
            GinIndex(fields=["search_vector"], name="document_search_idx"),
            # Any part of a number (`2023/qd`): trigram LIKE '%…%'; a whole or leading number: btree.
            GinIndex(OpClass("number_key", name="gin_trgm_ops"), name="document_number_trgm_idx"),
            models.Index(OpClass("number_key", name="text_pattern_ops"), name="document_number_key_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="document_expires_after_issue",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày ban hành."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(expires_on__gt=F("effective_on")),
                name="document_expires_after_effect",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày có hiệu lực."),
            ),
        ]

    def __str__(self):
        return f"{self.type_name or self.doc_type} {self.number}".strip()

    def save(self, *args, **kwargs):
        self.type_name = self.doc_type.name if self.doc_type_id else ""
        self.issuer_name = self.issuer.name if self.issuer_id else ""
        if self.pk:
            old = Document.objects.filter(pk=self.pk).values_list("slug", "is_published").first()
            if old and old[1]:
                self.slug = old[0]  # links already given out must keep working
        if not self.slug:
            # `12/2023/QĐ-UBND` → `12-2023-qd-ubnd` (slugify alone would glue the parts together).
            base = re.sub(r"[\W_]+", " ", self.number) or self.summary[:80]
            self.slug = unique_slug(Document, base, instance=self, max_length=160)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("documents:detail", kwargs={"slug": self.slug})

    @property
    def title(self):
        """What a reader calls it: "Quyết định số 12/2023/QĐ-UBND"."""
        return _("%(type)s số %(number)s") % {"type": self.type_name, "number": self.number}

    def validity_on(self, day: date):
        if self.validity_override:
            return Validity(self.validity_override)
        return derived_validity(self.effective_on, self.expires_on, day)

    @property
    def validity(self):
        """The validity today (the annotation from `with_validity()` when there is one)."""
        value = getattr(self, "current_validity", None)
        return Validity(value) if value else self.validity_on(timezone.localdate())


class DocumentFile(StoredFile):
    document = models.ForeignKey(Document, verbose_name=_("văn bản"), on_delete=models.CASCADE, related_name="files")
    title = models.CharField(_("tên tệp"), max_length=300, blank=True)
    file = models.FileField(
        _("tệp"),
        upload_to=document_file_upload_to,
        max_length=255,
        validators=[validate_attachment],
        help_text=_("PDF, DOC, DOCX, XLS, XLSX, ODT hoặc ODS; tối đa 20 MB."),
    )

    class Meta(StoredFile.Meta):
        verbose_name = _("tệp văn bản")
        verbose_name_plural = _("tệp văn bản")


# Administrative procedures -----------------------------------------------------------------------


class ProcedureQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Procedure(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "tinh", _("Cấp tỉnh")
        DISTRICT = "huyen", _("Cấp huyện")
        COMMUNE = "xa", _("Cấp xã")

    class Online(models.TextChoices):
        FULL = "toan-trinh", _("Dịch vụ công trực tuyến toàn trình")
        PARTIAL = "mot-phan", _("Dịch vụ công trực tuyến một phần")
        INFO = "thong-tin", _("Cung cấp thông tin trực tuyến")

    code = models.CharField(
        _("mã thủ tục"), max_length=30, unique=True, help_text=_("Mã trên Cơ sở dữ liệu quốc gia, ví dụ 1.004495.")
    )
    name = models.CharField(_("tên thủ tục"), max_length=500)
    field = models.ForeignKey(Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures")
    level = models.CharField(_("cấp thực hiện"), max_length=8, choices=Level.choices, default=Level.PROVINCE)
    online = models.CharField(_("mức độ trực tuyến"), max_length=16, choices=Online.choices, default=Online.FULL)
    agency = models.CharField(_("cơ quan thực hiện"), max_length=300, blank=True)
    processing_time = models.CharField(_("thời hạn giải quyết"), max_length=200, blank=True)
    fee = models.CharField(_("phí, lệ phí"), max_length=300, blank=True)
    url = models.URLField(
        _("liên kết trên Cổng Dịch vụ công"),
        max_length=500,
        help_text=_(
            "Địa chỉ thủ tục trên Cổng Dịch vụ công quốc gia hoặc Hệ thống thông tin giải quyết TTHC của tỉnh."
        ),
    )
    # Made in the admin, a procedure is not public until a publisher's "Duyệt & xuất bản" (core/workflow).
    is_published = models.BooleanField(_("công khai"), default=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("name", weight="A", config=CONFIG)
            + SearchVector(NumberWords("code"), weight="A", config=CONFIG)
            + SearchVector("agency", weight="C", config=CONFIG)
        ),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["field__position", "field__name", "code"]
        indexes = [GinIndex(fields=["search_vector"], name="procedure_search_idx")]

    def __str__(self):
        return f"{self.code} – {self.name}"
