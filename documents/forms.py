from urllib.parse import urlencode

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from core.search import SearchBoxField

from .models import Document, DocumentType, Field, IssuingBody, Procedure, Validity


class SlugChoiceField(forms.ModelChoiceField):
    def __init__(self, queryset, *, label, empty_label, missing):
        super().__init__(
            queryset=queryset,
            to_field_name="slug",
            required=False,
            label=label,
            empty_label=empty_label,
            error_messages={"invalid_choice": missing},
        )


class QueryStringMixin:
    def query_string(self):
        """The form's valid parameters (no page), for pagination links."""
        if not hasattr(self, "cleaned_data"):
            return ""
        params = {}
        for name in self.fields:
            value = self.cleaned_data.get(name)
            if isinstance(value, Model):
                value = value.slug
            if value not in (None, ""):
                params[name] = value
        return urlencode(params)

    def filters(self):
        """The valid values, also when another field is wrong: a bad year does not hide the search."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class DocumentFilterForm(QueryStringMixin, forms.Form):
    """/van-ban/'s GET parameters; nothing reaches the database unchecked."""

    q = SearchBoxField(label=_("Số ký hiệu hoặc trích yếu"))
    loai = SlugChoiceField(
        DocumentType.objects.all(),
        label=_("Loại văn bản"),
        empty_label=_("Tất cả loại văn bản"),
        missing=_("Loại văn bản này không có trong danh sách."),
    )
    co_quan = SlugChoiceField(
        IssuingBody.objects.all(),
        label=_("Cơ quan ban hành"),
        empty_label=_("Tất cả cơ quan"),
        missing=_("Cơ quan này không có trong danh sách."),
    )
    linh_vuc = SlugChoiceField(
        Field.objects.all(),
        label=_("Lĩnh vực"),
        empty_label=_("Tất cả lĩnh vực"),
        missing=_("Lĩnh vực này không có trong danh sách."),
    )
    nam = forms.TypedChoiceField(
        label=_("Năm ban hành"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Chưa có văn bản nào ban hành năm này; hãy chọn năm trong danh sách.")},
    )
    hieu_luc = forms.ChoiceField(
        label=_("Tình trạng hiệu lực"),
        required=False,
        choices=[("", _("Tất cả"))] + [(v.value, v.label) for v in Validity],
        error_messages={"invalid_choice": _("Tình trạng hiệu lực không hợp lệ.")},
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = [("", _("Tất cả các năm"))] + [(year, str(year)) for year in years]
        self.fields["q"].widget.attrs["placeholder"] = _("Ví dụ: 12/2023/QĐ-UBND hoặc quyết định khoa học")

    @property
    def has_filters(self):
        return any(self.data.get(name) for name in ("loai", "co_quan", "linh_vuc", "nam", "hieu_luc"))


class ProcedureFilterForm(QueryStringMixin, forms.Form):
    q = SearchBoxField(label=_("Tên hoặc mã thủ tục"))
    linh_vuc = SlugChoiceField(
        Field.objects.filter(procedures__isnull=False).distinct(),
        label=_("Lĩnh vực"),
        empty_label=_("Tất cả lĩnh vực"),
        missing=_("Lĩnh vực này không có trong danh sách."),
    )
    cap = forms.ChoiceField(
        label=_("Cấp thực hiện"),
        required=False,
        choices=[("", _("Tất cả các cấp"))] + list(Procedure.Level.choices),
        error_messages={"invalid_choice": _("Cấp thực hiện không hợp lệ.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Ví dụ: đăng ký kết quả nhiệm vụ, 1.004495")


class DocumentAdminForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = [
            "doc_type",
            "number",
            "summary",
            "issuer",
            "signer",
            "fields",
            "slug",
            "issued_on",
            "effective_on",
            "expires_on",
            "validity_override",
            "section",
            "is_published",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def clean(self):
        cleaned = super().clean()
        issued, effective, expires = (cleaned.get(name) for name in ("issued_on", "effective_on", "expires_on"))
        if expires and effective and expires <= effective:
            self.add_error("expires_on", _("Ngày hết hiệu lực phải sau ngày có hiệu lực."))
        elif expires and issued and expires <= issued:
            self.add_error("expires_on", _("Ngày hết hiệu lực phải sau ngày ban hành."))
        return cleaned
