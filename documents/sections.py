"""Document groups with their own pages (Decree 42/2022/NĐ-CP, Art. 4 and 10): "Công khai ngân sách"
(/cong-khai-ngan-sach/) and "Nhiệm vụ KH&CN" (/nhiem-vu-khcn/: calls for proposals and results of the
provincial S&T tasks). A document joins a group by its `section`; it stays in the register (/van-ban/) too.
Each page: the group's published documents, newest first, filtered by year (and by kind for the tasks)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from .models import Document, Section

PAGE_SIZE = 20


# On the tasks' own page the group's name goes without saying.
SHORT_LABELS = {
    Section.BUDGET: _("Công khai ngân sách"),
    Section.TASK_CALLS: _("Thông báo đặt hàng, tuyển chọn"),
    Section.TASK_RESULTS: _("Kết quả thực hiện"),
}


@dataclass(frozen=True)
class Group:
    url_name: str
    title: str
    lead: str
    sections: tuple  # Section values shown on the page; more than one: a "Nhóm" filter
    empty: str


BUDGET = Group(
    "documents:budget",
    _("Công khai ngân sách"),
    _(
        "Công khai dự toán, tình hình thực hiện dự toán và quyết toán ngân sách nhà nước của Sở Khoa học và "
        "Công nghệ theo Luật Ngân sách nhà nước và Thông tư 61/2017/TT-BTC, Thông tư 90/2018/TT-BTC."
    ),
    (Section.BUDGET,),
    _("Chưa có tài liệu công khai ngân sách nào được công bố."),
)
TASKS = Group(
    "documents:tasks",
    _("Nhiệm vụ khoa học và công nghệ"),
    _(
        "Thông báo đặt hàng, tuyển chọn, giao trực tiếp tổ chức, cá nhân chủ trì nhiệm vụ khoa học và công nghệ "
        "cấp tỉnh, và kết quả thực hiện, đánh giá, nghiệm thu các nhiệm vụ."
    ),
    (Section.TASK_CALLS, Section.TASK_RESULTS),
    _("Chưa có thông báo hay kết quả nhiệm vụ nào được công bố."),
)


class SectionFilterForm(forms.Form):
    """`?nam=2025` (and `?nhom=nhiem-vu-ket-qua` where the page has several groups); a wrong value is said
    in Vietnamese and the list shows everything."""

    nam = forms.TypedChoiceField(
        label=_("Năm"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Không có tài liệu nào năm này; hãy chọn năm trong danh sách.")},
    )

    def __init__(self, *args, years=(), sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nam"].choices = [("", _("Tất cả các năm"))] + [(year, str(year)) for year in years]
        if len(sections) > 1:
            self.fields["nhom"] = forms.ChoiceField(
                label=_("Nhóm"),
                required=False,
                choices=[("", _("Tất cả"))] + [(section.value, SHORT_LABELS[section]) for section in sections],
                error_messages={"invalid_choice": _("Nhóm không hợp lệ; đang hiện tất cả.")},
            )

    def filters(self):
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class SectionView(TemplateView):
    """One group's page; `group` is given in documents/urls.py."""

    template_name = "documents/section.html"
    group = None

    def get_context_data(self, **kwargs):
        group = self.group
        in_group = Document.objects.published().filter(section__in=group.sections)
        years = [day.year for day in in_group.dates("issued_on", "year", order="DESC")]
        form = SectionFilterForm(self.request.GET, years=years, sections=group.sections)
        filters = form.filters()
        documents = in_group.for_listing().with_validity()
        if filters.get("nhom"):
            documents = documents.filter(section=filters["nhom"])
        if filters.get("nam"):
            documents = documents.filter(issued_on__year=filters["nam"])
        page = Paginator(documents.newest().prefetch_related("files"), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            group=group,
            form=form,
            page_obj=page,
            documents=list(page.object_list),
            is_paginated=page.has_other_pages(),
            query_string=urlencode(filters),
            filtered=bool(filters),
            sections={section.value: label for section, label in SHORT_LABELS.items()},
            **kwargs,
        )
