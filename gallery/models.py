"""Photo galleries ("Thư viện ảnh") and videos ("Video").

A gallery is a title, a date, a description and photos in order, each photo a media library item
(core.MediaItem, kind image) with its caption. A video is an uploaded MP4 (an item of kind video) with a
poster image and a WebVTT captions file, or a YouTube video played in its no-cookie player. Both are
published through review like articles (`status` + `publish_at`, `PublishableQuerySet.published()`), and
can be placed in an article's text (gallery/renderers.py, core.embeds).
"""

from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import embeds
from core.models import MediaItem, Stamped
from core.publishing import PUBLISHED, PublishableQuerySet
from core.slugs import unique_slug

from . import renditions


class Status(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PENDING = "pending", _("Chờ duyệt")
    PUBLISHED = PUBLISHED, _("Đã xuất bản")
    ARCHIVED = "archived", _("Lưu trữ")


class Published(Stamped):
    """What galleries and videos share: a title and slug, a date, a description, the review status."""

    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=320,
        unique=True,
        blank=True,
        help_text=_("Tự tạo từ tiêu đề; không đổi sau khi đã xuất bản."),
    )
    date = models.DateField(_("ngày"), default=timezone.localdate, help_text=_("Ngày diễn ra sự kiện."))
    description = models.TextField(_("mô tả"), blank=True, max_length=3000)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("thời điểm xuất bản"),
        default=timezone.now,
        help_text=_("Đặt thời điểm trong tương lai để hẹn giờ xuất bản."),
    )

    Status = Status
    embed_kind = ""

    class Meta:
        abstract = True
        ordering = ["-date", "-id"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.pk:
            old = type(self).objects.filter(pk=self.pk).values_list("slug", "status").first()
            if old and old[1] in (Status.PUBLISHED, Status.ARCHIVED):
                self.slug = old[0]  # links already given out must keep working
        if not self.slug:
            self.slug = unique_slug(type(self), self.title, instance=self, max_length=320)
        super().save(*args, **kwargs)

    @property
    def is_public(self):
        return self.status == Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def embed_code(self):
        """What an editor pastes, as a paragraph of its own, into an article's text."""
        return embeds.code(self.embed_kind, self.pk) if self.pk else ""


class GalleryQuerySet(PublishableQuerySet):
    def newest(self):
        return self.order_by("-date", "-publish_at", "-id")

    def for_listing(self):
        """With `photo_count` and `cover_photos` (the first photo): two queries for a page of galleries."""
        first = Photo.objects.select_related("item").order_by("position", "id")
        return self.annotate(photo_count=Count("photos")).prefetch_related(
            Prefetch("photos", queryset=first[:1], to_attr="cover_photos")
        )


class Gallery(Published):
    embed_kind = "thu-vien-anh"

    objects = GalleryQuerySet.as_manager()

    class Meta(Published.Meta):
        verbose_name = _("thư viện ảnh")
        verbose_name_plural = _("thư viện ảnh")
        permissions = [("publish_gallery", _("Có thể xuất bản, gỡ thư viện ảnh và video"))]
        indexes = [
            models.Index(
                fields=["-date", "-publish_at", "-id"], name="gallery_published_idx", condition=Q(status="published")
            )
        ]

    def get_absolute_url(self):
        return reverse("gallery:detail", kwargs={"slug": self.slug})

    @property
    def cover(self):
        photos = getattr(self, "cover_photos", None)
        return photos[0] if photos else None


class Photo(models.Model):
    gallery = models.ForeignKey(
        Gallery, verbose_name=_("thư viện ảnh"), on_delete=models.CASCADE, related_name="photos"
    )
    item = models.ForeignKey(
        MediaItem,
        verbose_name=_("ảnh"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": MediaItem.Kind.IMAGE},
    )
    caption = models.CharField(_("chú thích"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")
        ordering = ["position", "id"]

    def __str__(self):
        return self.caption or str(self.item)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        renditions.make_all(self.item.file)  # made once, on save, like the articles' covers

    @property
    def alt(self):
        """The item's text alternative, else the caption (templates fall back on the gallery's title)."""
        return self.item.alt_text or self.caption

    @property
    def thumb(self):
        return renditions.thumb(self.item.file)

    @property
    def medium(self):
        return renditions.medium(self.item.file)

    @property
    def large(self):
        return renditions.large(self.item.file)

    def large_size(self):
        return renditions.fit(self.item.width, self.item.height, renditions.LARGE)

    def medium_size(self):
        return renditions.fit(self.item.width, self.item.height, renditions.MEDIUM)


class VideoQuerySet(PublishableQuerySet):
    def newest(self):
        return self.order_by("-date", "-publish_at", "-id")

    def for_listing(self):
        return self.select_related("poster")

    def for_player(self):
        return self.select_related("file", "poster", "captions")


class Video(Published):
    embed_kind = "video"

    file = models.ForeignKey(
        MediaItem,
        verbose_name=_("tệp video"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"kind": MediaItem.Kind.VIDEO},
    )
    poster = models.ForeignKey(
        MediaItem,
        verbose_name=_("ảnh đại diện"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"kind": MediaItem.Kind.IMAGE},
    )
    captions = models.ForeignKey(
        MediaItem,
        verbose_name=_("phụ đề (WebVTT)"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    youtube_id = models.CharField(_("mã video YouTube"), max_length=11, blank=True)

    objects = VideoQuerySet.as_manager()

    class Meta(Published.Meta):
        verbose_name = _("video")
        verbose_name_plural = _("video")
        indexes = [
            models.Index(
                fields=["-date", "-publish_at", "-id"], name="video_published_idx", condition=Q(status="published")
            )
        ]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if self.poster_id:
            renditions.make_all(self.poster.file)

    def get_absolute_url(self):
        return reverse("gallery:video", kwargs={"slug": self.slug})

    @property
    def youtube_embed_url(self):
        return f"https://www.youtube-nocookie.com/embed/{self.youtube_id}" if self.youtube_id else ""

    @property
    def poster_thumb(self):
        return renditions.thumb(self.poster.file) if self.poster_id else None

    @property
    def poster_medium(self):
        return renditions.medium(self.poster.file) if self.poster_id else None
