from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.views.generic import TemplateView

from core.search import corrected_query, normalize_query, title_suggestions

from .engine import PAGE_SIZE, ArticleSearch, RankedPages
from .forms import ArticleSearchForm


class SearchView(TemplateView):
    """/tim-kiem/?q=…&chuyen_muc=…&tu_ngay=…&den_ngay=…&page=N"""

    template_name = "news/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ArticleSearchForm(self.request.GET)
        # What the reader typed stays in the boxes, also when it is wrong.
        context.update(form=form, search_query=normalize_query(self.request.GET.get("q", ""))[:1000])
        if not form.is_valid():
            return context
        text = form.cleaned_data["q"]
        if not text:
            context["empty_query"] = "q" in self.request.GET  # a first visit gets no reproach
            return context
        search = ArticleSearch(
            text,
            category=form.cleaned_data.get("chuyen_muc"),
            date_from=form.cleaned_data.get("tu_ngay"),
            date_to=form.cleaned_data.get("den_ngay"),
        ).find()
        paginator = Paginator(RankedPages(search), PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        context.update(
            searched=True,
            search=search,
            page_obj=page,
            results=page.object_list,
            is_paginated=page.has_other_pages(),
            query_string=form.query_string(),
        )
        if not search.pool:
            suggestions = title_suggestions(search.base(), text)
            correction = corrected_query(text, [article.title for article in suggestions])
            context.update(
                suggestions=suggestions,
                correction=correction,
                correction_query=urlencode({"q": correction}) if correction else "",
            )
        return context
