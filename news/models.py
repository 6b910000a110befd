from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Func, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from imagekit.models import ImageSpecField
from imagekit.processors import ResizeToFit

from core.filenames import attachment_upload_to, cover_upload_to
from core.files import validate_attachment
from core.models import Stamped, StoredFile
from core.publishing import PUBLISHED, PublishableQuerySet
from core.sanitize import html_to_text, sanitize_html
from core.slugs import unique_slug


class CategoryQuerySet(models.QuerySet):
    def menu(self):
        """Top-level menu categories with their children (two queries, whatever the size)."""
        return self.filter(in_menu=True, parent__isnull=True).prefetch_related(
            models.Prefetch("children", queryset=Category.objects.filter(in_menu=True))
        )

    def menu_blocks(self, per_category=4):
        """Home page blocks: each top-level menu category with its newest published articles.

        One query for the categories and one UNION ALL of small per-category index scans
        (each reads at most `per_category` rows, however large the table)."""
        tops = list(self.filter(in_menu=True, parent__isnull=True))
        if not tops:
            return []
        top_of = {c.pk: c.pk for c in tops}
        top_of |= dict(Category.objects.filter(parent__in=tops).values_list("id", "parent_id"))
        newest = Article.objects.published().for_listing().order_by("-publish_at", "-id")
        parts = [newest.filter(category_id=cid)[:per_category] for cid in top_of]
        articles = list(parts[0].union(*parts[1:], all=True)) if len(parts) > 1 else list(parts[0])
        by_top = {c.pk: [] for c in tops}
        for article in sorted(articles, key=lambda a: (a.publish_at, a.pk), reverse=True):
            by_top[top_of[article.category_id]].append(article)
        return [(c, by_top[c.pk][:per_category]) for c in tops if by_top[c.pk]]


class Category(models.Model):
    name = models.CharField(_("tên chuyên mục"), max_length=150)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=160,
        unique=True,
        blank=True,
        help_text=_("Tự tạo từ tên nếu để trống; chỉ gồm chữ không dấu, số và gạch nối."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("chuyên mục cha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    in_menu = models.BooleanField(_("hiện trên menu"), default=True)
    description = models.TextField(_("mô tả"), blank=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")
        ordering = ["position", "name"]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Category, self.name, instance=self, max_length=160)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:category", kwargs={"slug": self.slug})

    def family_ids(self):
        """This category and its children: a parent's page lists its children's articles too."""
        return [self.pk, *Category.objects.filter(parent=self).values_list("pk", flat=True)]


# Stored search vectors: never needed to show an article.
SEARCH_FIELDS = ("search_vector", "title_vector", "title_words")


class ArticleQuerySet(PublishableQuerySet):
    def for_listing(self):
        return self.select_related("category").defer("body", "body_text", *SEARCH_FIELDS)

    def newest(self):
        return self.order_by("-publish_at", "-id")


class Article(Stamped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PENDING = "pending", _("Chờ duyệt")
        PUBLISHED = PUBLISHED, _("Đã xuất bản")
        ARCHIVED = "archived", _("Lưu trữ")

    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=320,
        unique=True,
        blank=True,
        help_text=_("Tự tạo từ tiêu đề; không đổi sau khi bài đã xuất bản."),
    )
    category = models.ForeignKey(
        Category, verbose_name=_("chuyên mục"), on_delete=models.PROTECT, related_name="articles"
    )
    summary = models.TextField(_("tóm tắt (sapo)"), blank=True, max_length=1000)
    body = models.TextField(_("nội dung"), blank=True)
    body_text = models.TextField(_("nội dung dạng văn bản"), blank=True, editable=False)
    # As long as a library item's name (core.MediaItem.file): a cover may be any image of the library.
    cover = models.ImageField(_("ảnh đại diện"), upload_to=cover_upload_to, blank=True, max_length=255)
    cover_caption = models.CharField(_("chú thích ảnh"), max_length=300, blank=True)
    cover_alt = models.CharField(_("mô tả ảnh (cho người khiếm thị)"), max_length=300, blank=True)
    cover_400 = ImageSpecField(
        source="cover", processors=[ResizeToFit(400, 400)], format="JPEG", options={"quality": 80}
    )
    cover_800 = ImageSpecField(
        source="cover", processors=[ResizeToFit(800, 800)], format="JPEG", options={"quality": 82}
    )
    cover_1200 = ImageSpecField(
        source="cover", processors=[ResizeToFit(1200, 1200)], format="JPEG", options={"quality": 82}
    )
    author = models.CharField(_("tác giả"), max_length=150, blank=True)
    source = models.CharField(_("nguồn"), max_length=200, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("thời điểm xuất bản"),
        default=timezone.now,
        help_text=_("Đặt thời điểm trong tương lai để hẹn giờ xuất bản."),
    )
    featured = models.BooleanField(_("tin nổi bật"), default=False)
    # Full-text search (news.search): title A, summary B, body text C, through the accent-folding
    # `vn_unaccent` configuration (migration 0003). Kept by PostgreSQL itself on every write.
    search_vector = models.GeneratedField(
        expression=(
            SearchVector("title", weight="A", config="vn_unaccent")
            + SearchVector("summary", weight="B", config="vn_unaccent")
            + SearchVector("body_text", weight="C", config="vn_unaccent")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )
    # The title alone, accent-folded like search_vector: "title matches" are found through its GIN index
    # (stored, so checking a candidate reads it instead of folding the title again).
    title_vector = models.GeneratedField(
        expression=SearchVector("title", config="vn_unaccent"),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )
    # The title's words with their diacritics (config `simple`): ranking puts `sở` above `số` when the
    # reader typed `sở`. Stored, so ranking a few hundred matches does not parse each title again.
    title_words = models.GeneratedField(
        expression=SearchVector("title", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        ordering = ["-publish_at", "-id"]
        permissions = [("publish_article", _("Có thể xuất bản, gỡ bài viết"))]
        indexes = [
            # Covers the category too: deep listing pages are then index-only scans (news.pagination).
            models.Index(
                fields=["-publish_at", "-id"],
                name="article_published_idx",
                include=["category"],
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["category", "-publish_at", "-id"],
                name="article_cat_published_idx",
                condition=Q(status="published"),
            ),
            models.Index(
                fields=["-publish_at", "-id"],
                name="article_featured_idx",
                condition=Q(status="published", featured=True),
            ),
            models.Index(fields=["status", "-updated_at"], name="article_status_idx"),
            GinIndex(fields=["search_vector"], name="article_search_idx"),
            # Title-only matches: lets a broad search also rank old articles whose title matches.
            GinIndex(fields=["title_vector"], name="article_title_search_idx"),
            # "Did you mean" suggestions: trigram similarity on the accent-folded title.
            GinIndex(
                OpClass(Func("title", function="vn_unaccent_text"), name="gin_trgm_ops"), name="article_title_trgm_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Derive once, on save: sanitised body and its plain text; the slug is frozen once published.
        self.body = sanitize_html(self.body)
        self.body_text = html_to_text(self.body)
        if self.pk:
            old = Article.objects.filter(pk=self.pk).values_list("slug", "status").first()
            if old and old[1] in (self.Status.PUBLISHED, self.Status.ARCHIVED):
                self.slug = old[0]  # links already given out must keep working
        if not self.slug:
            self.slug = unique_slug(Article, self.title, instance=self, max_length=320)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("news:article", kwargs={"slug": self.slug})

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def description(self):
        return self.summary or self.body_text[:300]

    def cover_srcset(self):
        if not self.cover:
            return ""
        return ", ".join(
            f"{spec.url} {width}w"
            for spec, width in ((self.cover_400, 400), (self.cover_800, 800), (self.cover_1200, 1200))
        )


class Attachment(StoredFile):
    article = models.ForeignKey(
        Article, verbose_name=_("bài viết"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("tên tài liệu"), max_length=300, blank=True)
    file = models.FileField(
        _("tệp"),
        upload_to=attachment_upload_to,
        max_length=255,  # as long as a library item's name (core.MediaItem.file): it may be one
        validators=[validate_attachment],
        help_text=_("PDF, DOC, DOCX, XLS, XLSX hoặc ODT; tối đa 20 MB."),
    )

    class Meta(StoredFile.Meta):
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")


class ImportedPage(models.Model):
    """A page of the old portal that `manage.py import_site` has read (news/importer): keyed by its old URL,
    so a second run updates what changed and never makes a second article. A page it could not read is
    kept too, with the reason, until a later run reads it."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("Đã tạo bài mới")
        UPDATED = "updated", _("Đã cập nhật")
        LINKED = "linked", _("Gắn với bài có sẵn")
        UNCHANGED = "unchanged", _("Không đổi")
        FAILED = "failed", _("Không nhập được")

    old_url = models.CharField(_("địa chỉ cũ"), max_length=1000, unique=True)
    article = models.ForeignKey(
        Article,
        verbose_name=_("bài viết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="imported_pages",
    )
    outcome = models.CharField(_("kết quả lần cuối"), max_length=12, choices=Outcome.choices)
    content_hash = models.CharField(_("mã băm nội dung"), max_length=64, blank=True)
    date_estimated = models.BooleanField(
        _("giờ đăng ước lượng"), default=False, help_text=_("Trang cũ chỉ ghi ngày, không ghi giờ.")
    )
    error = models.TextField(_("lý do không đọc được"), blank=True)
    media = models.JSONField(_("ảnh và tệp đã lấy"), default=dict, blank=True)  # {old URL: media item id}
    image_count = models.PositiveSmallIntegerField(_("số ảnh"), default=0)
    # The run that last wrote this row: when it began and the command's source, to filter by and to run again.
    run = models.CharField(_("lần chạy"), max_length=500, blank=True)
    first_seen_at = models.DateTimeField(_("lần đầu"), auto_now_add=True)
    last_run_at = models.DateTimeField(_("lần cuối"), auto_now=True)

    class Meta:
        verbose_name = _("trang đã chuyển từ cổng cũ")
        verbose_name_plural = _("trang đã chuyển từ cổng cũ")
        ordering = ["-last_run_at", "-id"]

    def __str__(self):
        return self.old_url
