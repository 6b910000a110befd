"""Pagination for long listings without COUNT(*) and without reading deep pages' rows.

A page is found in two steps: the ids of the page (plus one, to know whether a
next page exists) come from an index-only scan of the listing's ordering index;
then only those rows are fetched. There is no total count: the listing shows
“Trang N” with previous/next links, and a page past the end is a 404.
"""

from dataclasses import dataclass, field

from django import forms


class PageForm(forms.Form):
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)


@dataclass
class SeekPage:
    number: int
    object_list: list = field(default_factory=list)
    has_next: bool = False

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next or self.has_previous()

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)


def page_number(query_dict):
    """The requested page number, or None when it is not a valid one (the caller answers 404)."""
    form = PageForm(query_dict)
    if not form.is_valid():
        return None
    return form.cleaned_data["page"] or 1


def seek_page(queryset, number, per_page):
    """The `number`-th page of `queryset` (already ordered), or None when it is past the end."""
    offset = (number - 1) * per_page
    ids = list(queryset.values_list("pk", flat=True)[offset : offset + per_page + 1])
    if not ids and number > 1:
        return None
    has_next = len(ids) > per_page
    ids = ids[:per_page]
    by_id = {obj.pk: obj for obj in queryset.filter(pk__in=ids)}
    return SeekPage(number=number, object_list=[by_id[i] for i in ids if i in by_id], has_next=has_next)
