"""The news sections of the sitemap: published articles (with lastmod) and categories (core.sitemaps)."""

from django.db.models import Max, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from core.sitemaps import SiteUrlSitemap, W3CDatetime

from .models import Article, Category


class ArticleSitemap(SiteUrlSitemap):
    changefreq = "weekly"

    def items(self):
        return (
            Article.objects.published().only("id", "slug", "publish_at", "updated_at").order_by("-publish_at", "-id")
        )

    def lastmod(self, item):
        return max(item.updated_at, item.publish_at)

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default of walking every item.
        latest = Article.objects.published().aggregate(updated=Max("updated_at"), published=Max("publish_at"))
        values = [value for value in latest.values() if value]
        return max(values) if values else None

    def rows(self, page):
        url = self.url_for("news:article")
        start = (page - 1) * self.limit
        columns = self.items().values_list("slug", W3CDatetime(Greatest("updated_at", "publish_at")))
        for slug, lastmod in columns[start : start + self.limit].iterator(chunk_size=5000):
            yield url(slug), lastmod


class CategorySitemap(SiteUrlSitemap):
    changefreq = "daily"

    def items(self):
        now = timezone.now()
        published = Q(articles__status=Article.Status.PUBLISHED, articles__publish_at__lte=now)
        return (
            Category.objects.annotate(latest=Max("articles__publish_at", filter=published))
            .only("id", "slug")
            .order_by("position", "id")
        )

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        return ArticleSitemap().get_latest_lastmod()

    def count_queryset(self):
        return Category.objects.all()

    def rows(self, page):
        url = self.url_for("news:category")
        start = (page - 1) * self.limit
        for slug, lastmod in self.items().values_list("slug", W3CDatetime("latest"))[start : start + self.limit]:
            yield url(slug), lastmod


SECTIONS = {"bai-viet": ArticleSitemap, "chuyen-muc": CategorySitemap}
