from django import forms
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.captcha import CheckedCaptchaField
from core.forms import ContactEmailField, HoneypotField, PhoneField, PlainTextField, honeypot_error
from news.models import Article

from . import attachments
from .codes import LENGTH, PREFIX, normalise_code
from .models import Feedback

NAME_MAX = 100
TITLE_MAX = 200
CONTENT_MIN = 10
CONTENT_MAX = 5000


class PublishedArticleField(forms.Field):
    """A published article given by id or slug; anything else quietly means "no article".

    (The article may have been unpublished while the reader was typing: the feedback still counts,
    and a hidden field's error could not be corrected anyway.)"""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.pk if isinstance(value, Article) else value

    def to_python(self, value):
        if isinstance(value, Article):
            return value
        value = str(value or "").strip()[:320]
        if not value or "\x00" in value:  # PostgreSQL refuses NUL in text: it can be no slug
            return None
        articles = Article.objects.published().only("id", "title", "slug")
        lookup = {"pk": int(value)} if value.isascii() and value.isdigit() and len(value) < 19 else {"slug": value}
        return articles.filter(**lookup).first()


class FeedbackForm(forms.ModelForm):
    name = PlainTextField(
        label=_("Họ và tên"),
        max_chars=NAME_MAX,
        error_messages={"required": _("Vui lòng nhập họ và tên.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = ContactEmailField(
        help_text=_("Không bắt buộc; để nhận mã tra cứu và câu trả lời qua thư."),
    )
    phone = PhoneField(
        label=_("Số điện thoại"),
        required=False,
        help_text=_("Không bắt buộc; để cán bộ liên hệ khi cần làm rõ."),
    )
    title = PlainTextField(
        label=_("Tiêu đề"),
        max_chars=TITLE_MAX,
        error_messages={"required": _("Vui lòng nhập tiêu đề.")},
    )
    content = PlainTextField(
        label=_("Nội dung"),
        multiline=True,
        min_chars=CONTENT_MIN,
        max_chars=CONTENT_MAX,
        help_text=_("Từ 10 đến 5.000 ký tự, văn bản thuần (không định dạng, không mã HTML)."),
        error_messages={"required": _("Vui lòng nhập nội dung góp ý hoặc câu hỏi.")},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    captcha = CheckedCaptchaField(
        label=_("Mã kiểm tra"),
        help_text=_("Nhập các ký tự trong ảnh, không phân biệt chữ hoa, chữ thường."),
    )
    website = HoneypotField()
    article = PublishedArticleField()
    attachments = attachments.AttachmentsField(label=attachments.LABEL, required=False)

    class Meta:
        model = Feedback
        fields = ["name", "email", "phone", "title", "content", "article"]

    def __init__(self, *args, article=None, deferred_captcha=False, audio_captcha=False, **kwargs):
        super().__init__(*args, **kwargs)
        if article is not None:
            self.initial["article"] = article
        self.fields["captcha"].widget.deferred = deferred_captcha
        if deferred_captcha:  # under an article: "Nghe mã" without JavaScript opens the full form
            self.fields["captcha"].widget.listen_url = f"{reverse('feedback:create')}?nghe=1"
        self.fields["captcha"].widget.audio = audio_captcha
        self.fields["attachments"].help_text = attachments.help_text()
        self._article = article
        # Files already received with an earlier attempt of this form (tokens sent back by the page).
        self.kept_attachments = attachments.pending(self.data.getlist("kept")) if self.is_bound else []
        self.new_uploads = []

    @property
    def about_article(self):
        """The article this form is about (cleaned when bound, else the initial one)."""
        if self.is_bound and hasattr(self, "cleaned_data"):
            return self.cleaned_data.get("article")
        return self._article

    def clean_attachments(self):
        """Each file checked on its own: a bad one is named and dropped, the good ones are kept (stored
        as pending by keep_uploads() if the form goes back with an error)."""
        errors = []
        for upload in self.cleaned_data.get("attachments") or []:
            try:
                self.new_uploads.append(attachments.check_upload(upload))
            except forms.ValidationError as error:
                errors.extend(error.messages)
        room = settings.FEEDBACK_ATTACHMENTS_MAX - len(self.kept_attachments)
        if len(self.new_uploads) > room:
            errors.append(
                _("Chỉ đính kèm được tối đa %(max)d tệp; đã giữ %(kept)d tệp đầu tiên.")
                % {"max": settings.FEEDBACK_ATTACHMENTS_MAX, "kept": settings.FEEDBACK_ATTACHMENTS_MAX}
            )
            self.new_uploads = self.new_uploads[: max(room, 0)]
        if errors:
            raise forms.ValidationError(errors)
        return self.new_uploads

    def keep_uploads(self):
        """The form goes back to the citizen: store the files it received, so they stay chosen."""
        if self.new_uploads:
            self.kept_attachments += attachments.keep(self.new_uploads)
            self.new_uploads = []

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            self.add_error(None, honeypot_error())
        return cleaned


class DeferredFeedbackForm(FeedbackForm):
    """The form under an article: the same fields, the captcha fetched by JavaScript."""

    def __init__(self, *args, **kwargs):
        kwargs["deferred_captcha"] = True
        super().__init__(*args, **kwargs)


class ArticleRefForm(forms.Form):
    """`/gop-y/?bai-viet=<id or slug>`: the no-JavaScript way from an article to the full form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bai-viet"] = PublishedArticleField()

    def article(self):
        return self.cleaned_data.get("bai-viet") if self.is_valid() else None


class ThanksForm(forms.Form):
    """The thank-you page's `?t=`: the new code, signed, valid for a day."""

    SALT = "feedback.thanks"
    MAX_AGE = 24 * 3600

    t = forms.CharField(max_length=200)

    @classmethod
    def token(cls, code):
        return signing.dumps(code, salt=cls.SALT, compress=False)

    def clean_t(self):
        try:
            return signing.loads(self.cleaned_data["t"], salt=self.SALT, max_age=self.MAX_AGE)
        except signing.BadSignature as error:
            raise forms.ValidationError("invalid", code="invalid") from error

    def feedback(self):
        return Feedback.objects.select_related("article").filter(code=self.cleaned_data["t"]).first()


class CodeField(forms.CharField):
    def bound_data(self, data, initial):
        return normalise_code(data) or data  # shown back as GY-XXXXXXXX however it was typed


class LookupForm(forms.Form):
    ma = CodeField(
        label=_("Mã tra cứu"),
        max_length=40,
        help_text=_("Mã có dạng GY-7K3P9QXM, ghi trên trang cảm ơn và trong thư xác nhận."),
        error_messages={"required": _("Vui lòng nhập mã tra cứu.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": f"{PREFIX}XXXXXXXX",
            }
        ),
    )

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.queryset = Feedback.objects.all() if queryset is None else queryset  # e.g. with the rate limit read along
        self.feedback = None

    def clean_ma(self):
        code = normalise_code(self.cleaned_data["ma"])
        if not code:
            raise forms.ValidationError(
                _("Mã tra cứu gồm “%(prefix)s” và %(length)s ký tự chữ, số, ví dụ %(example)s."),
                code="invalid",
                params={"prefix": PREFIX, "length": LENGTH, "example": f"{PREFIX}7K3P9QXM"},
            )
        return code

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("ma")
        if code:
            self.feedback = self.queryset.select_related("article").filter(code=code).first()
            if self.feedback is None:
                self.add_error(
                    "ma",
                    forms.ValidationError(
                        _("Không tìm thấy góp ý nào có mã %(code)s. Vui lòng kiểm tra lại mã."),
                        code="not_found",
                        params={"code": code},
                    ),
                )
        return cleaned


class QASearchForm(forms.Form):
    q = forms.CharField(
        label=_("Từ khoá"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Ví dụ: đề tài khoa học, sở hữu trí tuệ…")}),
    )

    def query(self):
        return self.cleaned_data.get("q", "") if self.is_valid() else ""
