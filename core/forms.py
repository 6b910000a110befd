"""Form pieces every public and admin form shares: reader text that loses nothing, a honeypot, numbers
written the Vietnamese way, and the text-alternative check for images in rich text."""

import re
import unicodedata
from html.parser import HTMLParser

from django import forms
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from .text import clean_text, text_length


def grouped(number):
    """5000 → "5.000", as Vietnamese write it (Django's "vi" formats define no grouping); "5,000" in English."""
    return f"{number:,}" if get_language() == "en" else f"{number:,}".replace(",", ".")


class PlainTextField(forms.CharField):
    """Reader text: cleaned (NFC, no control characters) *before* it is measured and validated.

    Lengths are checked here, not by a `maxlength` attribute: a browser silently cuts pasted text
    at `maxlength`, and nothing a reader typed may be lost. static/js/feedback.js shows a counter."""

    default_error_messages = {
        "max_chars": _("Tối đa %(limit)s ký tự; bạn đã nhập %(length)s ký tự. Vui lòng rút gọn."),
        "min_chars": _("Cần ít nhất %(limit)s ký tự; bạn mới nhập %(length)s ký tự."),
    }

    def __init__(self, *, min_chars=None, max_chars=None, multiline=False, **kwargs):
        self.min_chars, self.max_chars, self.multiline = min_chars, max_chars, multiline
        super().__init__(**kwargs)

    def to_python(self, value):
        return clean_text(value, multiline=self.multiline)

    def bound_data(self, data, initial):
        # Shown back after an error exactly as it would be stored (no NUL or escape sequences).
        return clean_text(data, multiline=self.multiline) if isinstance(data, str) else data

    def validate(self, value):
        super().validate(value)
        if not value:
            return
        length = text_length(value)
        if self.max_chars and length > self.max_chars:
            raise forms.ValidationError(
                self.error_messages["max_chars"],
                code="max_length",
                params={"limit": grouped(self.max_chars), "length": grouped(length)},
            )
        if self.min_chars and length < self.min_chars:
            raise forms.ValidationError(
                self.error_messages["min_chars"],
                code="min_length",
                params={"limit": grouped(self.min_chars), "length": grouped(length)},
            )

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.max_chars:
            attrs["data-maxchars"] = str(self.max_chars)
        return attrs


class HoneypotInput(forms.TextInput):
    """Never shows a value back: a person who filled it by mistake just sends the form again."""

    def format_value(self, value):
        return None


class HoneypotField(forms.CharField):
    """A trap for robots: a box hidden from people by CSS (`.hp`), filled by scripts that fill every box.
    The form says what happened with `honeypot_error()` and keeps everything else the person typed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Để trống ô này"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", HoneypotInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
        super().__init__(**kwargs)


def honeypot_error():
    return forms.ValidationError(
        _(
            "Chưa gửi được: ô “Để trống ô này” (dùng để chặn thư rác tự động) đã bị điền. "
            "Nội dung của bạn vẫn còn nguyên, vui lòng nhập mã kiểm tra mới và gửi lại."
        ),
        code="honeypot",
    )


class ContactEmailField(forms.EmailField):
    """An e-mail address a citizen may leave (optional unless required=True): Vietnamese messages, the
    phone keyboard's e-mail layout, and the domain in lower case (the part before @ is the mailbox's own)."""

    default_error_messages = {
        "invalid": _("Địa chỉ email chưa đúng. Ví dụ: nguyenvana@gmail.com."),
        "max_length": _("Địa chỉ email quá dài."),
    }
    widget = forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Email"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        local, _at, domain = value.rpartition("@")
        return f"{local}@{domain.lower()}"


class _ImageAlts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.missing = 0

    def handle_starttag(self, tag, attrs):
        if tag == "img" and not (dict(attrs).get("alt") or "").strip():
            self.missing += 1


def check_image_alts(html):
    """Every image an editor puts in rich text needs a text alternative (Circular 26/2020/TT-BTTTT, WCAG 1.1.1)."""
    parser = _ImageAlts()
    parser.feed(html or "")
    parser.close()
    if parser.missing:
        raise forms.ValidationError(
            ngettext(
                "Có %(count)d ảnh trong nội dung chưa có mô tả cho người khiếm thị. Hãy bấm vào ảnh, chọn nút "
                "“Đổi chữ alt của ảnh” trên thanh công cụ của ảnh và mô tả nội dung ảnh.",
                "Có %(count)d ảnh trong nội dung chưa có mô tả cho người khiếm thị. Hãy bấm vào từng ảnh, chọn nút "
                "“Đổi chữ alt của ảnh” trên thanh công cụ của ảnh và mô tả nội dung ảnh.",
                parser.missing,
            )
            % {"count": parser.missing},
            code="image_alt",
        )
    return html


# Vietnamese numbers: mobiles 0[35789]x xxx xxxx, landlines 02xx xxxx xxx (area code + subscriber),
# written with +84 or 0, spaces, dots, dashes or brackets.
PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")
PHONE_NUMBER = re.compile(r"^(?:\+84|84|0)([35789]\d{8}|2\d{9})$", re.ASCII)


class PhoneField(forms.CharField):
    """A Vietnamese phone number as people type it (spaces, dots, +84, full-width digits), kept as 0…;
    the phone's number keypad."""

    default_error_messages = {
        "invalid": _("Số điện thoại chưa đúng. Ví dụ: 0912 345 678 hoặc 0203 3826 789."),
    }
    widget = forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"})

    def to_python(self, value):
        return clean_text(value, multiline=False)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        # NFKC: full-width digits typed with some keyboards become 0-9.
        match = PHONE_NUMBER.match(PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", value)))
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return "0" + match.group(1)
