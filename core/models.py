"""The shared bases every published thing uses, and the content version all caches are keyed by."""

import contextlib

from django.conf import settings
from django.db import connection, models
from django.utils.translation import gettext_lazy as _
from imagekit.models import ImageSpecField
from imagekit.processors import ResizeToFit

from . import filenames, publishing


class Stamped(models.Model):
    """When a row was created and last changed, and by whom (the admin stamps the users in save_model)."""

    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True


class StoredFile(models.Model):
    """A downloadable document (an article's attachment, a legal document's file): its size and place in
    the list are kept, and it shows as its title, or its file name."""

    size = models.PositiveBigIntegerField(_("dung lượng"), default=0, editable=False)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self):
        return self.title or self.filename

    def save(self, *args, **kwargs):
        if self.file:
            with contextlib.suppress(OSError):
                self.size = self.file.size
        if not self.title and self.file:
            self.title = self.filename
        super().save(*args, **kwargs)

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def extension(self):
        return self.filename.rsplit(".", 1)[-1].upper() if "." in self.filename else ""


class ContentVersion(models.Model):
    """One row: the version of everything public pages show.

    Any change to articles, categories or attachments bumps `version`, and cached
    pages are keyed by it, so every worker and server sees a change at once. The
    database, not a process-local cache, holds it: with several gunicorn workers
    each keeping a local-memory cache, the worker that saved an article is not the
    one that must forget the old page. `next_publish_at` is the time of the next
    scheduled item (core.publishing), when pages must change by themselves.
    """

    version = models.BigIntegerField(default=1)
    next_publish_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản nội dung")
        verbose_name_plural = _("phiên bản nội dung")

    def __str__(self):
        return f"v{self.version}"

    @classmethod
    def bump(cls):
        """Start a new version and record the next scheduled publication, in one statement.

        The version is the time in milliseconds (or one more than the last, if that is later): it
        only grows, also when a backup is restored, so no process ever meets an old version again
        and takes the pages and fragments it remembers for it as current."""
        next_publish_at = publishing.next_scheduled_publication()
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO core_contentversion (id, version, next_publish_at)
                VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000)::bigint, %s)
                ON CONFLICT (id) DO UPDATE SET
                    version = GREATEST(core_contentversion.version + 1,
                                       (extract(epoch FROM clock_timestamp()) * 1000)::bigint),
                    next_publish_at = EXCLUDED.next_publish_at
                RETURNING version, next_publish_at
                """,
                [next_publish_at],
            )
            return cursor.fetchone()

    @classmethod
    def current(cls):
        with connection.cursor() as cursor:
            cursor.execute("SELECT version, next_publish_at FROM core_contentversion WHERE id = 1")
            row = cursor.fetchone()
        return row or cls.bump()


class RateCounter(models.Model):
    """Requests of one client in one fixed window of one rate limit (core.ratelimit).

    Kept in PostgreSQL so every worker and every server counts the same requests. `client` is a
    salted hash (never an address); a row is deleted once `expires_at` has passed."""

    scope = models.CharField(_("giới hạn"), max_length=40)
    client = models.CharField(_("người dùng (mã băm)"), max_length=64)
    window_start = models.DateTimeField(_("đầu khoảng"))
    expires_at = models.DateTimeField(_("hết hạn lúc"), db_index=True)
    hits = models.PositiveIntegerField(_("số lần"), default=0)

    class Meta:
        verbose_name = _("bộ đếm giới hạn truy cập")
        verbose_name_plural = _("bộ đếm giới hạn truy cập")
        constraints = [
            models.UniqueConstraint(fields=["scope", "client", "window_start"], name="core_ratecounter_window"),
        ]

    def __str__(self):
        return f"{self.scope} {self.client[:8]} {self.window_start:%Y-%m-%d %H:%M}: {self.hits}"


from .editstate import AutosaveSlot, EditLock  # noqa: E402, F401  autosave and edit locks (core/editing.py)
from .mail import OutgoingMail  # noqa: E402, F401  the outbox's model lives with its backend and sender


class MediaItem(models.Model):
    """One item of the media library ("Thư viện tệp"): every image and file uploaded anywhere in the admin
    (body images, covers, attachments, documents' files, gallery photos, videos). Its alt text is stored
    once and proposed wherever it is reused; where it is used is kept in MediaUsage, so an item in use
    cannot be deleted, and replacing its file keeps every link to it."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("Ảnh")
        DOCUMENT = "document", _("Tài liệu")
        VIDEO = "video", _("Video")
        OTHER = "other", _("Tệp khác")

    file = models.FileField(_("tệp"), upload_to=filenames.media_upload_to, max_length=255)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.IMAGE, db_index=True)
    title = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    alt_text = models.CharField(
        _("mô tả ảnh (alt)"),
        max_length=255,
        blank=True,
        help_text=_("Mô tả ngắn nội dung ảnh cho người dùng trình đọc màn hình; được đề xuất lại mỗi khi dùng ảnh."),
    )
    caption = models.CharField(_("chú thích"), max_length=500, blank=True)
    size = models.PositiveBigIntegerField(_("dung lượng"), default=0, editable=False)
    width = models.PositiveIntegerField(_("rộng (px)"), null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(_("cao (px)"), null=True, blank=True, editable=False)
    content_type = models.CharField(_("kiểu tệp"), max_length=100, blank=True, editable=False)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True, editable=False, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    # The library's grid and the picker show this small copy: images only, made when first shown (a PDF has
    # none, so not on save as the portal's other renditions are) and made again when the file is replaced.
    thumbnail = ImageSpecField(
        source="file",
        processors=[ResizeToFit(320, 320)],
        format="JPEG",
        options={"quality": 80},
        cachefile_strategy="imagekit.cachefiles.strategies.JustInTime",
    )

    class Meta:
        verbose_name = _("tệp trong thư viện")
        verbose_name_plural = _("thư viện tệp")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.title or self.filename

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""

    @property
    def is_image(self):
        return self.kind == self.Kind.IMAGE

    @property
    def extension(self):
        return self.filename.rsplit(".", 1)[-1].upper() if "." in self.filename else ""


class MediaUsage(models.Model):
    """Where a media item is used: one row per (item, object, field), written when the object is saved."""

    # PROTECT: an item in use cannot be deleted (the admin says where it is used before it gets this far).
    item = models.ForeignKey(MediaItem, verbose_name=_("tệp"), on_delete=models.PROTECT, related_name="usages")
    content_type = models.ForeignKey(
        "contenttypes.ContentType", verbose_name=_("loại nội dung"), on_delete=models.CASCADE
    )
    object_id = models.CharField(_("mã đối tượng"), max_length=64)
    field = models.CharField(_("trường"), max_length=64)
    label = models.CharField(_("tên đối tượng"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("nơi dùng tệp")
        verbose_name_plural = _("nơi dùng tệp")
        constraints = [
            models.UniqueConstraint(fields=["item", "content_type", "object_id", "field"], name="media_usage_once")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="media_usage_object")]

    def __str__(self):
        return self.label or f"{self.content_type} #{self.object_id}"


from .redirects import Redirect  # noqa: E402, F401  old addresses that moved (core/redirects.py)
from .workflow.models import Notice, WorkingCopy  # noqa: E402, F401  working copies and staff notices (core/workflow/)
