"""RSS 2.0 feeds: the newest 50 published articles, site-wide (/rss/) and per category
(/chuyen-muc/<slug>/rss/, a parent category's feed includes its children).

Every link is absolute from settings.SITE_URL (the canonical address), not from the request's
host. The cover's 1200 px rendition is the item's <enclosure>, with its size in bytes.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure
from django.utils.translation import gettext_lazy as _

from core.feeds import SiteFeed, absolute, enclosure_size

from .models import Article, Category

FEED_SIZE = 50


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
