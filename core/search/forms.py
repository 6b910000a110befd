"""The search box every search form uses (the article search, documents, procedures, the Q&A)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .query import MAX_QUERY_LENGTH, QueryError, check_query, normalize_query


class SearchBoxField(forms.CharField):
    """A search box: NFC-normalised, at most 200 characters, with Vietnamese messages.

    Not required by default; `clean()` returns "" for an empty box and the normalised text
    otherwise (use `search_query()` on it)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Từ khóa"))
        super().__init__(strip=True, **kwargs)
        self.widget.input_type = "search"
        self.widget.attrs.update({"maxlength": str(MAX_QUERY_LENGTH), "autocomplete": "off", "spellcheck": "false"})

    def to_python(self, value):
        return normalize_query(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if value:
            try:
                check_query(value)
            except QueryError as error:
                raise forms.ValidationError(str(error), code="invalid_query") from error
