"""The Department's own pages, in Vietnamese and English (Decree 42/2022/NĐ-CP, Art. 4 and 7).

Two fixed pages (Giới thiệu, Liên hệ; created by migration 0002), the leadership shown on the
about page, and the contact details shown on the contact page. Every text an English reader sees
has an `_en` twin here; the page chrome comes from locale/en.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from imagekit.models import ImageSpecField
from imagekit.processors import ResizeToFill

from core.filenames import IMAGE_EXTENSIONS, normalised_name
from core.sanitize import html_to_text, sanitize_html


class Page(models.Model):
    class Kind(models.TextChoices):
        ABOUT = "gioi-thieu", _("Giới thiệu")
        CONTACT = "lien-he", _("Liên hệ")

    # One URL name per page, in both languages (i18n_patterns: /gioi-thieu/, /en/about/): see url_for.
    URL_NAMES = {Kind.ABOUT: "pages:about", Kind.CONTACT: "pages:contact"}

    kind = models.CharField(_("trang"), max_length=16, choices=Kind.choices, unique=True, editable=False)
    title = models.CharField(_("tiêu đề"), max_length=200)
    summary = models.TextField(
        _("mô tả ngắn"), blank=True, max_length=400, help_text=_("Hiện dưới tiêu đề và trong kết quả tìm kiếm.")
    )
    body = models.TextField(_("nội dung"), blank=True)
    title_en = models.CharField(_("tiêu đề (tiếng Anh)"), max_length=200, blank=True)
    summary_en = models.TextField(_("mô tả ngắn (tiếng Anh)"), blank=True, max_length=400)
    body_en = models.TextField(_("nội dung (tiếng Anh)"), blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
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
        verbose_name = _("trang giới thiệu, liên hệ")
        verbose_name_plural = _("trang giới thiệu, liên hệ")
        ordering = ["kind"]

    def __str__(self):
        return self.title or self.get_kind_display()

    def save(self, *args, **kwargs):
        # Derive once, on save: whatever the editor sent, only the allow-list survives.
        self.body = sanitize_html(self.body)
        self.body_en = sanitize_html(self.body_en)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.url_for(self.kind, settings.LANGUAGE_CODE)

    @classmethod
    def url_for(cls, kind, language):
        """The page's URL in `language`, whichever language the caller runs in."""
        with translation.override(language):
            return reverse(cls.URL_NAMES[kind])

    def get_english_url(self):
        return self.url_for(self.kind, "en")

    def in_language(self, language):
        """(title, summary, body) in `language`; English falls back to nothing rather than Vietnamese."""
        if language == "en":
            return self.title_en, self.summary_en, self.body_en
        return self.title, self.summary, self.body

    @property
    def description(self):
        return self.summary or html_to_text(self.body)[:300]

    @property
    def description_en(self):
        return self.summary_en or html_to_text(self.body_en)[:300]


def leader_photo_upload_to(instance, filename):
    return f"lanh-dao/{normalised_name(filename, IMAGE_EXTENSIONS, default_stem='anh')}"


class LeaderQuerySet(models.QuerySet):
    def shown(self):
        return self.filter(is_shown=True).order_by("position", "id")


class Leader(models.Model):
    name = models.CharField(_("họ và tên"), max_length=150)
    title = models.CharField(_("chức vụ"), max_length=200, help_text=_("Ví dụ: Giám đốc Sở, Phó Giám đốc Sở."))
    title_en = models.CharField(_("chức vụ (tiếng Anh)"), max_length=200, blank=True)
    duties = models.TextField(_("nhiệm vụ được phân công"), blank=True)
    duties_en = models.TextField(_("nhiệm vụ được phân công (tiếng Anh)"), blank=True)
    photo = models.ImageField(_("ảnh chân dung"), upload_to=leader_photo_upload_to, blank=True)
    photo_240 = ImageSpecField(
        source="photo", processors=[ResizeToFill(240, 300)], format="JPEG", options={"quality": 85}
    )
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_shown = models.BooleanField(_("hiện trên trang Giới thiệu"), default=True)

    objects = LeaderQuerySet.as_manager()

    class Meta:
        verbose_name = _("lãnh đạo Sở")
        verbose_name_plural = _("lãnh đạo Sở")
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.name} – {self.title}"

    def photo_alt(self, language="vi"):
        """Alt text of the portrait, from the name and title (no separate field to forget)."""
        if language == "en":
            return f"Portrait of {self.name}, {self.title_en or self.title}"
        return f"Ảnh chân dung {self.name}, {self.title}"

    @property
    def photo_alt_en(self):
        return self.photo_alt("en")

    @property
    def phone_uri(self):
        return phone_uri(self.phone)


def emblem_upload_to(instance, filename):
    return f"site/{normalised_name(filename, IMAGE_EXTENSIONS, default_stem='quoc-huy')}"


class ContactInfo(models.Model):
    """The Department's contact details: one row (id 1), made by migration 0002."""

    name = models.CharField(_("tên cơ quan"), max_length=200)
    name_en = models.CharField(_("tên cơ quan (tiếng Anh)"), max_length=200, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300)
    address_en = models.CharField(_("địa chỉ (tiếng Anh)"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30)
    fax = models.CharField(_("fax"), max_length=30, blank=True)
    email = models.EmailField(_("email"))
    hours = models.CharField(_("giờ làm việc"), max_length=300, blank=True)
    hours_en = models.CharField(_("giờ làm việc (tiếng Anh)"), max_length=300, blank=True)
    focal_name = models.CharField(
        _("người phát ngôn, cung cấp thông tin"),
        max_length=150,
        blank=True,
        help_text=_("Đầu mối cung cấp thông tin theo Luật Tiếp cận thông tin."),
    )
    focal_title = models.CharField(_("chức vụ người phát ngôn"), max_length=200, blank=True)
    focal_title_en = models.CharField(_("chức vụ người phát ngôn (tiếng Anh)"), max_length=200, blank=True)
    focal_phone = models.CharField(_("điện thoại người phát ngôn"), max_length=30, blank=True)
    focal_email = models.EmailField(_("email người phát ngôn"), blank=True)
    # The site's settings shown in every header and footer (the site's name stays settings.SITE_NAME).
    emblem = models.ImageField(
        _("quốc huy / biểu trưng"),
        upload_to=emblem_upload_to,
        blank=True,
        help_text=_("Ảnh vuông, nền trong suốt (PNG). Để trống: dùng biểu trưng mặc định."),
    )
    licence = models.CharField(
        _("giấy phép"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Giấy phép thiết lập trang thông tin điện tử tổng hợp số 12/GP-STTTT ngày 10/01/2023."),
    )
    copyright = models.CharField(
        _("bản quyền"), max_length=200, blank=True, help_text=_("Ví dụ: © Bản quyền thuộc Sở Khoa học và Công nghệ.")
    )
    source_notice = models.CharField(
        _("ghi rõ nguồn"),
        max_length=300,
        blank=True,
        help_text=_(
            "Ví dụ: Ghi rõ nguồn “Cổng thông tin điện tử Sở KH&CN” khi phát hành lại thông tin từ cổng thông tin này."
        ),
    )
    facebook_url = models.URLField(_("Facebook"), max_length=300, blank=True)
    youtube_url = models.URLField(_("YouTube"), max_length=300, blank=True)
    zalo_url = models.URLField(_("Zalo"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("thông tin liên hệ")
        verbose_name_plural = _("thông tin liên hệ")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="contactinfo_single_row")]

    def __str__(self):
        return str(_("Thông tin liên hệ của Sở"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def phone_uri(self):
        return phone_uri(self.phone)

    @property
    def focal_phone_uri(self):
        return phone_uri(self.focal_phone)

    @property
    def social_links(self):
        """(name, url) of the social pages that are filled in."""
        return [
            (name, url)
            for name, url in (("Facebook", self.facebook_url), ("YouTube", self.youtube_url), ("Zalo", self.zalo_url))
            if url
        ]


def phone_uri(number):
    """`0200 3826 789` → `tel:+842003826789` (Vietnamese numbers written with a leading 0)."""
    digits = "".join(char for char in number or "" if char.isdigit() or char == "+")
    if digits.startswith("0"):
        digits = "+84" + digits[1:]
    return f"tel:{digits}" if digits else ""
