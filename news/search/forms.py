"""The search page's form: words, a category (with its subcategories) and a date range."""

from datetime import datetime
from urllib.parse import urlencode

from django import forms
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.search import SearchBoxField

from ..models import Category


def _category_choices_queryset():
    return Category.objects.select_related("parent").order_by(
        Coalesce("parent__position", "position"),
        Coalesce("parent_id", "id"),
        F("parent_id").asc(nulls_first=True),
        "position",
        "name",
    )


class RememberedSelect(forms.Select):
    """A <select> of categories: its options come from the database but change only with the site's
    content, so its HTML is remembered per process for each content version, language, value and
    attributes (rendering it through the form templates cost ~7 ms of every search page)."""

    def render(self, name, value, attrs=None, renderer=None):
        from core.fragments import remembered
        from core.pagecache import content_version

        version = content_version()
        if version is None or len(str(value)) > 64:  # slugs are short: anything longer is not remembered
            return super().render(name, value, attrs, renderer)
        key = ("select", name, str(value), tuple(sorted((attrs or {}).items())), get_language(), version)
        return remembered(key, lambda: super(RememberedSelect, self).render(name, value, attrs, renderer))


class CategoryChoiceField(forms.ModelChoiceField):
    widget = RememberedSelect

    def label_from_instance(self, obj):
        return f"— {obj.name}" if obj.parent_id else obj.name


class ArticleSearchForm(forms.Form):
    """Validates the search page's GET parameters; nothing reaches the database unchecked."""

    MIN_DATE = datetime(1900, 1, 1).date()
    MAX_DATE = datetime(2100, 12, 31).date()
    DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
    date_error = _("Ngày không hợp lệ; hãy chọn một ngày có thật, ví dụ 10/01/2023.")

    q = SearchBoxField(label=_("Từ khóa"))
    chuyen_muc = CategoryChoiceField(
        queryset=_category_choices_queryset(),
        to_field_name="slug",
        required=False,
        label=_("Chuyên mục"),
        empty_label=_("Tất cả chuyên mục"),
        error_messages={"invalid_choice": _("Chuyên mục này không tồn tại.")},
    )
    tu_ngay = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": date_error},
    )
    den_ngay = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": date_error},
    )

    def _check_range(self, name):
        value = self.cleaned_data.get(name)
        if value and not (self.MIN_DATE <= value <= self.MAX_DATE):
            raise forms.ValidationError(_("Hãy chọn một ngày trong khoảng năm 1900 đến năm 2100."), code="range")
        return value

    def clean_tu_ngay(self):
        return self._check_range("tu_ngay")

    def clean_den_ngay(self):
        return self._check_range("den_ngay")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("tu_ngay"), cleaned.get("den_ngay")
        if start and end and start > end:
            self.add_error("den_ngay", _("“Đến ngày” phải sau hoặc trùng “Từ ngày”."))
        return cleaned

    def query_string(self):
        """The search's own parameters (no page), for pagination links."""
        params = {}
        for name in ("q", "chuyen_muc", "tu_ngay", "den_ngay"):
            value = self.cleaned_data.get(name)
            if isinstance(value, Category):
                value = value.slug
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            if value:
                params[name] = value
        return urlencode(params)


class PageNumberField(forms.CharField):
    """`?page=`: never an error; Paginator.get_page() turns anything unusable into the nearest page."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        return super().to_python(value)[:12]


class SiteSearchForm(ArticleSearchForm):
    """/tim-kiem/'s parameters: the article search's, the kind of result (`loai`, a provider's slug;
    empty for every kind) and the page. Article filters imply the articles' kind."""

    ARTICLES = "tin-bai"
    ARTICLE_FILTERS = ("chuyen_muc", "tu_ngay", "den_ngay")

    loai = forms.ChoiceField(
        label=_("Loại kết quả"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Không có loại kết quả này; hãy chọn một thẻ bên dưới.")},
    )
    page = PageNumberField()

    def __init__(self, *args, **kwargs):
        from core.search import providers

        super().__init__(*args, **kwargs)
        self.providers = providers.providers()
        self.fields["loai"].choices = [("", _("Tất cả")), *((p.slug, p.label) for p in self.providers)]

    def clean(self):
        cleaned = super().clean()
        filtered = any(cleaned.get(name) for name in self.ARTICLE_FILTERS)
        if filtered and not cleaned.get("loai") and "loai" not in self.errors:
            cleaned["loai"] = self.ARTICLES
        return cleaned

    @property
    def provider(self):
        """The chosen kind's provider, or None for every kind (call after is_valid())."""
        slug = self.cleaned_data.get("loai")
        return next((p for p in self.providers if p.slug == slug), None)

    def query_string(self):
        """q, the kind, then the article filters (no page), for pagination links."""
        params = super().query_string()
        kind = self.cleaned_data.get("loai")
        if not kind:
            return params
        q, _sep, filters = params.partition("&")
        return "&".join(part for part in (q, urlencode({"loai": kind}), filters) if part)
