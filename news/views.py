from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from core.fragments import remembered_value
from core.pagecache import content_version
from core.publishing import can_preview
from core.sanitize import html_to_text, sanitize_html

from .models import SEARCH_FIELDS, Article, Category
from .pagination import page_number, seek_page

PAGE_SIZE = 20


class HomeView(TemplateView):
    template_name = "news/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = Article.objects.published().for_listing().newest()
        featured = list(published.filter(featured=True)[:5])
        newest = list(published.exclude(pk__in=[a.pk for a in featured])[:8])
        context.update(
            featured=featured,
            newest=newest,
            category_blocks=Category.objects.menu_blocks(per_category=4),
        )
        return context


class CategoryView(TemplateView):
    """A category's articles (its children's included), newest first, 20 a page, without COUNT(*)."""

    template_name = "news/category.html"

    def get_context_data(self, **kwargs):
        category = get_object_or_404(Category.objects.select_related("parent"), slug=self.kwargs["slug"])
        number = page_number(self.request.GET)
        articles = Article.objects.published().filter(category__in=category.family_ids()).for_listing().newest()
        page = seek_page(articles, number, PAGE_SIZE) if number else None
        if page is None:
            raise Http404(_("Trang không tồn tại."))
        return super().get_context_data(
            category=category, articles=page.object_list, page_obj=page, is_paginated=page.has_other_pages(), **kwargs
        )


RELATED = 6  # "Tin cùng chuyên mục" under an article


def category_newest(category_id):
    return Article.objects.published().filter(category_id=category_id).for_listing().newest()[: RELATED + 1]


def newest_in_category(category_id):
    """The category's newest published articles (one more than an article page shows: it leaves
    itself out), read once per process and content version, since every article page of the
    category shows the same ones."""
    version = content_version()
    query = category_newest(category_id)
    if version is None:
        return list(query)
    return remembered_value(("newest-in-category", category_id, version), lambda: list(query))


class ArticleView(DetailView):
    template_name = "news/article.html"
    context_object_name = "article"

    def can_preview(self):
        return can_preview(self.request, "news.change_article")

    def get_queryset(self):
        articles = Article.objects.select_related("category", "category__parent").defer(*SEARCH_FIELDS)
        if self.can_preview():
            return articles
        return articles.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        context.update(
            preview=not article.is_public,
            attachments=list(article.attachments.all()),
            related=[other for other in newest_in_category(article.category_id) if other.pk != article.pk][:RELATED],
        )
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["preview"]:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, private"
        else:
            # Lets the stats app count this view, also when the page comes from a cache.
            response["X-Article-Id"] = str(self.object.pk)
        return response


def article_preview(request, article):
    """The article page as readers will see it, for an article not saved as shown (a draft, a working copy, the
    edit form's content before saving): the admin's "Xem trước" (core/workflow/admin.py). Never cached."""
    from django.template.response import TemplateResponse

    if article.category_id is None:
        raise Http404(_("Chọn chuyên mục để xem trước."))
    article.body_text = html_to_text(sanitize_html(article.body or ""))
    article.body = sanitize_html(article.body or "")
    article.slug = article.slug or "xem-truoc"  # an article not saved yet: its links lead nowhere real
    if article.status == Article.Status.PUBLISHED:
        article.status = Article.Status.DRAFT  # what is shown is the working copy, not what readers see
    now = timezone.now()
    article.publish_at = article.publish_at or now
    article.created_at = article.created_at or now
    article.updated_at = article.updated_at or now
    context = {
        "article": article,
        "object": article,
        "preview": True,
        "attachments": list(article.attachments.all()) if article.pk else [],
        "related": [other for other in newest_in_category(article.category_id) if other.pk != article.pk][:RELATED],
    }
    response = TemplateResponse(request, ArticleView.template_name, context)
    add_never_cache_headers(response)
    response["Cache-Control"] = "no-store, private"
    return response
