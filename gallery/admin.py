"""Galleries and videos in the admin: photos uploaded with their captions (one by one in the table, or
many at once), a video uploaded or linked from YouTube, the embed code ("Mã nhúng") to place either in an
article, and the workflow of articles (core/workflow): editors save drafts and send them for review ("Gửi
duyệt"), publishers approve ("Duyệt & xuất bản"); an edit of a live item waits as its working copy."""

from django.contrib import admin, messages
from django.db.models import Count, Max
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core import media
from core.workflow import kinds as workflow
from core.workflow.admin import WorkflowAdminMixin

from .forms import GalleryAdminForm, PhotoInlineForm, VideoAdminForm
from .models import Gallery, Photo, Status, Video

PUBLISH = "gallery.publish_gallery"


def can_publish(user):
    return user.has_perm(PUBLISH)


class GalleryWorkflow(workflow.StatusWorkflow):
    publish_permission = PUBLISH
    noun = _("thư viện ảnh")
    follow = ("photos",)  # the photos' list travels with each version

    def label(self, obj):
        return obj.title


class VideoWorkflow(workflow.StatusWorkflow):
    publish_permission = PUBLISH
    noun = _("video")

    def label(self, obj):
        return obj.title


workflow.register(Gallery, GalleryWorkflow(Gallery))
workflow.register(Video, VideoWorkflow(Video))


class PhotoInline(admin.TabularInline):
    model = Photo
    form = PhotoInlineForm
    extra = 3
    fields = ["preview", "image", "caption", "alt_text", "position"]
    readonly_fields = ["preview"]
    ordering = ["position", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form = type("PhotoForm", (formset.form,), {"user": request.user})
        return formset

    @admin.display(description=_("Xem trước"))
    def preview(self, photo):
        if not photo or not photo.item_id:
            return "—"
        return format_html('<img src="{}" alt="" width="120" height="90">', photo.thumb.url)


class ReviewedAdmin(WorkflowAdminMixin, admin.ModelAdmin):
    """What galleries and videos share: the workflow, the stamps, the embed code."""

    preview_template = ""

    list_display = ["title", "date", "status_badge", "embed_code_column"]
    list_filter = ["status"]
    search_fields = ["title", "description"]
    date_hierarchy = "date"
    prepopulated_fields = {}
    # The list's "Xuất bản / Gỡ xuống / Gửi duyệt các … đã chọn": WorkflowAdminMixin's bulk actions (core/workflow).
    readonly_fields = ["embed_code", "created_by", "created_at", "updated_by", "updated_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        allowed, user = can_publish(request.user), request.user

        class RoleForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, can_publish=allowed, user=user, **kw)

        return RoleForm

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj and obj.status in (Status.PUBLISHED, Status.ARCHIVED):
            fields.append("slug")
        return fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if allowed and obj is not None and obj.status == Status.ARCHIVED:
            return can_publish(request.user)  # a live item's edits become a working copy (core/workflow)
        return allowed

    def preview_response(self, request, obj, m2m):
        """The public page as readers will see it ("Xem trước" of core/workflow), never cached."""
        from django.template.response import TemplateResponse
        from django.utils.cache import add_never_cache_headers

        obj.slug = obj.slug or "xem-truoc"
        context = {self.opts.model_name: obj, "object": obj, "preview": True, **self.preview_context(obj)}
        response = TemplateResponse(request, self.preview_template, context)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, private"
        return response

    def preview_context(self, obj):
        return {}

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if allowed and obj is not None and obj.status == Status.PUBLISHED:
            return can_publish(request.user)
        return allowed

    def has_publish_permission(self, request):
        return can_publish(request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("Mã nhúng"))
    def embed_code(self, obj):
        if not obj or not obj.pk:
            return _("Có sau khi lưu.")
        return format_html(
            '<code class="embed-code">{}</code><div class="help">{}</div>',
            obj.embed_code,
            _(
                "Chép mã này vào nội dung bài viết, thành một đoạn riêng: bài viết sẽ hiện {} ở chỗ đó (khi đã xuất bản)."
            ).format(obj._meta.verbose_name),
        )

    @admin.display(description=_("Mã nhúng"))
    def embed_code_column(self, obj):
        return format_html("<code>{}</code>", obj.embed_code)

    @admin.display(description=_("Trạng thái"), ordering="status")
    def status_badge(self, obj):
        scheduled = obj.status == Status.PUBLISHED and obj.publish_at > timezone.now()
        label = _("Hẹn giờ") if scheduled else obj.get_status_display()
        return format_html(
            '<span class="status-badge status-{}">{}</span>', "scheduled" if scheduled else obj.status, label
        )


@admin.register(Gallery)
class GalleryAdmin(ReviewedAdmin):
    form = GalleryAdminForm
    preview_template = "gallery/detail.html"
    inlines = [PhotoInline]
    list_display = ["title", "date", "photo_count", "status_badge", "embed_code_column"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "date", "description", "embed_code"]}),
        (_("Ảnh"), {"fields": ["new_photos"]}),
        (_("Xuất bản"), {"fields": ["status", "publish_at"]}),
        (_("Lịch sử"), {"fields": ["created_by", "created_at", "updated_by", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(photo_total=Count("photos"))

    @admin.display(description=_("Số ảnh"), ordering="photo_total")
    def photo_count(self, obj):
        return obj.photo_total

    def preview_context(self, obj):
        return {"photos": list(obj.photos.select_related("item")) if obj.pk else []}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        gallery = form.instance
        items = form.cleaned_data.get("new_photos")
        if items and self.workflow.is_live(gallery) and not self.can_publish(request):
            # As the photos' table is for a live gallery: what readers see changes with a publisher.
            self.message_user(
                request, _("Thư viện đang xuất bản: chỉ người duyệt thêm được ảnh mới."), messages.WARNING
            )
            items = []
        if items:
            last = gallery.photos.aggregate(last=Max("position"))["last"] or 0
            for offset, item in enumerate(items, start=1):
                Photo.objects.create(gallery=gallery, item=item, caption=item.caption, position=last + offset)
            self.message_user(
                request,
                ngettext(
                    "Đã thêm %d ảnh: hãy ghi chú thích cho ảnh mới.",
                    "Đã thêm %d ảnh: hãy ghi chú thích cho các ảnh mới.",
                    len(items),
                )
                % len(items),
                messages.INFO,
            )
        record_photos(gallery)


def record_photos(gallery):
    """Where the library's items are used (core.media): the gallery uses its photos."""
    items = [photo.item for photo in gallery.photos.select_related("item")]
    media.record_usage(gallery, "photos", items)


@admin.register(Video)
class VideoAdmin(ReviewedAdmin):
    form = VideoAdminForm
    preview_template = "gallery/video.html"
    list_display = ["title", "date", "source", "status_badge", "embed_code_column"]
    list_select_related = ["file"]
    readonly_fields = [*ReviewedAdmin.readonly_fields, "current_file"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "date", "description", "embed_code"]}),
        (_("Video"), {"fields": ["current_file", "video_upload", "poster_upload", "captions_upload", "youtube_url"]}),
        (_("Xuất bản"), {"fields": ["status", "publish_at"]}),
        (_("Lịch sử"), {"fields": ["created_by", "created_at", "updated_by", "updated_at"], "classes": ["collapse"]}),
    ]

    class Media:
        js = ["js/video-admin.js"]

    @admin.display(description=_("Nguồn"))
    def source(self, obj):
        return "YouTube" if obj.youtube_id else (obj.file.filename if obj.file_id else "—")

    @admin.display(description=_("Đang dùng"))
    def current_file(self, obj):
        if not obj or not obj.pk:
            return "—"
        if obj.youtube_id:
            return format_html("YouTube: <code>{}</code>", obj.youtube_id)
        if obj.file_id:
            return format_html(
                '<a href="{}">{}</a> ({})', obj.file.file.url, obj.file.filename, filesizeformat(obj.file.size)
            )
        return "—"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        media.record_usage(obj, "file", [i for i in (obj.file, obj.poster, obj.captions) if i is not None])
