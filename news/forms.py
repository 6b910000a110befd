from django import forms
from django.utils.translation import gettext_lazy as _
from django_ckeditor_5.widgets import CKEditor5Widget

from core.forms import check_image_alts
from core.images import clean_image_upload

from .models import Article


class ArticleAdminForm(forms.ModelForm):
    # A plain file field: core.images checks the content itself (size first, then pixels, then format),
    # so every refusal gets our precise Vietnamese message.
    cover = forms.FileField(
        label=_("Ảnh đại diện"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        help_text=_("JPEG, PNG, WebP hoặc GIF; tối đa 10 MB và 40 triệu điểm ảnh. Thông tin EXIF sẽ được xoá."),
    )

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
            "body": CKEditor5Widget(config_name="default"),
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
        cover = self.cleaned_data.get("cover")
        if cover and hasattr(cover, "content_type"):  # a new upload, not the stored file
            return clean_image_upload(cover)
        return cover

    def clean_body(self):
        return check_image_alts(self.cleaned_data.get("body"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("cover") and not cleaned.get("cover_alt"):
            self.add_error("cover_alt", _("Hãy mô tả ảnh đại diện cho người đọc dùng trình đọc màn hình."))
        return cleaned
