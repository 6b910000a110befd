from django import forms
from django.utils.translation import gettext_lazy as _

from core.captcha import CheckedCaptchaField
from core.forms import ContactEmailField, HoneypotField, PhoneField, PlainTextField, honeypot_error

from .models import Comment, Consultation, Phase

COMMENT_MIN = 10
COMMENT_MAX = 8000


class PhaseForm(forms.Form):
    """/lay-y-kien/?trang-thai=dang-lay-y-kien: the list's filter; a wrong value is explained, not a 500."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trang-thai"] = forms.ChoiceField(
            label=_("Trạng thái"),
            required=False,
            choices=[("", _("Tất cả"))] + list(Phase.choices),
            error_messages={"invalid_choice": _("Trạng thái không hợp lệ; đang hiện tất cả dự thảo.")},
        )

    def phase(self):
        return self.cleaned_data.get("trang-thai") or None if self.is_valid() else None


class CommentForm(forms.ModelForm):
    name = PlainTextField(
        label=_("Họ và tên"),
        max_chars=100,
        error_messages={"required": _("Vui lòng nhập họ và tên.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    organisation = PlainTextField(
        label=_("Cơ quan, tổ chức"),
        required=False,
        max_chars=200,
        help_text=_("Không bắt buộc; ghi khi góp ý thay mặt một cơ quan, doanh nghiệp."),
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    email = ContactEmailField(
        help_text=_("Không bắt buộc; để cơ quan soạn thảo liên hệ khi cần làm rõ. Không công khai."),
    )
    phone = PhoneField(
        label=_("Số điện thoại"),
        required=False,
        help_text=_("Không bắt buộc. Không công khai."),
    )
    content = PlainTextField(
        label=_("Ý kiến góp ý"),
        multiline=True,
        min_chars=COMMENT_MIN,
        max_chars=COMMENT_MAX,
        help_text=_("Từ 10 đến 8.000 ký tự; nên ghi rõ điều, khoản của dự thảo mà bạn góp ý."),
        error_messages={"required": _("Vui lòng nhập ý kiến góp ý.")},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    captcha = CheckedCaptchaField(
        label=_("Mã kiểm tra"),
        help_text=_("Nhập các ký tự trong ảnh, không phân biệt chữ hoa, chữ thường."),
    )
    website = HoneypotField()

    class Meta:
        model = Comment
        fields = ["name", "organisation", "email", "phone", "content"]

    def __init__(self, *args, audio_captcha=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["captcha"].widget.audio = audio_captcha

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            self.add_error(None, honeypot_error())
        return cleaned


class ConsultationAdminForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [
            "title",
            "slug",
            "drafting_unit",
            "summary",
            "opens_at",
            "closes_at",
            "publish_at",
            "report",
            "report_published",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5}), "report": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, can_publish=False, **kwargs):
        super().__init__(*args, **kwargs)
        # The status is the workflow's (core/workflow's buttons); publishing the report is a publisher's.
        if not can_publish and "report_published" in self.fields:
            self.fields["report_published"].disabled = True
