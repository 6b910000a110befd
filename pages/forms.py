from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import check_image_alts
from core.images import clean_image_upload
from core.mediaforms import LibraryEditorWidget

from .models import Leader, Page


class PageAdminForm(forms.ModelForm):
    """Both languages side by side; images in either body need their alt text (news.forms.check_image_alts)."""

    class Meta:
        model = Page
        fields = ["title", "summary", "body", "title_en", "summary_en", "body_en"]
        widgets = {
            "body": LibraryEditorWidget(config_name="default"),
            "body_en": LibraryEditorWidget(config_name="default"),
            "summary": forms.Textarea(attrs={"rows": 2}),
            "summary_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("body", "body_en"):
            if name in self.fields:  # not in the read-only view (someone else holds the edit lock)
                self.fields[name].required = False  # CKEditor fills the textarea itself

    def clean_body(self):
        return check_image_alts(self.cleaned_data.get("body"))

    def clean_body_en(self):
        return check_image_alts(self.cleaned_data.get("body_en"))


class LeaderAdminForm(forms.ModelForm):
    # Checked and re-encoded without EXIF like article covers (core.images).
    photo = forms.FileField(
        label=_("Ảnh chân dung"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "JPEG, PNG hoặc WebP, ảnh đứng (tỉ lệ 4:5), tối đa 10 MB. Mô tả ảnh cho người khiếm thị được "
            "tạo tự động từ họ tên và chức vụ."
        ),
    )

    class Meta:
        model = Leader
        fields = [
            "name",
            "title",
            "title_en",
            "duties",
            "duties_en",
            "photo",
            "phone",
            "email",
            "position",
            "is_shown",
        ]
        widgets = {"duties": forms.Textarea(attrs={"rows": 3}), "duties_en": forms.Textarea(attrs={"rows": 3})}

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and hasattr(photo, "content_type"):  # a new upload, not the stored file
            return clean_image_upload(photo)
        return photo
