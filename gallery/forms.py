"""The admin's forms for galleries and videos: uploads become media library items (core.media), checked
with Vietnamese messages (an image by core.images, a video by its size and MP4 header, captions as WebVTT)."""

import hashlib
import re
from urllib.parse import parse_qs, urlsplit

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core import media
from core.images import safe_filename
from core.models import MediaItem

from .models import Gallery, Photo, Status, Video

IMAGE_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"
CAPTIONS_MAX_BYTES = 1024 * 1024
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}


def limit_status(form, can_publish):
    """Editors keep their work as a draft or send it for review; publishing is for those who may."""
    if not can_publish and "status" in form.fields:
        allowed = {Status.DRAFT, Status.PENDING}
        form.fields["status"].choices = [c for c in form.fields["status"].choices if c[0] in allowed]
        form.fields["status"].help_text = _("Chọn “Chờ duyệt” để gửi cho người duyệt xuất bản.")


class MultipleImagesInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImagesField(forms.FileField):
    widget = MultipleImagesInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleImagesField, self).clean(f, initial) for f in files]


def library_image(upload, user, **fields):
    """The upload checked and kept in the media library (the same file again: the item already there)."""
    item, _created = media.add_upload(upload, user, kinds=(MediaItem.Kind.IMAGE,), **fields)
    return item


class GalleryAdminForm(forms.ModelForm):
    new_photos = MultipleImagesField(
        label=_("Thêm nhiều ảnh cùng lúc"),
        required=False,
        widget=MultipleImagesInput(attrs={"accept": IMAGE_ACCEPT, "multiple": True}),
        help_text=_(
            "Chọn một hoặc nhiều ảnh (JPEG, PNG, WebP, GIF; mỗi ảnh tối đa 10 MB): ảnh được thêm vào cuối thư viện, "
            "sau đó hãy ghi chú thích cho từng ảnh ở bảng bên dưới."
        ),
    )

    class Meta:
        model = Gallery
        fields = ["title", "slug", "date", "description", "status", "publish_at"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, can_publish=True, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        limit_status(self, can_publish)

    def clean_new_photos(self):
        items, errors = [], []
        for upload in self.cleaned_data.get("new_photos") or []:
            try:
                items.append(library_image(upload, self.user))
            except ValidationError as error:
                errors.append(
                    ValidationError(
                        _("“%(name)s”: %(problem)s") % {"name": upload.name, "problem": " ".join(error.messages)}
                    )
                )
        if errors:
            raise ValidationError(errors)
        return items


class PhotoInlineForm(forms.ModelForm):
    image = forms.FileField(
        label=_("Tệp ảnh"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("JPEG, PNG, WebP hoặc GIF; tối đa 10 MB."),
    )
    alt_text = forms.CharField(
        label=_("Mô tả ảnh (alt)"),
        required=False,
        max_length=255,
        help_text=_("Cho người dùng trình đọc màn hình; để trống thì dùng chú thích."),
    )

    user = None  # set by the inline (PhotoInline.get_formset)

    class Meta:
        model = Photo
        fields = ["image", "caption", "alt_text", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.item_id:
            self.fields["alt_text"].initial = self.instance.item.alt_text
        self.fields["position"].required = False

    def has_changed(self):
        if not self.instance.pk:  # an empty new row (whatever its position says) is left out
            typed = any(self.data.get(self.add_prefix(name), "").strip() for name in ("caption", "alt_text"))
            return typed or bool(self.files.get(self.add_prefix("image")))
        return super().has_changed()

    def clean_position(self):
        return self.cleaned_data.get("position") or 0

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("image")
        if not self.instance.pk and not upload:
            if cleaned.get("caption") or cleaned.get("alt_text"):
                self.add_error("image", _("Hãy chọn ảnh cho dòng này (hoặc xoá chú thích để bỏ trống dòng)."))
            return cleaned
        if not cleaned.get("caption") and not cleaned.get("alt_text"):
            self.add_error("caption", _("Hãy ghi chú thích hoặc mô tả ảnh cho người đọc dùng trình đọc màn hình."))
        if upload and not self.errors:
            try:
                self.instance.item = library_image(
                    upload, self.user, alt_text=cleaned.get("alt_text", ""), caption=cleaned.get("caption", "")
                )
            except ValidationError as error:
                self.add_error("image", error)
        return cleaned

    def save(self, commit=True):
        photo = super().save(commit=False)
        alt = self.cleaned_data.get("alt_text", "")
        if photo.item_id and photo.item.alt_text != alt and alt:
            photo.item.alt_text = alt
            photo.item.save(update_fields=["alt_text", "updated_at"])
        if commit:
            photo.save()
        return photo


def youtube_id(value):
    """The video id of a YouTube address (watch?v=, youtu.be/, /embed/, /shorts/, /live/) or of a bare id."""
    value = (value or "").strip()
    if _YOUTUBE_ID.match(value):
        return value
    parts = urlsplit(value if "//" in value else "https://" + value)
    host = (parts.hostname or "").lower()
    candidate = ""
    if host == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif host in _YOUTUBE_HOSTS:
        if parts.path == "/watch":
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        else:
            pieces = parts.path.strip("/").split("/")
            if len(pieces) >= 2 and pieces[0] in ("embed", "shorts", "live", "v"):
                candidate = pieces[1]
    return candidate if _YOUTUBE_ID.match(candidate) else None


class VideoAdminForm(forms.ModelForm):
    video_upload = forms.FileField(
        label=_("Tệp video (MP4)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "video/mp4,.mp4"}),
    )
    poster_upload = forms.FileField(
        label=_("Ảnh đại diện"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
        help_text=_("Hiện trước khi phát video. JPEG, PNG, WebP hoặc GIF; tối đa 10 MB."),
    )
    captions_upload = forms.FileField(
        label=_("Phụ đề (WebVTT)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"}),
        help_text=_("Tệp .vtt (UTF-8), tối đa 1 MB: lời thoại cho người khiếm thính và khi tắt tiếng."),
    )
    youtube_url = forms.CharField(
        label=_("Hoặc đường dẫn YouTube"),
        required=False,
        max_length=300,
        help_text=_("Ví dụ https://www.youtube.com/watch?v=… hoặc https://youtu.be/…; phát qua youtube-nocookie.com."),
    )

    class Meta:
        model = Video
        fields = ["title", "slug", "date", "description", "status", "publish_at"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, can_publish=True, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        limit_status(self, can_publish)
        limit = settings.VIDEO_MAX_BYTES
        self.fields["video_upload"].help_text = _("MP4 (H.264), tối đa %(limit)s.") % {"limit": filesizeformat(limit)}
        self.fields["video_upload"].widget.attrs["data-max-bytes"] = str(limit)
        if self.instance.youtube_id:
            self.fields["youtube_url"].initial = f"https://www.youtube.com/watch?v={self.instance.youtube_id}"

    def clean_video_upload(self):
        upload = self.cleaned_data.get("video_upload")
        if not upload:
            return None
        limit = settings.VIDEO_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _(
                    "Video quá lớn (%(size)s). Dung lượng tối đa là %(limit)s: hãy nén lại hoặc đăng lên YouTube rồi dán đường dẫn."
                )
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        upload.seek(0)
        head = upload.read(12)
        upload.seek(0)
        if not upload.name.lower().endswith(".mp4") or head[4:8] != b"ftyp":
            raise ValidationError(_("Chỉ nhận video MP4 (H.264), tệp có đuôi .mp4."), code="format")
        return upload

    def clean_poster_upload(self):
        upload = self.cleaned_data.get("poster_upload")
        return library_image(upload, self.user, alt_text="") if upload else None

    def clean_captions_upload(self):
        upload = self.cleaned_data.get("captions_upload")
        if not upload:
            return None
        if upload.size > CAPTIONS_MAX_BYTES:
            raise ValidationError(_("Tệp phụ đề quá lớn. Dung lượng tối đa là 1 MB."), code="too_large")
        upload.seek(0)
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(_("Tệp phụ đề phải là văn bản UTF-8."), code="encoding") from None
        finally:
            upload.seek(0)
        if not text.startswith("WEBVTT") or "-->" not in text:
            raise ValidationError(
                _("Tệp phụ đề không đúng định dạng WebVTT (phải bắt đầu bằng “WEBVTT” và có mốc thời gian “-->”)."),
                code="format",
            )
        return upload

    def clean_youtube_url(self):
        value = self.cleaned_data.get("youtube_url", "").strip()
        if not value:
            return ""
        found = youtube_id(value)
        if not found:
            raise ValidationError(
                _("Đường dẫn YouTube không hợp lệ. Hãy dán địa chỉ của một video, ví dụ https://youtu.be/…"),
                code="youtube",
            )
        return found

    def clean(self):
        cleaned = super().clean()
        has_file = bool(cleaned.get("video_upload") or self.instance.file_id)
        has_youtube = bool(cleaned.get("youtube_url"))
        if "video_upload" in self.errors or "youtube_url" in self.errors:
            return cleaned
        if cleaned.get("video_upload") and has_youtube:
            raise ValidationError(_("Chọn một trong hai: tải lên tệp video hoặc dán đường dẫn YouTube."))
        if not has_file and not has_youtube:
            raise ValidationError(_("Hãy tải lên tệp video MP4 hoặc dán đường dẫn YouTube."))
        return cleaned

    def save(self, commit=True):
        video = super().save(commit=False)
        data = self.cleaned_data
        if upload := data.get("video_upload"):
            video.file = stored_item(upload, MediaItem.Kind.VIDEO, "video/mp4", "mp4", self.user, video.title)
            video.youtube_id = ""
        elif data.get("youtube_url"):
            video.youtube_id = data["youtube_url"]
            video.file = None
        if poster := data.get("poster_upload"):
            video.poster = poster
        if captions := data.get("captions_upload"):
            video.captions = stored_item(captions, MediaItem.Kind.OTHER, "text/vtt", "vtt", self.user, video.title)
        if commit:
            video.save()
        return video


def stored_item(upload, kind, content_type, extension, user, title):
    """A media library item for a checked video or captions file (streamed: never read whole into memory)."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    item = MediaItem(
        kind=kind,
        title=title[:255],
        size=upload.size,
        content_type=content_type,
        sha256=digest.hexdigest(),
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    item.file.save(safe_filename(upload.name, extension), upload, save=False)
    item.save()
    return item
