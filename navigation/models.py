"""The portal's frame as staff edit it: menus, links to agencies ("Liên kết website"), banners, announcements.

Each is published like everything else (core.publishing: status + publish_at, `published()` the one
rule). A menu item points at a category or a department page through ContentType + object id (navigation
imports no app: what may be pointed at is registered in core.links), at a named list page ("Văn bản"),
at an internal address or at an external link. Menus have two levels.
"""

from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import links
from core.filenames import IMAGE_EXTENSIONS, normalised_name
from core.publishing import PUBLISHED, PublishableQuerySet


def upload_to(instance, filename):
    return f"navigation/{timezone.localdate():%Y/%m}/{normalised_name(filename, IMAGE_EXTENSIONS, default_stem='anh')}"


def is_external(url):
    return urlsplit(url or "").scheme in ("http", "https")


def check_internal(url):
    """An address inside the portal: starts with one "/", no scheme, no host."""
    parts = urlsplit(url or "")
    if not url or not url.startswith("/") or url.startswith("//") or parts.scheme or parts.netloc or "\\" in url:
        raise ValidationError(_("Địa chỉ trong cổng phải bắt đầu bằng “/”, ví dụ /lich-cong-tac/."), code="internal")


def check_external(url):
    try:
        URLValidator(schemes=["http", "https"])(url or "")
    except ValidationError:
        raise ValidationError(
            _("Liên kết ngoài phải là địa chỉ đầy đủ bắt đầu bằng https:// hoặc http://, ví dụ https://chinhphu.vn."),
            code="external",
        ) from None


class FrameQuerySet(PublishableQuerySet):
    def current(self):
        """Published, and not yet past its end ("hiện đến"), for what has one."""
        now = timezone.now()
        qs = self.published()
        if "shown_until" in {f.name for f in self.model._meta.fields}:
            qs = qs.filter(Q(shown_until__isnull=True) | Q(shown_until__gt=now))
        return qs


class Publishable(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PENDING = "pending", _("Chờ duyệt")
        PUBLISHED = PUBLISHED, _("Đã xuất bản")

    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    publish_at = models.DateTimeField(
        _("hiện từ"), default=timezone.now, help_text=_("Đặt thời điểm trong tương lai để hẹn giờ hiện.")
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = FrameQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return self.status == PUBLISHED and self.publish_at <= timezone.now()


class MenuItem(Publishable):
    class Menu(models.TextChoices):
        MAIN = "main", _("Menu chính")
        FOOTER = "footer", _("Liên kết cuối trang")

    class Kind(models.TextChoices):
        OBJECT = "object", _("Chuyên mục hoặc trang")
        PAGE = "page", _("Trang danh sách (Văn bản, Hỏi đáp…)")
        INTERNAL = "internal", _("Địa chỉ trong cổng")
        EXTERNAL = "external", _("Liên kết ngoài")

    menu = models.CharField(_("menu"), max_length=16, choices=Menu.choices, default=Menu.MAIN)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("mục cha"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        help_text=_("Để trống cho mục cấp một. Menu có hai cấp."),
    )
    title = models.CharField(
        _("tên hiện trên menu"), max_length=120, blank=True, help_text=_("Để trống: lấy tên của chuyên mục, trang.")
    )
    kind = models.CharField(_("loại liên kết"), max_length=16, choices=Kind.choices, default=Kind.INTERNAL)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("loại nội dung"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveIntegerField(_("mã nội dung"), null=True, blank=True)
    named_page = models.CharField(_("trang danh sách"), max_length=60, blank=True)
    url = models.CharField(_("địa chỉ"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("mục menu")
        verbose_name_plural = _("menu")
        ordering = ["menu", "position", "id"]
        indexes = [models.Index(fields=["menu", "parent", "position"], name="menuitem_tree_idx")]
        permissions = [("publish_navigation", _("Có thể xuất bản menu, liên kết, banner, thông báo"))]

    def __str__(self):
        if self.title:
            return self.title
        if self.kind == self.Kind.PAGE and (page := links.named_page(self.named_page)):
            return str(page.title)
        if self.kind == self.Kind.OBJECT and self.content_type_id:
            return f"{self.content_type.name} #{self.object_id}"
        return str(self.get_kind_display())

    @property
    def target_label(self):
        return f"{self.content_type.app_label}.{self.content_type.model}" if self.content_type_id else ""

    @property
    def external(self):
        return self.kind == self.Kind.EXTERNAL

    def clean(self):
        errors = {}
        if self.kind == self.Kind.OBJECT:
            if not (self.content_type_id and self.object_id):
                errors["content_type"] = _("Hãy chọn chuyên mục hoặc trang mà mục menu trỏ tới.")
            elif links.target(self.target_label) is None:
                errors["content_type"] = _("Không thể trỏ menu tới loại nội dung này.")
            elif not self.content_type.model_class()._default_manager.filter(pk=self.object_id).exists():
                errors["content_type"] = _("Chuyên mục hoặc trang này không còn tồn tại.")
        elif self.kind == self.Kind.PAGE:
            if links.named_page(self.named_page) is None:
                errors["named_page"] = _("Hãy chọn một trang danh sách.")
        elif self.kind == self.Kind.INTERNAL:
            try:
                check_internal(self.url)
            except ValidationError as error:
                errors["url"] = error
        elif self.kind == self.Kind.EXTERNAL:
            try:
                check_external(self.url)
            except ValidationError as error:
                errors["url"] = error
        if self.kind in (self.Kind.INTERNAL, self.Kind.EXTERNAL) and not self.title:
            errors["title"] = _("Hãy nhập tên hiện trên menu.")
        errors.update(self.tree_errors())
        if errors:
            raise ValidationError(errors)

    def tree_errors(self):
        """A loop or a third level, in Vietnamese; {} when the place in the tree is fine."""
        if self.parent_id is None:
            return {}
        seen = {self.pk} if self.pk else set()
        node = self.parent
        while node is not None:
            if node.pk in seen:
                return {
                    "parent": _("Không thể chọn mục cha này: menu sẽ thành vòng lặp (một mục nằm trong chính nó).")
                }
            seen.add(node.pk)
            node = node.parent
        if self.parent.parent_id is not None:
            return {"parent": _("Menu chỉ có hai cấp: mục cha phải là một mục cấp một.")}
        if self.pk and self.children.exists():
            return {"parent": _("Mục này đang có mục con nên phải ở cấp một (menu chỉ có hai cấp).")}
        if self.parent.menu != self.menu:
            return {"parent": _("Mục cha phải thuộc cùng một menu.")}
        return {}


class WebLink(Publishable):
    """ "Liên kết website": an agency's portal, in the select box and (with a logo) in the logo row."""

    title = models.CharField(_("tên cơ quan, website"), max_length=200)
    url = models.URLField(_("địa chỉ"), max_length=500)
    logo = models.ImageField(_("logo"), upload_to=upload_to, blank=True)
    in_logo_row = models.BooleanField(
        _("hiện trong hàng logo"), default=True, help_text=_("Cần có logo; không có logo thì chỉ hiện trong hộp chọn.")
    )

    class Meta:
        verbose_name = _("liên kết website")
        verbose_name_plural = _("liên kết website")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.url:
            check_external(self.url)


class Banner(Publishable):
    class Place(models.TextChoices):
        HOME_TOP = "home-top", _("Đầu trang chủ")
        SIDEBAR = "sidebar", _("Cột bên")

    place = models.CharField(_("vị trí"), max_length=16, choices=Place.choices, default=Place.SIDEBAR)
    title = models.CharField(_("tên banner"), max_length=200)
    image = models.ImageField(_("ảnh"), upload_to=upload_to, width_field="image_width", height_field="image_height")
    image_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    image_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    alt_text = models.CharField(
        _("mô tả ảnh (cho người khiếm thị)"),
        max_length=300,
        help_text=_("Bắt buộc: nói điều ảnh truyền tải, ví dụ “Cổng Dịch vụ công quốc gia”."),
    )
    url = models.CharField(
        _("liên kết"), max_length=500, blank=True, help_text=_("https://… hoặc /duong-dan/ trong cổng.")
    )
    shown_until = models.DateTimeField(_("hiện đến"), null=True, blank=True, help_text=_("Để trống: hiện mãi."))

    class Meta:
        verbose_name = _("banner")
        verbose_name_plural = _("banner")
        ordering = ["place", "position", "id"]

    def __str__(self):
        return self.title

    @property
    def external(self):
        return is_external(self.url)

    def clean(self):
        errors = {}
        if not (self.alt_text or "").strip():
            errors["alt_text"] = _("Hãy nhập mô tả ảnh: người dùng trình đọc màn hình cần nó.")
        if self.url:
            try:
                (check_external if is_external(self.url) else check_internal)(self.url)
            except ValidationError as error:
                errors["url"] = error
        if self.shown_until and self.publish_at and self.shown_until <= self.publish_at:
            errors["shown_until"] = _("Thời điểm “hiện đến” phải sau thời điểm “hiện từ”.")
        if errors:
            raise ValidationError(errors)


class Announcement(Publishable):
    """ "Thông báo": short notices in the sidebar until their end date."""

    title = models.CharField(_("tiêu đề"), max_length=300)
    url = models.CharField(
        _("liên kết chi tiết"), max_length=500, blank=True, help_text=_("https://… hoặc /duong-dan/")
    )
    shown_until = models.DateTimeField(
        _("hết hạn lúc"), null=True, blank=True, help_text=_("Sau thời điểm này thông báo rời khỏi cột bên.")
    )

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-publish_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def external(self):
        return is_external(self.url)

    def clean(self):
        errors = {}
        if self.url:
            try:
                (check_external if is_external(self.url) else check_internal)(self.url)
            except ValidationError as error:
                errors["url"] = error
        if self.shown_until and self.publish_at and self.shown_until <= self.publish_at:
            errors["shown_until"] = _("Thời điểm hết hạn phải sau thời điểm bắt đầu hiện.")
        if errors:
            raise ValidationError(errors)
