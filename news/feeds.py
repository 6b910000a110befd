"""RSS 2.0 feeds: the newest 50 published articles, site-wide (/rss/) and per category
(/chuyen-muc/<slug>/rss/, a parent category's feed includes its children).

Every link is absolute from settings.SITE_URL (the canonical address), not from the request's
host. The cover's 1200 px rendition is the item's <enclosure>, with its size in bytes.
"""

import logging

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.translation import gettext_lazy as _

from .models import Article, Category

logger = logging.getLogger(__name__)
FEED_SIZE = 50
SIZE_CACHE_SECONDS = 24 * 3600


def absolute(url: str) -> str:
    """An absolute URL: storage/static URLs that are already absolute (a CDN, S3) stay as they are."""
    if url.startswith(("http://", "https://", "//")):
        return url
    return f"{settings.SITE_URL}{url}"


def enclosure_size(image) -> int:
    """Size in bytes of a stored rendition, remembered in the cache (a rendition never changes
    under its name). 0 when the file cannot be read: RSS readers accept 0 for "unknown"."""
    key = f"news:rendition-size:{image.name}"
    size = cache.get(key)
    if size is None:
        try:
            size = image.storage.size(image.name)
        except (OSError, ValueError):
            logger.warning("Feed enclosure %s: file missing", image.name)
            return 0
        cache.set(key, size, SIZE_CACHE_SECONDS)
    return size


class SiteFeed(Feed):
    """What every feed of the portal shares: RSS 2.0 in Vietnamese, the Department's copyright, and
    items linked (and identified) by their absolute URL."""

    feed_type = Rss201rev2Feed
    language = "vi"

    def feed_copyright(self):
        return f"© {settings.SITE_NAME}"

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def item_guid(self, item):
        return absolute(item.get_absolute_url())  # the slug never changes once published

    item_guid_is_permalink = True


class LatestArticlesFeed(SiteFeed):
    ttl = 15  # minutes a reader may wait before asking again

    def title(self):
        return _("%(site)s – Tin mới") % {"site": settings.SITE_NAME}

    def description(self):
        return _("Tin bài mới nhất của %(site)s.") % {"site": settings.SITE_NAME}

    def link(self):
        return absolute(reverse("news:home"))

    def feed_url(self):
        return absolute(reverse("news:rss"))

    def articles(self):
        return (
            Article.objects.published()
            .select_related("category")
            .only(
                "id",
                "title",
                "slug",
                "summary",
                "body_text",
                "cover",
                "author",
                "publish_at",
                "updated_at",
                "category__id",
                "category__name",
                "category__slug",
            )
            .order_by("-publish_at", "-id")
        )

    def items(self):
        return self.articles()[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.description  # plain text; the feed generator escapes it

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.publish_at)

    def item_author_name(self, item):
        return item.author or None

    def item_categories(self, item):
        return [item.category.name]

    def item_enclosures(self, item):
        if not item.cover:
            return []
        rendition = item.cover_1200
        return [Enclosure(absolute(rendition.url), str(enclosure_size(rendition)), "image/jpeg")]


class CategoryFeed(LatestArticlesFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category.objects.select_related("parent"), slug=slug)

    def title(self, obj):
        return f"{obj.name} – {settings.SITE_NAME}"

    def description(self, obj):
        return obj.description or _("Tin bài mới nhất chuyên mục %(name)s.") % {"name": obj.name}

    def link(self, obj):
        return absolute(obj.get_absolute_url())

    def feed_url(self, obj):
        return absolute(reverse("news:category_rss", kwargs={"slug": obj.slug}))

    def items(self, obj):
        return self.articles().filter(category__in=obj.family_ids())[:FEED_SIZE]
