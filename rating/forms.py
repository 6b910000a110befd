from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotField, PlainTextField

from .models import Rating

COMMENT_MAX = 1000


class RatingForm(forms.ModelForm):
    """Five levels and an optional comment; `website` is a trap only robots fill in."""

    level = forms.TypedChoiceField(
        label=_("Bạn đánh giá thế nào về cổng thông tin?"),
        choices=sorted(Rating.Level.choices, reverse=True),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn một mức đánh giá."),
            "invalid_choice": _("Hãy chọn một mức đánh giá."),
        },
    )
    comment = PlainTextField(
        label=_("Góp ý thêm (không bắt buộc)"),
        required=False,
        multiline=True,
        max_chars=COMMENT_MAX,
        # Named here, not only in feedback.forms, so that makemessages puts it in locale/en: this form is on
        # the English pages, the feedback app is not (and is left out of the English catalogue).
        error_messages={"max_chars": _("Tối đa %(limit)s ký tự; bạn đã nhập %(length)s ký tự. Vui lòng rút gọn.")},
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    website = HoneypotField()
    page = forms.CharField(required=False, widget=forms.HiddenInput, max_length=300)

    class Meta:
        model = Rating
        fields = ["level", "comment"]

    @property
    def is_robot(self):
        return bool(self.cleaned_data.get("website"))

    def clean_page(self):
        # Only a path of this site is kept (what the form says it was sent from), never a full URL.
        page = self.cleaned_data.get("page") or ""
        return page if page.startswith("/") and not page.startswith("//") else ""
