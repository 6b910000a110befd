from django import forms
from django.utils.translation import gettext_lazy as _

from core import mediaforms
from core.forms import check_image_alts

from .models import Article


class ArticleAdminForm(forms.ModelForm):
    # Upload into the media library or pick from it (core.mediaforms); core.images checks an upload's content
    # (size first, then pixels, then format), so every refusal gets our precise Vietnamese message. A valid
    # upload is kept as a library item at once: a form sent back for another error still has its cover.
    cover = mediaforms.LibraryImageField(
        label=_("Ảnh đại diện"),
        alt_field="cover_alt",
        caption_field="cover_caption",
        help_text=_("JPEG, PNG, WebP hoặc GIF; tối đa 10 MB và 40 triệu điểm ảnh. Thông tin EXIF sẽ được xoá."),
    )
    media_user = None  # who uploads (set by the admin's get_form): the library item's uploader

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "category",
            "summary",
            "body",
            "cover",
            "cover_caption",
            "cover_alt",
            "status",
            "publish_at",
            "featured",
            "author",
            "source",
        ]
        widgets = {
            "body": mediaforms.LibraryEditorWidget(config_name="default"),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, can_publish=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_publish and "status" in self.fields:
            allowed = {Article.Status.DRAFT, Article.Status.PENDING}
            self.fields["status"].choices = [c for c in self.fields["status"].choices if c[0] in allowed]
            self.fields["status"].help_text = _("Chọn “Chờ duyệt” để gửi bài cho người duyệt xuất bản.")
        if "body" in self.fields:
            self.fields["body"].required = False

    def clean_cover(self):
        cover, self.cover_item = mediaforms.resolve(self, "cover", self.media_user, folder="covers")
        return cover

    def clean_body(self):
        return check_image_alts(self.cleaned_data.get("body"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cover") and not cleaned.get("cover_alt"):
            if getattr(self, "cover_item", None) and self.cover_item.alt_text:
                mediaforms.propose_alt(self, self.cover_item, "cover_alt", "cover_caption")
            else:
                self.add_error("cover_alt", _("Hãy mô tả ảnh đại diện cho người đọc dùng trình đọc màn hình."))
        return cleaned
