"""Sitemaps for search engines: published articles (with lastmod) and categories.

/sitemap.xml is a plain <urlset> while the site has at most 50,000 URLs, and a sitemap index
pointing at /sitemap-<section>.xml?p=N pages beyond that (the protocol's limit per file).
URLs are absolute from settings.SITE_URL, whatever host the request came in on.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import Max, Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import http_date

from .models import Article, Category

MAX_URLS_PER_FILE = 50_000


class SiteUrlSitemap(Sitemap):
    """Absolute locations on settings.SITE_URL."""

    limit = MAX_URLS_PER_FILE

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    @cached_property
    def paginator(self):
        # Django builds a new Paginator (and a new COUNT) on each access; one per request is enough.
        return Paginator(self._items(), self.limit)


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


class CategorySitemap(SiteUrlSitemap):
    changefreq = "daily"

    def items(self):
        now = timezone.now()
        return (
            Category.objects.annotate(
                latest=Max(
                    "articles__publish_at",
                    filter=Q(articles__status=Article.Status.PUBLISHED, articles__publish_at__lte=now),
                )
            )
            .only("id", "slug")
            .order_by("position", "id")
        )

    def lastmod(self, item):
        return item.latest

    def get_latest_lastmod(self):
        return ArticleSitemap().get_latest_lastmod()


SITEMAPS = {"bai-viet": ArticleSitemap, "chuyen-muc": CategorySitemap}


def _sections():
    return {name: cls() for name, cls in SITEMAPS.items()}


def sitemap(request):
    """/sitemap.xml: every URL in one file, or an index once there are more than 50,000."""
    sections = _sections()
    if sum(section.paginator.count for section in sections.values()) <= MAX_URLS_PER_FILE:
        return sitemap_views.sitemap(request, sections)
    return sitemap_index(request, sections)


@sitemap_views.x_robots_tag
def sitemap_index(request, sections=None):
    """The <sitemapindex>: one entry per page of each section, with its lastmod."""
    sections = sections or _sections()
    entries = []
    for name, section in sections.items():
        location = f"{settings.SITE_URL}{reverse('sitemap-section', kwargs={'section': name})}"
        lastmod = section.get_latest_lastmod()
        for page in range(1, section.paginator.num_pages + 1):
            url = location if page == 1 else f"{location}?p={page}"
            entries.append(sitemap_views.SitemapIndexItem(url, lastmod))
    latest = [entry.last_mod for entry in entries if entry.last_mod]
    response = TemplateResponse(request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml")
    if latest:
        response.headers["Last-Modified"] = http_date(max(latest).timestamp())
    return response


def sitemap_section(request, section):
    """/sitemap-<section>.xml?p=N: one page (up to 50,000 URLs) of one section."""
    if section not in SITEMAPS:
        raise Http404(f"No sitemap section {section!r}")
    return sitemap_views.sitemap(request, _sections(), section=section)
