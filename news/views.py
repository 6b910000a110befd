from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from .models import Article, Category

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


class CategoryView(ListView):
    template_name = "news/category.html"
    context_object_name = "articles"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        self.category = get_object_or_404(Category.objects.select_related("parent"), slug=self.kwargs["slug"])
        return (
            Article.objects.published()
            .filter(category__in=self.category.family_ids())
            .for_listing()
            .newest()
        )

    def paginate_queryset(self, queryset, page_size):
        paginator = Paginator(queryset, page_size, allow_empty_first_page=True)
        page_number = self.request.GET.get("page") or 1
        try:
            page = paginator.page(page_number)
        except InvalidPage as exc:
            raise Http404(_("Trang không tồn tại.")) from exc
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        return super().get_context_data(category=self.category, **kwargs)


class ArticleView(DetailView):
    template_name = "news/article.html"
    context_object_name = "article"

    def can_preview(self):
        user = self.request.user
        return user.is_authenticated and user.is_staff and user.has_perm("news.change_article")

    def get_queryset(self):
        articles = Article.objects.select_related("category", "category__parent")
        if self.can_preview():
            return articles
        return articles.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        context.update(
            preview=not article.is_public,
            attachments=list(article.attachments.all()),
            related=list(
                Article.objects.published()
                .filter(category_id=article.category_id)
                .exclude(pk=article.pk)
                .for_listing()
                .newest()[:6]
            ),
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
