from django import forms
from django.utils.translation import gettext_lazy as _

from .models import WebLink, is_external


class WebLinkChoiceForm(forms.Form):
    """ "Liên kết website": the agency chosen in the select box (only a published link can be chosen)."""

    id = forms.ModelChoiceField(
        queryset=WebLink.objects.none(),
        label=_("Chọn website liên kết"),
        error_messages={
            "required": _("Hãy chọn một website trong danh sách."),
            "invalid_choice": _(
                "Không tìm thấy liên kết bạn chọn: có thể liên kết đã được gỡ. Hãy chọn trong danh sách dưới đây."
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id"].queryset = WebLink.objects.published()  # "now" at each request, not at start-up

    def clean_id(self):
        link = self.cleaned_data["id"]
        if not is_external(link.url):  # only http(s) addresses are ever led to (the admin form checks it too)
            raise forms.ValidationError(self.fields["id"].error_messages["invalid_choice"], code="invalid_choice")
        return link
